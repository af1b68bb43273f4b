// Every captured server frame must decode to the values the server sent (read off the capture
// by capture_golden.py's own, independent decoder; see the comments in golden_frames.hpp), and
// every decoder must consume its record exactly, no byte more or less.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "codec_checks.hpp"
#include "golden_frames.hpp"
#include "proto/frame.hpp"
#include "proto/records.hpp"
#include "support.hpp"

using namespace zkit::proto;
using prototest::check_bare;
using prototest::check_header;
using prototest::check_notification;
using prototest::kNodeChildrenChanged;
using prototest::kNodeDataChanged;
using prototest::kNodeDeleted;
using prototest::kSyncConnected;
using prototest::Reply;
using prototest::hex;
using prototest::unhex;
using zkit::Acl;
using zkit::Stat;

namespace {

constexpr std::int64_t kSessionId = 72057829091966976;  // 0x01000036ba500000: server id 1
constexpr std::string_view kPassword = "024fd47367a1ce6eb00ef29788a924eb";
constexpr std::int32_t kNoNode = -101;

// /zkit-golden/child right after create2 (also what getData saw before the setData).
constexpr Stat kChildCreated{3, 3, 1795597372092, 1795597372092, 0, 0, 0, 0, 2, 0, 3};
// /zkit-golden/child after setData "v2": mzxid and mtime move, version 1.
constexpr Stat kChildSet{3, 6, 1795597372092, 1795597372104, 1, 0, 0, 0, 2, 0, 3};
// /zkit-golden/null, created with null data: dataLength 0.
constexpr Stat kNullNode{5, 5, 1795597372097, 1795597372097, 0, 0, 0, 0, 0, 0, 5};
// /zkit-golden with its three children ("hello" = 5 bytes), before and after setACL.
constexpr Stat kParent{2, 2, 1795597372077, 1795597372077, 0, 3, 0, 0, 5, 3, 5};
constexpr Stat kParentAclSet{2, 2, 1795597372077, 1795597372077, 0, 3, 1, 0, 5, 3, 5};

}  // namespace

TEST_CASE("the ConnectResponse decodes to timeout 30000, the session id and the password") {
  for (auto golden_hex : {golden::kConnectResponse, golden::kReconnectResponse}) {
    auto bytes = unhex(golden_hex);
    auto f = next_frame(bytes, kMaxFrame);
    REQUIRE(f.kind == FrameResult::frame);
    CHECK(f.body.size() == 37);  // 4+4+8+(4+16)+1, no ReplyHeader
    Reader r(f.body);
    ConnectResponse resp;
    REQUIRE(decode(r, resp));
    CHECK(resp.protocol_version == 0);
    CHECK(resp.timeout_ms == 30000);
    CHECK(resp.session_id == kSessionId);
    CHECK(hex(resp.password) == kPassword);
    CHECK_FALSE(resp.read_only);
    CHECK(r.at_end());
  }
}

TEST_CASE("create replies carry the created path, with the sequence suffix when sequential") {
  struct Case {
    std::string_view frame;
    std::int32_t xid;
    std::int64_t zxid;
    std::string_view path;
  };
  for (auto c : {Case{golden::kCreateReply, 1, 2, "/zkit-golden"},
                 Case{golden::kCreateSeqReply, 3, 4, "/zkit-golden/e-0000000001"},
                 Case{golden::kCreateNullReply, 4, 5, "/zkit-golden/null"}}) {
    Reply rep(c.frame);
    check_header(rep.header, c.xid, c.zxid, 0);
    std::string path;
    REQUIRE(decode_create_response(rep.reader, path));
    CHECK(path == c.path);
    CHECK(rep.reader.at_end());
  }
}

TEST_CASE("the create2 reply carries the path and the new node's Stat") {
  Reply rep(golden::kCreate2Reply);
  check_header(rep.header, 2, 3, 0);
  std::string path;
  Stat stat;
  REQUIRE(decode_create2_response(rep.reader, path, stat));
  CHECK(path == "/zkit-golden/child");
  CHECK(stat == kChildCreated);
  CHECK(rep.reader.at_end());
}

TEST_CASE("the getData reply carries the data and the Stat") {
  Reply rep(golden::kGetDataReply);
  check_header(rep.header, 5, 5, 0);
  std::string data;
  Stat stat;
  bool is_null = true;
  REQUIRE(decode_get_data_response(rep.reader, data, stat, &is_null));
  CHECK(data == "v1");
  CHECK_FALSE(is_null);
  CHECK(stat == kChildCreated);
  CHECK(rep.reader.at_end());
}

