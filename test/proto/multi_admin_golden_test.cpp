// multi, multiRead, the watch-management ops, getEphemerals, getAllChildrenNumber, whoAmI,
// SetWatches2 and reconfig against frames captured from live 3.8.0 servers (golden_frames.hpp,
// capture_golden.py: run_multi_and_admin on a standalone server, run_reconfig on an ensemble).
// Our encoders must give the captured client frames byte for byte; the captured server frames
// must decode to what the script's own decoder read off them, consuming every byte.
#include <doctest/doctest.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec_checks.hpp"
#include "golden_frames.hpp"
#include "proto/admin.hpp"
#include "proto/frame.hpp"
#include "proto/multi.hpp"
#include "proto/records.hpp"
#include "support.hpp"

using namespace zkit::proto;
using prototest::check_bare;
using prototest::check_header;
using prototest::check_notification;
using prototest::kNodeCreated;
using prototest::kNodeDeleted;
using prototest::kOpenAcl;
using prototest::Reply;
using prototest::request;
using prototest::hex;
using prototest::unhex;
using zkit::Acl;
using zkit::ClientInfo;
using zkit::Errc;
using zkit::OpResult;
using zkit::Stat;

namespace {

// All ops of the successful multi ran in one transaction, zxid 13, at one time.
constexpr std::int64_t kMultiTime = 1795597373647;
constexpr Stat kBoxStat{13, 13, kMultiTime, kMultiTime, 0, 0, 0, 0, 0, 0, 13};
// A TTL node: ephemeralOwner reads 0 although the server stores the TTL there.
constexpr Stat kTtlStat{13, 13, kMultiTime, kMultiTime, 0, 0, 0, 0, 1, 0, 13};
// /zkit-multi/a after the setData of the same multi: version 1, mzxid still the multi's zxid.
constexpr Stat kASet{13, 13, kMultiTime, kMultiTime, 1, 0, 0, 0, 2, 0, 13};
// /zookeeper/config after each reconfig: ctime 0, czxid 0, version and aversion -1.
constexpr Stat kConfigAfterLeave{0, 4294967298, 0, 1795597374735, -1, 0, -1, 0, 135, 0, 0};
constexpr Stat kConfigAfterJoin{0, 4294967300, 0, 1795597374825, -1, 0, -1, 0, 194, 0, 0};

constexpr std::string_view kConfig3 =
    "server.1=127.0.0.1:25090:25190:participant;127.0.0.1:24990\n"
    "server.2=127.0.0.1:25091:25191:participant;127.0.0.1:24991\n"
    "server.3=127.0.0.1:25092:25192:participant;127.0.0.1:24992\n";
constexpr std::string_view kJoining = "server.2=127.0.0.1:25091:25191:participant;127.0.0.1:24991";

std::string multi_request(std::int32_t xid, Op op, std::span<const MultiOp> ops) {
  return request(xid, op, ops);
}

// The ops of the captured multis, as the session would build them.
std::vector<MultiOp> successful_multi_ops() {
  return {
      {.type = Op::create, .path = "/zkit-multi/a", .data = "1", .acl = kOpenAcl},
      {.type = Op::create2, .path = "/zkit-multi/b", .data = "2", .acl = kOpenAcl},
      {.type = Op::create_container, .path = "/zkit-multi/box", .acl = kOpenAcl, .flags = 4},
      {.type = Op::create_ttl, .path = "/zkit-multi/ttl", .data = "t", .acl = kOpenAcl,
       .flags = 5, .ttl = 600000},
      {.type = Op::set_data, .path = "/zkit-multi/a", .data = "11", .version = 0},
      {.type = Op::check, .path = "/zkit-multi/a", .version = 1},
      {.type = Op::remove, .path = "/zkit-multi/b", .version = -1},
  };
}

std::vector<OpResult> multi_results(std::string_view golden_hex, std::int32_t xid,
                                    std::int64_t zxid) {
  Reply rep(golden_hex);
  check_header(rep.header, xid, zxid, 0);
  std::vector<OpResult> results;
  REQUIRE(decode_multi_response(rep.reader, results));
  CHECK(rep.reader.at_end());
  return results;
}

}  // namespace

// --- client frames ----------------------------------------------------------------------------

TEST_CASE("a multi of create, create2, createContainer, createTTL, setData, check, delete "
          "matches the wire") {
  const auto ops = successful_multi_ops();
  CHECK(multi_request(2, Op::multi, ops) == golden::kMultiRequest);
}

