'use strict';
// The conformance scenario (scenario.json) through zkit's Node binding (zkit.Client, its
// Promises and events, and its recipes); watchers and callbacks run on Node's own loop.
//
//     node run_node.js SCENARIO CONNECT              runs every step; exit 0 when all match
//     node run_node.js --mutex-child CONNECT PATH    the second process of mutex_contended
//
// ZKIT_NODE names the package (the build tree's bindings/node), ZKIT_TEST_EXPIRER the
// expire_session program. README.md beside this file describes the format; each step's check
// is the same in every runner.

const { execFile, spawn } = require('node:child_process');
const fs = require('node:fs');
const nodePath = require('node:path');

function required(name, why) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: ${why} (run it with \`meson test --suite conformance\`)`);
  return v;
}

// Resolved here: require() would take a relative path as relative to this file.
const zkit = require(nodePath.resolve(required('ZKIT_NODE', "the build tree's bindings/node")));

const WAIT_MS = 20000;  // any awaited event may take this long

class Mismatch extends Error {}

function expect(cond, what) {
  if (!cond) throw new Mismatch(what);
}

// `promise`, or a Mismatch saying `what` did not happen within WAIT_MS.
function within(promise, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Mismatch(`${what} within ${WAIT_MS} ms`)), WAIT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

class Runner {
  constructor(scenario, connect) {
    this.s = scenario;
    this.connect = connect;
    this.zk = null;
    this.eventName = new Map(Object.entries(scenario.event_types).map(([name, n]) => [n, name]));
  }

  // An operation's outcome as the scenario names it: {name: 'ok', value} or {name: error name},
  // checking that the error's code is the scenario's for that name.
  async outcome(promise) {
    try {
      return { name: 'ok', value: await promise };
    } catch (e) {
      if (!(e instanceof zkit.ZkitError)) throw e;
      const want = this.s.errors[e.codeName];
      expect(want === undefined || want === e.code, `error ${e.codeName} has code ${e.code} here, ${want} in the scenario`);
      return { name: e.codeName };
    }
  }

  // The binding's numbers for the scenario's names: errors, event types, create modes.
  tables() {
    const differ = [];
    for (const [name, code] of Object.entries(this.s.errors)) {
      if (zkit.errorCodes[name] !== code) differ.push(`error ${name}: ${zkit.errorCodes[name]} here, ${code} in the scenario`);
    }
    for (const [name, n] of Object.entries(this.s.event_types)) {
      if (zkit.Event[name.toUpperCase()] !== n) differ.push(`event ${name}: ${zkit.Event[name.toUpperCase()]} here, ${n}`);
    }
    for (const [name, n] of Object.entries(this.s.create_modes)) {
      if (zkit.CreateMode[name.toUpperCase()] !== n) differ.push(`mode ${name}: ${zkit.CreateMode[name.toUpperCase()]} here, ${n}`);
    }
    return differ;
  }

  mode(name) {
    return zkit.CreateMode[name.toUpperCase()];
  }

  // Resolves once every callback queued before it (watchers included) has run: a sync's reply
  // follows every event the server sent before it, and Node's loop runs watchers first.
  async barrier(zk) {
    await within(zk.sync('/'), 'a sync completed');
  }

  main() {
    expect(this.zk !== null, 'no connect step before this one');
    return this.zk;
  }

  eventsOf(seen) {
    return seen.map((e) => ({ type: this.eventName.get(e.type) ?? String(e.type), path: e.path }));
  }

  // --- steps -------------------------------------------------------------------------------
  async step_connect(st) {
    this.zk = await zkit.connect(this.connect);
    expect(this.zk.state === st.expect.state, `state ${this.zk.state}`);
  }

  async step_create(st) {
    const want = st.expect;
    const zk = this.main();
    const got = await this.outcome(zk.create(st.path, st.data ?? '', this.mode(st.mode)));
    expect(got.name === (want.error ?? 'ok'), `create ${st.path}: ${got.name}`);
    if (got.name !== 'ok') return;
    const path = got.value;
    if (want.path !== undefined) expect(path === want.path, `created ${path}`);
    if (want.path_prefix !== undefined) {
      const suffix = path.slice(want.path_prefix.length);
      expect(path.startsWith(want.path_prefix) && suffix.length === want.sequence_digits && /^[0-9]+$/.test(suffix),
        `sequential path ${path}`);
    }
    if (want.owned_by_session) {
      const stat = await zk.exists(path);
      expect(stat !== null && stat.ephemeralOwner === zk.sessionId, `owner of ${path}`);
    }
  }

  async step_get(st) {
    const want = st.expect;
    const got = await this.outcome(this.main().getData(st.path));
    expect(got.name === (want.error ?? 'ok'), `get ${st.path}: ${got.name}`);
    if (got.name !== 'ok') return;
    const { data, stat } = got.value;
    expect(data.equals(Buffer.from(want.data)) && stat.version === want.version,
      `get ${st.path}: ${JSON.stringify(data.toString())} v${stat.version}`);
  }

