'use strict';
// The recipes over zkit's own: a mutex contended by two clients hands out increasing fencing
// tokens; a leader latch hands leadership over when the leader leaves.
const test = require('node:test');
const assert = require('node:assert/strict');
const { zkit, freshPath, client, next } = require('./helpers');

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
  const aLost = next(la, 'lost');
  await la.close();
  await aLost;
  const tb = await lb.awaitLeadership(20000);
  assert.ok(tb > ta);
  assert.ok(lb.hasLeadership);
  await lb.close();
});
