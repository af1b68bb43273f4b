// docs/node.md, watches: a recursive persistent watch read as an async iterator.
const zkit = require('zkit');

async function main(connectString) {
  const zk = await zkit.connect(connectString);
  await zk.mkdirp('/services/web');

  const watch = await zk.watch('/services', { mode: 'recursive' });
  const seen = (async () => {
    for await (const event of watch) {
      console.log(`${event.name} ${event.path}`);
      if (event.type === zkit.Event.NODE_DELETED && event.path === '/services/web/node-1') break;
    }
  })();

  await zk.create('/services/web/node-1', '10.0.0.1:80', zkit.CreateMode.EPHEMERAL);
  await zk.setData('/services/web/node-1', '10.0.0.1:8080');
  await zk.delete('/services/web/node-1');
  await seen;  // leaving the loop removed the watch

  await zk.delete('/services/web');
  await zk.delete('/services');
  await zk.close();
}

main(process.argv[2] || '127.0.0.1:2181').catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
