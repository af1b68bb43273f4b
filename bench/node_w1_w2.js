#!/usr/bin/node
// W1 and W2 through Node, one client per process, run by zkit-bench (bindings_workload.cpp):
// zkit's Node binding (loaded from ZKIT_NODE, the build tree's bindings/node) or
// node-zookeeper-client (pinned in bindings/node/package-lock.json, the most used pure-JS client).
//
//   node bench/node_w1_w2.js --serve <zkit | nzc> <connect> <window> <payload bytes>
//
//   node bench/node_w1_w2.js <zkit | nzc> <connect> <root> <nodes> <gets>
//
// By hand (the second form): both workloads once under <root>, 1,000 outstanding, 100-byte
// payloads, printed as one JSON object ({client, w1: {<phase>: {ops, ops_per_s, cpu_us_per_op}},
// w2: {gets, p50_us, p90_us, p99_us, max_us}}). For zkit-bench (the first form): connects,
// prints {"ready":true}, then answers each command on standard input with one JSON line:
//
//   w1 <create|get|set|delete> <dir> <count>
//       that operation on <dir>/n0000000 ... (the create makes <dir> first, unmeasured), keeping
//       <window> requests outstanding, the next one sent from a completion:
//       {"ops", "errors", "seconds", "cpu_seconds"[, "failure"]}
//   w2 <node> <count>
//       <count> sequential gets of <node> (made first if missing), each sent from the previous
//       one's completion: {"micros": [...]}
//   quit
//
// CPU time is process.cpuUsage(): user + system of the whole process (getrusage(RUSAGE_SELF),
// every thread), as the C++ side measures itself; time is process.hrtime.bigint()
// (CLOCK_MONOTONIC).
'use strict';
const path = require('node:path');
const readline = require('node:readline');

const SESSION_TIMEOUT_MS = 40000;  // as the C++ workloads' sessions
const PHASE_LIMIT_MS = 600000;     // zkit-bench kills this process sooner; this bounds a run by hand

// Each driver: connect() -> Promise, op(kind, path, payload, done(err)), exists(path) -> Promise<bool>,
// close() -> Promise.
function zkitDriver(connect) {
  const zkit = require(process.env.ZKIT_NODE || path.join(__dirname, '..', 'build', 'bindings', 'node'));
  let zk;
  return {
    async connect() { zk = await zkit.connect(connect, { sessionTimeout: SESSION_TIMEOUT_MS }); },
    op(kind, p, payload, done) {
      let r;
      if (kind === 'create') r = zk.create(p, payload);
      else if (kind === 'get') r = zk.getData(p);
      else if (kind === 'set') r = zk.setData(p, payload);
      else r = zk.delete(p);
      r.then(() => done(null), done);
    },
    async exists(p) { return (await zk.exists(p)) != null; },
    close() { return zk.close(); },
  };
}

function nzcDriver(connect) {
  const nzc = require(path.join(__dirname, '..', 'bindings', 'node', 'node_modules', 'node-zookeeper-client'));
  let zk;
  return {
    connect() {
      zk = nzc.createClient(connect, { sessionTimeout: SESSION_TIMEOUT_MS });
      return new Promise((resolve) => {
        zk.once('connected', resolve);
        zk.connect();
      });
    },
    op(kind, p, payload, done) {
      if (kind === 'create') zk.create(p, payload, (e) => done(e));
      else if (kind === 'get') zk.getData(p, (e) => done(e));
      else if (kind === 'set') zk.setData(p, payload, -1, (e) => done(e));
      else zk.remove(p, -1, (e) => done(e));
    },
    exists(p) {
      return new Promise((resolve, reject) => zk.exists(p, (e, stat) => (e ? reject(e) : resolve(stat != null))));
    },
    close() {
      return new Promise((resolve) => {
        zk.once('disconnected', resolve);
        zk.close();
      });
    },
  };
}

function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function once(driver, kind, p, payload) {
  return new Promise((resolve, reject) => driver.op(kind, p, payload, (e) => (e ? reject(e) : resolve())));
}

