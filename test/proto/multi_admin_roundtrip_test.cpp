// Round trips of the records in multi.hpp and admin.hpp: encode -> decode gives the same
// values, decoding consumes exactly what was written, and re-encoding gives the same bytes.
// Plus the byte layouts the protocol document fixes (MultiHeader, where createTTL's ttl goes,
// null versus empty strings in reconfig).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/admin.hpp"
#include "proto/multi.hpp"
#include "codec_checks.hpp"
#include "proto/records.hpp"
#include "support.hpp"

using namespace zkit::proto;
using prototest::encoded;
using prototest::kI32Max;
using prototest::kI32Min;
using prototest::kI64Max;
using prototest::hex;
using zkit::Acl;
using zkit::AclList;
using zkit::ClientInfo;
using zkit::Errc;
using zkit::OpResult;
using zkit::Stat;

namespace {

const std::string kBinary("\0\xff\x01z\xc3\xa9", 6);  // NUL, 0xff, UTF-8: bytes, not text
const AclList kAclA{Acl{zkit::perm_all, {"world", "anyone"}}};
const AclList kAclB{Acl{zkit::perm_read, {"ip", "10.0.0.0/8"}},
                    Acl{zkit::perm_all, {"digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="}}};

std::string multi_bytes(std::span<const MultiOp> ops) {
  std::string out;
  Writer w(out);
  encode_multi(w, ops);
  return out;
}

std::string response_bytes(std::span<const MultiResultView> results) {
  std::string out;
  Writer w(out);
  encode_multi_response(w, results);
  return out;
}

// Every op type the two requests allow, with values at the edges.
std::vector<MultiOp> every_op() {
  return {
      {.type = Op::create, .path = "/a", .data = kBinary, .acl = kAclA, .flags = 3},
      {.type = Op::create2, .path = "/b", .data = "", .acl = kAclB, .flags = 0},
      {.type = Op::create_container, .path = "/c", .acl = kAclA, .flags = 4},
      {.type = Op::create_ttl, .path = "/d", .data = "t", .acl = kAclB, .flags = 6,
       .ttl = (std::int64_t{1} << 40) - 1},
      {.type = Op::remove, .path = "/e", .version = kI32Max},
      {.type = Op::set_data, .path = "/caf\xc3\xa9", .data = kBinary, .version = -1},
      {.type = Op::create, .path = "/n", .acl = kAclA, .flags = 0, .null_data = true},
      {.type = Op::set_data, .path = "/n", .version = 2, .null_data = true},
      {.type = Op::check, .path = "/g", .version = kI32Min},
      {.type = Op::get_data, .path = "/h"},
      {.type = Op::get_children, .path = "/"},
  };
}

void check_same_op(const MultiOp& got, const MultiOp& want) {
  CHECK(got.type == want.type);
  CHECK(got.path == want.path);
  CHECK(got.data == want.data);
  CHECK(got.flags == want.flags);
  CHECK(got.ttl == want.ttl);
  CHECK(got.version == want.version);
  CHECK(got.null_data == want.null_data);
  REQUIRE(got.acl.size() == want.acl.size());
  for (std::size_t i = 0; i < got.acl.size(); ++i) CHECK(got.acl[i] == want.acl[i]);
}

void check_same_result(const OpResult& got, const OpResult& want) {
  CHECK(got.error == want.error);
  CHECK(got.path == want.path);
  CHECK(got.stat == want.stat);
  CHECK(got.data == want.data);
  CHECK(got.children == want.children);
  CHECK(got.null_data == want.null_data);
}

}  // namespace

TEST_CASE("MultiHeader is int type, boolean done, int err: 9 bytes") {
  CHECK(hex(encoded(MultiHeader{15, false, -1})) == "0000000f" "00" "ffffffff");
  CHECK(hex(encoded(MultiHeader{})) == "ffffffff" "01" "ffffffff");  // the closing header
  for (auto h : {MultiHeader{1, false, 0}, MultiHeader{-1, true, -1},
                 MultiHeader{kI32Min, true, kI32Max}}) {
    auto bytes = encoded(h);
    CHECK(bytes.size() == kMultiHeaderSize);
    Reader r(bytes);
    MultiHeader back{0, false, 0};
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back.type == h.type);
    CHECK(back.done == h.done);
    CHECK(back.err == h.err);
  }
}

