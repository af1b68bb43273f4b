#!/usr/bin/node
// W1 and W2 through zkit's Node binding or node-zookeeper-client (pinned in
// bindings/node/package-lock.json), one client per run, printed as one JSON object:
//
//   node bench/node_w1_w2.js <zkit | nzc> <connect> <root> <nodes> <gets>
//
// W1: one session creates <nodes> znodes with 100-byte payloads under <root> keeping 1,000
// requests outstanding, then gets, sets and deletes them all; per phase ops/s and client CPU
// (process.cpuUsage: user + system of this process) per operation. W2: <gets> sequential gets
// of one node, each sent from the previous one's completion: nearest-rank p50/p90/p99/max.
// Timing is process.hrtime.bigint() (CLOCK_MONOTONIC), as on the C++ side. zkit is loaded
// from ZKIT_NODE (the build tree's bindings/node). The two clients run in separate processes,
// so neither's garbage or JIT state is charged to the other.
'use strict';
const path = require('node:path');

const OUTSTANDING = 1000;
const PAYLOAD = Buffer.alloc(100, 0x61);

function usage() {
  console.error('usage: node_w1_w2.js <zkit | nzc> <connect> <root> <nodes> <gets>');
  process.exit(2);
}

// Each driver: connect() -> Promise, op(kind, path, done(err)), close() -> Promise.
function zkitDriver(connect) {
  const zkit = require(process.env.ZKIT_NODE || path.join(__dirname, '..', 'build', 'bindings', 'node'));
  let zk;
  return {
    async connect() { zk = await zkit.connect(connect, { sessionTimeout: 40000 }); },
    op(kind, p, done) {
      let r;
      if (kind === 'create') r = zk.create(p, PAYLOAD);
      else if (kind === 'get') r = zk.getData(p);
      else if (kind === 'set') r = zk.setData(p, PAYLOAD);
      else r = zk.delete(p);
      r.then(() => done(null), done);
    },
    close() { return zk.close(); },
  };
}

function nzcDriver(connect) {
  const nzc = require(path.join(__dirname, '..', 'bindings', 'node', 'node_modules', 'node-zookeeper-client'));
  let zk;
  return {
    connect() {
      zk = nzc.createClient(connect, { sessionTimeout: 40000 });
      return new Promise((resolve) => {
        zk.once('connected', resolve);
        zk.connect();
      });
    },
    op(kind, p, done) {
      if (kind === 'create') zk.create(p, PAYLOAD, (e) => done(e));
      else if (kind === 'get') zk.getData(p, (e) => done(e));
      else if (kind === 'set') zk.setData(p, PAYLOAD, -1, (e) => done(e));
      else zk.remove(p, -1, (e) => done(e));
    },
    close() {
      return new Promise((resolve) => {
        zk.once('disconnected', resolve);
        zk.close();
      });
    },
  };
}

function cpuMicros() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

// One W1 phase: `count` ops of `kind` on root/n<i>, OUTSTANDING in flight.
function phase(driver, kind, root, count) {
  return new Promise((resolve, reject) => {
    let issued = 0;
    let completed = 0;
    const cpu0 = cpuMicros();
    const t0 = process.hrtime.bigint();
    const issue = () => {
      const i = issued++;
      driver.op(kind, `${root}/n${i}`, (err) => {
        if (err) {
          reject(new Error(`${kind} ${root}/n${i}: ${err.message || err}`));
          return;
        }
        if (++completed === count) {
          const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
          resolve({ ops: count, ops_per_s: count / seconds, cpu_us_per_op: (cpuMicros() - cpu0) / count });
        } else if (issued < count) {
          issue();
        }
      });
    };
    for (let i = 0; i < Math.min(OUTSTANDING, count); ++i) issue();
  });
}

function rank(sorted, p) {
  const r = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(r, 1), sorted.length) - 1];
}

function sequentialGets(driver, p, count) {
  return new Promise((resolve, reject) => {
    const micros = [];
    let t = process.hrtime.bigint();
    const next = () => {
      driver.op('get', p, (err) => {
        if (err) {
          reject(err);
          return;
        }
        const now = process.hrtime.bigint();
        micros.push(Number(now - t) / 1000);
        t = now;
        if (micros.length < count) next();
        else {
          micros.sort((a, b) => a - b);
          resolve({ gets: count, p50_us: rank(micros, 50), p90_us: rank(micros, 90), p99_us: rank(micros, 99),
            max_us: micros[micros.length - 1] });
        }
      });
    };
    t = process.hrtime.bigint();
    next();
  });
}

async function main() {
  const [client, connect, root, nodesArg, getsArg] = process.argv.slice(2);
  const nodes = Number(nodesArg);
  const gets = Number(getsArg);
  if (!['zkit', 'nzc'].includes(client) || !connect || !root || !(nodes > 0) || !(gets > 0)) usage();
  const driver = client === 'zkit' ? zkitDriver(connect) : nzcDriver(connect);
  await driver.connect();
  await new Promise((resolve, reject) => driver.op('create', root, (e) => (e ? reject(e) : resolve())));
  const w1 = {};
  for (const kind of ['create', 'get', 'set', 'delete']) w1[kind] = await phase(driver, kind, root, nodes);
  const w2 = await sequentialGets(driver, root, gets);
  await new Promise((resolve, reject) => driver.op('delete', root, (e) => (e ? reject(e) : resolve())));
  await driver.close();
  console.log(JSON.stringify({ client, w1, w2 }));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
