// Reader safety for multi.hpp and admin.hpp, as hostile_input_test.cpp does for records.hpp:
// every prefix of every captured frame fails (exact-size heap copies, so the sanitizer build
// reports any read past the end), mutated and random input stays in bounds, and hostile counts
// and lengths fail before memory is reserved for them. MultiResponse has no count at all: a
// hostile one is a long run of results, which max_results cuts short.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "golden_frames.hpp"
#include "hostile_frames.hpp"
#include "proto/admin.hpp"
#include "proto/multi.hpp"
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
using zkit::ClientInfo;
using zkit::OpResult;
using zkit::Stat;

namespace {

bool multi_reply(Reader& r) {
  std::vector<OpResult> out;
  return reply_header(r) && decode_multi_response(r, out);
}

bool multi_request_decodes(Reader& r) {
  std::vector<MultiOp> ops;
  std::vector<AclList> acls;
  return request_header(r) && decode_multi(r, ops, acls);
}

bool get_data_reply(Reader& r) {
  std::string d;
  Stat s;
  return reply_header(r) && decode_get_data_response(r, d, s);
}

const std::vector<Golden>& server_frames() {
  static const std::vector<Golden> frames{
      {"multi reply", golden::kMultiReply, multi_reply},
      {"failed multi reply", golden::kMultiFailedReply, multi_reply},
      {"empty multi reply", golden::kMultiEmptyReply, multi_reply},
      {"multiRead reply", golden::kMultiReadReply, multi_reply},
      {"addWatch reply", golden::kAddWatchReply,
       [](Reader& r) {
         ErrorResponse e;
         return reply_header(r) && decode(r, e);
       }},
      {"getEphemerals reply", golden::kGetEphemeralsReply,
       [](Reader& r) {
         std::vector<std::string> p;
         return reply_header(r) && decode_get_ephemerals_response(r, p);
       }},
      {"getAllChildrenNumber reply", golden::kGetAllChildrenNumberReply,
       [](Reader& r) {
         std::int32_t n = 0;
         return reply_header(r) && decode_get_all_children_number_response(r, n);
       }},
      {"whoAmI reply", golden::kWhoAmIReply,
       [](Reader& r) {
         std::vector<ClientInfo> i;
         return reply_header(r) && decode_who_am_i_response(r, i);
       }},
      {"reconfig leave reply", golden::kReconfigLeaveReply, get_data_reply},
      {"reconfig join reply", golden::kReconfigJoinReply, get_data_reply},
      {"removeWatches NoWatcher reply", golden::kRemoveWatchesNoneReply, reply_header},
  };
  return frames;
}

const std::vector<Golden>& client_frames() {
  static const std::vector<Golden> frames{
      {"multi", golden::kMultiRequest, multi_request_decodes},
      {"failed multi", golden::kMultiFailedRequest, multi_request_decodes},
      {"empty multi", golden::kMultiEmptyRequest, multi_request_decodes},
      {"multiRead", golden::kMultiReadRequest, multi_request_decodes},
      {"addWatch", golden::kAddWatchRecursiveRequest, request_with<AddWatchRequest>()},
      {"removeWatches", golden::kRemoveWatchesRequest, request_with<WatchesRequest>()},
      {"checkWatches", golden::kCheckWatchesRequest, request_with<WatchesRequest>()},
      {"reconfig, all null", golden::kReconfigStandaloneRequest, request_with<ReconfigRequest>()},
      {"reconfig leave", golden::kReconfigLeaveRequest, request_with<ReconfigRequest>()},
      {"reconfig join", golden::kReconfigJoinRequest, request_with<ReconfigRequest>()},
      {"getEphemerals", golden::kGetEphemeralsRequest, request_with<PathRequest>()},
      {"SetWatches2, five lists", golden::kSetWatches2AllRequest,
       [](Reader& r) {
         SetWatches sw;
         std::vector<std::string_view> lists[5];
         return request_header(r) && decode(r, sw, lists, true);
       }},
  };
  return frames;
}

// A MultiResponse body made of `n` copies of one result, then the closing header.
std::string repeated_results(std::string_view result_hex, std::size_t n) {
  std::string out;
  const auto one = unhex(result_hex);
  for (std::size_t i = 0; i < n; ++i) out += one;
  return out + unhex("ffffffff" "01" "ffffffff");
}

}  // namespace

TEST_CASE("every prefix of every captured multi/admin server frame fails, in bounds") {
  for (const auto& g : server_frames()) check_every_prefix_fails(g);
}

