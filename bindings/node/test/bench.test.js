'use strict';
// bench/node_w1_w2.js at tiny sizes, both clients, so the harness cannot rot. Its figures are
// only looked at for their shape: speed is read from full runs, never asserted.
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { connectString, freshPath } = require('./helpers');

for (const client of ['zkit', 'nzc']) {
  test(`node_w1_w2.js runs W1 and W2 through ${client}`, () => {
    const r = spawnSync(process.execPath, [process.env.ZKIT_NODE_BENCH, client, connectString, freshPath(), '50', '10'],
      { encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.client, client);
    for (const kind of ['create', 'get', 'set', 'delete']) {
      assert.equal(out.w1[kind].ops, 50);
      assert.ok(out.w1[kind].ops_per_s > 0 && out.w1[kind].cpu_us_per_op > 0);
    }
    assert.equal(out.w2.gets, 10);
    assert.ok(out.w2.p50_us > 0 && out.w2.p99_us >= out.w2.p50_us);
  });
}
