// Golden frames captured from a live ZooKeeper 3.8.0 server (Debian 12 package
// zookeeper 3.8.0-11+deb12u2, standalone; the reconfig_* frames from a 3-member
// ensemble; both started with zk-test-server.sh) by test/proto/capture_golden.py,
// which speaks the protocol over a raw socket. Each literal is one whole frame as
// it crossed the wire, length prefix included, in hex.
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

// server -> client: {'protocolVersion': 0, 'timeOut': 30000, 'sessionId': 72057829091966976,
// 'passwd': '024fd47367a1ce6eb00ef29788a924eb', 'readOnly': False}
inline constexpr std::string_view kConnectResponse =
    "00000025000000000000753001000036ba50000000000010024fd47367a1ce6eb00ef29788a924eb00";

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
// {'czxid': 3, 'mzxid': 3, 'ctime': 1795597372092, 'mtime': 1795597372092, 'version': 0,
// 'cversion': 0, 'aversion': 0, 'ephemeralOwner': 0, 'dataLength': 2, 'numChildren': 0, 'pzxid':
// 3}}
inline constexpr std::string_view kCreate2Reply =
    "0000006a00000002000000000000000300000000000000122f7a6b69742d676f6c64656e2f6368696c640000"
    "0000000000030000000000000003000001a211f18abc000001a211f18abc0000000000000000000000000000"
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
// 3, 'ctime': 1795597372092, 'mtime': 1795597372092, 'version': 0, 'cversion': 0, 'aversion': 0,
// 'ephemeralOwner': 0, 'dataLength': 2, 'numChildren': 0, 'pzxid': 3}}
inline constexpr std::string_view kGetDataReply =
    "0000005a00000005000000000000000500000000000000027631000000000000000300000000000000030000"
    "01a211f18abc000001a211f18abc000000000000000000000000000000000000000000000002000000000000"
    "000000000003";

// client -> server: {'xid': 6, 'op': 4, 'path': '/zkit-golden/null', 'watch': False}
inline constexpr std::string_view kGetDataNullRequest =
    "0000001e0000000600000004000000112f7a6b69742d676f6c64656e2f6e756c6c00";

// server -> client: {'xid': 6, 'zxid': 5, 'err': 0, 'data': None, 'stat': {'czxid': 5, 'mzxid':
// 5, 'ctime': 1795597372097, 'mtime': 1795597372097, 'version': 0, 'cversion': 0, 'aversion': 0,
// 'ephemeralOwner': 0, 'dataLength': 0, 'numChildren': 0, 'pzxid': 5}}
inline constexpr std::string_view kGetDataNullReply =
    "0000005800000006000000000000000500000000ffffffff00000000000000050000000000000005000001a2"
    "11f18ac1000001a211f18ac10000000000000000000000000000000000000000000000000000000000000000"
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
// 1795597372092, 'mtime': 1795597372104, 'version': 1, 'cversion': 0, 'aversion': 0,
// 'ephemeralOwner': 0, 'dataLength': 2, 'numChildren': 0, 'pzxid': 3}}
inline constexpr std::string_view kSetDataReply =
    "000000540000000700000000000000060000000000000000000000030000000000000006000001a211f18abc"
    "000001a211f18ac8000000010000000000000000000000000000000000000002000000000000000000000003";

// client -> server: {'xid': 8, 'op': 3, 'path': '/zkit-golden/child', 'watch': False}
inline constexpr std::string_view kExistsRequest =
    "0000001f0000000800000003000000122f7a6b69742d676f6c64656e2f6368696c6400";

// server -> client: {'xid': 8, 'zxid': 6, 'err': 0, 'stat': {'czxid': 3, 'mzxid': 6, 'ctime':
// 1795597372092, 'mtime': 1795597372104, 'version': 1, 'cversion': 0, 'aversion': 0,
// 'ephemeralOwner': 0, 'dataLength': 2, 'numChildren': 0, 'pzxid': 3}}
inline constexpr std::string_view kExistsReply =
    "000000540000000800000000000000060000000000000000000000030000000000000006000001a211f18abc"
    "000001a211f18ac8000000010000000000000000000000000000000000000002000000000000000000000003";

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
// 'child'], 'stat': {'czxid': 2, 'mzxid': 2, 'ctime': 1795597372077, 'mtime': 1795597372077,
// 'version': 0, 'cversion': 3, 'aversion': 0, 'ephemeralOwner': 0, 'dataLength': 5,
// 'numChildren': 3, 'pzxid': 5}}
inline constexpr std::string_view kGetChildren2Reply =
    "000000790000000b000000000000000600000000000000030000000c652d3030303030303030303100000004"
    "6e756c6c000000056368696c6400000000000000020000000000000002000001a211f18aad000001a211f18a"
    "ad000000000000000300000000000000000000000000000005000000030000000000000005";

