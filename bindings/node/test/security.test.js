'use strict';
// The client's tls and sasl options against the testing kit's TLS server (ssl.clientAuth=need)
// and SASL servers (DIGEST-MD5 users; GSSAPI with an MIT KDC), which zkit-tls-test-server and
// zkit-sasl-test-server (test/tls, test/sasl) start and describe in a ready file.
const test = require('node:test');
const assert = require('node:assert');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function required(name, why) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: ${why} (run it with \`meson test --suite node\`)`);
  return v;
}

const zkit = require(path.resolve(required('ZKIT_NODE', "the build tree's bindings/node")));
const READY_MS = 120000;  // the servers (and the KDC) start within this
// Each suite's bound: a connection that never completes (options not applied) fails, not hangs.
const SUITE = { timeout: 2 * READY_MS };

// Starts `program READY_FILE` and resolves with the KEY=VALUE lines it publishes once serving;
// the server is stopped (SIGTERM to its PID) after the tests.
async function startServer(program) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkit-node-security-'));
  const ready = path.join(dir, 'ready');
  const child = spawn(program, [ready], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  test.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await published(dir, ready, exited, program);
  const values = {};
  for (const line of fs.readFileSync(ready, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

// Resolves once `ready` exists: the server renames the complete file into place, and the
// rename is an event in `dir`. Rejects when the server ends first or takes over READY_MS.
function published(dir, ready, exited, program) {
  return new Promise((resolve, reject) => {
    let timer = null;
    const watcher = fs.watch(dir);
    const settle = (fn, value) => {
      watcher.close();
      clearTimeout(timer);
      fn(value);
    };
    watcher.on('change', () => {
      if (fs.existsSync(ready)) settle(resolve);
    });
    timer = setTimeout(() => settle(reject, new Error(`${program} published nothing within ${READY_MS} ms`)), READY_MS);
    exited.then((status) => settle(reject, new Error(`${program} ended (status ${status}) before it was serving`)));
    if (fs.existsSync(ready)) settle(resolve);  // published before the watch began
  });
}

// A connected client, closed after the test even when it never connected (so that a session
// still trying does not keep the process alive).
async function connected(t, connect, options) {
  const zk = zkit.createClient(connect, options);
  t.after(() => zk.close());
  await zk.connect();
  return zk;
}

function freshPath() {
  return '/s-' + crypto.randomBytes(6).toString('hex');
}

// Creates a node only `scheme:id` may touch, through `owner` (which must be that identity to
// read it back), and checks that each of `others` is refused it.
async function onlyAdmits(owner, scheme, id, others) {
  const p = freshPath();
  await owner.create(p, 'mine', { acl: [{ perms: zkit.Permission.ALL, scheme, id }] });
  assert.strictEqual((await owner.getData(p)).data.toString(), 'mine');
  for (const other of others) await assert.rejects(other.getData(p), zkit.NoAuthError);
}

test.describe('tls', SUITE, async () => {
  const servers = startServer(required('ZKIT_TLS_TEST_SERVER', 'the TLS test server'));

  test.it('mutual TLS from files: create and get over the secure port', async (t) => {
    const s = await servers;
    const zk = await connected(t, s.connect, { tls: { caFile: s.ca, certFile: s.cert, keyFile: s.key } });
    const p = freshPath();
    await zk.create(p, 'over-tls');
    assert.strictEqual((await zk.getData(p)).data.toString(), 'over-tls');
  });

  test.it('mutual TLS from PEM text; the x509 identity is what an x509 ACL admits', async (t) => {
    const s = await servers;
    const tls = { caPem: fs.readFileSync(s.ca, 'utf8'), certPem: fs.readFileSync(s.cert, 'utf8'),
      keyPem: fs.readFileSync(s.key, 'utf8') };
    const zk = await connected(t, s.connect, { tls });
    const plain = await connected(t, s.plain);
    await onlyAdmits(zk, 'x509', s.identity, [plain]);
  });

  test.it('a CA file that is not there is refused at connect, naming it', async () => {
    const s = await servers;
    const missing = path.join(os.tmpdir(), `zkit-no-such-ca-${process.pid}.pem`);
    await assert.rejects(zkit.connect(s.connect, { tls: { caFile: missing, certFile: s.cert, keyFile: s.key } }),
      (e) => e instanceof zkit.BadArgumentsError && e.message.includes(missing));
  });

  test.it('bad option types name the field', async () => {
    const s = await servers;
    await assert.rejects(zkit.connect(s.connect, { tls: { caFile: 7 } }), /tls\.caFile must be a string/);
    await assert.rejects(zkit.connect(s.connect, { tls: { minVersion: 'SSLv3' } }), /tls\.minVersion/);
  });
});

test.describe('sasl', SUITE, async () => {
  const servers = startServer(required('ZKIT_SASL_TEST_SERVER', 'the SASL test server'));

  test.it('DIGEST-MD5: the user is admitted by its sasl ACL, another user and no SASL are not', async (t) => {
    const s = await servers;
    const bob = await connected(t, s.connect, { sasl: { mechanism: 'digest-md5', user: s.user, password: s.password } });
    const carol = await connected(t, s.connect,
      { sasl: { mechanism: 'digest-md5', user: s.other_user, password: s.other_password } });
    const plain = await connected(t, s.connect);
    await onlyAdmits(bob, 'sasl', s.user, [carol, plain]);
  });

  test.it('DIGEST-MD5 with the password in a file', async (t) => {
    const s = await servers;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zkit-node-sasl-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'password');
    fs.writeFileSync(file, `${s.password}\n`, { mode: 0o600 });
    const zk = await connected(t, s.connect, { sasl: { mechanism: 'digest-md5', user: s.user, passwordFile: file } });
    await onlyAdmits(zk, 'sasl', s.user, []);
  });

  test.it('DIGEST-MD5 with a wrong password: connect rejects with AuthFailedError', async () => {
    const s = await servers;
    const client = zkit.createClient(s.connect, { sasl: { mechanism: 'digest-md5', user: s.user, password: 'not-it' } });
    client.on('error', () => {});  // the same failure, also told as an event
    try {
      await assert.rejects(client.connect(), zkit.AuthFailedError);
      assert.strictEqual(client.state, 'auth_failed');
    } finally {
      await client.close();
    }
  });

  test.it('an unknown mechanism names the field', async () => {
    const s = await servers;
    await assert.rejects(zkit.connect(s.connect, { sasl: { mechanism: 'plain' } }), /sasl\.mechanism/);
  });

  test.it('GSSAPI with the client keytab: the principal is admitted by its sasl ACL', async (t) => {
    const s = await servers;
    // Kerberos reads its configuration from the process environment (the kit's KDC).
    process.env.KRB5_CONFIG = s.krb5_conf;
    // A credential cache of this KDC's: the process's default one may hold tickets of another.
    const sasl = { mechanism: 'gssapi', keytab: s.keytab, credentialCache: path.join(s.kdc_dir, 'node.ccache') };
    const zk = await connected(t, s.krb_connect, { sasl });
    const plain = await connected(t, s.krb_connect);
    await onlyAdmits(zk, 'sasl', s.principal, [plain]);
  });
});