TEST_CASE("each op record has the fields its opcode needs, and only createTTL a ttl") {
  const auto path = hex(encoded(PathRequest{"/p"}));  // 00000002 2f70
  const auto open_acl =
      "00000001" "0000001f" "00000005" + hex("world") + "00000006" + hex("anyone");
  auto op_hex = [](const MultiOp& op) { return hex(encoded(op)); };
  // A ttl set on a non-TTL create is not written: the opcode decides, not the value.
  for (Op t : {Op::create, Op::create2, Op::create_container})
    CHECK(op_hex({.type = t, .path = "/p", .data = "d", .acl = kAclA, .flags = 4, .ttl = 99}) ==
          path + "00000001" + hex("d") + open_acl + "00000004");
  // And createTTL writes its ttl even when it is -1 (the server answers BadArguments).
  CHECK(op_hex({.type = Op::create_ttl, .path = "/p", .acl = kAclA, .flags = 5, .ttl = 600000}) ==
        path + "00000000" + open_acl + "00000005" "00000000000927c0");
  CHECK(op_hex({.type = Op::create_ttl, .path = "/p", .acl = kAclA, .flags = 5}) ==
        path + "00000000" + open_acl + "00000005" "ffffffffffffffff");
  CHECK(op_hex({.type = Op::remove, .path = "/p", .version = 7}) == path + "00000007");
  CHECK(op_hex({.type = Op::check, .path = "/p"}) == path + "ffffffff");
  CHECK(op_hex({.type = Op::set_data, .path = "/p", .data = "d", .version = 2}) ==
        path + "00000001" + hex("d") + "00000002");
  // Null data is a buffer of length -1, not 0, and it wins over any bytes set beside it.
  CHECK(op_hex({.type = Op::create, .path = "/p", .data = "d", .acl = kAclA, .null_data = true}) ==
        path + "ffffffff" + open_acl + "00000000");
  CHECK(op_hex({.type = Op::set_data, .path = "/p", .data = "d", .version = 2, .null_data = true}) ==
        path + "ffffffff" "00000002");
  // Reads carry a watch flag the server ignores: always false.
  CHECK(op_hex({.type = Op::get_data, .path = "/p"}) == path + "00");
  CHECK(op_hex({.type = Op::get_children, .path = "/p"}) == path + "00");
  // Not a multi op: no record at all (allowed_in_multi says so first).
  CHECK(op_hex({.type = Op::exists, .path = "/p"}).empty());
}

TEST_CASE("encode_multi frames every op with {type, false, -1} and ends with {-1, true, -1}") {
  const std::vector<MultiOp> ops{{.type = Op::check, .path = "/p", .version = 3},
                                 {.type = Op::remove, .path = "/q"}};
  CHECK(hex(multi_bytes(ops)) ==
        "0000000d" "00" "ffffffff" "00000002" + hex("/p") + "00000003" +
        "00000002" "00" "ffffffff" "00000002" + hex("/q") + "ffffffff" +
        "ffffffff" "01" "ffffffff");
  // The span overload of encode is the same thing (what write_request uses).
  CHECK(encoded(std::span<const MultiOp>(ops)) == multi_bytes(ops));
}

TEST_CASE("a MultiRequest with every op type round-trips, each create keeping its own ACL") {
  const auto ops = every_op();
  const auto bytes = multi_bytes(ops);
  Reader r(bytes);
  std::vector<MultiOp> back{{.type = Op::ping}};  // stale content must go
  std::vector<AclList> acls{kAclB};
  REQUIRE(decode_multi(r, back, acls));
  CHECK(r.at_end());
  REQUIRE(back.size() == ops.size());
  CHECK(acls.size() == 5);  // one per create
  for (std::size_t i = 0; i < ops.size(); ++i) {
    CAPTURE(i);
    check_same_op(back[i], ops[i]);
  }
  CHECK(multi_bytes(back) == bytes);
}

TEST_CASE("an empty MultiRequest round-trips as the closing header alone") {
  const auto bytes = multi_bytes({});
  CHECK(bytes.size() == kMultiHeaderSize);
  Reader r(bytes);
  std::vector<MultiOp> back;
  std::vector<AclList> acls;
  REQUIRE(decode_multi(r, back, acls));
  CHECK(back.empty());
  CHECK(r.at_end());
}

TEST_CASE("decode_multi stops at the closing header and leaves what follows") {
  auto bytes = multi_bytes(every_op()) + "tail";
  Reader r(bytes);
  std::vector<MultiOp> back;
  std::vector<AclList> acls;
  REQUIRE(decode_multi(r, back, acls));
  CHECK(r.remaining() == 4);
}