// client -> server: {'xid': 12, 'op': 7, 'path': '/zkit-golden', 'acl': "[(31, 'digest',
// 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E='), (1, 'world', 'anyone')]", 'version': 0}
inline constexpr std::string_view kSetAclRequest =
    "0000006b0000000c000000070000000c2f7a6b69742d676f6c64656e000000020000001f0000000664696765"
    "737400000022616c6963653a6159586c4c4f70456f6f61563163524176554c31667039517437453d00000001"
    "00000005776f726c6400000006616e796f6e6500000000";

// server -> client: {'xid': 12, 'zxid': 7, 'err': 0, 'stat': {'czxid': 2, 'mzxid': 2, 'ctime':
// 1795597372077, 'mtime': 1795597372077, 'version': 0, 'cversion': 3, 'aversion': 1,
// 'ephemeralOwner': 0, 'dataLength': 5, 'numChildren': 3, 'pzxid': 5}}
inline constexpr std::string_view kSetAclReply =
    "000000540000000c00000000000000070000000000000000000000020000000000000002000001a211f18aad"
    "000001a211f18aad000000000000000300000001000000000000000000000005000000030000000000000005";

// client -> server: {'xid': 13, 'op': 6, 'path': '/zkit-golden'}
inline constexpr std::string_view kGetAclRequest =
    "000000180000000d000000060000000c2f7a6b69742d676f6c64656e";

// server -> client: {'xid': 13, 'zxid': 7, 'err': 0, 'acl': [(31, 'digest',
// 'alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E='), (1, 'world', 'anyone')], 'stat': {'czxid': 2, 'mzxid':
// 2, 'ctime': 1795597372077, 'mtime': 1795597372077, 'version': 0, 'cversion': 3, 'aversion': 1,
// 'ephemeralOwner': 0, 'dataLength': 5, 'numChildren': 3, 'pzxid': 5}}
inline constexpr std::string_view kGetAclReply =
    "000000a30000000d000000000000000700000000000000020000001f0000000664696765737400000022616c"
    "6963653a6159586c4c4f70456f6f61563163524176554c31667039517437453d0000000100000005776f726c"
    "6400000006616e796f6e6500000000000000020000000000000002000001a211f18aad000001a211f18aad00"
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
// 72057829091966976, 'passwd': '024fd47367a1ce6eb00ef29788a924eb', 'readOnly': False}
inline constexpr std::string_view kReconnectRequest =
    "0000002d0000000000000000000000070000753001000036ba50000000000010024fd47367a1ce6eb00ef297"
    "88a924eb00";

// server -> client: {'protocolVersion': 0, 'timeOut': 30000, 'sessionId': 72057829091966976,
// 'passwd': '024fd47367a1ce6eb00ef29788a924eb', 'readOnly': False}
inline constexpr std::string_view kReconnectResponse =
    "00000025000000000000753001000036ba50000000000010024fd47367a1ce6eb00ef29788a924eb00";

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

// client -> server: {'protocolVersion': 0, 'lastZxidSeen': 0, 'timeOut': 30000, 'sessionId': 0,
// 'passwd': '00000000000000000000000000000000', 'readOnly': False}
inline constexpr std::string_view kAdminConnectRequest =
    "0000002d00000000000000000000000000007530000000000000000000000010000000000000000000000000"
    "0000000000";

// server -> client: {'protocolVersion': 0, 'timeOut': 30000, 'sessionId': 72057829091966977,
// 'passwd': '1570ce7307edadb3a55159c35c3239b8', 'readOnly': False}
inline constexpr std::string_view kAdminConnectResponse =
    "00000025000000000000753001000036ba500001000000101570ce7307edadb3a55159c35c3239b800";