TEST_CASE("getData of a node created with null data reads length -1 as null, empty bytes") {
  Reply rep(golden::kGetDataNullReply);
  check_header(rep.header, 6, 5, 0);
  std::string data = "stale";
  Stat stat;
  bool is_null = false;
  REQUIRE(decode_get_data_response(rep.reader, data, stat, &is_null));
  CHECK(is_null);
  CHECK(data.empty());
  CHECK(stat == kNullNode);
  CHECK(rep.reader.at_end());
}

TEST_CASE("setData and exists replies carry the Stat after the change") {
  Reply set(golden::kSetDataReply);
  check_header(set.header, 7, 6, 0);
  Stat stat;
  REQUIRE(decode(set.reader, stat));
  CHECK(stat == kChildSet);
  CHECK(set.reader.at_end());

  Reply exists(golden::kExistsReply);
  check_header(exists.header, 8, 6, 0);
  Stat seen;
  REQUIRE(decode(exists.reader, seen));
  CHECK(seen == kChildSet);
  CHECK(exists.reader.at_end());
}

TEST_CASE("exists of a missing node is a bare header with NoNode and the last zxid") {
  check_bare(golden::kExistsMissingReply, 9, 6, kNoNode);
}

TEST_CASE("getChildren lists the names in the server's order, not sorted") {
  Reply rep(golden::kGetChildrenReply);
  check_header(rep.header, 10, 6, 0);
  std::vector<std::string> names;
  REQUIRE(decode_children(rep.reader, names));
  CHECK(names == std::vector<std::string>{"e-0000000001", "null", "child"});
  CHECK(rep.reader.at_end());
}

TEST_CASE("getChildren2 lists the names and the parent's Stat") {
  Reply rep(golden::kGetChildren2Reply);
  check_header(rep.header, 11, 6, 0);
  std::vector<std::string> names;
  Stat stat;
  REQUIRE(decode_children2(rep.reader, names, stat));
  CHECK(names == std::vector<std::string>{"e-0000000001", "null", "child"});
  CHECK(stat == kParent);
  CHECK(rep.reader.at_end());
}

TEST_CASE("setACL replies with the Stat whose aversion went up") {
  Reply rep(golden::kSetAclReply);
  check_header(rep.header, 12, 7, 0);
  Stat stat;
  REQUIRE(decode(rep.reader, stat));
  CHECK(stat == kParentAclSet);
  CHECK(rep.reader.at_end());
}

TEST_CASE("getACL returns the entries in the order they were set, and the Stat") {
  Reply rep(golden::kGetAclReply);
  check_header(rep.header, 13, 7, 0);
  zkit::AclList acl;
  Stat stat;
  REQUIRE(decode_get_acl_response(rep.reader, acl, stat));
  REQUIRE(acl.size() == 2);
  CHECK(acl[0] == Acl{zkit::perm_all, {"digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="}});
  CHECK(acl[1] == Acl{zkit::perm_read, {"world", "anyone"}});
  CHECK(stat == kParentAclSet);
  CHECK(rep.reader.at_end());
}

TEST_CASE("sync echoes the path") {
  Reply rep(golden::kSyncReply);
  check_header(rep.header, 14, 7, 0);
  std::string path;
  REQUIRE(decode_path(rep.reader, path));
  CHECK(path == "/zkit-golden");
  CHECK(rep.reader.at_end());
}

TEST_CASE("bare replies: auth has zxid 0, ping and SetWatches the last zxid, writes their own") {
  check_bare(golden::kAuthReply, kAuthXid, 0, 0);
  check_bare(golden::kReauthReply, kAuthXid, 0, 0);
  check_bare(golden::kPingReply, kPingXid, 7, 0);
  check_bare(golden::kSetWatchesReply, kSetWatchesXid, 7, 0);
  check_bare(golden::kSetWatches2Reply, kSetWatchesXid, 7, 0);
  check_bare(golden::kDeleteReply, 15, 8, 0);
  check_bare(golden::kCloseSessionReply, 17, 10, 0);
}

