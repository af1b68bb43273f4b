// TypeScript declarations of zkit's Node.js binding (lib/index.js). docs/node.md is the guide.
/// <reference types="node" />
import { EventEmitter } from 'node:events';

export interface Stat {
  czxid: bigint;
  mzxid: bigint;
  ctime: bigint;
  mtime: bigint;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: bigint;
}

export interface ACLEntry {
  perms: number;
  scheme: string;
  id: string;
}

export type SessionState =
  | 'connecting' | 'connected' | 'suspended' | 'reconnected' | 'read_only' | 'expired' | 'auth_failed' | 'closed';

export interface ClientOptions {
  /** Asked of the server, in ms (default 10000). */
  sessionTimeout?: number;
  /** Deadline of each request, in ms; -1 (default): the session timeout; 0: none. */
  requestTimeout?: number;
  canBeReadOnly?: boolean;
  /** TLS to the servers' secure client port; `true`: the system's trust store, no client certificate. */
  tls?: boolean | TlsOptions;
  /** SASL authentication after every handshake. */
  sasl?: SaslOptions;
}

/** zkit::TlsOptions: the server's chain and name are verified; a certificate and key give mutual TLS. */
export interface TlsOptions {
  /** Default true when the object is given. */
  enabled?: boolean;
  /** The CA(s) that sign the servers' certificates, as a PEM file or PEM text (default: the system's). */
  caFile?: string;
  caPem?: string;
  /** The client certificate and its key, as files or PEM text (both or neither). */
  certFile?: string;
  certPem?: string;
  keyFile?: string;
  keyPem?: string;
  /** Decrypts an encrypted private key. */
  keyPassphrase?: string;
  /** The name the server's certificate must carry, when not the connect string's host. */
  serverName?: string;
  /** Default true; false leaves only the chain check. */
  verifyServerName?: boolean;
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/** zkit::SaslOptions: DIGEST-MD5 (user and password) or GSSAPI (Kerberos). */
export interface SaslOptions {
  mechanism: 'digest-md5' | 'gssapi';
  /** DIGEST-MD5: the user and its password (or a file holding it, read at connect). */
  user?: string;
  password?: string;
  passwordFile?: string;
  /** The server's SASL service name (default "zookeeper"). */
  service?: string;
  /** The host part of the server principal (default: zk-sasl-md5 for DIGEST-MD5, the connected host for GSSAPI). */
  serverHost?: string;
  /** GSSAPI: the client's keytab or credential cache (default: the environment's). */
  keytab?: string;
  credentialCache?: string;
}

// What a node holds when written: bytes (a string as UTF-8), or null (and undefined) for null data.
export type Data = Buffer | string | null;

export interface CreateOptions {
  mode?: number;
  acl?: readonly ACLEntry[];
  /** ms, for the *_WITH_TTL modes. */
  ttl?: number;
}

export declare const CreateMode: Readonly<{
  PERSISTENT: 0; EPHEMERAL: 1; PERSISTENT_SEQUENTIAL: 2; EPHEMERAL_SEQUENTIAL: 3; CONTAINER: 4;
  PERSISTENT_WITH_TTL: 5; PERSISTENT_SEQUENTIAL_WITH_TTL: 6;
}>;
export declare const WatcherKind: Readonly<{ CHILDREN: 1; DATA: 2; ANY: 3 }>;
export declare const Permission: Readonly<{ READ: 1; WRITE: 2; CREATE: 4; DELETE: 8; ADMIN: 16; ALL: 31 }>;
export declare const ACL: Readonly<{
  OPEN_ACL_UNSAFE: readonly ACLEntry[];
  CREATOR_ALL_ACL: readonly ACLEntry[];
  READ_ACL_UNSAFE: readonly ACLEntry[];
}>;

export declare class Event {
  static readonly NONE: -1;
  static readonly NODE_CREATED: 1;
  static readonly NODE_DELETED: 2;
  static readonly NODE_DATA_CHANGED: 3;
  static readonly NODE_CHILDREN_CHANGED: 4;
  static readonly DATA_WATCH_REMOVED: 5;
  static readonly CHILD_WATCH_REMOVED: 6;
  static readonly PERSISTENT_WATCH_REMOVED: 7;
  readonly type: number;
  readonly name: string;
  /** For type NONE: what happened to the session. */
  readonly state: SessionState;
  readonly path: string;
  /** The session ended: no event follows. */
  readonly final: boolean;
  getType(): number;
  getName(): string;
  getPath(): string;
}

export type Watcher = (event: Event) => void;

export interface OpResult {
  code: number;
  name: string;
  path?: string;
  stat?: Stat;
  data: Buffer | null;  // get: null for null data
  children: string[];
}

export interface MultiResult {
  committed: boolean;
  results: OpResult[];
}

export type MultiOp =
  | { op: 'create'; path: string; data?: Data; mode?: number; acl?: readonly ACLEntry[] | null; ttl?: number }
  | { op: 'delete'; path: string; version?: number }
  | { op: 'set'; path: string; data: Data; version?: number }
  | { op: 'check'; path: string; version?: number }
  | { op: 'get'; path: string }
  | { op: 'getChildren'; path: string };

export declare class Transaction {
  create(path: string, data?: Data, mode?: number | CreateOptions): this;
  create(path: string, data: Data, acls: readonly ACLEntry[], mode?: number): this;
  setData(path: string, data: Data, version?: number): this;
  check(path: string, version?: number): this;
  remove(path: string, version?: number): this;
  delete(path: string, version?: number): this;
  /** A result per op; rejects with the failing op's error (with `results` and `failedOp`). */
  commit(): Promise<Array<{ path?: string; stat?: Stat }>>;
}

export declare class PersistentWatch implements AsyncIterableIterator<Event> {
  readonly path: string;
  remove(): void;
  next(): Promise<IteratorResult<Event>>;
  return(): Promise<IteratorResult<Event>>;
  [Symbol.asyncIterator](): AsyncIterableIterator<Event>;
}

export declare class Mutex {
  readonly path: string;
  readonly isHeld: boolean;
  /** The fencing token of this acquisition. */
  acquire(timeoutMs?: number): Promise<bigint>;
  release(): Promise<void>;
  withLock<T>(fn: (token: bigint) => T | Promise<T>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export declare class LeaderLatch extends EventEmitter {
  readonly path: string;
  readonly id: string;
  readonly hasLeadership: boolean;
  /** The current term's fencing token; 0n when not leading. */
  readonly token: bigint;
  start(): Promise<void>;
  awaitLeadership(timeoutMs?: number): Promise<bigint>;
  close(): Promise<void>;
  on(event: 'acquired' | 'suspended' | 'reconnected' | 'lost', listener: () => void): this;
  once(event: 'acquired' | 'suspended' | 'reconnected' | 'lost', listener: () => void): this;
}

export declare class DoubleBarrier {
  readonly path: string;
  readonly memberCount: number;
  enter(timeoutMs?: number): Promise<void>;
  leave(timeoutMs?: number): Promise<void>;
}

export declare class Client extends EventEmitter {
  constructor(connectString: string, options?: ClientOptions);
  readonly connectString: string;
  readonly state: SessionState;
  readonly sessionId: bigint;
  readonly sessionPassword: Buffer;
  /** The negotiated session timeout, in ms. */
  readonly sessionTimeout: number;
  readonly pendingRequests: number;

  connect(): Promise<void>;
  create(path: string, data?: Data, mode?: number | CreateOptions): Promise<string>;
  create(path: string, data: Data, acls: readonly ACLEntry[], mode?: number): Promise<string>;
  getData(path: string, watcher?: Watcher): Promise<{ data: Buffer | null; stat: Stat }>;
  setData(path: string, data: Data, version?: number): Promise<Stat>;
  exists(path: string, watcher?: Watcher): Promise<Stat | null>;
  getChildren(path: string, watcher?: Watcher): Promise<{ children: string[]; stat: Stat }>;
  delete(path: string, version?: number): Promise<void>;
  remove(path: string, version?: number): Promise<void>;
  sync(path: string): Promise<void>;
  getACL(path: string): Promise<{ acl: ACLEntry[]; stat: Stat }>;
  setACL(path: string, acl: readonly ACLEntry[], version?: number): Promise<Stat>;
  addAuthInfo(scheme: string, auth: Buffer | string): Promise<void>;
  transaction(): Transaction;
  multi(ops: readonly MultiOp[]): Promise<MultiResult>;
  mkdirp(path: string, data?: Data, mode?: number): Promise<string>;
  addWatch(path: string, mode: 'persistent' | 'recursive', listener: Watcher): Promise<PersistentWatch>;
  watch(path: string, options?: { mode?: 'persistent' | 'recursive' }): Promise<PersistentWatch>;
  removeWatches(path: string, kind?: number, local?: boolean): Promise<void>;
  mutex(path: string): Mutex;
  leaderLatch(path: string, id?: string): LeaderLatch;
  doubleBarrier(path: string, memberCount: number): DoubleBarrier;
  close(): Promise<void>;

  on(event: 'ready' | 'connected' | 'suspended' | 'reconnected' | 'connectedReadOnly' | 'expired'
    | 'authenticationFailed' | 'close', listener: () => void): this;
  on(event: 'state', listener: (state: SessionState) => void): this;
  on(event: 'error', listener: (error: ZkitError) => void): this;
  once(event: 'ready' | 'connected' | 'suspended' | 'reconnected' | 'connectedReadOnly' | 'expired'
    | 'authenticationFailed' | 'close', listener: () => void): this;
  once(event: 'state', listener: (state: SessionState) => void): this;
  once(event: 'error', listener: (error: ZkitError) => void): this;
}

export declare function createClient(connectString: string, options?: ClientOptions): Client;
export declare function connect(connectString: string, options?: ClientOptions): Promise<Client>;

export declare const errorCodes: Readonly<Record<string, number>>;

export declare class ZkitError extends Error {
  /** zkit's code, e.g. -101 (sdk/include/zkit/error.hpp). */
  readonly code: number;
  /** Its name, e.g. "no_node". */
  readonly codeName: string;
  getCode(): number;
  /** Transactions: every op's code, and the failing op's index. */
  results?: Array<{ code: number; name: string }>;
  failedOp?: number;
}
export declare class RuntimeInconsistencyError extends ZkitError {}
export declare class DataInconsistencyError extends ZkitError {}
export declare class ConnectionLossError extends ZkitError {}
export declare class MarshallingError extends ZkitError {}
export declare class UnimplementedError extends ZkitError {}
export declare class OperationTimeoutError extends ZkitError {}
export declare class BadArgumentsError extends ZkitError {}
export declare class NewConfigNoQuorumError extends ZkitError {}
export declare class ReconfigInProgressError extends ZkitError {}
export declare class NoNodeError extends ZkitError {}
export declare class NoAuthError extends ZkitError {}
export declare class BadVersionError extends ZkitError {}
export declare class NoChildrenForEphemeralsError extends ZkitError {}
export declare class NodeExistsError extends ZkitError {}
export declare class NotEmptyError extends ZkitError {}
export declare class SessionExpiredError extends ZkitError {}
export declare class InvalidCallbackError extends ZkitError {}
export declare class InvalidAclError extends ZkitError {}
export declare class AuthFailedError extends ZkitError {}
export declare class ClosingError extends ZkitError {}
export declare class NothingError extends ZkitError {}
export declare class SessionMovedError extends ZkitError {}
export declare class NotReadOnlyError extends ZkitError {}
export declare class EphemeralOnLocalSessionError extends ZkitError {}
export declare class NoWatcherError extends ZkitError {}
export declare class RequestTimeoutError extends ZkitError {}
export declare class ReconfigDisabledError extends ZkitError {}
export declare class SessionClosedRequiresSaslAuthError extends ZkitError {}
export declare class QuotaExceededError extends ZkitError {}
export declare class ThrottledOpError extends ZkitError {}
