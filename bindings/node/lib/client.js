'use strict';
// zkit.Client: a ZooKeeper session on Node's own loop, as an EventEmitter with Promise-returning
// operations named as node-zookeeper-client names them.
//
// Events: 'ready' (first connected), 'connected' (every time the session is established or
// resumed), 'suspended', 'reconnected', 'connectedReadOnly', 'expired', 'authenticationFailed',
// 'error' (auth failure, as an AuthFailedError), 'close'; 'state' gets every state's name.

const { EventEmitter } = require('node:events');
const native = require('./native');
const errors = require('./errors');
const { Event } = require('./event');
const { CreateMode, WatcherKind } = require('./constants');
const { Transaction } = require('./transaction');
const { PersistentWatch } = require('./persistent_watch');
const { Mutex, LeaderLatch, DoubleBarrier } = require('./recipes');

// The native operation's own Promise, which the loop settles with the answer or with zkit's
// Error subclass; a call refused before anything was sent (bad arguments, a closed client)
// rejects it too.
function call(start) {
  try {
    return start();
  } catch (e) {
    return Promise.reject(errors.toError(e));
  }
}

function watcherOf(fn) {
  if (fn === undefined || fn === null) return null;
  if (typeof fn !== 'function') throw new TypeError('watcher must be a function');
  return (type, state, path) => fn(new Event(type, state, path));
}

// create's third argument: a mode number, an options object {mode, acl, ttl}, or an ACL array
// followed by the mode (node-zookeeper-client's create(path, data, acls, mode)).
function createOptions(third, fourth) {
  if (third === undefined || third === null) return { mode: fourth ?? CreateMode.PERSISTENT, acl: null, ttl: 0 };
  if (typeof third === 'number') return { mode: third, acl: null, ttl: 0 };
  if (Array.isArray(third)) return { mode: fourth ?? CreateMode.PERSISTENT, acl: third, ttl: 0 };
  if (typeof third === 'object') return { mode: third.mode ?? CreateMode.PERSISTENT, acl: third.acl ?? null, ttl: third.ttl ?? 0 };
  throw new TypeError('create(path, data, mode | {mode, acl, ttl} | acls, mode)');
}

class Client extends EventEmitter {
  // Nothing happens until connect() (or the first operation, which connects).
  constructor(connectString, options = {}) {
    super();
    if (typeof connectString !== 'string') throw new TypeError('connectString must be a string');
    this.connectString = connectString;
    this.options = { ...options };
    this._native = null;
    this._ready = false;
    this._connecting = null;
  }

  // Starts the session; resolves once it is connected the first time. Rejects when the session
  // ends first (SessionExpiredError, AuthFailedError, ClosingError) or the connection string is
  // bad (BadArgumentsError: nothing was started).
  connect() {
    if (this._connecting) return this._connecting;
    this._connecting = new Promise((resolve, reject) => {
      this._settleConnect = { resolve, reject };
      try {
        this._start();
      } catch (e) {
        this._settleConnect = null;
        this._startError = errors.toError(e);
        reject(this._startError);
      }
    });
    return this._connecting;
  }

  _start() {
    if (this._native) return this._native;
    const o = this.options;
    this._native = new native.NativeClient(
      { connect: this.connectString, sessionTimeout: o.sessionTimeout, requestTimeout: o.requestTimeout,
        canBeReadOnly: o.canBeReadOnly, tls: o.tls, sasl: o.sasl },
      (state) => this._onState(state));
    return this._native;
  }

  _session() {
    if (!this._native) {
      this.connect().catch(() => {});  // the operation reports the same failure
    }
    if (!this._native) throw this._startError;
    return this._native;
  }

  _onState(state) {
    const settle = this._settleConnect;
    this.emit('state', state);
    switch (state) {
      case 'connected':
        if (!this._ready) {
          this._ready = true;
          this._settleConnect = null;
          if (settle) settle.resolve();
          this.emit('ready');
        }
        this.emit('connected');
        break;
      case 'suspended':
        this.emit('suspended');
        break;
      case 'reconnected':
        this.emit('reconnected');
        this.emit('connected');
        break;
      case 'read_only':
        this.emit('connectedReadOnly');
        break;
      case 'expired':
        this._failConnect(settle, errors.codes.session_expired, 'session_expired', 'the session expired');
        this.emit('expired');
        break;
      case 'auth_failed': {
        const e = errors.make(errors.codes.auth_failed, 'auth_failed', 'the servers refused the session\'s credentials');
        this._failConnect(settle, e.code, e.codeName, e.message);
        this.emit('authenticationFailed');
        this.emit('error', e);
        break;
      }
      case 'closed':
        this._failConnect(settle, errors.codes.closing, 'closing', 'the client was closed before it connected');
        this.emit('close');
        break;
      default:
        break;
    }
  }

  _failConnect(settle, code, name, message) {
    if (!settle) return;
    this._settleConnect = null;
    settle.reject(errors.make(code, name, message));
  }

  // --- operations (each returns a Promise) ------------------------------------------------

  // The created path (with its sequence suffix for sequential modes).
  create(path, data = null, modeOrOptions, mode) {
    return call(() => {
      const o = createOptions(modeOrOptions, mode);
      return this._session().create(path, data, o.mode, o.ttl, o.acl);
    });
  }

