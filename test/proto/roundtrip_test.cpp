// Every record in records.hpp round-trips: encode -> decode gives the same field values, the
// decoder consumes exactly what the encoder wrote, and re-encoding the decoded value gives
// the same bytes. Values include the extremes and bytes that text handling would break
// (NUL, 0xff, non-ASCII UTF-8).
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

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
using zkit::Stat;

namespace {

constexpr auto kI64Min = std::numeric_limits<std::int64_t>::min();

// Every byte value once, then some more: data is binary, not text.
std::string all_bytes(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>(i * 7 + (i >> 8));
  return s;
}

const std::string kUtf8Path = "/caf\xc3\xa9/\xe6\x97\xa5\xe6\x9c\xac";  // /café/日本

const AclList kAcls{
    Acl{zkit::perm_all, {"world", "anyone"}},
    Acl{zkit::perm_read | zkit::perm_admin, {"digest", "alice:aYXlLOpEooaV1cRAvUL1fp9Qt7E="}},
    Acl{0, {"", ""}},  // the smallest entry (12 bytes) must decode too
    Acl{kI32Min, {"ip", "10.0.0.0/8"}},
};

void check_acls(std::span<const Acl> got, std::span<const Acl> want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == want[i]);
}

void check_lists(std::span<const std::string_view> got, std::span<const std::string_view> want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == want[i]);
}

}  // namespace

TEST_CASE("ConnectRequest round-trips, and an empty password goes out as 16 zero bytes") {
  const std::string password = all_bytes(kPasswordSize);
  for (auto req : {ConnectRequest{0, 0, 30000, 0, {}, false},
                   ConnectRequest{0, 0x1234, 4000, 0x0100000123456789, password, true},
                   ConnectRequest{kI32Min, kI64Max, kI32Max, kI64Min, "x", false}}) {
    auto bytes = encoded(req);
    Reader r(bytes);
    ConnectRequest back;
    std::string_view password_view;
    REQUIRE(decode(r, back, password_view));
    CHECK(r.at_end());
    CHECK(back.protocol_version == req.protocol_version);
    CHECK(back.last_zxid_seen == req.last_zxid_seen);
    CHECK(back.timeout_ms == req.timeout_ms);
    CHECK(back.session_id == req.session_id);
    CHECK(back.read_only == req.read_only);
    if (req.password.empty())
      CHECK(back.password == std::string(kPasswordSize, '\0'));
    else
      CHECK(back.password == req.password);
    CHECK(back.password == password_view);
    CHECK(hex(encoded(back)) == hex(bytes));
  }
}

TEST_CASE("ConnectResponse round-trips with readOnly true and false") {
  for (bool ro : {false, true}) {
    ConnectResponse resp{0, 40000, 0x0100000abcdef012, all_bytes(kPasswordSize), ro};
    auto bytes = encoded(resp);
    CHECK(bytes.size() == 37);
    Reader r(bytes);
    ConnectResponse back;
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back.protocol_version == resp.protocol_version);
    CHECK(back.timeout_ms == resp.timeout_ms);
    CHECK(back.session_id == resp.session_id);
    CHECK(back.password == resp.password);
    CHECK(back.read_only == ro);
    CHECK(hex(encoded(back)) == hex(bytes));
  }
}

TEST_CASE("a refused session's ConnectResponse (timeout 0, id 0) round-trips") {
  ConnectResponse refused{0, 0, 0, std::string(kPasswordSize, '\0'), false};
  auto bytes = encoded(refused);
  Reader r(bytes);
  ConnectResponse back;
  REQUIRE(decode(r, back));
  CHECK(back.timeout_ms == 0);
  CHECK(back.session_id == 0);
  CHECK(hex(encoded(back)) == hex(bytes));
}

TEST_CASE("RequestHeader round-trips for ordinary and reserved xids and every opcode sign") {
  for (auto h : {RequestHeader{1, Op::create}, RequestHeader{kPingXid, Op::ping},
                 RequestHeader{kI32Max, Op::who_am_i}, RequestHeader{17, Op::close_session},
                 RequestHeader{kSetWatchesXid, Op::set_watches2}}) {
    auto bytes = encoded(h);
    CHECK(bytes.size() == 8);
    Reader r(bytes);
    RequestHeader back;
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back.xid == h.xid);
    CHECK(back.type == h.type);
    CHECK(hex(encoded(back)) == hex(bytes));
  }
}

