// Golden frames captured from a live ZooKeeper 3.8.0 server (Debian 12 package
// zookeeper 3.8.0-11+deb12u2, standalone, started with zk-test-server.sh) by
// test/proto/capture_golden.py, which speaks the protocol over a raw socket. Each
// literal is one whole frame as it crossed the wire, length prefix included, in hex.
// Client frames were written by that script and accepted by the server; server
// frames are the server's own bytes. Do not edit: re-capture instead.
#pragma once

#include <string_view>

namespace golden {

// client -> server: {'protocolVersion': 0, 'lastZxidSeen': 0, 'timeOut': 30000, 'sessionId': 0,
// 'passwd': '00000000000000000000000000000000', 'readOnly': False}
inline constexpr std::string_view kConnectRequest =
    "0000002d00000000000000000000000000007530000000000000000000000010000000000000000000000000"
    "0000000000";

// server -> client: {'protocolVersion': 0, 'timeOut': 30000, 'sessionId': 72057625383796736,
// 'passwd': 'e6030b7a7b7eceb43428f36cbc1e3997', 'readOnly': False}
inline constexpr std::string_view kConnectResponse =
    "000000250000000000007530010000074c5c000000000010e6030b7a7b7eceb43428f36cbc1e399700";

// client -> server: {'xid': -4, 'op': 100, 'type': 0, 'scheme': 'digest', 'auth':
// 'alice:secret'}
inline constexpr std::string_view kAuthRequest =
    "00000026fffffffc0000006400000000000000066469676573740000000c616c6963653a736563726574";

// server -> client: {'xid': -4, 'zxid': 0, 'err': 0}
inline constexpr std::string_view kAuthReply =
    "00000010fffffffc000000000000000000000000";

// client -> server: {'xid': 1, 'op': 1, 'path': '/zkit-golden', 'data': 'hello', 'acl':
// '[(31,world,anyone)]', 'flags': 0}
inline constexpr std::string_view kCreateRequest =
    "0000004000000001000000010000000c2f7a6b69742d676f6c64656e0000000568656c6c6f00000001000000"
    "1f00000005776f726c6400000006616e796f6e6500000000";

// server -> client: {'xid': 1, 'zxid': 2, 'err': 0, 'path': '/zkit-golden'}
inline constexpr std::string_view kCreateReply =
    "00000020000000010000000000000002000000000000000c2f7a6b69742d676f6c64656e";

// client -> server: {'xid': 2, 'op': 15, 'path': '/zkit-golden/child', 'data': 'v1', 'acl':
// "[(1, 'world', 'anyone'), (31, 'digest', 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=')]", 'flags': 0}
inline constexpr std::string_view kCreate2Request =
    "00000077000000020000000f000000122f7a6b69742d676f6c64656e2f6368696c6400000002763100000002"
    "0000000100000005776f726c6400000006616e796f6e650000001f0000000664696765737400000022616c69"
    "63653a6159586c4c4f70456f6f61563163524176554c31667039517437453d00000000";

// server -> client: {'xid': 2, 'zxid': 3, 'err': 0, 'path': '/zkit-golden/child', 'stat':
// {'czxid': 3, 'mzxid': 3, 'ctime': 1795594260292, 'mtime': 1795594260292, 'version': 0,
// 'cversion': 0, 'aversion': 0, 'ephemeralOwner': 0, 'dataLength': 2, 'numChildren': 0, 'pzxid':
// 3}}
inline constexpr std::string_view kCreate2Reply =
    "0000006a00000002000000000000000300000000000000122f7a6b69742d676f6c64656e2f6368696c640000"
    "0000000000030000000000000003000001a211c20f44000001a211c20f440000000000000000000000000000"
    "00000000000000000002000000000000000000000003";

// client -> server: {'xid': 3, 'op': 1, 'path': '/zkit-golden/e-', 'data': '', 'acl':
// '[(31,world,anyone)]', 'flags': 3}
inline constexpr std::string_view kCreateSeqRequest =
    "0000003e00000003000000010000000f2f7a6b69742d676f6c64656e2f652d00000000000000010000001f00"
    "000005776f726c6400000006616e796f6e6500000003";

// server -> client: {'xid': 3, 'zxid': 4, 'err': 0, 'path': '/zkit-golden/e-0000000001'}
inline constexpr std::string_view kCreateSeqReply =
    "0000002d00000003000000000000000400000000000000192f7a6b69742d676f6c64656e2f652d3030303030"
    "3030303031";

// client -> server: {'xid': 4, 'op': 1, 'path': '/zkit-golden/null', 'data': None, 'acl':
// '[(31,world,anyone)]', 'flags': 0}
inline constexpr std::string_view kCreateNullRequest =
    "000000400000000400000001000000112f7a6b69742d676f6c64656e2f6e756c6cffffffff00000001000000"
    "1f00000005776f726c6400000006616e796f6e6500000000";

// server -> client: {'xid': 4, 'zxid': 5, 'err': 0, 'path': '/zkit-golden/null'}
inline constexpr std::string_view kCreateNullReply =
    "0000002500000004000000000000000500000000000000112f7a6b69742d676f6c64656e2f6e756c6c";

// client -> server: {'xid': 5, 'op': 4, 'path': '/zkit-golden/child', 'watch': True}
inline constexpr std::string_view kGetDataRequest =
    "0000001f0000000500000004000000122f7a6b69742d676f6c64656e2f6368696c6401";

// server -> client: {'xid': 5, 'zxid': 5, 'err': 0, 'data': b'v1', 'stat': {'czxid': 3, 'mzxid':
// 3, 'ctime': 1795594260292, 'mtime': 1795594260292, 'version': 0, 'cversion': 0, 'aversion': 0,
// 'ephemeralOwner': 0, 'dataLength': 2, 'numChildren': 0, 'pzxid': 3}}
inline constexpr std::string_view kGetDataReply =
    "0000005a00000005000000000000000500000000000000027631000000000000000300000000000000030000"
    "01a211c20f44000001a211c20f44000000000000000000000000000000000000000000000002000000000000"
    "000000000003";

// client -> server: {'xid': 6, 'op': 4, 'path': '/zkit-golden/null', 'watch': False}
inline constexpr std::string_view kGetDataNullRequest =
    "0000001e0000000600000004000000112f7a6b69742d676f6c64656e2f6e756c6c00";

// server -> client: {'xid': 6, 'zxid': 5, 'err': 0, 'data': None, 'stat': {'czxid': 5, 'mzxid':
// 5, 'ctime': 1795594260299, 'mtime': 1795594260299, 'version': 0, 'cversion': 0, 'aversion': 0,
// 'ephemeralOwner': 0, 'dataLength': 0, 'numChildren': 0, 'pzxid': 5}}
inline constexpr std::string_view kGetDataNullReply =
    "0000005800000006000000000000000500000000ffffffff00000000000000050000000000000005000001a2"
    "11c20f4b000001a211c20f4b0000000000000000000000000000000000000000000000000000000000000000"
    "00000005";

// client -> server: {'xid': 7, 'op': 5, 'path': '/zkit-golden/child', 'data': 'v2', 'version':
// 0}
inline constexpr std::string_view kSetDataRequest =
    "000000280000000700000005000000122f7a6b69742d676f6c64656e2f6368696c6400000002763200000000";

// server -> client: {'xid': -1, 'zxid': -1, 'err': 0, 'type': 3, 'state': 3, 'path': '/zkit-
// golden/child'}
inline constexpr std::string_view kSetDataNotification =
    "0000002effffffffffffffffffffffff000000000000000300000003000000122f7a6b69742d676f6c64656e"
    "2f6368696c64";

// server -> client: {'xid': 7, 'zxid': 6, 'err': 0, 'stat': {'czxid': 3, 'mzxid': 6, 'ctime':
// 1795594260292, 'mtime': 1795594260306, 'version': 1, 'cversion': 0, 'aversion': 0,
// 'ephemeralOwner': 0, 'dataLength': 2, 'numChildren': 0, 'pzxid': 3}}
inline constexpr std::string_view kSetDataReply =
    "000000540000000700000000000000060000000000000000000000030000000000000006000001a211c20f44"
    "000001a211c20f52000000010000000000000000000000000000000000000002000000000000000000000003";

// client -> server: {'xid': 8, 'op': 3, 'path': '/zkit-golden/child', 'watch': False}
inline constexpr std::string_view kExistsRequest =
    "0000001f0000000800000003000000122f7a6b69742d676f6c64656e2f6368696c6400";

// server -> client: {'xid': 8, 'zxid': 6, 'err': 0, 'stat': {'czxid': 3, 'mzxid': 6, 'ctime':
// 1795594260292, 'mtime': 1795594260306, 'version': 1, 'cversion': 0, 'aversion': 0,
// 'ephemeralOwner': 0, 'dataLength': 2, 'numChildren': 0, 'pzxid': 3}}
inline constexpr std::string_view kExistsReply =
    "000000540000000800000000000000060000000000000000000000030000000000000006000001a211c20f44"
    "000001a211c20f52000000010000000000000000000000000000000000000002000000000000000000000003";

// client -> server: {'xid': 9, 'op': 3, 'path': '/zkit-golden/missing', 'watch': True}
inline constexpr std::string_view kExistsMissingRequest =
    "000000210000000900000003000000142f7a6b69742d676f6c64656e2f6d697373696e6701";

// server -> client: {'xid': 9, 'zxid': 6, 'err': -101}
inline constexpr std::string_view kExistsMissingReply =
    "00000010000000090000000000000006ffffff9b";

// client -> server: {'xid': 10, 'op': 8, 'path': '/zkit-golden', 'watch': False}
inline constexpr std::string_view kGetChildrenRequest =
    "000000190000000a000000080000000c2f7a6b69742d676f6c64656e00";

// server -> client: {'xid': 10, 'zxid': 6, 'err': 0, 'children': ['e-0000000001', 'null',
// 'child']}
inline constexpr std::string_view kGetChildrenReply =
    "000000350000000a000000000000000600000000000000030000000c652d3030303030303030303100000004"
    "6e756c6c000000056368696c64";

// client -> server: {'xid': 11, 'op': 12, 'path': '/zkit-golden', 'watch': True}
inline constexpr std::string_view kGetChildren2Request =
    "000000190000000b0000000c0000000c2f7a6b69742d676f6c64656e01";

// server -> client: {'xid': 11, 'zxid': 6, 'err': 0, 'children': ['e-0000000001', 'null',
// 'child'], 'stat': {'czxid': 2, 'mzxid': 2, 'ctime': 1795594260280, 'mtime': 1795594260280,
// 'version': 0, 'cversion': 3, 'aversion': 0, 'ephemeralOwner': 0, 'dataLength': 5,
// 'numChildren': 3, 'pzxid': 5}}
inline constexpr std::string_view kGetChildren2Reply =
    "000000790000000b000000000000000600000000000000030000000c652d3030303030303030303100000004"
    "6e756c6c000000056368696c6400000000000000020000000000000002000001a211c20f38000001a211c20f"
    "38000000000000000300000000000000000000000000000005000000030000000000000005";

// client -> server: {'xid': 12, 'op': 7, 'path': '/zkit-golden', 'acl': "[(31, 'digest',
// 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E='), (1, 'world', 'anyone')]", 'version': 0}
inline constexpr std::string_view kSetAclRequest =
    "0000006b0000000c000000070000000c2f7a6b69742d676f6c64656e000000020000001f0000000664696765"
    "737400000022616c6963653a6159586c4c4f70456f6f61563163524176554c31667039517437453d00000001"
    "00000005776f726c6400000006616e796f6e6500000000";

// server -> client: {'xid': 12, 'zxid': 7, 'err': 0, 'stat': {'czxid': 2, 'mzxid': 2, 'ctime':
// 1795594260280, 'mtime': 1795594260280, 'version': 0, 'cversion': 3, 'aversion': 1,
// 'ephemeralOwner': 0, 'dataLength': 5, 'numChildren': 3, 'pzxid': 5}}
inline constexpr std::string_view kSetAclReply =
    "000000540000000c00000000000000070000000000000000000000020000000000000002000001a211c20f38"
    "000001a211c20f38000000000000000300000001000000000000000000000005000000030000000000000005";

// client -> server: {'xid': 13, 'op': 6, 'path': '/zkit-golden'}
inline constexpr std::string_view kGetAclRequest =
    "000000180000000d000000060000000c2f7a6b69742d676f6c64656e";

// server -> client: {'xid': 13, 'zxid': 7, 'err': 0, 'acl': [(31, 'digest',
// 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E='), (1, 'world', 'anyone')], 'stat': {'czxid': 2, 'mzxid':
// 2, 'ctime': 1795594260280, 'mtime': 1795594260280, 'version': 0, 'cversion': 3, 'aversion': 1,
// 'ephemeralOwner': 0, 'dataLength': 5, 'numChildren': 3, 'pzxid': 5}}
inline constexpr std::string_view kGetAclReply =
    "000000a30000000d000000000000000700000000000000020000001f0000000664696765737400000022616c"
    "6963653a6159586c4c4f70456f6f61563163524176554c31667039517437453d0000000100000005776f726c"
    "6400000006616e796f6e6500000000000000020000000000000002000001a211c20f38000001a211c20f3800"
    "0000000000000300000001000000000000000000000005000000030000000000000005";

// client -> server: {'xid': 14, 'op': 9, 'path': '/zkit-golden'}
inline constexpr std::string_view kSyncRequest =
    "000000180000000e000000090000000c2f7a6b69742d676f6c64656e";

// server -> client: {'xid': 14, 'zxid': 7, 'err': 0, 'path': '/zkit-golden'}
inline constexpr std::string_view kSyncReply =
    "000000200000000e0000000000000007000000000000000c2f7a6b69742d676f6c64656e";

// client -> server: {'xid': -2, 'op': 11}
inline constexpr std::string_view kPingRequest =
    "00000008fffffffe0000000b";

// server -> client: {'xid': -2, 'zxid': 7, 'err': 0}
inline constexpr std::string_view kPingReply =
    "00000010fffffffe000000000000000700000000";

// client -> server: {'protocolVersion': 0, 'lastZxidSeen': 7, 'timeOut': 30000, 'sessionId':
// 72057625383796736, 'passwd': 'e6030b7a7b7eceb43428f36cbc1e3997', 'readOnly': False}
inline constexpr std::string_view kReconnectRequest =
    "0000002d00000000000000000000000700007530010000074c5c000000000010e6030b7a7b7eceb43428f36c"
    "bc1e399700";

// server -> client: {'protocolVersion': 0, 'timeOut': 30000, 'sessionId': 72057625383796736,
// 'passwd': 'e6030b7a7b7eceb43428f36cbc1e3997', 'readOnly': False}
inline constexpr std::string_view kReconnectResponse =
    "000000250000000000007530010000074c5c000000000010e6030b7a7b7eceb43428f36cbc1e399700";

// client -> server: {'xid': -4, 'op': 100, 'type': 0, 'scheme': 'digest', 'auth':
// 'alice:secret'}
inline constexpr std::string_view kReauthRequest =
    "00000026fffffffc0000006400000000000000066469676573740000000c616c6963653a736563726574";

// server -> client: {'xid': -4, 'zxid': 0, 'err': 0}
inline constexpr std::string_view kReauthReply =
    "00000010fffffffc000000000000000000000000";

// client -> server: {'xid': -8, 'op': 101, 'relativeZxid': 7, 'data': ['/zkit-golden/gone'],
// 'exist': ['/zkit-golden/missing'], 'child': ['/zkit-golden']}
inline constexpr std::string_view kSetWatchesRequest =
    "00000059fffffff800000065000000000000000700000001000000112f7a6b69742d676f6c64656e2f676f6e"
    "6500000001000000142f7a6b69742d676f6c64656e2f6d697373696e67000000010000000c2f7a6b69742d67"
    "6f6c64656e";

// server -> client: {'xid': -1, 'zxid': -1, 'err': 0, 'type': 2, 'state': 3, 'path': '/zkit-
// golden/gone'}
inline constexpr std::string_view kSetWatchesNotification =
    "0000002dffffffffffffffffffffffff000000000000000200000003000000112f7a6b69742d676f6c64656e"
    "2f676f6e65";

// server -> client: {'xid': -8, 'zxid': 7, 'err': 0}
inline constexpr std::string_view kSetWatchesReply =
    "00000010fffffff8000000000000000700000000";

// client -> server: {'xid': -8, 'op': 105, 'relativeZxid': 7, 'persistent': ['/zkit-golden'],
// 'persistentRecursive': ['/zkit-golden/child']}
inline constexpr std::string_view kSetWatches2Request =
    "0000004afffffff8000000690000000000000007000000000000000000000000000000010000000c2f7a6b69"
    "742d676f6c64656e00000001000000122f7a6b69742d676f6c64656e2f6368696c64";

// server -> client: {'xid': -8, 'zxid': 7, 'err': 0}
inline constexpr std::string_view kSetWatches2Reply =
    "00000010fffffff8000000000000000700000000";

// client -> server: {'xid': 15, 'op': 2, 'path': '/zkit-golden/child', 'version': 1}
inline constexpr std::string_view kDeleteRequest =
    "000000220000000f00000002000000122f7a6b69742d676f6c64656e2f6368696c6400000001";

// server -> client: {'xid': -1, 'zxid': -1, 'err': 0, 'type': 2, 'state': 3, 'path': '/zkit-
// golden/child'}
inline constexpr std::string_view kDeleteNotification =
    "0000002effffffffffffffffffffffff000000000000000200000003000000122f7a6b69742d676f6c64656e"
    "2f6368696c64";

// server -> client: {'xid': -1, 'zxid': -1, 'err': 0, 'type': 4, 'state': 3, 'path': '/zkit-
// golden'}
inline constexpr std::string_view kDeleteNotification2 =
    "00000028ffffffffffffffffffffffff0000000000000004000000030000000c2f7a6b69742d676f6c64656e";

// server -> client: {'xid': 15, 'zxid': 8, 'err': 0}
inline constexpr std::string_view kDeleteReply =
    "000000100000000f000000000000000800000000";

// client -> server: {'xid': 16, 'op': 2, 'path': '/zkit-golden/child', 'version': -1}
inline constexpr std::string_view kDeleteMissingRequest =
    "000000220000001000000002000000122f7a6b69742d676f6c64656e2f6368696c64ffffffff";

// server -> client: {'xid': 16, 'zxid': 9, 'err': -101}
inline constexpr std::string_view kDeleteMissingReply =
    "00000010000000100000000000000009ffffff9b";

// client -> server: {'xid': 17, 'op': -11}
inline constexpr std::string_view kCloseSessionRequest =
    "0000000800000011fffffff5";

// server -> client: {'xid': -1, 'zxid': -1, 'err': 0, 'type': 4, 'state': 3, 'path': '/zkit-
// golden'}
inline constexpr std::string_view kCloseSessionNotification =
    "00000028ffffffffffffffffffffffff0000000000000004000000030000000c2f7a6b69742d676f6c64656e";

// server -> client: {'xid': 17, 'zxid': 10, 'err': 0}
inline constexpr std::string_view kCloseSessionReply =
    "0000001000000011000000000000000a00000000";

}  // namespace golden
