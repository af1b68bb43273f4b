// Every client frame our encoders produce must be byte-identical to the frame a live server
// accepted with the same field values (golden_frames.hpp, captured by capture_golden.py).
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <string_view>

#include "codec_checks.hpp"
#include "golden_frames.hpp"
#include "proto/records.hpp"
#include "support.hpp"

using namespace zkit::proto;
using prototest::kOpenAcl;
using prototest::request;
using prototest::hex;
using prototest::unhex;
using zkit::Acl;

namespace {

const std::string_view kAliceId = "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E=";

const std::array<Acl, 2> kChildAcl{Acl{zkit::perm_read, {"world", "anyone"}},
                                   Acl{zkit::perm_all, {"digest", std::string(kAliceId)}}};
const std::array<Acl, 2> kRootAcl{Acl{zkit::perm_all, {"digest", std::string(kAliceId)}},
                                  Acl{zkit::perm_read, {"world", "anyone"}}};

std::string bodyless_request(std::int32_t xid, Op op) {
  std::string out;
  write_request(out, xid, op);
  return hex(out);
}

// The handshake has no RequestHeader, and SetWatches needs its version flag: both are framed
// by hand, the way the session layer has to.
std::string connect_frame(const ConnectRequest& req) {
  std::string out;
  Writer w(out);
  auto start = w.begin_frame();
  encode(w, req);
  w.end_frame(start);
  return hex(out);
}

std::string set_watches_frame(const SetWatches& sw, bool version2) {
  std::string out;
  Writer w(out);
  auto start = w.begin_frame();
  encode(w, RequestHeader{kSetWatchesXid, version2 ? Op::set_watches2 : Op::set_watches});
  encode(w, sw, version2);
  w.end_frame(start);
  return hex(out);
}

// The session id and password the server handed out in the captured ConnectResponse.
ConnectResponse captured_session() {
  auto bytes = unhex(golden::kConnectResponse);
  Reader r(prototest::body_of(bytes));
  ConnectResponse resp;
  REQUIRE(decode(r, resp));
  return resp;
}

}  // namespace

TEST_CASE("a new-session ConnectRequest (timeout 30000, zero password) matches the wire") {
  CHECK(connect_frame(ConnectRequest{0, 0, 30000, 0, {}, false}) == golden::kConnectRequest);
  // Spelling the 16 zero bytes out must give the same frame as leaving the password empty.
  const std::string zeros(kPasswordSize, '\0');
  CHECK(connect_frame(ConnectRequest{0, 0, 30000, 0, zeros, false}) == golden::kConnectRequest);
}

TEST_CASE("a resuming ConnectRequest carries lastZxidSeen, session id and password as captured") {
  auto session = captured_session();
  CHECK(session.session_id == 72057829091966976);
  ConnectRequest req{0, 7, 30000, session.session_id, session.password, false};
  CHECK(connect_frame(req) == golden::kReconnectRequest);
}

TEST_CASE("the digest auth packet (xid -4, op 100) matches the wire") {
  CHECK(request(kAuthXid, Op::auth, AuthPacket{0, "digest", "alice:secret"}) ==
        golden::kAuthRequest);
  // Sent again on the second connection: byte for byte the same frame.
  CHECK(golden::kReauthRequest == golden::kAuthRequest);
}

TEST_CASE("create with an open ACL matches the wire") {
  CreateRequest req{"/zkit-golden", "hello", kOpenAcl, 0};
  CHECK(request(1, Op::create, req) == golden::kCreateRequest);
}

TEST_CASE("create2 with a two-entry ACL (world read, digest all) matches the wire") {
  CreateRequest req{"/zkit-golden/child", "v1", kChildAcl, 0};
  CHECK(request(2, Op::create2, req) == golden::kCreate2Request);
}

TEST_CASE("an ephemeral sequential create with empty data matches the wire") {
  CreateRequest req{"/zkit-golden/e-", "", kOpenAcl,
                    static_cast<std::int32_t>(zkit::CreateMode::ephemeral_sequential)};
  CHECK(request(3, Op::create, req) == golden::kCreateSeqRequest);
}

TEST_CASE("a create with null data matches the wire: data length -1") {
  CreateRequest req{"/zkit-golden/null", {}, kOpenAcl, 0, -1, true};
  CHECK(request(4, Op::create, req) == golden::kCreateNullRequest);
}