TEST_CASE("ReplyHeader round-trips in 16 bytes") {
  for (auto h : {ReplyHeader{kNotificationXid, -1, 0}, ReplyHeader{5, kI64Max, -101},
                 ReplyHeader{kI32Min, kI64Min, kI32Min}}) {
    auto bytes = encoded(h);
    CHECK(bytes.size() == kReplyHeaderSize);
    Reader r(bytes);
    ReplyHeader back;
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back.xid == h.xid);
    CHECK(back.zxid == h.zxid);
    CHECK(back.err == h.err);
    CHECK(hex(encoded(back)) == hex(bytes));
  }
}

TEST_CASE("Stat round-trips in 68 bytes with every field distinct") {
  // Distinct values catch two fields swapped in the encoder and the decoder alike.
  for (auto s : {Stat{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
                 Stat{kI64Max, kI64Min, -1, 0x0102030405060708, kI32Max, kI32Min, -1,
                      0x0100000000000001, 1048575, 0x7ffffffe, -2}}) {
    auto bytes = encoded(s);
    CHECK(bytes.size() == 68);
    Reader r(bytes);
    Stat back;
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back == s);
    CHECK(hex(encoded(back)) == hex(bytes));
  }
}

TEST_CASE("a single Acl and an ACL list round-trip, including an empty list") {
  for (const auto& a : kAcls) {
    auto bytes = encoded(a);
    Reader r(bytes);
    Acl back;
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back == a);
    CHECK(hex(encoded(back)) == hex(bytes));
  }
  for (std::span<const Acl> list : {std::span<const Acl>(kAcls), std::span<const Acl>()}) {
    auto bytes = encoded(list);
    Reader r(bytes);
    AclList back{Acl{1, {"stale", "entry"}}};  // decoding replaces, never appends
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    check_acls(back, list);
    CHECK(hex(encoded(std::span<const Acl>(back))) == hex(bytes));
  }
}

TEST_CASE("CreateRequest round-trips without and with the TTL field") {
  const std::string data = all_bytes(70000);
  const CreateRequest plain{kUtf8Path, data, kAcls, 3};
  const CreateRequest ttl{"/ttl", "d", kAcls, 5, (std::int64_t{1} << 40) - 1};
  for (auto [req, with_ttl] : {std::pair{plain, false}, std::pair{ttl, true}}) {
    auto bytes = encoded(req);
    Reader r(bytes);
    CreateRequest back;
    AclList storage;
    REQUIRE(decode(r, back, storage, with_ttl));
    CHECK(r.at_end());
    CHECK(back.path == req.path);
    CHECK(back.data == req.data);
    check_acls(back.acl, req.acl);
    CHECK(back.flags == req.flags);
    CHECK(back.ttl == req.ttl);
    CHECK(hex(encoded(back)) == hex(bytes));
  }
  // Null data is a length of -1, empty data a length of 0: the frames differ in that field only.
  const CreateRequest null_create{"/n", {}, kAcls, 0, -1, true};
  auto null_bytes = encoded(null_create);
  Reader r(null_bytes);
  CreateRequest back;
  AclList storage;
  REQUIRE(decode(r, back, storage, false));
  CHECK(back.null_data);
  CHECK(hex(encoded(back)) == hex(null_bytes));
  auto empty_bytes = encoded(CreateRequest{"/n", {}, kAcls, 0});
  Reader empty(empty_bytes);
  REQUIRE(decode(empty, back, storage, false));
  CHECK_FALSE(back.null_data);
  // The TTL is 8 bytes more; it is written only when set.
  CHECK(encoded(ttl).size() == encoded(CreateRequest{"/ttl", "d", kAcls, 5}).size() + 8);
}

