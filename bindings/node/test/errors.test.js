'use strict';
// Errors: zkit's names and codes as Error subclasses; bad input refused before anything is
// sent; close failing every pending request exactly once.
const test = require('node:test');
const assert = require('node:assert/strict');
const { zkit, connectString, freshPath, client } = require('./helpers');

test('error classes carry the codes of sdk/include/zkit/error.hpp', async (t) => {
  const zk = await client(t);
  const err = await zk.getData(freshPath()).catch((e) => e);
  assert.ok(err instanceof zkit.NoNodeError);
  assert.ok(err instanceof zkit.ZkitError);
  assert.ok(err instanceof Error);
  assert.equal(err.code, -101);
  assert.equal(err.getCode(), -101);
  assert.equal(err.codeName, 'no_node');
  assert.equal(err.name, 'NoNodeError');
  assert.match(err.message, /no_node/);
  const expected = { connection_loss: -4, bad_arguments: -8, node_exists: -110, session_expired: -112,
    closing: -116, request_timeout: -122, throttled_op: -127, marshalling_error: -5 };
  for (const [name, code] of Object.entries(expected)) assert.equal(zkit.errorCodes[name], code);
  assert.equal(zkit.MarshallingError.name, 'MarshallingError');
});

test('bad input is refused before anything is sent', async (t) => {
  const zk = await client(t);
  const p = freshPath();
  for (const bad of ['no-slash', p + '/', p + '//x', p + '/./x']) {
    const e = await zk.create(bad, 'x').catch((x) => x);
    assert.ok(e instanceof zkit.BadArgumentsError, `${bad}: ${e}`);
  }
  await assert.rejects(zk.create(p, 12), TypeError);
  await assert.rejects(zk.setData(p, 'x', 1.5), RangeError);
  await assert.rejects(zk.create(p, null, 99), RangeError);
  await assert.rejects(zk.create(p, Buffer.alloc(2 * 1024 * 1024)), zkit.BadArgumentsError);
  assert.equal(zk.pendingRequests, 0);
  assert.equal(await zk.exists(p), null);  // none of them made the node
  await assert.rejects(zkit.connect('127.0.0.1:notaport'), zkit.BadArgumentsError);
});

test('close fails every pending request exactly once, with ClosingError', async () => {
  const zk = await zkit.connect(connectString);
  const p = freshPath();
  const settled = [];
  const pending = [];
  for (let i = 0; i < 200; ++i) {
    pending.push(zk.getData(p).then(() => settled.push('value'), (e) => settled.push(e.codeName)));
  }
  const closed = zk.close();
  const late = zk.getData(p).catch((e) => e);
  await closed;
  await Promise.all(pending);
  assert.equal(settled.length, 200);
  for (const s of settled) assert.ok(s === 'no_node' || s === 'closing', s);
  assert.ok((await late) instanceof zkit.ClosingError);
  assert.equal(zk.state, 'closed');
});

test('requests made while connecting fail with ClosingError when closed first', async () => {
  const zk = zkit.createClient(connectString);
  const connected = zk.connect().catch((e) => e);
  const p = freshPath();
  const outcomes = await Promise.all([
    ...Array.from({ length: 50 }, () => zk.create(p, 'x').then(() => 'created', (e) => e.codeName)),
    zk.close().then(() => 'closed'),
  ]);
  assert.equal(outcomes.pop(), 'closed');
  assert.deepEqual(new Set(outcomes), new Set(['closing']));
  assert.ok((await connected) instanceof zkit.ClosingError);
});