// client -> server: {'xid': -4, 'op': 100, 'type': 0, 'scheme': 'digest', 'auth':
// 'alice:secret'}
inline constexpr std::string_view kAdminAuthRequest =
    "00000026fffffffc0000006400000000000000066469676573740000000c616c6963653a736563726574";

// server -> client: {'xid': -4, 'zxid': 0, 'err': 0}
inline constexpr std::string_view kAdminAuthReply =
    "00000010fffffffc000000000000000000000000";

// client -> server: {'xid': 1, 'op': 1, 'path': '/zkit-multi', 'data': '', 'flags': 0}
inline constexpr std::string_view kMultiBaseRequest =
    "0000003a00000001000000010000000b2f7a6b69742d6d756c746900000000000000010000001f0000000577"
    "6f726c6400000006616e796f6e6500000000";

// server -> client: {'xid': 1, 'zxid': 12, 'err': 0, 'path': '/zkit-multi'}
inline constexpr std::string_view kMultiBaseReply =
    "0000001f00000001000000000000000c000000000000000b2f7a6b69742d6d756c7469";

// client -> server: {'xid': 2, 'op': 14, 'ops': "create /zkit-multi/a '1'; create2 /zkit-multi/b
// '2'; createContainer /zkit-multi/box '' flags 4; createTTL /zkit-multi/ttl 't' flags 5 ttl
// 600000; setData /zkit-multi/a '11' v0; check /zkit-multi/a v1; delete /zkit-multi/b -1; all
// with acl [(31,world,anyone)]"}
inline constexpr std::string_view kMultiRequest =
    "00000174000000020000000e0000000100ffffffff0000000d2f7a6b69742d6d756c74692f61000000013100"
    "0000010000001f00000005776f726c6400000006616e796f6e65000000000000000f00ffffffff0000000d2f"
    "7a6b69742d6d756c74692f620000000132000000010000001f00000005776f726c6400000006616e796f6e65"
    "000000000000001300ffffffff0000000f2f7a6b69742d6d756c74692f626f7800000000000000010000001f"
    "00000005776f726c6400000006616e796f6e65000000040000001500ffffffff0000000f2f7a6b69742d6d75"
    "6c74692f74746c0000000174000000010000001f00000005776f726c6400000006616e796f6e650000000500"
    "000000000927c00000000500ffffffff0000000d2f7a6b69742d6d756c74692f610000000231310000000000"
    "00000d00ffffffff0000000d2f7a6b69742d6d756c74692f61000000010000000200ffffffff0000000d2f7a"
    "6b69742d6d756c74692f62ffffffffffffffff01ffffffff";

// server -> client: {'xid': 2, 'zxid': 13, 'err': 0, 'results': [{'type': 1, 'err': 0, 'path':
// '/zkit-multi/a'}, {'type': 1, 'err': 0, 'path': '/zkit-multi/b'}, {'type': 15, 'err': 0,
// 'path': '/zkit-multi/box', 'stat': {'czxid': 13, 'mzxid': 13, 'ctime': 1795597373647, 'mtime':
// 1795597373647, 'version': 0, 'cversion': 0, 'aversion': 0, 'ephemeralOwner': 0, 'dataLength':
// 0, 'numChildren': 0, 'pzxid': 13}}, {'type': 15, 'err': 0, 'path': '/zkit-multi/ttl', 'stat':
// {'czxid': 13, 'mzxid': 13, 'ctime': 1795597373647, 'mtime': 1795597373647, 'version': 0,
// 'cversion': 0, 'aversion': 0, 'ephemeralOwner': 0, 'dataLength': 1, 'numChildren': 0, 'pzxid':
// 13}}, {'type': 5, 'err': 0, 'stat': {'czxid': 13, 'mzxid': 13, 'ctime': 1795597373647,
// 'mtime': 1795597373647, 'version': 1, 'cversion': 0, 'aversion': 0, 'ephemeralOwner': 0,
// 'dataLength': 2, 'numChildren': 0, 'pzxid': 13}}, {'type': 13, 'err': 0}, {'type': 2, 'err':
// 0}]}
inline constexpr std::string_view kMultiReply =
    "0000016c00000002000000000000000d000000000000000100000000000000000d2f7a6b69742d6d756c7469"
    "2f610000000100000000000000000d2f7a6b69742d6d756c74692f620000000f00000000000000000f2f7a6b"
    "69742d6d756c74692f626f78000000000000000d000000000000000d000001a211f190cf000001a211f190cf"
    "00000000000000000000000000000000000000000000000000000000000000000000000d0000000f00000000"
    "000000000f2f7a6b69742d6d756c74692f74746c000000000000000d000000000000000d000001a211f190cf"
    "000001a211f190cf00000000000000000000000000000000000000000000000100000000000000000000000d"
    "000000050000000000000000000000000d000000000000000d000001a211f190cf000001a211f190cf000000"
    "01000000000000000000000000000000000000000200000000000000000000000d0000000d00000000000000"
    "00020000000000ffffffff01ffffffff";

