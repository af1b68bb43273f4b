// Reader safety: whatever a peer sends, a decoder stops at the end of its input and reports
// failure. Every prefix of every captured frame must fail (the bytes are cut from exact-size
// heap copies, so a build with -Db_sanitize=address,undefined reports any read past the end),
// mutated frames must not crash, and hostile counts and lengths must fail before any memory
// is reserved for them.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "golden_frames.hpp"
#include "hostile_frames.hpp"
#include "proto/records.hpp"
#include "support.hpp"

using namespace zkit::proto;
using prototest::AllocationMeter;
using prototest::check_every_prefix_fails;
using prototest::Decoder;
using prototest::ExactCopy;
using prototest::Golden;
using prototest::reply_header;
using prototest::request_header;
using prototest::request_with;
using prototest::unhex;
using zkit::AclList;
using zkit::Stat;

namespace {

const std::vector<Golden>& server_frames() {
  static const std::vector<Golden> frames{
      {"ConnectResponse", golden::kConnectResponse,
       [](Reader& r) {
         ConnectResponse c;
         return decode(r, c);
       },
       true},
      {"auth reply", golden::kAuthReply, reply_header},
      {"create reply", golden::kCreateReply,
       [](Reader& r) {
         std::string p;
         return reply_header(r) && decode_create_response(r, p);
       }},
      {"create2 reply", golden::kCreate2Reply,
       [](Reader& r) {
         std::string p;
         Stat s;
         return reply_header(r) && decode_create2_response(r, p, s);
       }},
      {"sequential create reply", golden::kCreateSeqReply,
       [](Reader& r) {
         std::string p;
         return reply_header(r) && decode_create_response(r, p);
       }},
      {"getData reply", golden::kGetDataReply,
       [](Reader& r) {
         std::string d;
         Stat s;
         return reply_header(r) && decode_get_data_response(r, d, s);
       }},
      {"getData reply, null data", golden::kGetDataNullReply,
       [](Reader& r) {
         std::string d;
         Stat s;
         return reply_header(r) && decode_get_data_response(r, d, s);
       }},
      {"notification", golden::kSetDataNotification,
       [](Reader& r) {
         WatcherEvent e;
         return reply_header(r) && decode(r, e);
       }},
      {"setData reply", golden::kSetDataReply,
       [](Reader& r) {
         Stat s;
         return reply_header(r) && decode(r, s);
       }},
      {"exists reply", golden::kExistsReply,
       [](Reader& r) {
         Stat s;
         return reply_header(r) && decode(r, s);
       }},
      {"exists NoNode reply", golden::kExistsMissingReply, reply_header},
      {"getChildren reply", golden::kGetChildrenReply,
       [](Reader& r) {
         std::vector<std::string> n;
         return reply_header(r) && decode_children(r, n);
       }},
      {"getChildren2 reply", golden::kGetChildren2Reply,
       [](Reader& r) {
         std::vector<std::string> n;
         Stat s;
         return reply_header(r) && decode_children2(r, n, s);
       }},
      {"setACL reply", golden::kSetAclReply,
       [](Reader& r) {
         Stat s;
         return reply_header(r) && decode(r, s);
       }},
      {"getACL reply", golden::kGetAclReply,
       [](Reader& r) {
         AclList a;
         Stat s;
         return reply_header(r) && decode_get_acl_response(r, a, s);
       }},
      {"sync reply", golden::kSyncReply,
       [](Reader& r) {
         std::string p;
         return reply_header(r) && decode_path(r, p);
       }},
      {"ping reply", golden::kPingReply, reply_header},
      {"SetWatches reply", golden::kSetWatchesReply, reply_header},
      {"delete reply", golden::kDeleteReply, reply_header},
      {"closeSession notification", golden::kCloseSessionNotification,
       [](Reader& r) {
         WatcherEvent e;
         return reply_header(r) && decode(r, e);
       }},
      {"closeSession reply", golden::kCloseSessionReply, reply_header},
  };
  return frames;
}

const std::vector<Golden>& client_frames() {
  static const std::vector<Golden> frames{
      {"ConnectRequest", golden::kReconnectRequest,
       [](Reader& r) {
         ConnectRequest c;
         std::string_view pw;
         return decode(r, c, pw);
       },
       true},
      {"auth", golden::kAuthRequest, request_with<AuthPacket>()},
      {"create2", golden::kCreate2Request,
       [](Reader& r) {
         CreateRequest c;
         AclList acl;
         return request_header(r) && decode(r, c, acl, false);
       }},
      {"getData", golden::kGetDataRequest, request_with<PathWatchRequest>()},
      {"setData", golden::kSetDataRequest, request_with<SetDataRequest>()},
      {"setACL", golden::kSetAclRequest,
       [](Reader& r) {
         SetAclRequest s;
         AclList acl;
         return request_header(r) && decode(r, s, acl);
       }},
      {"getACL", golden::kGetAclRequest, request_with<PathRequest>()},
      {"delete", golden::kDeleteRequest, request_with<PathVersionRequest>()},
      {"ping", golden::kPingRequest, request_header},
      {"SetWatches", golden::kSetWatchesRequest,
       [](Reader& r) {
         SetWatches sw;
         std::vector<std::string_view> lists[5];
         return request_header(r) && decode(r, sw, lists, false);
       }},
      {"SetWatches2", golden::kSetWatches2Request,
       [](Reader& r) {
         SetWatches sw;
         std::vector<std::string_view> lists[5];
         return request_header(r) && decode(r, sw, lists, true);
       }},
  };
  return frames;
}

// Body of a reply after its header: the hostile part is appended to a valid ReplyHeader.
std::string reply_with(std::string_view hostile_hex) {
  return unhex("00000005" "0000000000000007" "00000000") + unhex(hostile_hex);
}

}  // namespace

