'use strict';
// Lifecycle events, expiry on purpose (the testing kit's session killer), and a process that
// ends by itself once its client is closed (the module holds Node's loop only while open).
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { zkit, connectString, freshPath, expire, next } = require('./helpers');

test('ready and connected come once on connect, close on close', async () => {
  const zk = zkit.createClient(connectString);
  const seen = [];
  for (const e of ['ready', 'connected', 'close', 'expired', 'suspended']) zk.on(e, () => seen.push(e));
  zk.on('state', (s) => seen.push('state:' + s));
  await zk.connect();
  assert.deepEqual(seen, ['state:connected', 'ready', 'connected']);
  assert.equal(zk.connect(), zk.connect());  // one session per client
  await zk.close();
  assert.deepEqual(seen, ['state:connected', 'ready', 'connected', 'state:closed', 'close']);
});

test('expired: the event, the ephemeral gone, later calls failing with SessionExpiredError', async () => {
  const zk = await zkit.connect(connectString, { sessionTimeout: 4000 });
  const p = freshPath();
  await zk.create(p, null, zkit.CreateMode.EPHEMERAL);
  const states = [];
  zk.on('state', (s) => states.push(s));
  const expired = next(zk, 'expired');
  expire(zk);
  await expired;
  assert.equal(states.at(-1), 'expired');
  assert.equal(zk.state, 'expired');
  await assert.rejects(zk.getData(p), zkit.SessionExpiredError);
  await zk.close();

  const other = await zkit.connect(connectString);
  assert.equal(await other.exists(p), null);
  await other.close();
});

test('node exits by itself after close(), and not before', () => {
  const script = `
    const zkit = require(${JSON.stringify(process.env.ZKIT_NODE)});
    (async () => {
      const zk = await zkit.connect(${JSON.stringify(connectString)});
      await zk.exists('/');
      setTimeout(() => zk.close().then(() => console.log('closed')), 300);
      console.log('open');
    })();`;
  const start = Date.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'open\nclosed\n');
  assert.ok(Date.now() - start < 20000);
});

test('a client that is not closed keeps node running', () => {
  const script = `
    const zkit = require(${JSON.stringify(process.env.ZKIT_NODE)});
    zkit.connect(${JSON.stringify(connectString)}).then(() => console.log('open'));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 3000, killSignal: 'SIGKILL' });
  assert.equal(r.stdout, 'open\n');
  assert.equal(r.signal, 'SIGKILL');  // still running when the timeout killed it (our own child)
});

test('an exception thrown by a listener is the process\'s uncaught exception', () => {
  const script = `
    const zkit = require(${JSON.stringify(process.env.ZKIT_NODE)});
    process.on('uncaughtException', (e) => { console.log('uncaught', e.message); process.exit(0); });
    const zk = zkit.createClient(${JSON.stringify(connectString)});
    zk.on('ready', () => { throw new Error('from ready'); });
    zk.connect();`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'uncaught from ready\n');
});

test('a closed client is garbage-collected (nothing native holds it)', () => {
  const script = `
    const zkit = require(${JSON.stringify(process.env.ZKIT_NODE)});
    let collected = 0;
    const registry = new FinalizationRegistry(() => { collected++; });
    async function useOne() {
      const zk = await zkit.connect(${JSON.stringify(connectString)});
      await zk.getData('/', () => {});
      await zk.watch('/');
      registry.register(zk, 0);
      registry.register(zk._native, 0);
      await zk.close();
    }
    (async () => {
      for (let i = 0; i < 10; i++) await useOne();
      for (let i = 0; i < 50 && collected < 20; i++) {
        global.gc();
        await new Promise((r) => setTimeout(r, 10));
      }
      console.log(collected);
    })();`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '20\n');
});

test('suspended then reconnected when the connection drops; connected again after it', async () => {
  const { spawn } = require('node:child_process');
  const readline = require('node:readline');
  const proxy = spawn(process.env.ZKIT_FAULT_PROXY, [connectString], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: proxy.stdout })[Symbol.asyncIterator]();
  let zk = null;
  try {
    const address = (await lines.next()).value;
    zk = await zkit.connect(address, { sessionTimeout: 6000 });
    const p = freshPath();
    await zk.create(p, null, zkit.CreateMode.EPHEMERAL);
    const seen = [];
    for (const e of ['suspended', 'reconnected', 'connected', 'expired', 'ready']) zk.on(e, () => seen.push(e));
    let changed;
    const watched = new Promise((resolve) => { changed = resolve; });
    await zk.getData(p, changed);
    const back = next(zk, 'connected');
    proxy.stdin.write('drop\n');
    assert.equal((await lines.next()).value, 'ok');
    await back;
    assert.deepEqual(seen, ['suspended', 'reconnected', 'connected']);
    assert.notEqual(await zk.exists(p), null);  // same session: the ephemeral is kept
    await zk.setData(p, 'changed');
    assert.equal((await watched).name, 'NODE_DATA_CHANGED');  // the watch survived
  } finally {
    if (zk) await zk.close();
    proxy.stdin.end();
    await new Promise((resolve) => proxy.on('exit', resolve));
  }
});