  // {data: Buffer, stat}. `watcher(event)` runs once, on a change or deletion (or when the
  // session ends first, with Event.NONE and the final state).
  getData(path, watcher) {
    return call(() => this._session().get(path, watcherOf(watcher)));
  }

  // The new Stat. version -1: any.
  setData(path, data, version = -1) {
    return call(() => this._session().set(path, data, version));
  }

  // The Stat, or null when there is no node (the watcher then fires on its creation).
  exists(path, watcher) {
    return call(() => this._session().exists(path, watcherOf(watcher)));
  }

  // {children: names, stat}.
  getChildren(path, watcher) {
    return call(() => this._session().getChildren(path, watcherOf(watcher)));
  }

  delete(path, version = -1) {
    return call(() => this._session().remove(path, version));
  }

  // node-zookeeper-client's name for delete.
  remove(path, version = -1) {
    return this.delete(path, version);
  }

  sync(path) {
    return call(() => this._session().sync(path));
  }

  getACL(path) {
    return call(() => this._session().getACL(path));
  }

  setACL(path, acl, version = -1) {
    return call(() => this._session().setACL(path, acl, version));
  }

  addAuthInfo(scheme, auth) {
    return call(() => this._session().addAuth(scheme, auth));
  }

  // A transaction builder: zk.transaction().create(p).setData(q, d, 3).commit().
  transaction() {
    return new Transaction(this);
  }

  // One request of transaction ops ({op: 'create' | 'delete' | 'set' | 'check', path, ...}),
  // or of read ops ('get' | 'getChildren'). The raw result: {committed, results}.
  multi(ops) {
    return call(() => this._session().multi(ops));
  }

  // Creates `path` and every missing ancestor (persistent; `data` and `mode` for the last);
  // resolves with `path`. Existing nodes are left as they are.
  async mkdirp(path, data = null, mode = CreateMode.PERSISTENT) {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw errors.make(errors.codes.bad_arguments, 'bad_arguments', `mkdirp ${path}: the path must start with '/'`);
    }
    const parts = path.split('/').slice(1);
    let current = '';
    for (let i = 0; i < parts.length; ++i) {
      current += '/' + parts[i];
      const last = i === parts.length - 1;
      try {
        await this.create(current, last ? data : null, last ? mode : CreateMode.PERSISTENT);
      } catch (e) {
        if (!(e instanceof errors.NodeExistsError)) throw e;
      }
    }
    return path;
  }

  // --- watches ------------------------------------------------------------------------------

  // A persistent watch (addWatch, ZooKeeper 3.6+): `listener(event)` runs for every change of
  // `path` ('persistent') or of it and its descendants ('recursive'), and for the session's
  // suspended / reconnected / final state, until the returned watch's remove().
  async addWatch(path, mode, listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const watch = new PersistentWatch(this, path, listener);
    await watch._register(this._session(), recursiveOf(mode));
    return watch;
  }

  // The same as an async iterator of events: `for await (const e of await zk.watch(p))`.
  // Leaving the loop (break, return, throw) removes the watch; the session's end ends the loop.
  async watch(path, { mode = 'persistent' } = {}) {
    const watch = new PersistentWatch(this, path, null);
    await watch._register(this._session(), recursiveOf(mode));
    return watch;
  }

  // Removes this session's watches of `kind` (zkit.WatcherKind) on `path`; their watchers run
  // once with a *_WATCH_REMOVED event. NoWatcherError when there is none.
  removeWatches(path, kind = WatcherKind.ANY, local = false) {
    return call(() => this._session().removeWatches(path, kind, local));
  }

  // --- recipes ------------------------------------------------------------------------------

  mutex(path) {
    return new Mutex(this, path);
  }

  leaderLatch(path, id = '') {
    return new LeaderLatch(this, path, id);
  }

  doubleBarrier(path, memberCount) {
    return new DoubleBarrier(this, path, memberCount);
  }

  // --- session ------------------------------------------------------------------------------

  // Closes the session: every pending request fails once with ClosingError, every watch ends;
  // then 'close' is emitted and the Promise resolves. Node's loop is free to end after it.
  close() {
    if (this._closed) return this._closed;
    this._closed = new Promise((resolve) => {
      if (!this._native) {
        resolve();
        return;
      }
      this._native.close(() => resolve());
    });
    return this._closed;
  }

  // 'connecting', 'connected', 'suspended', 'reconnected', 'read_only', 'expired',
  // 'auth_failed' or 'closed'.
  get state() { return this._native ? this._native.state() : 'closed'; }
  get sessionId() { return this._native ? this._native.sessionId() : 0n; }
  get sessionPassword() { return this._native ? this._native.sessionPassword() : Buffer.alloc(0); }
  // The timeout the server granted, in ms.
  get sessionTimeout() { return this._native ? this._native.negotiatedTimeout() : 0; }
  get pendingRequests() { return this._native ? this._native.pendingRequests() : 0; }
}

function recursiveOf(mode) {
  if (mode === 'recursive' || mode === 1) return true;
  if (mode === 'persistent' || mode === 0 || mode === undefined) return false;
  throw new TypeError("mode must be 'persistent' or 'recursive'");
}

// node-zookeeper-client's entry point: a client, not yet connected.
function createClient(connectString, options) {
  return new Client(connectString, options);
}

// A connected client.
async function connect(connectString, options) {
  const client = new Client(connectString, options);
  await client.connect();
  return client;
}

module.exports = { Client, createClient, connect };