TEST_CASE("every prefix of every captured server frame fails to decode, and never reads past it") {
  for (const auto& g : server_frames()) check_every_prefix_fails(g);
}

TEST_CASE("every prefix of every captured client frame fails to decode, and never reads past it") {
  for (const auto& g : client_frames()) check_every_prefix_fails(g);
}

TEST_CASE("captured frames with one byte overwritten never make a decoder read out of bounds") {
  // A small deterministic fuzz: lengths and counts turn into 0xff.., 0x80.., 0x7f.. and 0.
  // Whether the result decodes depends on the byte; what matters is that it stays in bounds
  // (the sanitizer build proves it) and that success means the reader is still consistent.
  for (const auto* list : {&server_frames(), &client_frames()}) {
    for (const auto& g : *list) {
      CAPTURE(g.name);
      const auto frame = unhex(g.frame);
      const auto body = std::string(prototest::body_of(frame));
      for (std::size_t i = 0; i < body.size(); ++i) {
        for (unsigned char v : {0x00, 0x01, 0x7f, 0x80, 0xff}) {
          auto mutated = body;
          mutated[i] = static_cast<char>(v);
          ExactCopy copy(mutated);
          Reader r(copy.data(), copy.size());
          const bool decoded = g.decode_body(r);
          CHECK(decoded == r.ok());
        }
      }
    }
  }
}

TEST_CASE("the allocation meter sees what the codec library allocates") {
  // The "without reserving" checks below are only worth something if the meter works across
  // the library boundary: decoding real children must show up in it.
  const auto frame = unhex(golden::kGetChildrenReply);
  ExactCopy in(prototest::body_of(frame));
  std::vector<std::string> names;
  bool decoded = false;
  std::size_t allocations = 0, largest = 0;
  {
    AllocationMeter meter;
    Reader r(in.data(), in.size());
    ReplyHeader h;
    decoded = decode(r, h) && decode_children(r, names);
    allocations = meter.count();
    largest = meter.largest();
  }
  REQUIRE(decoded);
  CHECK(allocations >= 1);
  CHECK(largest >= names.size() * sizeof(std::string));
}

TEST_CASE("a read-only server's 16-byte refusal does not decode as a ConnectResponse") {
  // zookeeper-protocol.md section 13: ReplyHeader{0, 0, -119} instead of a ConnectResponse.
  // Its last int lands where the password length goes: -119 is not a valid length.
  const auto body = unhex("00000000" "0000000000000000" "ffffff89");
  ExactCopy in(body);
  Reader r(in.data(), in.size());
  ConnectResponse resp;
  CHECK_FALSE(decode(r, resp));
  CHECK_FALSE(r.ok());
}

TEST_CASE("a children count of 0x7fffffff fails at once without reserving memory") {
  const auto body = reply_with("7fffffff" "00000001" "61");
  ExactCopy in(body);
  std::vector<std::string> names;
  Stat stat;
  bool decoded = true;
  bool decoded2 = true;
  std::size_t allocations = 0;
  {
    AllocationMeter meter;
    Reader r(in.data(), in.size());
    ReplyHeader h;
    decode(r, h);
    decoded = decode_children(r, names);
    Reader r2(in.data(), in.size());
    decode(r2, h);
    decoded2 = decode_children2(r2, names, stat);
    allocations = meter.count();
  }
  CHECK_FALSE(decoded);
  CHECK_FALSE(decoded2);
  CHECK(names.empty());
  CHECK(allocations == 0);
}

TEST_CASE("hostile vector counts fail without reserving memory, for every vector decoder") {
  struct Case {
    const char* name;
    std::string_view count_hex;
  };
  for (auto c : {Case{"largest int", "7fffffff"}, Case{"2^24", "01000000"},
                 Case{"negative", "80000000"}, Case{"-2", "fffffffe"}}) {
    CAPTURE(c.name);
    const auto bytes = unhex(std::string(c.count_hex) + "0000000000000000");
    ExactCopy in(bytes);
    bool acl_ok = true, views_ok = true, children_ok = true, acl_resp_ok = true;
    AclList acl;
    std::vector<std::string_view> views;
    std::vector<std::string> names;
    Stat stat;
    std::size_t allocations = 0;
    {
      AllocationMeter meter;
      Reader r1(in.data(), in.size());
      acl_ok = decode(r1, acl);
      Reader r2(in.data(), in.size());
      views_ok = decode(r2, views);
      Reader r3(in.data(), in.size());
      children_ok = decode_children(r3, names);
      Reader r4(in.data(), in.size());
      acl_resp_ok = decode_get_acl_response(r4, acl, stat);
      allocations = meter.count();
    }
    CHECK_FALSE(acl_ok);
    CHECK_FALSE(views_ok);
    CHECK_FALSE(children_ok);
    CHECK_FALSE(acl_resp_ok);
    CHECK(allocations == 0);
  }
}

