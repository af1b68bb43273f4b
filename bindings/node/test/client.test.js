'use strict';
// Every operation against the real server: shapes of the results, versions, modes, Buffers.
const test = require('node:test');
const assert = require('node:assert/strict');
const { zkit, freshPath, client } = require('./helpers');

test('create, getData, setData, exists, getChildren, delete round-trip a node', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  const bytes = Buffer.from([0, 1, 2, 255, 0]);
  assert.equal(await zk.create(p, bytes), p);
  const { data, stat } = await zk.getData(p);
  assert.ok(Buffer.isBuffer(data));
  assert.deepEqual(data, bytes);
  assert.equal(stat.version, 0);
  assert.equal(stat.dataLength, 5);
  assert.equal(typeof stat.czxid, 'bigint');

  const after = await zk.setData(p, 'two', stat.version);
  assert.equal(after.version, 1);
  assert.equal((await zk.getData(p)).data.toString(), 'two');
  await assert.rejects(zk.setData(p, 'three', 0), zkit.BadVersionError);

  assert.equal((await zk.exists(p)).version, 1);
  assert.equal(await zk.exists(p + '/none'), null);

  await zk.create(p + '/b');
  await zk.create(p + '/a');
  const { children, stat: parent } = await zk.getChildren(p);
  assert.deepEqual(children.sort(), ['a', 'b']);
  assert.equal(parent.numChildren, 2);

  await assert.rejects(zk.delete(p), zkit.NotEmptyError);
  await zk.delete(p + '/a');
  await zk.remove(p + '/b', 0);  // node-zookeeper-client's name
  await assert.rejects(zk.delete(p, 7), zkit.BadVersionError);
  await zk.delete(p, 1);
  assert.equal(await zk.exists(p), null);
});

test('create modes: ephemeral, sequential, container, ACL and options forms', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p);
  const seq = await zk.create(p + '/s-', null, zkit.CreateMode.PERSISTENT_SEQUENTIAL);
  assert.match(seq, new RegExp(`^${p}/s-\\d{10}$`));
  const eph = await zk.create(p + '/e', 'x', { mode: zkit.CreateMode.EPHEMERAL });
  assert.equal((await zk.exists(eph)).ephemeralOwner, zk.sessionId);
  const es = await zk.create(p + '/es-', null, zkit.CreateMode.EPHEMERAL_SEQUENTIAL);
  assert.match(es, /es-\d{10}$/);
  await zk.create(p + '/c', null, { mode: zkit.CreateMode.CONTAINER });
  // node-zookeeper-client's order: create(path, data, acls, mode)
  await zk.create(p + '/r', null, zkit.ACL.READ_ACL_UNSAFE, zkit.CreateMode.PERSISTENT);
  const { acl } = await zk.getACL(p + '/r');
  assert.deepEqual(acl, [{ perms: zkit.Permission.READ, scheme: 'world', id: 'anyone' }]);
  await assert.rejects(zk.setData(p + '/r', 'no'), zkit.NoAuthError);
  await assert.rejects(zk.create(p + '/e/child'), zkit.NoChildrenForEphemeralsError);
  await assert.rejects(zk.create(p + '/missing/child'), zkit.NoNodeError);
});

test('setACL, sync, addAuthInfo', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p);
  const stat = await zk.setACL(p, zkit.ACL.READ_ACL_UNSAFE, 0);
  assert.equal(stat.aversion, 1);
  await zk.sync(p);
  await zk.addAuthInfo('digest', Buffer.from('alice:secret'));
  await zk.create(p + '-mine', 'x', zkit.ACL.CREATOR_ALL_ACL, zkit.CreateMode.EPHEMERAL);
  assert.equal((await zk.getACL(p + '-mine')).acl[0].scheme, 'digest');
});

