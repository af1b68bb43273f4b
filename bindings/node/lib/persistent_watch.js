'use strict';
// A persistent watch (addWatch), told to a listener or read as an async iterator of events.
// The session's end (expired, auth_failed, closed) is its last event; remove() or leaving a
// for-await loop stops it.

const { Event } = require('./event');
const errors = require('./errors');

class PersistentWatch {
  constructor(client, path, listener) {
    this.path = path;
    this._client = client;
    this._listener = listener;
    this._id = null;
    this._queue = [];
    this._waiters = [];
    this._done = false;
  }

  _register(nativeClient, recursive) {
    this._native = nativeClient;
    return new Promise((resolve, reject) => {
      try {
        nativeClient.addWatch(this.path, recursive, (type, state, path) => this._event(new Event(type, state, path)),
          (err, id) => {
            if (err) {
              reject(errors.toError(err));
              return;
            }
            this._id = id;
            resolve();
          });
      } catch (e) {
        reject(errors.toError(e));
      }
    });
  }

  _event(e) {
    if (this._done) return;
    if (e.final) this._finish();
    if (this._listener) {
      this._listener(e);
      return;
    }
    const waiter = this._waiters.shift();
    if (waiter) waiter({ value: e, done: false });
    else this._queue.push(e);
    if (e.final) this._drain();
  }

  _finish() {
    this._done = true;
    this._id = null;
  }

  _drain() {
    for (const w of this._waiters.splice(0)) w({ value: undefined, done: true });
  }

  // Stops the watch: no listener call, no event after it.
  remove() {
    if (this._id !== null && this._native) this._native.removeWatch(this._id);
    this._finish();
    this._queue.length = 0;
    this._drain();
  }

  next() {
    if (this._queue.length) return Promise.resolve({ value: this._queue.shift(), done: false });
    if (this._done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this._waiters.push(resolve));
  }

  return() {
    this.remove();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

module.exports = { PersistentWatch };
