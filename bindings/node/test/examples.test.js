'use strict';
// The examples of docs/node.md run as they are (require('zkit') finds the build tree's
// package through NODE_PATH), and the page shows them as they are.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { connectString } = require('./helpers');

const examples = process.env.ZKIT_NODE_EXAMPLES;
const docs = path.join(examples, '..', '..', '..', 'docs', 'node.md');
const modules = fs.mkdtempSync(path.join(os.tmpdir(), 'zkit-node-'));
fs.symlinkSync(process.env.ZKIT_NODE, path.join(modules, 'zkit'));
test.after(() => fs.rmSync(modules, { recursive: true, force: true }));

function run(name) {
  const r = spawnSync(process.execPath, [path.join(examples, name), connectString],
    { encoding: 'utf8', timeout: 60000, env: { ...process.env, NODE_PATH: modules } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('first.js', () => {
  assert.equal(run('first.js'), '/hello = world version 0\nwatch: NODE_DATA_CHANGED /hello\n');
});

test('watches.js', () => {
  assert.equal(run('watches.js'), ['NODE_CREATED /services/web/node-1', 'NODE_DATA_CHANGED /services/web/node-1',
    'NODE_DELETED /services/web/node-1', ''].join('\n'));
});

test('recipes.js', () => {
  assert.equal(run('recipes.js'), 'held the lock with fencing token true\nleading, term token true\n');
});

test('errors.js', () => {
  assert.equal(run('errors.js'), 'true -101 no_node\nbad_version: re-read and decide again\nBadArgumentsError\n');
});

test('docs/node.md shows each example as it is', () => {
  const page = fs.readFileSync(docs, 'utf8');
  for (const name of ['first.js', 'watches.js', 'recipes.js', 'errors.js']) {
    const source = fs.readFileSync(path.join(examples, name), 'utf8');
    assert.ok(page.includes('```js\n' + source + '```\n'), `docs/node.md does not show examples/${name} as it is`);
  }
});
