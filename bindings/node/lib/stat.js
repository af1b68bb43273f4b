'use strict';
// The objects replies carry, made by one call from the native half each (a literal here costs
// less than setting each property from C++, and every Stat has the same shape). Field names are
// node-zookeeper-client's; zxids, times and the owner's session id are BigInts.

function makeStat(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren,
  pzxid) {
  return { czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren, pzxid };
}

// getData's answer.
function makeData(data, czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength,
  numChildren, pzxid) {
  const stat = makeStat(czxid, mzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, dataLength, numChildren,
    pzxid);
  return { data, stat };
}

module.exports = { makeStat, makeData };