TEST_CASE("the failing multi (create, check with a wrong version, setData) matches the wire") {
  const std::vector<MultiOp> ops{
      {.type = Op::create, .path = "/zkit-multi/c", .acl = kOpenAcl},
      {.type = Op::check, .path = "/zkit-multi/a", .version = 42},
      {.type = Op::set_data, .path = "/zkit-multi/a", .data = "x", .version = -1},
  };
  CHECK(multi_request(3, Op::multi, ops) == golden::kMultiFailedRequest);
}

TEST_CASE("an empty multi is just the closing header, and matches the wire") {
  CHECK(multi_request(4, Op::multi, {}) == golden::kMultiEmptyRequest);
  CHECK(golden::kMultiEmptyRequest.size() / 2 == 4 + 8 + kMultiHeaderSize);
}

TEST_CASE("a multiRead of two getData and a getChildren matches the wire (watch flag false)") {
  const std::vector<MultiOp> ops{
      {.type = Op::get_data, .path = "/zkit-multi/a"},
      {.type = Op::get_children, .path = "/zkit-multi"},
      {.type = Op::get_data, .path = "/zkit-multi/missing"},
  };
  CHECK(multi_request(5, Op::multi_read, ops) == golden::kMultiReadRequest);
}

TEST_CASE("the encoder does not police op types: a read inside multi encodes as captured") {
  // The server refused it as a whole (MarshallingError, checked below); callers must use
  // allowed_in_multi / allowed_in_multi_read first.
  const std::vector<MultiOp> ops{{.type = Op::get_data, .path = "/zkit-multi/a"}};
  CHECK(multi_request(6, Op::multi, ops) == golden::kMultiWithReadRequest);
  CHECK_FALSE(allowed_in_multi(Op::get_data));
  CHECK(allowed_in_multi_read(Op::get_data));
}

TEST_CASE("addWatch in both modes matches the wire") {
  CHECK(request(7, Op::add_watch, AddWatchRequest{"/zkit-multi/a", AddWatchMode::persistent}) ==
        golden::kAddWatchRequest);
  CHECK(request(8, Op::add_watch,
                AddWatchRequest{"/zkit-multi", AddWatchMode::persistent_recursive}) ==
        golden::kAddWatchRecursiveRequest);
}

TEST_CASE("checkWatches and removeWatches with each watcher type match the wire") {
  CHECK(request(9, Op::check_watches, CheckWatchesRequest{"/zkit-multi/a", WatcherType::data}) ==
        golden::kCheckWatchesRequest);
  CHECK(request(10, Op::remove_watches,
                RemoveWatchesRequest{"/zkit-multi/a", WatcherType::children}) ==
        golden::kRemoveWatchesRequest);
  CHECK(request(11, Op::check_watches,
                CheckWatchesRequest{"/zkit-multi/a", WatcherType::children}) ==
        golden::kCheckWatchesNoneRequest);
  CHECK(request(12, Op::remove_watches, RemoveWatchesRequest{"/zkit-multi/a", WatcherType::any}) ==
        golden::kRemoveWatchesAnyRequest);
  CHECK(request(13, Op::remove_watches, RemoveWatchesRequest{"/zkit-multi/a", WatcherType::any}) ==
        golden::kRemoveWatchesNoneRequest);
}

TEST_CASE("getEphemerals and getAllChildrenNumber send a bare path, whoAmI no body at all") {
  CHECK(request(15, Op::get_ephemerals, PathRequest{"/zkit-multi"}) ==
        golden::kGetEphemeralsRequest);
  CHECK(request(16, Op::get_all_children_number, PathRequest{"/zkit-multi"}) ==
        golden::kGetAllChildrenNumberRequest);
  std::string out;
  write_request(out, 17, Op::who_am_i);
  CHECK(hex(out) == golden::kWhoAmIRequest);
}

TEST_CASE("reconfig requests: null strings go out as length -1, curConfigId as a long") {
  CHECK(request(18, Op::reconfig, ReconfigRequest{}) == golden::kReconfigStandaloneRequest);
  CHECK(request(2, Op::reconfig, ReconfigRequest{std::nullopt, "2", std::nullopt, -1}) ==
        golden::kReconfigLeaveRequest);
  CHECK(request(3, Op::reconfig, ReconfigRequest{std::nullopt, "2", std::nullopt, 4294967299}) ==
        golden::kReconfigStaleRequest);
  CHECK(request(4, Op::reconfig,
                ReconfigRequest{kJoining, std::nullopt, std::nullopt, 4294967298}) ==
        golden::kReconfigJoinRequest);
}

