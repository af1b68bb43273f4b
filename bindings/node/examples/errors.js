// docs/node.md, errors: zkit's codes as Error subclasses.
const zkit = require('zkit');

async function main(connectString) {
  const zk = await zkit.connect(connectString);
  try {
    await zk.getData('/no/such/node');
  } catch (e) {
    console.log(e instanceof zkit.NoNodeError, e.code, e.codeName);
  }

  await zk.create('/counter', '0');
  const { data, stat } = await zk.getData('/counter');
  await zk.setData('/counter', String(Number(data) + 1), stat.version);
  try {
    await zk.setData('/counter', 'stale', stat.version);  // someone else wrote: re-read
  } catch (e) {
    if (!(e instanceof zkit.BadVersionError)) throw e;
    console.log('bad_version: re-read and decide again');
  }

  try {
    await zk.create('relative', 'x');  // refused before anything is sent
  } catch (e) {
    console.log(e.name);
  }
  await zk.delete('/counter');
  await zk.close();
}

main(process.argv[2] || '127.0.0.1:2181').catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
