'use strict';
// What every test file needs: the package from the build tree, the server's connect string
// (bindings/c/test/with_cluster starts the server), fresh paths, and expiring a session.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');

function required(name, why) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: ${why} (run the suite with \`meson test --suite node\`)`);
  return v;
}

const zkit = require(required('ZKIT_NODE', 'the build tree\'s bindings/node'));
const connectString = required('ZKIT_TEST_CONNECT', 'with_cluster sets it to the server it started');

function freshPath() {
  return '/t-' + crypto.randomBytes(6).toString('hex');
}

// Connected clients, closed after the test: `const zk = await client(t)`.
async function client(t, options) {
  const zk = await zkit.connect(connectString, options);
  t.after(() => zk.close());
  return zk;
}

// Expires zk's session now, as a long partition would (the testing kit's session killer).
function expire(zk) {
  execFileSync(required('ZKIT_TEST_EXPIRER', 'the session killer, expire_session'),
    [connectString, BigInt.asUintN(64, zk.sessionId).toString(16), zk.sessionPassword.toString('hex')],
    { stdio: 'inherit' });
}

// Resolves with the arguments of `emitter`'s next `event`, rejects after `ms`.
function next(emitter, event, ms = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${ms} ms`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

// A one-shot watcher that records its events and resolves `fired` on the first.
function recorder() {
  const events = [];
  let resolveFired;
  const fired = new Promise((r) => { resolveFired = r; });
  const watcher = (e) => {
    events.push(e);
    resolveFired(e);
  };
  return { events, fired, watcher };
}

module.exports = { zkit, connectString, freshPath, client, expire, next, recorder };
