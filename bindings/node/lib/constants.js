'use strict';
// Numbers shared with the C++ API (sdk/include/zkit/types.hpp).

const CreateMode = Object.freeze({
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
});

const WatcherKind = Object.freeze({ CHILDREN: 1, DATA: 2, ANY: 3 });

const Permission = Object.freeze({ READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 });

// ZooDefs.Ids
const ACL = Object.freeze({
  OPEN_ACL_UNSAFE: Object.freeze([{ perms: 31, scheme: 'world', id: 'anyone' }]),
  CREATOR_ALL_ACL: Object.freeze([{ perms: 31, scheme: 'auth', id: '' }]),
  READ_ACL_UNSAFE: Object.freeze([{ perms: 1, scheme: 'world', id: 'anyone' }]),
});

module.exports = { CreateMode, WatcherKind, Permission, ACL };