TEST_CASE("SetWatches2 with all five lists non-empty matches the wire") {
  const std::array<std::string_view, 1> data{"/zkit-multi/b"};
  const std::array<std::string_view, 1> exist{"/zkit-multi/c"};
  const std::array<std::string_view, 1> child{"/zkit-multi"};
  const std::array<std::string_view, 1> persistent{"/zkit-multi/box"};
  const std::array<std::string_view, 1> recursive{"/zkit-multi"};
  std::string out;
  Writer w(out);
  auto start = w.begin_frame();
  encode(w, RequestHeader{kSetWatchesXid, Op::set_watches2});
  encode(w, SetWatches{18, data, exist, child, persistent, recursive}, true);
  w.end_frame(start);
  CHECK(hex(out) == golden::kSetWatches2AllRequest);
}

TEST_CASE("the setup creates and the super-user auth of the capture match the wire too") {
  CHECK(request(1, Op::create, CreateRequest{"/zkit-multi", "", kOpenAcl, 0}) ==
        golden::kMultiBaseRequest);
  CHECK(request(14, Op::create, CreateRequest{"/zkit-multi/eph", "", kOpenAcl, 1}) ==
        golden::kCreateEphemeralRequest);
  CHECK(request(kAuthXid, Op::auth, AuthPacket{0, "digest", "super:super"}) ==
        golden::kReconfigAuthRequest);
}

// --- server frames ----------------------------------------------------------------------------

TEST_CASE("a successful multi: create2 answers as create, container and TTL as create2") {
  auto results = multi_results(golden::kMultiReply, 2, 13);
  REQUIRE(results.size() == 7);
  for (const auto& r : results) CHECK(r.error == Errc::ok);

  CHECK(results[0].path == "/zkit-multi/a");  // create: path only
  CHECK_FALSE(results[0].stat.has_value());
  CHECK(results[1].path == "/zkit-multi/b");  // create2, answered as type 1: no Stat either
  CHECK_FALSE(results[1].stat.has_value());
  CHECK(results[2].path == "/zkit-multi/box");  // createContainer, answered as type 15
  REQUIRE(results[2].stat.has_value());
  CHECK(*results[2].stat == kBoxStat);
  CHECK(results[3].path == "/zkit-multi/ttl");  // createTTL, answered as type 15
  REQUIRE(results[3].stat.has_value());
  CHECK(*results[3].stat == kTtlStat);
  REQUIRE(results[4].stat.has_value());  // setData: the Stat after the change
  CHECK(*results[4].stat == kASet);
  CHECK(results[4].path.empty());
  for (std::size_t i : {5u, 6u}) {  // check, delete: no record
    CHECK(results[i].path.empty());
    CHECK_FALSE(results[i].stat.has_value());
    CHECK(results[i].data.empty());
    CHECK(results[i].children.empty());
  }
  zkit::MultiResult mr{true, results};
  CHECK(mr.first_failure() == nullptr);
}

TEST_CASE("a failed multi: ok before the failing op, its code, runtime_inconsistency after") {
  // ReplyHeader.err is 0 although nothing was applied, and the failure still took zxid 14.
  auto results = multi_results(golden::kMultiFailedReply, 3, 14);
  REQUIRE(results.size() == 3);
  CHECK(results[0].error == Errc::ok);
  CHECK(results[1].error == Errc::bad_version);
  CHECK(results[2].error == Errc::runtime_inconsistency);
  for (const auto& r : results) {
    CHECK(r.path.empty());
    CHECK_FALSE(r.stat.has_value());
  }
  zkit::MultiResult mr{false, results};
  REQUIRE(mr.first_failure() != nullptr);
  CHECK(mr.first_failure() == &mr.results[1]);
}

TEST_CASE("an empty multi answers with the closing header alone, and takes a zxid") {
  auto results = multi_results(golden::kMultiEmptyReply, 4, 15);
  CHECK(results.empty());
}