  async step_set(st) {
    const want = st.expect;
    const got = await this.outcome(this.main().setData(st.path, st.data, st.version));
    expect(got.name === (want.error ?? 'ok'), `set ${st.path}: ${got.name}`);
    if (got.name === 'ok') expect(got.value.version === want.version, `set version ${got.value.version}`);
  }

  async step_delete(st) {
    const got = await this.outcome(this.main().delete(st.path, st.version));
    expect(got.name === (st.expect.error ?? 'ok'), `delete ${st.path}: ${got.name}`);
  }

  async step_watch_once(st) {
    const zk = this.main();
    const seen = [];
    await zk.getData(st.path, (e) => seen.push(e));
    for (const data of st.sets) await zk.setData(st.path, data);
    await this.barrier(zk);
    const events = this.eventsOf(seen);
    expect(JSON.stringify(events) === JSON.stringify(st.expect.events), `one-shot watch saw ${JSON.stringify(events)}`);
  }

  async apply(change) {
    const zk = this.main();
    if (change.create !== undefined) await zk.create(change.create, change.data ?? '');
    else if (change.set !== undefined) await zk.setData(change.set, change.data);
    else if (change.delete !== undefined) await zk.delete(change.delete);
  }

  async step_persistent_watch(st) {
    const zk = this.main();
    const seen = [];
    // Calls for session states (Event.NONE) are not node events.
    const watch = await zk.addWatch(st.path, st.recursive ? 'recursive' : 'persistent', (e) => {
      if (e.type !== zkit.Event.NONE) seen.push(e);
    });
    for (const change of st.changes) await this.apply(change);
    await this.barrier(zk);
    watch.remove();
    for (const change of st.after_remove) await this.apply(change);
    await this.barrier(zk);
    const events = this.eventsOf(seen);
    expect(JSON.stringify(events) === JSON.stringify(st.expect.events), `persistent watch saw ${JSON.stringify(events)}`);
  }

  async step_multi(st) {
    const want = st.expect;
    const zk = this.main();
    const ops = st.ops.map((o) => {
      if (o.create !== undefined) return { op: 'create', path: o.create, data: o.data ?? '', mode: zkit.CreateMode.PERSISTENT };
      if (o.check !== undefined) return { op: 'check', path: o.check, version: o.version };
      return { op: 'set', path: o.set, data: o.data, version: o.version };
    });
    const { committed, results } = await zk.multi(ops);
    for (const r of results) expect(this.s.errors[r.name] === r.code, `multi result ${r.name} has code ${r.code}`);
    const names = results.map((r) => r.name);
    expect(JSON.stringify(names) === JSON.stringify(want.results), `multi results ${JSON.stringify(names)}`);
    expect(committed === (want.error === undefined), `multi committed ${committed}`);
    if (want.error !== undefined) {
      const first = names.findIndex((n) => n !== 'ok');
      expect(names[first] === want.error && first === want.failed_op, `multi failed at ${first} with ${names[first]}`);
    }
    for (const path of want.absent ?? []) expect(await zk.exists(path) === null, `${path} exists after a failed multi`);
  }

  async step_mutex_contended(st) {
    const path = st.path;
    const mine = await zkit.connect(this.connect);
    let child = null;
    try {
      const mutex = mine.mutex(path);
      const first = await mutex.acquire(WAIT_MS);
      child = startMutexChild(this.connect, path);
      // The second process waits: its lock node is there, behind ours.
      let waited = false;
      for (let i = 0; i < 10 && !waited; ++i) {
        let changed;
        const fired = new Promise((resolve) => { changed = resolve; });
        const { children } = await mine.getChildren(path, () => changed());
        if (children.length === 2) waited = true;
        else await within(fired, 'the lock node\'s children changed');
      }
      expect(waited, 'the second process never queued for the lock');
      expect(child.proc.exitCode === null, 'the second process did not wait');
      await mutex.release();
      const { code, out } = await within(child.done, 'the second process ended');
      child = null;
      expect(code === 0, `the second process failed (status ${code})`);
      const m = /^token (-?[0-9]+)$/m.exec(out);
      expect(m !== null, `the second process printed ${JSON.stringify(out)}`);
      const second = BigInt(m[1]);
      expect(second > first, `tokens ${first} then ${second}`);
    } finally {
      if (child) child.proc.kill();
      await mine.close();
    }
  }