// client -> server: {'xid': 3, 'op': 14, 'ops': "create /zkit-multi/c ''; check /zkit-multi/a
// v42; setData /zkit-multi/a 'x' v-1"}
inline constexpr std::string_view kMultiFailedRequest =
    "0000008f000000030000000e0000000100ffffffff0000000d2f7a6b69742d6d756c74692f63000000000000"
    "00010000001f00000005776f726c6400000006616e796f6e65000000000000000d00ffffffff0000000d2f7a"
    "6b69742d6d756c74692f610000002a0000000500ffffffff0000000d2f7a6b69742d6d756c74692f61000000"
    "0178ffffffffffffffff01ffffffff";

// server -> client: {'xid': 3, 'zxid': 14, 'err': 0, 'results': [{'type': -1, 'err': 0,
// 'errorResponse': 0}, {'type': -1, 'err': -103, 'errorResponse': -103}, {'type': -1, 'err': -2,
// 'errorResponse': -2}]}
inline constexpr std::string_view kMultiFailedReply =
    "0000004000000003000000000000000e00000000ffffffff000000000000000000ffffffff00ffffff99ffff"
    "ff99ffffffff00fffffffefffffffeffffffff01ffffffff";

// client -> server: {'xid': 4, 'op': 14, 'ops': 'none'}
inline constexpr std::string_view kMultiEmptyRequest =
    "00000011000000040000000effffffff01ffffffff";

// server -> client: {'xid': 4, 'zxid': 15, 'err': 0, 'results': []}
inline constexpr std::string_view kMultiEmptyReply =
    "0000001900000004000000000000000f00000000ffffffff01ffffffff";

// client -> server: {'xid': 5, 'op': 22, 'ops': 'getData /zkit-multi/a; getChildren /zkit-multi;
// getData /zkit-multi/missing'}
inline constexpr std::string_view kMultiReadRequest =
    "0000006600000005000000160000000400ffffffff0000000d2f7a6b69742d6d756c74692f61000000000800"
    "ffffffff0000000b2f7a6b69742d6d756c7469000000000400ffffffff000000132f7a6b69742d6d756c7469"
    "2f6d697373696e6700ffffffff01ffffffff";

// server -> client: {'xid': 5, 'zxid': 15, 'err': 0, 'results': [{'type': 4, 'err': 0, 'data':
// b'11', 'stat': {'czxid': 13, 'mzxid': 13, 'ctime': 1795597373647, 'mtime': 1795597373647,
// 'version': 1, 'cversion': 0, 'aversion': 0, 'ephemeralOwner': 0, 'dataLength': 2,
// 'numChildren': 0, 'pzxid': 13}}, {'type': 8, 'err': 0, 'children': ['a', 'box', 'ttl']},
// {'type': -1, 'err': -101, 'errorResponse': -101}]}
inline constexpr std::string_view kMultiReadReply =
    "0000009900000005000000000000000f00000000000000040000000000000000023131000000000000000d00"
    "0000000000000d000001a211f190cf000001a211f190cf000000010000000000000000000000000000000000"
    "00000200000000000000000000000d00000008000000000000000003000000016100000003626f7800000003"
    "74746cffffffff00ffffff9bffffff9bffffffff01ffffffff";

// client -> server: {'xid': 6, 'op': 14, 'ops': 'getData /zkit-multi/a'}
inline constexpr std::string_view kMultiWithReadRequest =
    "0000002c000000060000000e0000000400ffffffff0000000d2f7a6b69742d6d756c74692f6100ffffffff01"
    "ffffffff";

