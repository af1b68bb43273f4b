// docs/node.md, recipes: a lock with a fencing token, and a leader latch.
const zkit = require('zkit');

async function main(connectString) {
  const zk = await zkit.connect(connectString);

  const lock = zk.mutex('/locks/ledger');
  const token = await lock.withLock(async (t) => {
    // write to the storage with `t`: it refuses tokens lower than the highest it has seen
    return t;
  }, 5000);
  console.log(`held the lock with fencing token ${token > 0n}`);
  await lock.close();

  const latch = zk.leaderLatch('/election/indexer', 'node-7');
  latch.on('lost', () => console.log('no longer leader'));
  await latch.start();
  const term = await latch.awaitLeadership(10000);
  console.log(`leading, term token ${term === latch.token}`);
  await latch.close();

  await zk.close();
}

main(process.argv[2] || '127.0.0.1:2181').catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
