// A typed program over lib/index.d.ts: the node_types test compiles it with tsc --strict, so a
// declaration that does not match what the tests use fails there.
import * as zkit from 'zkit';

// The security options as a production service spells them.
const secured: zkit.ClientOptions = {
  tls: { caFile: '/etc/zk/ca.pem', certFile: '/etc/zk/client.crt', keyFile: '/etc/zk/client.key',
    serverName: 'zk1.example.com', minVersion: 'TLSv1.2' },
  sasl: { mechanism: 'digest-md5', user: 'bob', passwordFile: '/etc/zk/bob.password' },
};
const kerberos: zkit.SaslOptions = { mechanism: 'gssapi', keytab: '/etc/zk/svc.keytab', credentialCache: '/run/svc/ccache' };

async function main(connectString: string): Promise<bigint> {
  const zk: zkit.Client = await zkit.connect(connectString, { sessionTimeout: 5000 });
  zk.on('expired', () => console.log('expired'));
  zk.on('state', (s: zkit.SessionState) => console.log(s));
  zk.on('error', (e: zkit.ZkitError) => console.log(e.codeName));
  const path: string = await zk.create('/typed', Buffer.from('v1'), zkit.CreateMode.EPHEMERAL);
  await zk.create('/typed-acl', null, zkit.ACL.OPEN_ACL_UNSAFE, zkit.CreateMode.PERSISTENT);
  await zk.create('/typed-opts', 'x', { mode: zkit.CreateMode.PERSISTENT_WITH_TTL, ttl: 1000 });
  const { data, stat } = await zk.getData(path, (e: zkit.Event) => console.log(e.name, e.path));
  const v: number = stat.version;
  const czxid: bigint = stat.czxid;
  const text: string = data === null ? '' : data.toString('utf8');  // null: the node holds null data
  const s2: zkit.Stat = await zk.setData(path, text + '!', v);
  const maybe: zkit.Stat | null = await zk.exists('/nope');
  const { children } = await zk.getChildren('/');
  children.forEach((c: string) => c.length);
  await zk.transaction().create('/t', 'a').setData('/t', 'b', 0).check('/t').remove('/t').commit();
  const multi: zkit.MultiResult = await zk.multi([{ op: 'get', path }, { op: 'getChildren', path: '/' }]);
  multi.results.forEach((r: zkit.OpResult) => r.data?.length);
  await zk.mkdirp('/a/b/c');
  const watch: zkit.PersistentWatch = await zk.watch('/a', { mode: 'recursive' });
  for await (const e of watch) {
    if (e.final || e.type === zkit.Event.NODE_DELETED) break;
  }
  const w2 = await zk.addWatch('/a', 'persistent', (e) => e.getPath());
  w2.remove();
  try {
    await zk.delete('/a');
  } catch (e) {
    if (e instanceof zkit.NotEmptyError) console.log(e.code, e.codeName);
    else throw e;
  }
  const mutex: zkit.Mutex = zk.mutex('/locks/x');
  const token: bigint = await mutex.acquire(5000);
  await mutex.release();
  const fromLock: number = await mutex.withLock(async (t: bigint) => Number(t), 1000);
  await mutex.close();
  const latch: zkit.LeaderLatch = zk.leaderLatch('/election', 'me');
  latch.on('lost', () => console.log('lost'));
  await latch.start();
  const term: bigint = await latch.awaitLeadership(1000);
  await latch.close();
  const barrier: zkit.DoubleBarrier = zk.doubleBarrier('/rounds/1', 2);
  await barrier.enter(1000);
  await barrier.leave();
  await zk.close();
  console.log(s2.version, maybe, czxid, fromLock, term);
  return token;
}

main(process.argv[2] ?? '127.0.0.1:2181').catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