// server -> client: {'xid': 6, 'zxid': 16, 'err': -5}
inline constexpr std::string_view kMultiWithReadReply =
    "00000010000000060000000000000010fffffffb";

// client -> server: {'xid': 7, 'op': 106, 'path': '/zkit-multi/a', 'mode': 0}
inline constexpr std::string_view kAddWatchRequest =
    "0000001d000000070000006a0000000d2f7a6b69742d6d756c74692f6100000000";

// server -> client: {'xid': 7, 'zxid': 16, 'err': 0, 'errorResponse': 0}
inline constexpr std::string_view kAddWatchReply =
    "000000140000000700000000000000100000000000000000";

// client -> server: {'xid': 8, 'op': 106, 'path': '/zkit-multi', 'mode': 1}
inline constexpr std::string_view kAddWatchRecursiveRequest =
    "0000001b000000080000006a0000000b2f7a6b69742d6d756c746900000001";

// server -> client: {'xid': 8, 'zxid': 16, 'err': 0, 'errorResponse': 0}
inline constexpr std::string_view kAddWatchRecursiveReply =
    "000000140000000800000000000000100000000000000000";

// client -> server: {'xid': 9, 'op': 17, 'path': '/zkit-multi/a', 'type': 2}
inline constexpr std::string_view kCheckWatchesRequest =
    "0000001d00000009000000110000000d2f7a6b69742d6d756c74692f6100000002";

// server -> client: {'xid': 9, 'zxid': 16, 'err': 0}
inline constexpr std::string_view kCheckWatchesReply =
    "0000001000000009000000000000001000000000";

// client -> server: {'xid': 10, 'op': 18, 'path': '/zkit-multi/a', 'type': 1}
inline constexpr std::string_view kRemoveWatchesRequest =
    "0000001d0000000a000000120000000d2f7a6b69742d6d756c74692f6100000001";

// server -> client: {'xid': 10, 'zxid': 16, 'err': 0}
inline constexpr std::string_view kRemoveWatchesReply =
    "000000100000000a000000000000001000000000";

// client -> server: {'xid': 11, 'op': 17, 'path': '/zkit-multi/a', 'type': 1}
inline constexpr std::string_view kCheckWatchesNoneRequest =
    "0000001d0000000b000000110000000d2f7a6b69742d6d756c74692f6100000001";

// server -> client: {'xid': 11, 'zxid': 16, 'err': -121}
inline constexpr std::string_view kCheckWatchesNoneReply =
    "000000100000000b0000000000000010ffffff87";

// client -> server: {'xid': 12, 'op': 18, 'path': '/zkit-multi/a', 'type': 3}
inline constexpr std::string_view kRemoveWatchesAnyRequest =
    "0000001d0000000c000000120000000d2f7a6b69742d6d756c74692f6100000003";

// server -> client: {'xid': 12, 'zxid': 16, 'err': 0}
inline constexpr std::string_view kRemoveWatchesAnyReply =
    "000000100000000c000000000000001000000000";

// client -> server: {'xid': 13, 'op': 18, 'path': '/zkit-multi/a', 'type': 3}
inline constexpr std::string_view kRemoveWatchesNoneRequest =
    "0000001d0000000d000000120000000d2f7a6b69742d6d756c74692f6100000003";

// server -> client: {'xid': 13, 'zxid': 16, 'err': -121}
inline constexpr std::string_view kRemoveWatchesNoneReply =
    "000000100000000d0000000000000010ffffff87";

// client -> server: {'xid': 14, 'op': 1, 'path': '/zkit-multi/eph', 'data': '', 'flags': 1}
inline constexpr std::string_view kCreateEphemeralRequest =
    "0000003e0000000e000000010000000f2f7a6b69742d6d756c74692f65706800000000000000010000001f00"
    "000005776f726c6400000006616e796f6e6500000001";

// server -> client: {'xid': -1, 'zxid': -1, 'err': 0, 'type': 1, 'state': 3, 'path': '/zkit-
// multi/eph'}
inline constexpr std::string_view kCreateEphemeralNotification =
    "0000002bffffffffffffffffffffffff0000000000000001000000030000000f2f7a6b69742d6d756c74692f"
    "657068";