test('transaction commits all ops or none', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  const results = await zk.transaction().create(p, 'v0').create(p + '/q-', null, zkit.CreateMode.PERSISTENT_SEQUENTIAL)
    .setData(p, 'v1', 0).check(p, 1).commit();
  assert.equal(results.length, 4);
  assert.equal(results[0].path, p);
  assert.match(results[1].path, /q-\d{10}$/);
  assert.equal(results[2].stat.version, 1);

  const failing = zk.transaction().create(p + '/new').setData(p, 'v2', 0).remove(p + '/absent').commit();
  await assert.rejects(failing, (e) => {
    assert.ok(e instanceof zkit.BadVersionError);
    assert.equal(e.failedOp, 1);
    assert.deepEqual(e.results.map((r) => r.name), ['ok', 'bad_version', 'runtime_inconsistency']);
    return true;
  });
  assert.equal(await zk.exists(p + '/new'), null);  // nothing applied
  assert.equal((await zk.getData(p)).data.toString(), 'v1');
});

test('null data: create(path) and null store it and read back null; an empty Buffer stays a Buffer', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p);  // as node-zookeeper-client and Java's create(path, null): null data
  assert.strictEqual((await zk.getData(p)).data, null);
  await zk.setData(p, Buffer.alloc(0));
  const empty = (await zk.getData(p)).data;
  assert.ok(Buffer.isBuffer(empty) && empty.length === 0);
  await zk.setData(p, '');
  assert.ok(Buffer.isBuffer((await zk.getData(p)).data));
  await zk.setData(p, null);
  assert.strictEqual((await zk.getData(p)).data, null);
  await zk.create(p + '/e', '');
  await zk.transaction().create(p + '/n', null).setData(p + '/e', null).create(p + '/b', Buffer.alloc(0)).commit();
  const r = await zk.multi([{ op: 'get', path: p + '/n' }, { op: 'get', path: p + '/e' }, { op: 'get', path: p + '/b' }]);
  assert.deepEqual(r.results.map((x) => x.data === null), [true, true, false]);
  await assert.rejects(zk.setData(p, 42), TypeError);
});

test('multi-read answers each op on its own', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p, 'd');
  const r = await zk.multi([{ op: 'get', path: p }, { op: 'getChildren', path: p }, { op: 'get', path: p + '/x' }]);
  assert.equal(r.results[0].data.toString(), 'd');
  assert.deepEqual(r.results[1].children, []);
  assert.equal(r.results[2].name, 'no_node');
});

test('mkdirp creates every missing ancestor and leaves existing ones', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  await zk.create(p, 'keep');
  assert.equal(await zk.mkdirp(p + '/a/b/c', 'leaf'), p + '/a/b/c');
  assert.equal((await zk.getData(p)).data.toString(), 'keep');
  assert.equal((await zk.getData(p + '/a/b/c')).data.toString(), 'leaf');
  assert.equal((await zk.getData(p + '/a')).data, null);  // ancestors: null data, persistent
  assert.equal((await zk.getData(p + '/a/b')).stat.ephemeralOwner, 0n);
  assert.equal(await zk.mkdirp(p + '/a/b/c'), p + '/a/b/c');  // all there: nothing to do
  // The mode is the last level's only: an ephemeral node under new persistent ancestors.
  await zk.mkdirp(p + '/e/f', 'eph', zkit.CreateMode.EPHEMERAL);
  assert.equal((await zk.getData(p + '/e')).stat.ephemeralOwner, 0n);
  assert.equal((await zk.getData(p + '/e/f')).stat.ephemeralOwner, zk.sessionId);
  await assert.rejects(zk.mkdirp('relative/path'), zkit.BadArgumentsError);
});

test('session properties', async (t) => {
  const zk = await client(t, { sessionTimeout: 4000 });
  assert.equal(zk.state, 'connected');
  assert.equal(typeof zk.sessionId, 'bigint');
  assert.notEqual(zk.sessionId, 0n);
  assert.equal(zk.sessionPassword.length, 16);
  assert.equal(zk.sessionTimeout, 4000);
  assert.equal(zk.pendingRequests, 0);
});
