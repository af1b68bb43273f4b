// The first program of docs/node.md: node first.js 127.0.0.1:2181
const zkit = require('zkit');

async function main(connectString) {
  const zk = zkit.createClient(connectString);
  zk.on('expired', () => console.log('session expired: make a new client'));
  await zk.connect();

  try {
    await zk.create('/hello', Buffer.from('world'));
  } catch (e) {
    if (!(e instanceof zkit.NodeExistsError)) throw e;
  }
  let changed;
  const fired = new Promise((resolve) => { changed = resolve; });
  const { data, stat } = await zk.getData('/hello', (event) => changed(event));
  console.log(`/hello = ${data} version ${stat.version}`);

  await zk.setData('/hello', 'again', stat.version);
  const event = await fired;
  console.log(`watch: ${event.name} ${event.path}`);

  await zk.delete('/hello');
  await zk.close();  // node exits once the client is closed
}

main(process.argv[2] || '127.0.0.1:2181').catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