TEST_CASE("every prefix of every captured multi/admin client frame fails, in bounds") {
  for (const auto& g : client_frames()) check_every_prefix_fails(g);
}

TEST_CASE("captured multi/admin frames with one byte overwritten stay in bounds") {
  for (const auto* list : {&server_frames(), &client_frames()}) {
    for (const auto& g : *list) {
      CAPTURE(g.name);
      const auto frame = unhex(g.frame);
      const auto body = std::string(prototest::body_of(frame));
      for (std::size_t i = 0; i < body.size(); ++i) {
        for (unsigned char v : {0x00, 0x01, 0x02, 0x0d, 0x0f, 0x7f, 0x80, 0xff}) {
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

TEST_CASE("a multi response without its closing header fails, and leaves no results behind") {
  // The captured multiRead reply minus its closing header: every result is complete.
  const auto frame = unhex(golden::kMultiReadReply);
  auto body = std::string(prototest::body_of(frame).substr(kReplyHeaderSize));
  body.resize(body.size() - kMultiHeaderSize);
  ExactCopy in(body);
  Reader r(in.data(), in.size());
  std::vector<OpResult> out;
  CHECK_FALSE(decode_multi_response(r, out));
  CHECK(out.empty());
  CHECK_FALSE(r.ok());
}

TEST_CASE("unknown result and op types fail: their record length is unknown") {
  // exists, getChildren2, multi, reconfig, getACL, -2, INT_MIN
  for (const char* type : {"00000003", "0000000c", "0000000e", "00000010", "00000006",
                           "fffffffe", "80000000"}) {
    CAPTURE(type);
    // Followed by what would be a valid closing header if the type were skipped.
    const auto bytes = unhex(std::string(type) + "00" "00000000" "ffffffff" "01" "ffffffff");
    ExactCopy in(bytes);
    Reader r(in.data(), in.size());
    std::vector<OpResult> out;
    CHECK_FALSE(decode_multi_response(r, out));
    CHECK(out.empty());
    Reader r2(in.data(), in.size());
    std::vector<MultiOp> ops;
    std::vector<AclList> acls;
    CHECK_FALSE(decode_multi(r2, ops, acls));
    CHECK(ops.empty());
  }
}

TEST_CASE("read and write ops are told apart only by the caller, not the request decoder") {
  // decode_multi accepts both kinds, as it must to decode a multiRead; the session checks.
  const auto bytes = unhex(golden::kMultiWithReadRequest);
  Reader r(prototest::body_of(bytes));
  CHECK(multi_request_decodes(r));
}

TEST_CASE("a long run of results stops at max_results, before allocating for the rest") {
  // 100,000 check results (9 bytes each): plausible by size, but a multi of 7 ops cannot
  // have more than 7 results.
  const auto body = repeated_results("0000000d" "00" "00000000", 100000);
  ExactCopy in(body);
  std::vector<OpResult> out;
  bool decoded = true;
  std::size_t total = 0;
  {
    AllocationMeter meter;
    Reader r(in.data(), in.size());
    decoded = decode_multi_response(r, out, 7);
    total = meter.total();
  }
  CHECK_FALSE(decoded);
  CHECK(out.empty());
  CHECK(total <= 16 * sizeof(OpResult));
  // Without a limit the same input decodes: it is well formed.
  Reader r(in.data(), in.size());
  CHECK(decode_multi_response(r, out));
  CHECK(out.size() == 100000);
}

TEST_CASE("hostile lengths and counts inside multi results fail without reserving") {
  struct Case {
    const char* name;
    std::string body_hex;
  };
  const std::vector<Case> cases{
      {"create path 0x7fffffff", "00000001" "00" "00000000" "7fffffff" "2f61"},
      {"create2 path negative", "0000000f" "00" "00000000" "80000000" "2f61"},
      {"getData data 0x7fffffff", "00000004" "00" "00000000" "7fffffff" "00"},
      {"getChildren count 0x7fffffff", "00000008" "00" "00000000" "7fffffff" "00000001" "61"},
      {"getChildren count 2^24", "00000008" "00" "00000000" "01000000" "00000000"},
      {"getChildren name 0x7fffffff", "00000008" "00" "00000000" "00000001" "7fffffff"},
      {"setData short Stat", "00000005" "00" "00000000" "0000000000000001"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto bytes = unhex(c.body_hex + "ffffffff" "01" "ffffffff");
    ExactCopy in(bytes);
    std::vector<OpResult> out;
    bool decoded = true;
    std::size_t largest = 0;
    {
      AllocationMeter meter;
      Reader r(in.data(), in.size());
      decoded = decode_multi_response(r, out);
      largest = meter.largest();
    }
    CHECK_FALSE(decoded);
    CHECK(out.empty());
    CHECK(largest <= 2 * sizeof(OpResult) + 64);
  }
}

TEST_CASE("a hostile ACL count inside a multi create op fails without reserving") {
  // create op: path "/a", data "", ACL count 0x7fffffff, then some bytes.
  const auto bytes = unhex("00000001" "00" "ffffffff" "00000002" "2f61" "00000000" "7fffffff"
                           "0000001f00000005776f726c64" "ffffffff" "01" "ffffffff");
  ExactCopy in(bytes);
  std::vector<MultiOp> ops;
  std::vector<AclList> acls;
  bool decoded = true;
  std::size_t largest = 0;
  {
    AllocationMeter meter;
    Reader r(in.data(), in.size());
    decoded = decode_multi(r, ops, acls);
    largest = meter.largest();
  }
  CHECK_FALSE(decoded);
  CHECK(ops.empty());
  CHECK(acls.empty());
  CHECK(largest <= 2 * sizeof(MultiOp) + 2 * sizeof(AclList));
}

TEST_CASE("hostile counts in getEphemerals and whoAmI replies fail without reserving") {
  for (const char* count : {"7fffffff", "01000000", "80000000", "fffffffe"}) {
    CAPTURE(count);
    const auto bytes = unhex(std::string(count) + "0000000000000000");
    ExactCopy in(bytes);
    bool paths_ok = true, infos_ok = true;
    std::vector<std::string> paths;
    std::vector<ClientInfo> infos;
    std::size_t allocations = 0;
    {
      AllocationMeter meter;
      Reader r1(in.data(), in.size());
      paths_ok = decode_get_ephemerals_response(r1, paths);
      Reader r2(in.data(), in.size());
      infos_ok = decode_who_am_i_response(r2, infos);
      allocations = meter.count();
    }
    CHECK_FALSE(paths_ok);
    CHECK_FALSE(infos_ok);
    CHECK(allocations == 0);
  }
  // Two ClientInfos take at least 16 bytes: a count of 2 in 12 bytes is refused at once.
  const auto tight = unhex("00000002" "00000000" "00000000" "00000000");
  ExactCopy in(tight);
  Reader r(in.data(), in.size());
  std::vector<ClientInfo> infos;
  std::size_t allocations = 0;
  bool decoded = true;
  {
    AllocationMeter meter;
    decoded = decode_who_am_i_response(r, infos);
    allocations = meter.count();
  }
  CHECK_FALSE(decoded);
  CHECK(allocations == 0);
}

TEST_CASE("hostile string lengths in reconfig and watch requests fail without copying") {
  for (const char* len : {"7fffffff", "80000000", "fffffffe"}) {
    CAPTURE(len);
    const auto bytes = unhex(std::string(len) + "2f61" "0000000000000000" "00000000");
    ExactCopy in(bytes);
    Reader r1(in.data(), in.size());
    ReconfigRequest rc;
    CHECK_FALSE(decode(r1, rc));
    Reader r2(in.data(), in.size());
    AddWatchRequest aw;
    CHECK_FALSE(decode(r2, aw));
    Reader r3(in.data(), in.size());
    WatchesRequest wr;
    CHECK_FALSE(decode(r3, wr));
  }
}

TEST_CASE("random bytes never make a multi/admin decoder read out of bounds") {
  std::uint64_t state = 0x2545f4914f6cdd1d;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<Decoder> decoders;
  for (const auto* list : {&server_frames(), &client_frames()})
    for (const auto& g : *list) decoders.push_back(g.decode_body);
  // The bodies alone too, without a header in front: the decoders get the first bytes.
  decoders.push_back([](Reader& r) {
    std::vector<OpResult> out;
    return decode_multi_response(r, out);
  });
  decoders.push_back([](Reader& r) {
    std::vector<MultiOp> ops;
    std::vector<AclList> acls;
    return decode_multi(r, ops, acls);
  });
  for (int round = 0; round < 3000; ++round) {
    std::string bytes(next() % 200, '\0');
    for (auto& b : bytes) {
      auto v = next();
      // Mostly small values: plausible types (1..22, -1), lengths, counts and done flags.
      b = static_cast<char>(v % 4 == 0 ? v >> 8 : v % 8 == 1 ? 0xff : (v >> 8) % 24);
    }
    ExactCopy in(bytes);
    for (const auto& d : decoders) {
      Reader r(in.data(), in.size());
      const bool decoded = d(r);
      CHECK(decoded == r.ok());
    }
  }
}
