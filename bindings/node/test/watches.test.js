'use strict';
// One-shot watches fire once; persistent and recursive watches, as callbacks and as async
// iterators; removal; the session's end as a watch's last event.
const test = require('node:test');
const assert = require('node:assert/strict');
const { zkit, connectString, freshPath, client, recorder } = require('./helpers');

test('a data watch fires once, for the first change only', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p, 'a');
  const w = recorder();
  await zk.getData(p, w.watcher);
  await zk.setData(p, 'b');
  const e = await w.fired;
  assert.equal(e.type, zkit.Event.NODE_DATA_CHANGED);
  assert.equal(e.getName(), 'NODE_DATA_CHANGED');
  assert.equal(e.path, p);
  await zk.setData(p, 'c');
  await zk.delete(p);
  await zk.sync('/');  // any further event would have arrived before this reply
  assert.equal(w.events.length, 1);
});

test('exists watches creation, getChildren watches children', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  const created = recorder();
  assert.equal(await zk.exists(p, created.watcher), null);
  await zk.create(p);
  assert.equal((await created.fired).type, zkit.Event.NODE_CREATED);
  const kids = recorder();
  await zk.getChildren(p, kids.watcher);
  await zk.create(p + '/k');
  assert.equal((await kids.fired).type, zkit.Event.NODE_CHILDREN_CHANGED);
});

test('a one-shot watch is told of the close when nothing changed', async () => {
  const zk = await zkit.connect(connectString);
  const p = freshPath();
  await zk.create(p);
  const w = recorder();
  await zk.getData(p, w.watcher);
  await zk.close();
  const e = await w.fired;
  assert.equal(e.type, zkit.Event.NONE);
  assert.equal(e.state, 'closed');
  assert.equal(w.events.length, 1);
  const cleanup = await zkit.connect(connectString);
  await cleanup.delete(p);
  await cleanup.close();
});

test('removeWatches tells the watcher once, and NoWatcherError when none is left', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p);
  const w = recorder();
  await zk.getData(p, w.watcher);
  await zk.removeWatches(p, zkit.WatcherKind.DATA);
  assert.equal((await w.fired).type, zkit.Event.DATA_WATCH_REMOVED);
  await assert.rejects(zk.removeWatches(p, zkit.WatcherKind.DATA), zkit.NoWatcherError);
});

test('a persistent watch fires for every change until removed', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p, '0');
  const events = [];
  let wake;
  const watch = await zk.addWatch(p, 'persistent', (e) => {
    events.push(e);
    if (wake) wake();
  });
  const seen = (n) => new Promise((r) => { wake = () => { if (events.length >= n) r(); }; wake(); });
  await zk.setData(p, '1');
  await zk.setData(p, '2');
  await zk.create(p + '/c');
  await seen(3);
  assert.deepEqual(events.map((e) => e.name), ['NODE_DATA_CHANGED', 'NODE_DATA_CHANGED', 'NODE_CHILDREN_CHANGED']);
  watch.remove();
  await zk.setData(p, '3');
  await zk.sync('/');
  assert.equal(events.length, 3);
});

test('a recursive watch as an async iterator; leaving the loop removes it', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p);
  const watch = await zk.watch(p, { mode: 'recursive' });
  await zk.create(p + '/a');
  await zk.create(p + '/a/b', 'x');
  await zk.setData(p + '/a/b', 'y');
  const got = [];
  for await (const e of watch) {
    got.push(`${e.name} ${e.path.slice(p.length)}`);
    if (got.length === 3) break;
  }
  assert.deepEqual(got, ['NODE_CREATED /a', 'NODE_CREATED /a/b', 'NODE_DATA_CHANGED /a/b']);
  assert.deepEqual(await watch.next(), { value: undefined, done: true });
});

test('the session\'s end ends a persistent watch\'s iteration', async () => {
  const zk = await zkit.connect(connectString);
  const p = freshPath();
  const watch = await zk.watch(p);
  const loop = (async () => {
    const got = [];
    for await (const e of watch) got.push(e);
    return got;
  })();
  await zk.create(p);
  await zk.delete(p);
  await zk.close();
  const got = await loop;
  assert.deepEqual(got.map((e) => e.name), ['NODE_CREATED', 'NODE_DELETED', 'NONE']);
  assert.equal(got.at(-1).state, 'closed');
  assert.ok(got.at(-1).final);
});