TEST_CASE("a MultiResponse with every result type round-trips into OpResult") {
  const Stat s1{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  const Stat s2{kI64Max, -1, 0, 1, kI32Min, kI32Max, -1, 0x0100000000000001, 1048575, 0, 12};
  std::vector<std::pair<Op, OpResult>> cases{
      {Op::create, OpResult{.path = "/a-0000000001"}},
      {Op::create2, OpResult{.path = "/b", .stat = s1}},
      {Op::remove, OpResult{}},
      {Op::set_data, OpResult{.stat = s2}},
      {Op::check, OpResult{}},
      {Op::get_data, OpResult{.stat = s1, .data = kBinary}},
      {Op::get_data, OpResult{.stat = s2, .data = ""}},
      {Op::get_data, OpResult{.stat = s2, .null_data = true}},  // length -1, not 0
      {Op::get_children, OpResult{.children = {"x", "", "caf\xc3\xa9"}}},
      {Op::get_children, OpResult{}},
      {Op::error, OpResult{.error = Errc::ok}},
      {Op::error, OpResult{.error = Errc::bad_version}},
      {Op::error, OpResult{.error = Errc::runtime_inconsistency}},
      {Op::error, OpResult{.error = static_cast<Errc>(-999)}},  // unknown codes keep their number
  };
  std::vector<MultiResultView> views;
  for (const auto& [type, res] : cases) views.push_back({type, &res});
  const auto bytes = response_bytes(views);
  Reader r(bytes);
  std::vector<OpResult> back(2);  // stale content must go
  REQUIRE(decode_multi_response(r, back));
  CHECK(r.at_end());
  REQUIRE(back.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    CAPTURE(i);
    check_same_result(back[i], cases[i].second);
  }
}

TEST_CASE("an error result carries its code in the header and in ErrorResponse") {
  const OpResult res{.error = Errc::no_node};
  const std::array<MultiResultView, 1> views{MultiResultView{Op::error, &res}};
  CHECK(hex(response_bytes(views)) ==
        "ffffffff" "00" "ffffff9b" "ffffff9b" "ffffffff" "01" "ffffffff");
}

TEST_CASE("the ErrorResponse body, not the header, gives a result's error code") {
  // The server always sends the same code twice; the Java client reads the body, so do we.
  const auto bytes =
      prototest::unhex("ffffffff" "00" "00000000" "ffffff99" "ffffffff" "01" "ffffffff");
  Reader r(bytes);
  std::vector<OpResult> out;
  REQUIRE(decode_multi_response(r, out));
  REQUIRE(out.size() == 1);
  CHECK(out[0].error == Errc::bad_version);
}

TEST_CASE("max_results: as many results as allowed decode, one more fails") {
  const OpResult empty;
  const std::vector<MultiResultView> views(5, MultiResultView{Op::check, &empty});
  const auto bytes = response_bytes(views);
  for (std::size_t max : {5u, 6u, 100u}) {
    Reader r(bytes);
    std::vector<OpResult> out;
    CHECK(decode_multi_response(r, out, max));
    CHECK(out.size() == 5);
  }
  for (std::size_t max : {0u, 4u}) {
    Reader r(bytes);
    std::vector<OpResult> out;
    CHECK_FALSE(decode_multi_response(r, out, max));
    CHECK_FALSE(r.ok());
    CHECK(out.empty());
  }
  // An empty response is fine with max 0.
  const auto none = response_bytes({});
  Reader r(none);
  std::vector<OpResult> out;
  CHECK(decode_multi_response(r, out, 0));
}

TEST_CASE("AddWatchRequest and WatchesRequest round-trip") {
  for (auto mode : {AddWatchMode::persistent, AddWatchMode::persistent_recursive,
                    static_cast<AddWatchMode>(kI32Min)}) {
    const AddWatchRequest req{"/caf\xc3\xa9", mode};
    auto bytes = encoded(req);
    CHECK(bytes.size() == 4 + req.path.size() + 4);
    Reader r(bytes);
    AddWatchRequest back;
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back.path == req.path);
    CHECK(back.mode == req.mode);
    CHECK(encoded(back) == bytes);
  }
  for (auto [type, type_hex] : {std::pair{WatcherType::children, "00000001"},
                                std::pair{WatcherType::data, "00000002"},
                                std::pair{WatcherType::any, "00000003"}}) {
    const WatchesRequest req{"/", type};
    auto bytes = encoded(req);
    CHECK(hex(bytes) == std::string("000000012f") + type_hex);
    Reader r(bytes);
    WatchesRequest back;
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back.path == req.path);
    CHECK(back.type == req.type);
  }
}