TEST_CASE("a multiRead answers each op on its own: data, children, and a NoNode error") {
  auto results = multi_results(golden::kMultiReadReply, 5, 15);
  REQUIRE(results.size() == 3);
  CHECK(results[0].error == Errc::ok);
  CHECK(results[0].data == "11");
  REQUIRE(results[0].stat.has_value());
  CHECK(*results[0].stat == kASet);
  CHECK(results[1].error == Errc::ok);
  CHECK(results[1].children == std::vector<std::string>{"a", "box", "ttl"});
  CHECK_FALSE(results[1].stat.has_value());
  CHECK(results[2].error == Errc::no_node);
  CHECK(results[2].data.empty());
  CHECK_FALSE(results[2].stat.has_value());
}

TEST_CASE("a read op inside multi is refused as a whole with a bare MarshallingError") {
  check_bare(golden::kMultiWithReadReply, 6, 16,
             static_cast<std::int32_t>(Errc::marshalling_error));
}

TEST_CASE("addWatch answers with a 20-byte body-carrying frame: header + ErrorResponse{0}") {
  for (auto [frame, xid] : {std::pair{golden::kAddWatchReply, 7},
                            std::pair{golden::kAddWatchRecursiveReply, 8}}) {
    Reply rep(frame);
    CHECK(rep.bytes.size() == 4 + 20);
    check_header(rep.header, xid, 16, 0);
    ErrorResponse er{-1};
    REQUIRE(decode(rep.reader, er));
    CHECK(er.err == 0);
    CHECK(rep.reader.at_end());
  }
}

TEST_CASE("checkWatches and removeWatches answer bare headers, NoWatcher when nothing matched") {
  constexpr auto kNoWatcher = static_cast<std::int32_t>(Errc::no_watcher);
  check_bare(golden::kCheckWatchesReply, 9, 16, 0);
  check_bare(golden::kRemoveWatchesReply, 10, 16, 0);
  // The persistent watch sat in both lists: removing its child half left the data half.
  check_bare(golden::kCheckWatchesNoneReply, 11, 16, kNoWatcher);
  check_bare(golden::kRemoveWatchesAnyReply, 12, 16, 0);
  check_bare(golden::kRemoveWatchesNoneReply, 13, 16, kNoWatcher);
}

TEST_CASE("getEphemerals lists full paths of this session's ephemerals") {
  Reply rep(golden::kGetEphemeralsReply);
  check_header(rep.header, 15, 17, 0);
  std::vector<std::string> paths{"stale"};
  REQUIRE(decode_get_ephemerals_response(rep.reader, paths));
  CHECK(paths == std::vector<std::string>{"/zkit-multi/eph"});
  CHECK(rep.reader.at_end());
}

TEST_CASE("getAllChildrenNumber counts every descendant") {
  Reply rep(golden::kGetAllChildrenNumberReply);
  check_header(rep.header, 16, 17, 0);
  std::int32_t total = -1;
  REQUIRE(decode_get_all_children_number_response(rep.reader, total));
  CHECK(total == 4);  // a, box, ttl, eph
  CHECK(rep.reader.at_end());
}

TEST_CASE("whoAmI lists the digest id (user name only) and the ip id") {
  Reply rep(golden::kWhoAmIReply);
  check_header(rep.header, 17, 17, 0);
  std::vector<ClientInfo> infos;
  REQUIRE(decode_who_am_i_response(rep.reader, infos));
  CHECK(infos == std::vector<ClientInfo>{{"digest", "alice"}, {"ip", "127.0.0.1"}});
  CHECK(rep.reader.at_end());
}

TEST_CASE("reconfig: refused on a standalone server, a GetDataResponse on an ensemble") {
  // The refusal still took a zxid (18; the ping after it reports 18 too).
  check_bare(golden::kReconfigStandaloneReply, 18, 18,
             static_cast<std::int32_t>(Errc::reconfig_disabled));
  check_bare(golden::kReconfigStaleReply, 3, 4294967299,
             static_cast<std::int32_t>(Errc::bad_version));

  Reply leave(golden::kReconfigLeaveReply);
  check_header(leave.header, 2, 4294967298, 0);
  std::string config;
  Stat stat;
  REQUIRE(decode_get_data_response(leave.reader, config, stat));
  CHECK(config ==
        "server.1=127.0.0.1:25090:25190:participant;127.0.0.1:24990\n"
        "server.3=127.0.0.1:25092:25192:participant;127.0.0.1:24992\n"
        "version=100000002");
  CHECK(stat == kConfigAfterLeave);
  CHECK(leave.reader.at_end());

  Reply join(golden::kReconfigJoinReply);
  check_header(join.header, 4, 4294967300, 0);
  REQUIRE(decode_get_data_response(join.reader, config, stat));
  CHECK(config == std::string(kConfig3) + "version=100000004");
  CHECK(stat == kConfigAfterJoin);
  CHECK(join.reader.at_end());
}