// One W1 phase: `count` ops of `kind` on dir/n<i>, `window` in flight.
function pipelined(driver, kind, dir, count, window, payload) {
  return new Promise((resolve) => {
    let issued = 0;
    let completed = 0;
    let errors = 0;
    let first = null;
    const cpu0 = cpuSeconds();
    const t0 = process.hrtime.bigint();
    const result = (failure) => {
      clearTimeout(limit);
      const out = { ops: count, errors, seconds: Number(process.hrtime.bigint() - t0) / 1e9, cpu_seconds: cpuSeconds() - cpu0 };
      if (failure) out.failure = failure;
      resolve(out);
    };
    const limit = setTimeout(() => result(`${count - completed} requests still outstanding after ${PHASE_LIMIT_MS / 1000} s`),
      PHASE_LIMIT_MS);
    const issue = () => {
      const i = issued++;
      driver.op(kind, `${dir}/n${String(i).padStart(7, '0')}`, payload, (err) => {
        if (err) {
          ++errors;
          if (first === null) first = String(err.message || err);
        }
        if (++completed === count) {
          result(errors ? `${errors} of ${count} requests failed, the first with ${first}` : null);
        } else if (issued < count) {
          issue();
        }
      });
    };
    for (let i = 0; i < Math.min(window, count); ++i) issue();
  });
}

async function w1(driver, kind, dir, count, window, payload) {
  if (kind === 'create' && !(await driver.exists(dir))) await once(driver, 'create', dir, Buffer.alloc(0));
  if (!['create', 'get', 'set', 'delete'].includes(kind)) return { failure: `unknown phase ${kind}` };
  return pipelined(driver, kind, dir, count, window, payload);
}

async function w2(driver, node, count, payload) {
  if (!(await driver.exists(node))) await once(driver, 'create', node, payload);
  const micros = [];
  for (let i = 0; i < count; ++i) {
    const t0 = process.hrtime.bigint();
    // Sequential: each get is sent once the previous reply arrived.
    // eslint-disable-next-line no-await-in-loop
    await once(driver, 'get', node, payload);
    micros.push(Math.round(Number(process.hrtime.bigint() - t0) / 100) / 10);
  }
  return { micros };
}

function rank(sorted, p) {
  const r = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(r, 1), sorted.length) - 1];
}

// By hand: both workloads once, under <root>, printed as one object.
async function onceThrough(driver, root, nodes, gets, payload) {
  await once(driver, 'create', root, Buffer.alloc(0));
  const w1 = {};
  for (const kind of ['create', 'get', 'set', 'delete']) {
    // eslint-disable-next-line no-await-in-loop
    const r = await pipelined(driver, kind, root, nodes, 1000, payload);
    if (r.failure) throw new Error(`${kind}: ${r.failure}`);
    w1[kind] = { ops: r.ops, ops_per_s: r.ops / r.seconds, cpu_us_per_op: (r.cpu_seconds * 1e6) / r.ops };
  }
  const { micros } = await w2(driver, `${root}/w2`, gets, payload);
  await once(driver, 'delete', `${root}/w2`, payload);
  await once(driver, 'delete', root, payload);
  micros.sort((x, y) => x - y);
  return { w1, w2: { gets, p50_us: rank(micros, 50), p90_us: rank(micros, 90), p99_us: rank(micros, 99), max_us: micros[micros.length - 1] } };
}

// For zkit-bench: commands on standard input, one JSON answer each.
async function serve(driver, window, payload) {
  console.log(JSON.stringify({ ready: true }));
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of lines) {
    const words = line.trim().split(/\s+/);
    let out;
    try {
      if (words[0] === 'w1' && words.length === 4) out = await w1(driver, words[1], words[2], Number(words[3]), window, payload);
      else if (words[0] === 'w2' && words.length === 3) out = await w2(driver, words[1], Number(words[2]), payload);
      else if (words[0] === 'quit') break;
      else out = { failure: `unknown command: ${line}` };
    } catch (e) {  // reported to the parent, which records it and goes on
      out = { failure: String((e && e.message) || e) };
    }
    console.log(JSON.stringify(out));
  }
  lines.close();
}

function usage() {
  console.error('usage: node_w1_w2.js --serve <zkit | nzc> <connect> <window> <payload bytes>\n' +
    '       node_w1_w2.js <zkit | nzc> <connect> <root> <nodes> <gets>');
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  const serving = args[0] === '--serve';
  const [client, connect, a, b, c] = serving ? args.slice(1) : args;
  if (!['zkit', 'nzc'].includes(client) || !connect) usage();
  if (serving ? !(Number(a) > 0 && Number(b) >= 0) : !(a && Number(b) > 0 && Number(c) > 0)) usage();
  const driver = client === 'zkit' ? zkitDriver(connect) : nzcDriver(connect);
  await driver.connect();
  if (serving) {
    await serve(driver, Number(a), Buffer.alloc(Number(b), 0x78));
  } else {
    const result = await onceThrough(driver, a, Number(b), Number(c), Buffer.alloc(100, 0x78));
    console.log(JSON.stringify({ client, ...result }));
  }
  await driver.close();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