  async step_leader_handover(st) {
    const a = await zkit.connect(this.connect);
    const b = await zkit.connect(this.connect);
    try {
      // The second joins once the first leads: "first" is then the order of the election.
      const la = a.leaderLatch(st.path, 'a');
      await la.start();
      const t1 = await la.awaitLeadership(WAIT_MS);
      expect(la.hasLeadership, 'the first participant does not lead');
      const lb = b.leaderLatch(st.path, 'b');
      await lb.start();
      const waited = await this.outcome(lb.awaitLeadership(0));
      expect(waited.name === 'request_timeout' && !lb.hasLeadership, `the second participant did not wait: ${waited.name}`);
      await la.close();
      const t2 = await lb.awaitLeadership(WAIT_MS);
      expect(t2 > t1, `tokens ${t1} then ${t2}`);
      await lb.close();
    } finally {
      await a.close();
      await b.close();
    }
  }

  async step_expire_session(st) {
    const want = st.expect;
    const zk = await zkit.connect(this.connect);
    try {
      const states = [];
      zk.on('state', (s) => states.push(s));
      const expired = new Promise((resolve) => zk.once('expired', resolve));
      await expireSession(this.connect, zk);
      await within(expired, `the session was told it expired (states ${states})`);
      expect(zk.state === want.state, `state ${zk.state}`);
      const then = want.then;
      const got = await this.outcome(zk.getData(then.path));
      expect(got.name === then.error, `after expiry, get: ${got.name}`);
    } finally {
      await zk.close();
    }
  }

  async step_close_with_pending(st) {
    const want = st.expect;
    const zk = await zkit.connect(this.connect);
    // Each Promise is settled by the native completion itself, which stops the process if it
    // fires a second time: settlements count the completions.
    const calls = [];
    for (let i = 0; i < st.count; ++i) {
      zk.sync('/').then(() => calls.push('ok'), (err) => {
        expect(this.s.errors[err.codeName] === err.code, `${err.codeName} has code ${err.code}`);
        calls.push(err.codeName);
      });
    }
    await zk.close();  // every request's Promise has settled (and its reaction run) when it resolves
    expect(calls.length === want.callbacks, `${calls.length} callbacks`);
    const wrong = calls.filter((c) => c !== 'ok' && !want.errors_allowed.includes(c));
    expect(wrong.length === 0, `pending calls ended with ${[...new Set(wrong)]}`);
  }

  async run() {
    let failures = 0;
    for (const what of this.tables()) {
      console.log(`FAIL    tables: ${what}`);
      failures += 1;
    }
    for (const [i, st] of this.s.steps.entries()) {
      const n = String(i).padStart(2);
      const step = this[`step_${st.op}`];
      try {
        expect(step !== undefined, `unknown step ${st.op}`);
        await step.call(this, st);
        console.log(`ok   ${n} ${st.op}`);
      } catch (e) {
        if (!(e instanceof Mismatch || e instanceof zkit.ZkitError)) throw e;
        failures += 1;
        console.log(`FAIL ${n} ${st.op}: ${e instanceof Mismatch ? e.message : `${e.codeName}: ${e.message}`}`);
      }
    }
    if (this.zk) await this.zk.close();
    return failures;
  }
}

// Runs this file as the second process of mutex_contended; `done` resolves with its exit
// status and everything it printed.
function startMutexChild(connect, path) {
  const proc = spawn(process.execPath, [__filename, '--mutex-child', connect, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (chunk) => { out += chunk; });
  const done = new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, out }));
  });
  return { proc, done };
}

// Expires zk's session on purpose with ZKIT_TEST_EXPIRER (the session id and password in hex),
// without blocking the loop the session's events arrive on.
function expireSession(connect, zk) {
  const expirer = required('ZKIT_TEST_EXPIRER', 'the expire_session program');
  const id = BigInt.asUintN(64, zk.sessionId).toString(16);
  return new Promise((resolve, reject) => {
    execFile(expirer, [connect, id, zk.sessionPassword.toString('hex')], { timeout: WAIT_MS }, (err, _out, errOut) => {
      if (err) reject(new Mismatch(`expire_session failed: ${errOut.trim() || err.message}`));
      else resolve();
    });
  });
}

async function mutexChild(connect, path) {
  const zk = await zkit.connect(connect);
  try {
    const mutex = zk.mutex(path);
    const token = await mutex.acquire(WAIT_MS);
    console.log(`token ${token}`);
    await mutex.release();
  } finally {
    await zk.close();
  }
}

async function main(argv) {
  if (argv[0] === '--mutex-child') {
    await mutexChild(argv[1], argv[2]);
    return 0;
  }
  if (argv.length < 2) {
    console.error('usage: node run_node.js SCENARIO CONNECT | --mutex-child CONNECT PATH');
    return 2;
  }
  const scenario = JSON.parse(fs.readFileSync(argv[0], 'utf8'));
  const failed = await new Runner(scenario, argv[argv.length - 1]).run();
  console.log(`node runner: ${failed ? `${failed} step(s) differ` : 'all steps match'}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((status) => { process.exitCode = status; }, (e) => {
  console.error(e);
  process.exitCode = 1;
});