// server -> client: {'xid': 14, 'zxid': 17, 'err': 0, 'path': '/zkit-multi/eph'}
inline constexpr std::string_view kCreateEphemeralReply =
    "000000230000000e0000000000000011000000000000000f2f7a6b69742d6d756c74692f657068";

// client -> server: {'xid': 15, 'op': 103, 'prefixPath': '/zkit-multi'}
inline constexpr std::string_view kGetEphemeralsRequest =
    "000000170000000f000000670000000b2f7a6b69742d6d756c7469";

// server -> client: {'xid': 15, 'zxid': 17, 'err': 0, 'ephemerals': ['/zkit-multi/eph']}
inline constexpr std::string_view kGetEphemeralsReply =
    "000000270000000f000000000000001100000000000000010000000f2f7a6b69742d6d756c74692f657068";

// client -> server: {'xid': 16, 'op': 104, 'path': '/zkit-multi'}
inline constexpr std::string_view kGetAllChildrenNumberRequest =
    "0000001700000010000000680000000b2f7a6b69742d6d756c7469";

// server -> client: {'xid': 16, 'zxid': 17, 'err': 0, 'totalNumber': 4}
inline constexpr std::string_view kGetAllChildrenNumberReply =
    "000000140000001000000000000000110000000000000004";

// client -> server: {'xid': 17, 'op': 107}
inline constexpr std::string_view kWhoAmIRequest =
    "00000008000000110000006b";

// server -> client: {'xid': 17, 'zxid': 17, 'err': 0, 'clientInfo': [('digest', 'alice'), ('ip',
// '127.0.0.1')]}
inline constexpr std::string_view kWhoAmIReply =
    "0000003a00000011000000000000001100000000000000020000000664696765737400000005616c69636500"
    "0000026970000000093132372e302e302e31";

// client -> server: {'xid': 18, 'op': 16, 'joiningServers': None, 'leavingServers': None,
// 'newMembers': None, 'curConfigId': -1}
inline constexpr std::string_view kReconfigStandaloneRequest =
    "0000001c0000001200000010ffffffffffffffffffffffffffffffffffffffff";

// server -> client: {'xid': 18, 'zxid': 18, 'err': -123}
inline constexpr std::string_view kReconfigStandaloneReply =
    "00000010000000120000000000000012ffffff85";

// client -> server: {'xid': -2, 'op': 11}
inline constexpr std::string_view kAdminPingRequest =
    "00000008fffffffe0000000b";

// server -> client: {'xid': -2, 'zxid': 18, 'err': 0}
inline constexpr std::string_view kAdminPingReply =
    "00000010fffffffe000000000000001200000000";

// client -> server: {'protocolVersion': 0, 'lastZxidSeen': 18, 'timeOut': 30000, 'sessionId':
// 72057829091966977, 'passwd': '1570ce7307edadb3a55159c35c3239b8', 'readOnly': False}
inline constexpr std::string_view kAdminReconnectRequest =
    "0000002d0000000000000000000000120000753001000036ba500001000000101570ce7307edadb3a55159c3"
    "5c3239b800";

// server -> client: {'protocolVersion': 0, 'timeOut': 30000, 'sessionId': 72057829091966977,
// 'passwd': '1570ce7307edadb3a55159c35c3239b8', 'readOnly': False}
inline constexpr std::string_view kAdminReconnectResponse =
    "00000025000000000000753001000036ba500001000000101570ce7307edadb3a55159c35c3239b800";

// client -> server: {'xid': -8, 'op': 105, 'relativeZxid': 18, 'data': ['/zkit-multi/b'],
// 'exist': ['/zkit-multi/c'], 'child': ['/zkit-multi'], 'persistent': ['/zkit-multi/box'],
// 'persistentRecursive': ['/zkit-multi']}
inline constexpr std::string_view kSetWatches2AllRequest =
    "00000077fffffff8000000690000000000000012000000010000000d2f7a6b69742d6d756c74692f62000000"
    "010000000d2f7a6b69742d6d756c74692f63000000010000000b2f7a6b69742d6d756c746900000001000000"
    "0f2f7a6b69742d6d756c74692f626f78000000010000000b2f7a6b69742d6d756c7469";