TEST_CASE("hostile counts inside requests (ACLs, SetWatches lists) fail without reserving") {
  // The captured create2 body with its ACL count replaced by 0x7fffffff.
  const auto create = unhex("00000012" + prototest::hex("/zkit-golden/child") + "00000002" +
                            prototest::hex("v1") + "7fffffff" +
                            "0000000100000005776f726c6400000006616e796f6e6500000000");
  // SetWatches2 body whose third list claims 0x7ffffff0 paths.
  const auto sw_bytes = unhex("0000000000000007" "00000000" "00000000" "7ffffff0" "00000000");
  ExactCopy create_in(create);
  ExactCopy sw_in(sw_bytes);
  bool create_ok = true, sw_ok = true;
  AclList acl;
  CreateRequest req;
  SetWatches sw;
  std::vector<std::string_view> lists[5];
  std::size_t allocations = 0;
  {
    AllocationMeter meter;
    Reader r1(create_in.data(), create_in.size());
    create_ok = decode(r1, req, acl, false);
    Reader r2(sw_in.data(), sw_in.size());
    sw_ok = decode(r2, sw, lists, true);
    allocations = meter.count();
  }
  CHECK_FALSE(create_ok);
  CHECK_FALSE(sw_ok);
  CHECK(allocations == 0);
}

TEST_CASE("a count that fits the bytes left but lies reserves in proportion to the input") {
  // 4096 claimed names in 16 KiB of input: plausible by size (4 bytes each at least), so the
  // decoder may reserve for them; the reservation is bounded by the input, not the claim.
  std::string bytes = unhex("00001000");
  bytes += unhex("7fffffff");  // the first "name" is hostile: it fails right away
  bytes.append(4096 * 4 - 4, '\0');
  ExactCopy in(bytes);
  std::vector<std::string> names;
  bool decoded = true;
  std::size_t largest = 0;
  {
    AllocationMeter meter;
    Reader r(in.data(), in.size());
    decoded = decode_children(r, names);
    largest = meter.largest();
  }
  CHECK_FALSE(decoded);
  CHECK(largest <= 4096 * sizeof(std::string));
  CHECK(largest <= 8 * in.size());
}

TEST_CASE("a string length of 0x7fffffff fails without copying or reserving") {
  struct Case {
    const char* name;
    std::function<bool(Reader&)> decode_body;
  };
  std::string path, data;
  Stat stat;
  const auto bytes = unhex("7fffffff" "2f612f62" "0000000000000000");
  ExactCopy in(bytes);
  for (const auto& c : std::vector<Case>{
           {"create path", [&](Reader& r) { return decode_create_response(r, path); }},
           {"create2 path", [&](Reader& r) { return decode_create2_response(r, path, stat); }},
           {"getData data", [&](Reader& r) { return decode_get_data_response(r, data, stat); }},
           {"sync path", [&](Reader& r) { return decode_path(r, path); }},
           {"ConnectResponse password", [&](Reader& r) {
              ConnectResponse resp;
              return decode(r, resp);
            }}}) {
    CAPTURE(c.name);
    bool decoded = true;
    std::size_t largest = 0;
    {
      AllocationMeter meter;
      Reader r(in.data(), in.size());
      decoded = c.decode_body(r);
      largest = meter.largest();
    }
    CHECK_FALSE(decoded);
    CHECK(largest < 64);
  }
}

TEST_CASE("a Stat cut short fails before reading any field") {
  Stat s{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  std::string bytes;
  Writer w(bytes);
  encode(w, s);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    ExactCopy part(std::string_view(bytes).substr(0, n));
    Reader r(part.data(), part.size());
    Stat out;
    CHECK_FALSE(decode(r, out));
    CHECK(out == Stat{});  // all or nothing: no half-filled Stat
  }
}

TEST_CASE("random bytes never make any decoder read out of bounds") {
  // Deterministic xorshift so a failure is reproducible. Small lengths and small counts are
  // favoured so that decoders get past their first field often.
  std::uint64_t state = 0x9e3779b97f4a7c15;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<Decoder> decoders;
  for (const auto* list : {&server_frames(), &client_frames()})
    for (const auto& g : *list) decoders.push_back(g.decode_body);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(next() % 160, '\0');
    for (auto& b : bytes) {
      auto v = next();
      // Bytes near 0 make plausible big-endian lengths; the rest is noise.
      b = static_cast<char>(v % 4 == 0 ? v >> 8 : (v >> 8) % 8);
    }
    ExactCopy in(bytes);
    for (const auto& d : decoders) {
      Reader r(in.data(), in.size());
      const bool decoded = d(r);
      CHECK(decoded == r.ok());
    }
  }
}