TEST_CASE("notifications around the new ops") {
  // The recursive watch saw the ephemeral's creation before the create's own reply came.
  check_notification(golden::kCreateEphemeralNotification, kNodeCreated, "/zkit-multi/eph");
  // SetWatches2 re-armed a data watch on a node the multi had deleted: it fired at once.
  check_notification(golden::kSetWatches2AllNotification, kNodeDeleted, "/zkit-multi/b");
  check_bare(golden::kSetWatches2AllReply, kSetWatchesXid, 18, 0);
  // closeSession removed the ephemeral; the closing connection was told before its reply.
  check_notification(golden::kAdminCloseNotification, kNodeDeleted, "/zkit-multi/eph");
  check_bare(golden::kAdminCloseReply, 19, 19, 0);
}

// --- client frames decoded back ---------------------------------------------------------------

TEST_CASE("the captured multi request decodes back to its ops, ACLs included") {
  auto bytes = unhex(golden::kMultiRequest);
  Reader r(prototest::body_of(bytes));
  RequestHeader h;
  REQUIRE(decode(r, h));
  CHECK(h.xid == 2);
  CHECK(h.type == Op::multi);
  std::vector<MultiOp> ops;
  std::vector<zkit::AclList> acls;
  REQUIRE(decode_multi(r, ops, acls));
  CHECK(r.at_end());
  const auto want = successful_multi_ops();
  REQUIRE(ops.size() == want.size());
  CHECK(acls.size() == 4);  // one list per create op
  for (std::size_t i = 0; i < ops.size(); ++i) {
    CAPTURE(i);
    CHECK(ops[i].type == want[i].type);
    CHECK(ops[i].path == want[i].path);
    CHECK(ops[i].data == want[i].data);
    CHECK(ops[i].flags == want[i].flags);
    CHECK(ops[i].ttl == want[i].ttl);
    CHECK(ops[i].version == want[i].version);
    REQUIRE(ops[i].acl.size() == want[i].acl.size());
    for (std::size_t j = 0; j < ops[i].acl.size(); ++j) CHECK(ops[i].acl[j] == want[i].acl[j]);
  }
  // And back again, byte for byte.
  CHECK(multi_request(2, Op::multi, ops) == golden::kMultiRequest);
}

TEST_CASE("the captured reconfig requests decode back, null and present strings apart") {
  struct Case {
    std::string_view frame;
    std::optional<std::string_view> joining, leaving;
    std::int64_t config_id;
  };
  for (const auto& c : {Case{golden::kReconfigStandaloneRequest, std::nullopt, std::nullopt, -1},
                        Case{golden::kReconfigLeaveRequest, std::nullopt, "2", -1},
                        Case{golden::kReconfigJoinRequest, kJoining, std::nullopt, 4294967298}}) {
    auto bytes = unhex(c.frame);
    Reader r(prototest::body_of(bytes));
    RequestHeader h;
    REQUIRE(decode(r, h));
    CHECK(h.type == Op::reconfig);
    ReconfigRequest req{"x", "x", "x", 0};
    REQUIRE(decode(r, req));
    CHECK(req.joining_servers == c.joining);
    CHECK(req.leaving_servers == c.leaving);
    CHECK_FALSE(req.new_members.has_value());
    CHECK(req.cur_config_id == c.config_id);
    CHECK(r.at_end());
  }
}

TEST_CASE("the captured addWatch and removeWatches requests decode back") {
  auto add = unhex(golden::kAddWatchRecursiveRequest);
  Reader r(prototest::body_of(add));
  RequestHeader h;
  REQUIRE(decode(r, h));
  CHECK(h.type == Op::add_watch);
  AddWatchRequest aw;
  REQUIRE(decode(r, aw));
  CHECK(aw.path == "/zkit-multi");
  CHECK(aw.mode == AddWatchMode::persistent_recursive);
  CHECK(r.at_end());

  auto rm = unhex(golden::kRemoveWatchesAnyRequest);
  Reader r2(prototest::body_of(rm));
  REQUIRE(decode(r2, h));
  CHECK(h.type == Op::remove_watches);
  RemoveWatchesRequest rw;
  REQUIRE(decode(r2, rw));
  CHECK(rw.path == "/zkit-multi/a");
  CHECK(rw.type == WatcherType::any);
  CHECK(r2.at_end());
}
