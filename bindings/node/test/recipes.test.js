'use strict';
// The recipes over zkit's own: a mutex contended by two clients hands out increasing fencing
// tokens; a leader latch hands leadership over when the leader leaves.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const readline = require('node:readline');
const { zkit, connectString, freshPath, client, next } = require('./helpers');

test('mutex: two clients take turns, with increasing tokens', async (t) => {
  const a = await client(t);
  const b = await client(t);
  const path = freshPath();
  const ma = a.mutex(path);
  const mb = b.mutex(path);
  t.after(async () => { await ma.close(); await mb.close(); });

  const first = await ma.acquire();
  assert.equal(typeof first, 'bigint');
  assert.ok(ma.isHeld);
  let bHas = false;
  const second = mb.acquire().then((tok) => { bHas = true; return tok; });
  await assert.rejects(b.mutex(path).acquire(0), zkit.RequestTimeoutError);  // held: one try fails
  assert.equal(bHas, false);
  await ma.release();
  const token = await second;
  assert.ok(token > first, `${token} > ${first}`);
  assert.ok(mb.isHeld && !ma.isHeld);

  const third = ma.acquire();
  await mb.release();
  assert.ok((await third) > token);
  await ma.release();
});

test('mutex.withLock releases after the function, also when it throws', async (t) => {
  const zk = await client(t);
  const m = zk.mutex(freshPath());
  t.after(() => m.close());
  const seen = await m.withLock(async (token) => {
    assert.ok(m.isHeld);
    return token;
  });
  assert.equal(typeof seen, 'bigint');
  assert.equal(m.isHeld, false);
  await assert.rejects(m.withLock(() => { throw new Error('inside'); }), /inside/);
  assert.equal(m.isHeld, false);
});

test('leader latch: one leads; leadership passes on close, with a higher token', async (t) => {
  const a = await client(t);
  const b = await client(t);
  const path = freshPath();
  const la = a.leaderLatch(path, 'a');
  const lb = b.leaderLatch(path, 'b');
  const aAcquired = next(la, 'acquired');
  await la.start();
  const ta = await la.awaitLeadership(20000);
  await aAcquired;
  assert.ok(la.hasLeadership);
  assert.equal(la.token, ta);
  await lb.start();
  await assert.rejects(lb.awaitLeadership(200), zkit.RequestTimeoutError);
  // Closing gives leadership up without a 'lost' event: lost means taken away (issue 12).
  let lostOnClose = false;
  la.on('lost', () => { lostOnClose = true; });
  await la.close();
  assert.equal(la.hasLeadership, false);
  const tb = await lb.awaitLeadership(20000);
  assert.ok(tb > ta);
  assert.ok(lb.hasLeadership);
  assert.equal(lostOnClose, false);
  await lb.close();
});

test('mutex: contended by another process, tokens increase', async (t) => {
  const zk = await client(t);
  const path = freshPath();
  const mine = zk.mutex(path);
  t.after(() => mine.close());
  const first = await mine.acquire();
  // The other process waits for the lock, prints its token once it holds it, then releases.
  const script = `
    const zkit = require(${JSON.stringify(process.env.ZKIT_NODE)});
    (async () => {
      const zk = await zkit.connect(${JSON.stringify(connectString)});
      const m = zk.mutex(${JSON.stringify(path)});
      console.log('waiting');
      const token = await m.acquire(20000);
      console.log(String(token));
      await m.release();
      await m.close();
      await zk.close();
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  assert.equal((await lines.next()).value, 'waiting');
  // Release only once the child's lock node is there behind ours: it is then waiting for us.
  let contenders = 0;
  for (let i = 0; i < 20 && contenders < 2; ++i) {
    let changed;
    const fired = new Promise((r) => { changed = r; });
    contenders = (await zk.getChildren(path, changed)).children.length;
    if (contenders < 2) await fired;
  }
  assert.equal(contenders, 2);
  await mine.release();
  const theirs = BigInt((await lines.next()).value);
  assert.ok(theirs > first, `${theirs} > ${first}`);
  assert.equal(await exited, 0);
  const again = await mine.acquire(20000);
  assert.ok(again > theirs);
  await mine.release();
});

test('double barrier: nobody is in before all are, nobody out before all left', async (t) => {
  const a = await client(t);
  const b = await client(t);
  const path = freshPath();
  const ba = a.doubleBarrier(path, 2);
  const bb = b.doubleBarrier(path, 2);
  await assert.rejects(ba.enter(200), zkit.RequestTimeoutError);  // alone: not in
  let aIn = false;
  const entering = ba.enter(20000).then(() => { aIn = true; });
  await a.sync('/');
  assert.equal(aIn, false);
  await bb.enter(20000);
  await entering;
  let aOut = false;
  const leaving = ba.leave(20000).then(() => { aOut = true; });
  await a.sync('/');
  assert.equal(aOut, false);
  await bb.leave(20000);
  await leaving;
  assert.deepEqual((await a.getChildren(path)).children, []);
  await assert.rejects(a.doubleBarrier(path, 0).enter(), zkit.BadArgumentsError);
});