// server -> client: {'xid': -1, 'zxid': -1, 'err': 0, 'type': 2, 'state': 3, 'path': '/zkit-
// multi/b'}
inline constexpr std::string_view kSetWatches2AllNotification =
    "00000029ffffffffffffffffffffffff0000000000000002000000030000000d2f7a6b69742d6d756c74692f"
    "62";

// server -> client: {'xid': -8, 'zxid': 18, 'err': 0}
inline constexpr std::string_view kSetWatches2AllReply =
    "00000010fffffff8000000000000001200000000";

// client -> server: {'xid': 19, 'op': -11}
inline constexpr std::string_view kAdminCloseRequest =
    "0000000800000013fffffff5";

// server -> client: {'xid': -1, 'zxid': -1, 'err': 0, 'type': 2, 'state': 3, 'path': '/zkit-
// multi/eph'}
inline constexpr std::string_view kAdminCloseNotification =
    "0000002bffffffffffffffffffffffff0000000000000002000000030000000f2f7a6b69742d6d756c74692f"
    "657068";

// server -> client: {'xid': 19, 'zxid': 19, 'err': 0}
inline constexpr std::string_view kAdminCloseReply =
    "0000001000000013000000000000001300000000";

// client -> server: {'protocolVersion': 0, 'lastZxidSeen': 0, 'timeOut': 30000, 'sessionId': 0,
// 'passwd': '00000000000000000000000000000000', 'readOnly': False}
inline constexpr std::string_view kReconfigConnectRequest =
    "0000002d00000000000000000000000000007530000000000000000000000010000000000000000000000000"
    "0000000000";

// server -> client: {'protocolVersion': 0, 'timeOut': 30000, 'sessionId': 72057829286936576,
// 'passwd': '63fa791eb4bfbd0a7923f7861d1947b8', 'readOnly': False}
inline constexpr std::string_view kReconfigConnectResponse =
    "00000025000000000000753001000036c5ef00000000001063fa791eb4bfbd0a7923f7861d1947b800";

// client -> server: {'xid': -4, 'op': 100, 'type': 0, 'scheme': 'digest', 'auth': 'super:super'}
inline constexpr std::string_view kReconfigAuthRequest =
    "00000025fffffffc0000006400000000000000066469676573740000000b73757065723a7375706572";

// server -> client: {'xid': -4, 'zxid': 0, 'err': 0}
inline constexpr std::string_view kReconfigAuthReply =
    "00000010fffffffc000000000000000000000000";

// client -> server: {'xid': 1, 'op': 4, 'path': '/zookeeper/config', 'watch': False}
inline constexpr std::string_view kReconfigGetConfigRequest =
    "0000001e0000000100000004000000112f7a6f6f6b65657065722f636f6e66696700";

// server -> client: {'xid': 1, 'zxid': 4294967297, 'err': 0, 'data': 'server.1=127.0.0.1:25090:2
// 5190:participant;127.0.0.1:24990\nserver.2=127.0.0.1:25091:25191:participant;127.0.0.1:24991\n
// server.3=127.0.0.1:25092:25192:participant;127.0.0.1:24992\nversion=100000000', 'stat':
// {'czxid': 0, 'mzxid': 4294967296, 'ctime': 0, 'mtime': 1795597371398, 'version': -1,
// 'cversion': 0, 'aversion': -1, 'ephemeralOwner': 0, 'dataLength': 194, 'numChildren': 0,
// 'pzxid': 0}}
inline constexpr std::string_view kReconfigGetConfigReply =
    "0000011a00000001000000010000000100000000000000c27365727665722e313d3132372e302e302e313a32"
    "353039303a32353139303a7061727469636970616e743b3132372e302e302e313a32343939300a7365727665"
    "722e323d3132372e302e302e313a32353039313a32353139313a7061727469636970616e743b3132372e302e"
    "302e313a32343939310a7365727665722e333d3132372e302e302e313a32353039323a32353139323a706172"
    "7469636970616e743b3132372e302e302e313a32343939320a76657273696f6e3d3130303030303030300000"
    "00000000000000000001000000000000000000000000000001a211f18806ffffffff00000000ffffffff0000"
    "000000000000000000c2000000000000000000000000";