TEST_CASE("path-only, path+version and path+watch requests round-trip") {
  for (std::string_view path : {std::string_view("/"), std::string_view(kUtf8Path),
                                std::string_view()}) {
    {
      auto bytes = encoded(PathRequest{path});
      Reader r(bytes);
      PathRequest back;
      REQUIRE(decode(r, back));
      CHECK(r.at_end());
      CHECK(back.path == path);
      CHECK(hex(encoded(back)) == hex(bytes));
    }
    for (std::int32_t version : {-1, 0, kI32Max}) {
      auto bytes = encoded(PathVersionRequest{path, version});
      Reader r(bytes);
      PathVersionRequest back;
      REQUIRE(decode(r, back));
      CHECK(r.at_end());
      CHECK(back.path == path);
      CHECK(back.version == version);
      CHECK(hex(encoded(back)) == hex(bytes));
    }
    for (bool watch : {false, true}) {
      auto bytes = encoded(PathWatchRequest{path, watch});
      Reader r(bytes);
      PathWatchRequest back;
      REQUIRE(decode(r, back));
      CHECK(r.at_end());
      CHECK(back.path == path);
      CHECK(back.watch == watch);
      CHECK(hex(encoded(back)) == hex(bytes));
    }
  }
}

TEST_CASE("SetDataRequest round-trips binary, empty and null data") {
  const std::string data = all_bytes(4096);
  for (auto req : {SetDataRequest{"/a", data, 41}, SetDataRequest{"/a", "", -1}, SetDataRequest{"/a", "", -1, true}}) {
    auto bytes = encoded(req);
    Reader r(bytes);
    SetDataRequest back;
    REQUIRE(decode(r, back));
    CHECK(r.at_end());
    CHECK(back.path == req.path);
    CHECK(back.data == req.data);
    CHECK(back.version == req.version);
    CHECK(back.null_data == req.null_data);
    CHECK(hex(encoded(back)) == hex(bytes));
  }
}

TEST_CASE("SetAclRequest round-trips") {
  SetAclRequest req{"/acl", kAcls, 9};
  auto bytes = encoded(req);
  Reader r(bytes);
  SetAclRequest back;
  AclList storage;
  REQUIRE(decode(r, back, storage));
  CHECK(r.at_end());
  CHECK(back.path == req.path);
  check_acls(back.acl, req.acl);
  CHECK(back.version == 9);
  CHECK(hex(encoded(back)) == hex(bytes));
}

TEST_CASE("AuthPacket round-trips, credentials being bytes") {
  const std::string cred = "bob:" + all_bytes(40);
  AuthPacket p{0, "digest", cred};
  auto bytes = encoded(p);
  Reader r(bytes);
  AuthPacket back;
  REQUIRE(decode(r, back));
  CHECK(r.at_end());
  CHECK(back.type == 0);
  CHECK(back.scheme == "digest");
  CHECK(back.auth == cred);
  CHECK(hex(encoded(back)) == hex(bytes));
}

TEST_CASE("WatcherEvent round-trips") {
  WatcherEvent e{4, 3, kUtf8Path};
  auto bytes = encoded(e);
  Reader r(bytes);
  WatcherEvent back;
  REQUIRE(decode(r, back));
  CHECK(r.at_end());
  CHECK(back.type == 4);
  CHECK(back.state == 3);
  CHECK(back.path == kUtf8Path);
  CHECK(hex(encoded(back)) == hex(bytes));
}

TEST_CASE("SetWatches round-trips as version 1 (three lists) and version 2 (five lists)") {
  const std::array<std::string_view, 3> data{"/a", "/b", kUtf8Path};
  const std::array<std::string_view, 1> exist{"/missing"};
  const std::array<std::string_view, 2> persistent{"/p", "/q"};
  const std::array<std::string_view, 1> recursive{"/"};
  SetWatches v1{kI64Max, data, exist, {}, {}, {}};
  SetWatches v2{42, data, exist, data, persistent, recursive};
  for (auto [sw, version2] : {std::pair{v1, false}, std::pair{v2, true}}) {
    auto bytes = encoded(sw, version2);
    Reader r(bytes);
    SetWatches back;
    std::vector<std::string_view> lists[5];
    REQUIRE(decode(r, back, lists, version2));
    CHECK(r.at_end());
    CHECK(back.relative_zxid == sw.relative_zxid);
    check_lists(back.data, sw.data);
    check_lists(back.exist, sw.exist);
    check_lists(back.child, sw.child);
    check_lists(back.persistent, sw.persistent);
    check_lists(back.persistent_recursive, sw.persistent_recursive);
    CHECK(hex(encoded(back, version2)) == hex(bytes));
  }
  // Version 1 leaves the persistent lists out entirely: two counts (8 bytes) fewer.
  CHECK(encoded(SetWatches{1, data, exist, {}, {}, {}}, true).size() ==
        encoded(SetWatches{1, data, exist, {}, {}, {}}, false).size() + 8);
}