TEST_CASE("ReconfigRequest round-trips every mix of null, empty and present strings") {
  const std::optional<std::string_view> values[] = {std::nullopt, std::string_view(""),
                                                    std::string_view("server.4=127.0.0.1:1:2;3")};
  for (const auto& j : values)
    for (const auto& l : values)
      for (const auto& n : values)
        for (std::int64_t id : {std::int64_t{-1}, std::int64_t{0}, std::int64_t{0x100000002},
                                kI64Max}) {
          const ReconfigRequest req{j, l, n, id};
          auto bytes = encoded(req);
          Reader r(bytes);
          ReconfigRequest back{"x", "x", "x", 5};
          REQUIRE(decode(r, back));
          CHECK(r.at_end());
          CHECK(back.joining_servers == j);
          CHECK(back.leaving_servers == l);
          CHECK(back.new_members == n);
          CHECK(back.cur_config_id == id);
          CHECK(encoded(back) == bytes);
        }
  // Null is length -1, empty is length 0: different values to the server.
  CHECK(hex(encoded(ReconfigRequest{std::nullopt, "", std::nullopt, -1})) ==
        "ffffffff" "00000000" "ffffffff" "ffffffffffffffff");
}

TEST_CASE("ErrorResponse, GetAllChildrenNumberResponse round-trip at the extremes") {
  for (std::int32_t v : {0, -121, kI32Min, kI32Max}) {
    auto bytes = encoded(ErrorResponse{v});
    CHECK(bytes.size() == 4);
    Reader r(bytes);
    ErrorResponse back{1};
    REQUIRE(decode(r, back));
    CHECK(back.err == v);
    CHECK(r.at_end());

    std::string out;
    Writer w(out);
    encode_get_all_children_number_response(w, v);
    Reader r2(out);
    std::int32_t total = 1;
    REQUIRE(decode_get_all_children_number_response(r2, total));
    CHECK(total == v);
    CHECK(r2.at_end());
  }
}

TEST_CASE("GetEphemeralsResponse and WhoAmIResponse round-trip, empty lists included") {
  for (const auto& paths :
       {std::vector<std::string>{}, std::vector<std::string>{"/a/e", "", kBinary}}) {
    std::string out;
    Writer w(out);
    encode_get_ephemerals_response(w, paths);
    Reader r(out);
    std::vector<std::string> back{"stale"};
    REQUIRE(decode_get_ephemerals_response(r, back));
    CHECK(back == paths);
    CHECK(r.at_end());
  }
  for (const auto& infos :
       {std::vector<ClientInfo>{},
        std::vector<ClientInfo>{{"digest", "alice"},
                                {"ip", "127.0.0.1"},
                                {"x509", "O=zk-tests,CN=test-client"},
                                {"", ""},
                                {"sasl", kBinary}}}) {
    std::string out;
    Writer w(out);
    encode_who_am_i_response(w, infos);
    Reader r(out);
    std::vector<ClientInfo> back{{"stale", "stale"}};
    REQUIRE(decode_who_am_i_response(r, back));
    CHECK(back == infos);
    CHECK(r.at_end());
  }
}

TEST_CASE("a null vector (count -1) reads as an empty list") {
  const auto bytes = prototest::unhex("ffffffff");
  Reader r1(bytes);
  std::vector<std::string> paths{"stale"};
  CHECK(decode_get_ephemerals_response(r1, paths));
  CHECK(paths.empty());
  Reader r2(bytes);
  std::vector<ClientInfo> infos{{"stale", "stale"}};
  CHECK(decode_who_am_i_response(r2, infos));
  CHECK(infos.empty());
}

TEST_CASE("the allowed op lists follow section 7") {
  for (Op t : {Op::create, Op::create2, Op::create_container, Op::create_ttl, Op::remove,
               Op::set_data, Op::check}) {
    CHECK(allowed_in_multi(t));
    CHECK_FALSE(allowed_in_multi_read(t));
  }
  for (Op t : {Op::get_data, Op::get_children}) {
    CHECK(allowed_in_multi_read(t));
    CHECK_FALSE(allowed_in_multi(t));
  }
  for (Op t : {Op::exists, Op::get_children2, Op::set_acl, Op::multi, Op::error, Op::sync}) {
    CHECK_FALSE(allowed_in_multi(t));
    CHECK_FALSE(allowed_in_multi_read(t));
  }
}