// client -> server: {'xid': 2, 'op': 16, 'joiningServers': None, 'leavingServers': '2',
// 'newMembers': None, 'curConfigId': -1}
inline constexpr std::string_view kReconfigLeaveRequest =
    "0000001d0000000200000010ffffffff0000000132ffffffffffffffffffffffff";

// server -> client: {'xid': 2, 'zxid': 4294967298, 'err': 0, 'data': 'server.1=127.0.0.1:25090:2
// 5190:participant;127.0.0.1:24990\nserver.3=127.0.0.1:25092:25192:participant;127.0.0.1:24992\n
// version=100000002', 'stat': {'czxid': 0, 'mzxid': 4294967298, 'ctime': 0, 'mtime':
// 1795597374735, 'version': -1, 'cversion': 0, 'aversion': -1, 'ephemeralOwner': 0,
// 'dataLength': 135, 'numChildren': 0, 'pzxid': 0}}
inline constexpr std::string_view kReconfigLeaveReply =
    "000000df00000002000000010000000200000000000000877365727665722e313d3132372e302e302e313a32"
    "353039303a32353139303a7061727469636970616e743b3132372e302e302e313a32343939300a7365727665"
    "722e333d3132372e302e302e313a32353039323a32353139323a7061727469636970616e743b3132372e302e"
    "302e313a32343939320a76657273696f6e3d3130303030303030320000000000000000000000010000000200"
    "00000000000000000001a211f1950fffffffff00000000ffffffff0000000000000000000000870000000000"
    "00000000000000";

// client -> server: {'xid': 3, 'op': 16, 'joiningServers': None, 'leavingServers': '2',
// 'newMembers': None, 'curConfigId': 4294967299}
inline constexpr std::string_view kReconfigStaleRequest =
    "0000001d0000000300000010ffffffff0000000132ffffffff0000000100000003";

// server -> client: {'xid': 3, 'zxid': 4294967299, 'err': -103}
inline constexpr std::string_view kReconfigStaleReply =
    "00000010000000030000000100000003ffffff99";

// client -> server: {'xid': 4, 'op': 16, 'joiningServers':
// 'server.2=127.0.0.1:25091:25191:participant;127.0.0.1:24991', 'leavingServers': None,
// 'newMembers': None, 'curConfigId': 4294967298}
inline constexpr std::string_view kReconfigJoinRequest =
    "0000005600000004000000100000003a7365727665722e323d3132372e302e302e313a32353039313a323531"
    "39313a7061727469636970616e743b3132372e302e302e313a3234393931ffffffffffffffff000000010000"
    "0002";

// server -> client: {'xid': 4, 'zxid': 4294967300, 'err': 0, 'data': 'server.1=127.0.0.1:25090:2
// 5190:participant;127.0.0.1:24990\nserver.2=127.0.0.1:25091:25191:participant;127.0.0.1:24991\n
// server.3=127.0.0.1:25092:25192:participant;127.0.0.1:24992\nversion=100000004', 'stat':
// {'czxid': 0, 'mzxid': 4294967300, 'ctime': 0, 'mtime': 1795597374825, 'version': -1,
// 'cversion': 0, 'aversion': -1, 'ephemeralOwner': 0, 'dataLength': 194, 'numChildren': 0,
// 'pzxid': 0}}
inline constexpr std::string_view kReconfigJoinReply =
    "0000011a00000004000000010000000400000000000000c27365727665722e313d3132372e302e302e313a32"
    "353039303a32353139303a7061727469636970616e743b3132372e302e302e313a32343939300a7365727665"
    "722e323d3132372e302e302e313a32353039313a32353139313a7061727469636970616e743b3132372e302e"
    "302e313a32343939310a7365727665722e333d3132372e302e302e313a32353039323a32353139323a706172"
    "7469636970616e743b3132372e302e302e313a32343939320a76657273696f6e3d3130303030303030340000"
    "00000000000000000001000000040000000000000000000001a211f19569ffffffff00000000ffffffff0000"
    "000000000000000000c2000000000000000000000000";

// client -> server: {'xid': 5, 'op': -11}
inline constexpr std::string_view kReconfigCloseRequest =
    "0000000800000005fffffff5";

// server -> client: {'xid': 5, 'zxid': 4294967301, 'err': 0}
inline constexpr std::string_view kReconfigCloseReply =
    "0000001000000005000000010000000500000000";

}  // namespace golden