TEST_CASE("a create with empty data is not null: data length 0") {
  CreateRequest req{"/zkit-golden/null", {}, kOpenAcl, 0};
  auto ours = request(4, Op::create, req);
  std::string wire(golden::kCreateNullRequest);
  auto at = wire.find("ffffffff");
  REQUIRE(at != std::string::npos);
  CHECK(ours == wire.replace(at, 8, "00000000"));
}

TEST_CASE("getData with and without a watch matches the wire") {
  CHECK(request(5, Op::get_data, PathWatchRequest{"/zkit-golden/child", true}) ==
        golden::kGetDataRequest);
  CHECK(request(6, Op::get_data, PathWatchRequest{"/zkit-golden/null", false}) ==
        golden::kGetDataNullRequest);
}

TEST_CASE("setData with an expected version matches the wire") {
  CHECK(request(7, Op::set_data, SetDataRequest{"/zkit-golden/child", "v2", 0}) ==
        golden::kSetDataRequest);
}

TEST_CASE("exists on a present node and on a missing node with a watch match the wire") {
  CHECK(request(8, Op::exists, PathWatchRequest{"/zkit-golden/child", false}) ==
        golden::kExistsRequest);
  CHECK(request(9, Op::exists, PathWatchRequest{"/zkit-golden/missing", true}) ==
        golden::kExistsMissingRequest);
}

TEST_CASE("getChildren and getChildren2 match the wire") {
  CHECK(request(10, Op::get_children, PathWatchRequest{"/zkit-golden", false}) ==
        golden::kGetChildrenRequest);
  CHECK(request(11, Op::get_children2, PathWatchRequest{"/zkit-golden", true}) ==
        golden::kGetChildren2Request);
}

TEST_CASE("setACL and getACL match the wire") {
  CHECK(request(12, Op::set_acl, SetAclRequest{"/zkit-golden", kRootAcl, 0}) ==
        golden::kSetAclRequest);
  CHECK(request(13, Op::get_acl, PathRequest{"/zkit-golden"}) == golden::kGetAclRequest);
}

TEST_CASE("sync matches the wire") {
  CHECK(request(14, Op::sync, PathRequest{"/zkit-golden"}) == golden::kSyncRequest);
}

TEST_CASE("ping (xid -2, op 11, no body) matches the wire") {
  CHECK(bodyless_request(kPingXid, Op::ping) == golden::kPingRequest);
}

TEST_CASE("SetWatches (op 101) with one path per list matches the wire") {
  const std::array<std::string_view, 1> data{"/zkit-golden/gone"};
  const std::array<std::string_view, 1> exist{"/zkit-golden/missing"};
  const std::array<std::string_view, 1> child{"/zkit-golden"};
  SetWatches sw{7, data, exist, child, {}, {}};
  CHECK(set_watches_frame(sw, false) == golden::kSetWatchesRequest);
}

TEST_CASE("SetWatches2 (op 105) with only persistent lists matches the wire") {
  const std::array<std::string_view, 1> persistent{"/zkit-golden"};
  const std::array<std::string_view, 1> recursive{"/zkit-golden/child"};
  SetWatches sw{7, {}, {}, {}, persistent, recursive};
  CHECK(set_watches_frame(sw, true) == golden::kSetWatches2Request);
}

TEST_CASE("delete with a version and with -1 (any) matches the wire") {
  CHECK(request(15, Op::remove, PathVersionRequest{"/zkit-golden/child", 1}) ==
        golden::kDeleteRequest);
  CHECK(request(16, Op::remove, PathVersionRequest{"/zkit-golden/child", -1}) ==
        golden::kDeleteMissingRequest);
}

TEST_CASE("closeSession (op -11, no body) matches the wire") {
  CHECK(bodyless_request(17, Op::close_session) == golden::kCloseSessionRequest);
}

TEST_CASE("write_request appends to a buffer and returns where the new frame starts") {
  // The session writes many requests into one output buffer: pipelined frames must be the
  // concatenation of the single frames.
  std::string out;
  CHECK(write_request(out, 13, Op::get_acl, PathRequest{"/zkit-golden"}) == 0);
  auto second = write_request(out, 14, Op::sync, PathRequest{"/zkit-golden"});
  CHECK(second == golden::kGetAclRequest.size() / 2);
  CHECK(second > 0);
  const auto before_ping = out.size();
  CHECK(write_request(out, kPingXid, Op::ping) == before_ping);
  CHECK(hex(out) == std::string(golden::kGetAclRequest) + std::string(golden::kSyncRequest) +
                        std::string(golden::kPingRequest));
}