TEST_CASE("a failed delete is a bare NoNode header that still carries a zxid") {
  check_bare(golden::kDeleteMissingReply, 16, 9, kNoNode);
}

TEST_CASE("watch notifications have xid -1, zxid -1 and a WatcherEvent") {
  check_notification(golden::kSetDataNotification, kNodeDataChanged, "/zkit-golden/child");
  // A data watch re-armed by SetWatches on a node that no longer exists fires at once.
  check_notification(golden::kSetWatchesNotification, kNodeDeleted, "/zkit-golden/gone");
  check_notification(golden::kDeleteNotification, kNodeDeleted, "/zkit-golden/child");
  check_notification(golden::kDeleteNotification2, kNodeChildrenChanged, "/zkit-golden");
  // closeSession removed the ephemeral child: the parent's persistent watch saw it.
  check_notification(golden::kCloseSessionNotification, kNodeChildrenChanged, "/zkit-golden");
}

TEST_CASE("captured client requests decode back to the fields they were sent with") {
  // The request decoders exist for tests and fuzzers: check them on real frames too.
  SUBCASE("ConnectRequest") {
    auto bytes = unhex(golden::kReconnectRequest);
    Reader r(prototest::body_of(bytes));
    ConnectRequest req;
    std::string_view password;
    REQUIRE(decode(r, req, password));
    CHECK(req.protocol_version == 0);
    CHECK(req.last_zxid_seen == 7);
    CHECK(req.timeout_ms == 30000);
    CHECK(req.session_id == kSessionId);
    CHECK(hex(password) == kPassword);
    CHECK(req.password == password);
    CHECK_FALSE(req.read_only);
    CHECK(r.at_end());
  }
  SUBCASE("create2 with two ACL entries") {
    auto bytes = unhex(golden::kCreate2Request);
    Reader r(prototest::body_of(bytes));
    RequestHeader h;
    REQUIRE(decode(r, h));
    CHECK(h.xid == 2);
    CHECK(h.type == Op::create2);
    CreateRequest req;
    zkit::AclList acl;
    REQUIRE(decode(r, req, acl, false));
    CHECK(req.path == "/zkit-golden/child");
    CHECK(req.data == "v1");
    REQUIRE(req.acl.size() == 2);
    CHECK(req.acl[0] == Acl{zkit::perm_read, {"world", "anyone"}});
    CHECK(req.acl[1] == Acl{zkit::perm_all, {"digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="}});
    CHECK(req.flags == 0);
    CHECK(req.ttl == -1);
    CHECK(r.at_end());
  }
  SUBCASE("create with null data") {
    auto bytes = unhex(golden::kCreateNullRequest);
    Reader r(prototest::body_of(bytes));
    RequestHeader h;
    REQUIRE(decode(r, h));
    CreateRequest req;
    zkit::AclList acl;
    REQUIRE(decode(r, req, acl, false));
    CHECK(req.path == "/zkit-golden/null");
    CHECK(req.data.empty());
    CHECK(r.at_end());
  }
  SUBCASE("SetWatches") {
    auto bytes = unhex(golden::kSetWatchesRequest);
    Reader r(prototest::body_of(bytes));
    RequestHeader h;
    REQUIRE(decode(r, h));
    CHECK(h.xid == kSetWatchesXid);
    CHECK(h.type == Op::set_watches);
    SetWatches sw;
    std::vector<std::string_view> lists[5];
    REQUIRE(decode(r, sw, lists, false));
    CHECK(sw.relative_zxid == 7);
    REQUIRE(sw.data.size() == 1);
    CHECK(sw.data[0] == "/zkit-golden/gone");
    REQUIRE(sw.exist.size() == 1);
    CHECK(sw.exist[0] == "/zkit-golden/missing");
    REQUIRE(sw.child.size() == 1);
    CHECK(sw.child[0] == "/zkit-golden");
    CHECK(r.at_end());
  }
  SUBCASE("auth") {
    auto bytes = unhex(golden::kAuthRequest);
    Reader r(prototest::body_of(bytes));
    RequestHeader h;
    REQUIRE(decode(r, h));
    CHECK(h.xid == kAuthXid);
    CHECK(h.type == Op::auth);
    AuthPacket p;
    REQUIRE(decode(r, p));
    CHECK(p.type == 0);
    CHECK(p.scheme == "digest");
    CHECK(p.auth == "alice:secret");
    CHECK(r.at_end());
  }
}
