'use strict';
// zk.transaction(): node-zookeeper-client's builder over one multi request, applied all or
// nothing. commit() resolves with a result per op ({path} for creates, {stat} for sets) or
// rejects with the failing op's error, which carries `results` (every op's code) and
// `failedOp` (its index).

const errors = require('./errors');
const { CreateMode } = require('./constants');

class Transaction {
  constructor(client) {
    this._client = client;
    this._ops = [];
  }

  create(path, data = null, modeOrOptions, mode) {
    let o = { mode: CreateMode.PERSISTENT, acl: null, ttl: 0 };
    if (typeof modeOrOptions === 'number') o.mode = modeOrOptions;
    else if (Array.isArray(modeOrOptions)) o = { ...o, acl: modeOrOptions, mode: mode ?? o.mode };
    else if (modeOrOptions && typeof modeOrOptions === 'object') o = { ...o, ...modeOrOptions };
    this._ops.push({ op: 'create', path, data, mode: o.mode, acl: o.acl, ttl: o.ttl });
    return this;
  }

  setData(path, data, version = -1) {
    this._ops.push({ op: 'set', path, data, version });
    return this;
  }

  check(path, version = -1) {
    this._ops.push({ op: 'check', path, version });
    return this;
  }

  remove(path, version = -1) {
    this._ops.push({ op: 'delete', path, version });
    return this;
  }

  delete(path, version = -1) {
    return this.remove(path, version);
  }

  async commit() {
    const r = await this._client.multi(this._ops);
    if (r.committed) return r.results.map((e) => ({ path: e.path, stat: e.stat }));
    const failedOp = r.results.findIndex((e) => e.code !== 0 && e.code !== errors.codes.runtime_inconsistency);
    const failed = r.results[failedOp];
    const op = this._ops[failedOp];
    const err = errors.make(failed.code, failed.name, `transaction op ${failedOp} (${op.op} ${op.path}): ${failed.name}`);
    err.results = r.results.map((e) => ({ code: e.code, name: e.name }));
    err.failedOp = failedOp;
    throw err;
  }
}

module.exports = { Transaction };
