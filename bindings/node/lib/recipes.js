'use strict';
// zkit's recipes (recipes/ in C++, used one to one): Curator's znode layouts, a fencing token
// (BigInt: the czxid of the granting node) per lock acquisition and per leadership term.

const { EventEmitter } = require('node:events');
const native = require('./native');
const errors = require('./errors');

function call(start) {
  return new Promise((resolve, reject) => {
    try {
      start((err, value) => (err ? reject(errors.toError(err)) : resolve(value)));
    } catch (e) {
      reject(errors.toError(e));
    }
  });
}

// A lock shared by processes (Curator's InterProcessMutex). Re-entrant within one Mutex
// object; for exclusion inside one process, give each party its own Mutex.
class Mutex {
  constructor(client, path) {
    this.path = path;
    this._native = new native.NativeMutex(client._session(), path);
  }

  // Resolves with the fencing token; timeoutMs (optional) bounds the wait (RequestTimeoutError;
  // 0 tries once).
  acquire(timeoutMs) {
    return call((cb) => this._native.acquire(timeoutMs ?? null, cb));
  }

  release() {
    return call((cb) => this._native.release(cb));
  }

  // Runs `fn(token)` holding the lock and releases it after, whatever `fn` does.
  async withLock(fn, timeoutMs) {
    const token = await this.acquire(timeoutMs);
    try {
      return await fn(token);
    } finally {
      await this.release();
    }
  }

  // Stops a waiting acquire (ClosingError) and deletes our node. Idempotent.
  close() {
    return call((cb) => this._native.close(cb));
  }

  get isHeld() { return this._native.isHeld(); }
}

// Join an election and stay in it (Curator's LeaderLatch). Events: 'acquired' (a term began;
// latch.token is its fencing token), 'suspended', 'reconnected', 'lost'.
class LeaderLatch extends EventEmitter {
  constructor(client, path, id = '') {
    super();
    this.path = path;
    this.id = id;
    this._native = new native.NativeLeaderLatch(client._session(), path, id, (event) => this.emit(event));
  }

  start() {
    return call((cb) => this._native.start(cb));
  }

  // Resolves with the term's token once this participant leads.
  awaitLeadership(timeoutMs) {
    return call((cb) => this._native.awaitLeadership(timeoutMs ?? null, cb));
  }

  // Leaves the election (deletes our node; 'lost' if it led).
  close() {
    return call((cb) => this._native.close(cb));
  }

  get hasLeadership() { return this._native.hasLeadership(); }
  get token() { return this._native.token(); }
}

// N processes start a computation together and finish it together (Curator's
// DistributedDoubleBarrier). memberCount is a threshold: more may enter.
class DoubleBarrier {
  constructor(client, path, memberCount) {
    this.path = path;
    this.memberCount = memberCount;
    this._native = new native.NativeDoubleBarrier(client._session(), path, memberCount);
  }

  // Resolves once memberCount members have entered (RequestTimeoutError after timeoutMs; our
  // node is then deleted again, so it does not count).
  enter(timeoutMs) {
    return call((cb) => this._native.enter(timeoutMs ?? null, cb));
  }

  // Resolves once every member has left.
  leave(timeoutMs) {
    return call((cb) => this._native.leave(timeoutMs ?? null, cb));
  }
}

module.exports = { Mutex, LeaderLatch, DoubleBarrier };