TEST_CASE("a vector<ustring> decodes into views, with null as empty") {
  std::string bytes;
  Writer w(bytes);
  w.i32(3);
  w.bytes("one");
  w.null_bytes();
  w.bytes(kUtf8Path);
  Reader r(bytes);
  std::vector<std::string_view> out{"stale"};
  REQUIRE(decode(r, out));
  CHECK(r.at_end());
  REQUIRE(out.size() == 3);
  CHECK(out[0] == "one");
  CHECK(out[1].empty());
  CHECK(out[2] == kUtf8Path);
}

TEST_CASE("response bodies written with the primitives decode into the public types") {
  const Stat stat{11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21};
  const std::string data = all_bytes(1000);

  SUBCASE("create and sync: a path") {
    std::string bytes;
    Writer w(bytes);
    w.bytes(kUtf8Path);
    Reader r(bytes);
    std::string path;
    REQUIRE(decode_create_response(r, path));
    CHECK(path == kUtf8Path);
    Reader again(bytes);
    REQUIRE(decode_path(again, path));
    CHECK(path == kUtf8Path);
    CHECK(again.at_end());
  }
  SUBCASE("create2: a path and a Stat") {
    std::string bytes;
    Writer w(bytes);
    w.bytes("/n-0000000007");
    encode(w, stat);
    Reader r(bytes);
    std::string path;
    Stat back;
    REQUIRE(decode_create2_response(r, path, back));
    CHECK(r.at_end());
    CHECK(path == "/n-0000000007");
    CHECK(back == stat);
  }
  SUBCASE("getData: data and a Stat") {
    std::string bytes;
    Writer w(bytes);
    w.bytes(data);
    encode(w, stat);
    Reader r(bytes);
    std::string got;
    Stat back;
    REQUIRE(decode_get_data_response(r, got, back));
    CHECK(r.at_end());
    CHECK(got == data);
    CHECK(back == stat);
  }
  SUBCASE("getData: null data (length -1) and empty data (length 0) stay apart") {
    for (bool null : {true, false}) {
      CAPTURE(null);
      std::string bytes;
      Writer w(bytes);
      if (null)
        w.null_bytes();
      else
        w.bytes("");
      encode(w, stat);
      Reader r(bytes);
      std::string got = "stale";
      Stat back;
      bool is_null = !null;
      REQUIRE(decode_get_data_response(r, got, back, &is_null));
      CHECK(r.at_end());
      CHECK(is_null == null);
      CHECK(got.empty());
      CHECK(back == stat);
    }
  }
  SUBCASE("getChildren and getChildren2: names, then a Stat") {
    const std::vector<std::string> names{"a", "", kUtf8Path.substr(1), data};
    std::string bytes;
    Writer w(bytes);
    w.i32(static_cast<std::int32_t>(names.size()));
    for (const auto& n : names) w.bytes(n);
    const auto children_size = bytes.size();
    encode(w, stat);

    Reader r(std::string_view(bytes).substr(0, children_size));
    std::vector<std::string> got{"stale"};
    REQUIRE(decode_children(r, got));
    CHECK(r.at_end());
    CHECK(got == names);

    Reader r2(bytes);
    Stat back;
    REQUIRE(decode_children2(r2, got, back));
    CHECK(r2.at_end());
    CHECK(got == names);
    CHECK(back == stat);
  }
  SUBCASE("an empty or null children list") {
    for (std::int32_t count : {0, -1}) {
      std::string bytes;
      Writer w(bytes);
      w.i32(count);
      Reader r(bytes);
      std::vector<std::string> got{"stale"};
      REQUIRE(decode_children(r, got));
      CHECK(got.empty());
    }
  }
  SUBCASE("getACL: an ACL list and a Stat") {
    std::string bytes;
    Writer w(bytes);
    encode(w, std::span<const Acl>(kAcls));
    encode(w, stat);
    Reader r(bytes);
    AclList acl;
    Stat back;
    REQUIRE(decode_get_acl_response(r, acl, back));
    CHECK(r.at_end());
    CHECK(acl == kAcls);
    CHECK(back == stat);
  }
}
