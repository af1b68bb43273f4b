// The frame splitter: a frame is complete only with all its bytes, several frames in one read
// come out one by one, and a length that cannot be right is refused at once with a reason
// (the connection is then unusable: waiting for more bytes would never help).
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "golden_frames.hpp"
#include "proto/frame.hpp"
#include "proto/opcodes.hpp"
#include "support.hpp"

using namespace zkit::proto;
using prototest::unhex;

namespace {

// What the server sent on the first connection, in the order it arrived.
const std::vector<std::string_view> kFirstConnection{
    golden::kConnectResponse,  golden::kAuthReply,          golden::kCreateReply,
    golden::kCreate2Reply,     golden::kCreateSeqReply,     golden::kCreateNullReply,
    golden::kGetDataReply,     golden::kGetDataNullReply,   golden::kSetDataNotification,
    golden::kSetDataReply,     golden::kExistsReply,        golden::kExistsMissingReply,
    golden::kGetChildrenReply, golden::kGetChildren2Reply,  golden::kSetAclReply,
    golden::kGetAclReply,      golden::kSyncReply,          golden::kPingReply,
};

// ... and on the second one, which resumed the session.
const std::vector<std::string_view> kSecondConnection{
    golden::kReconnectResponse, golden::kReauthReply,          golden::kSetWatchesNotification,
    golden::kSetWatchesReply,   golden::kSetWatches2Reply,     golden::kDeleteNotification,
    golden::kDeleteNotification2, golden::kDeleteReply,        golden::kDeleteMissingReply,
    golden::kCloseSessionNotification, golden::kCloseSessionReply,
};

std::vector<std::string> frames_of(const std::vector<std::string_view>& hexes) {
  std::vector<std::string> out;
  for (auto h : hexes) out.push_back(unhex(h));
  return out;
}

// Feeds `stream` to the splitter `chunk` bytes at a time, the way reads from a socket arrive,
// and returns the bodies of the frames it produced.
std::vector<std::string> split_stream(const std::string& stream, std::size_t chunk) {
  std::vector<std::string> bodies;
  std::string pending;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    pending.append(stream, at, chunk);
    for (;;) {
      auto f = next_frame(pending, kMaxFrame);
      REQUIRE(f.kind != FrameResult::malformed);
      if (f.kind == FrameResult::need_more) break;
      bodies.emplace_back(f.body);
      pending.erase(0, f.consumed);
    }
  }
  CHECK(pending.empty());
  return bodies;
}

}  // namespace

TEST_CASE("every captured frame cut at every byte boundary needs more until it is complete") {
  for (const auto& list : {kFirstConnection, kSecondConnection}) {
    for (const auto& frame : frames_of(list)) {
      CAPTURE(prototest::hex(frame));
      for (std::size_t n = 0; n < frame.size(); ++n) {
        const prototest::ExactCopy part(std::string_view(frame).substr(0, n));
        auto f = next_frame(part.view(), kMaxFrame);
        CHECK(f.kind == FrameResult::need_more);
        CHECK(f.consumed == 0);
        CHECK(f.body.empty());
      }
      auto f = next_frame(frame, kMaxFrame);
      REQUIRE(f.kind == FrameResult::frame);
      CHECK(f.consumed == frame.size());
      CHECK(f.body == std::string_view(frame).substr(4));
      CHECK(f.reason.empty());
    }
  }
}

TEST_CASE("a whole connection's replies in one stream split back into the captured frames") {
  for (const auto& list : {kFirstConnection, kSecondConnection}) {
    auto frames = frames_of(list);
    std::string stream;
    std::vector<std::string> bodies;
    for (const auto& f : frames) {
      stream += f;
      bodies.push_back(f.substr(4));
    }
    // Every chunk size from byte-at-a-time to all-at-once splits the same way.
    for (std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5},
                              std::size_t{16}, std::size_t{17}, std::size_t{64}, stream.size()}) {
      CAPTURE(chunk);
      CHECK(split_stream(stream, chunk) == bodies);
    }
  }
}

TEST_CASE("two frames back to back come out one at a time") {
  auto first = unhex(golden::kSetDataNotification);
  auto second = unhex(golden::kSetDataReply);
  auto both = first + second;

  auto f1 = next_frame(both, kMaxFrame);
  REQUIRE(f1.kind == FrameResult::frame);
  CHECK(f1.consumed == first.size());
  CHECK(f1.body == std::string_view(first).substr(4));

  auto f2 = next_frame(std::string_view(both).substr(f1.consumed), kMaxFrame);
  REQUIRE(f2.kind == FrameResult::frame);
  CHECK(f2.consumed == second.size());
  CHECK(f2.body == std::string_view(second).substr(4));

  // With only part of the second frame there, the first is still whole.
  auto partial = both.substr(0, first.size() + 7);
  auto f3 = next_frame(partial, kMaxFrame);
  REQUIRE(f3.kind == FrameResult::frame);
  CHECK(f3.consumed == first.size());
  CHECK(next_frame(std::string_view(partial).substr(f3.consumed), kMaxFrame).kind ==
        FrameResult::need_more);
}

TEST_CASE("a zero-length frame is a frame with an empty body") {
  auto bytes = unhex("00000000" "00000010");
  auto f = next_frame(bytes, kMaxFrame);
  REQUIRE(f.kind == FrameResult::frame);
  CHECK(f.consumed == 4);
  CHECK(f.body.empty());
}

TEST_CASE("a negative length is malformed with a reason, whatever follows") {
  for (auto h : {"ffffffff", "80000000", "fffffff0" "0102030405060708"}) {
    CAPTURE(h);
    auto bytes = unhex(h);
    auto f = next_frame(bytes, kMaxFrame);
    CHECK(f.kind == FrameResult::malformed);
    CHECK(f.reason.find("negative") != std::string::npos);
    CHECK(f.consumed == 0);
  }
  auto f = next_frame(unhex("ffffffff"), kMaxFrame);
  CHECK(f.reason.find("-1") != std::string::npos);
}

TEST_CASE("a length over the limit is malformed from the 4-byte prefix alone") {
  // jute.maxbuffer's default: 0xfffff is the largest frame body the server accepts.
  CHECK(kMaxFrame == 1048575);
  for (auto h : {"00100000", "7fffffff"}) {
    CAPTURE(h);
    auto f = next_frame(unhex(h), kMaxFrame);
    CHECK(f.kind == FrameResult::malformed);
    CHECK(f.reason.find("exceeds") != std::string::npos);
    CHECK(f.reason.find(std::to_string(kMaxFrame)) != std::string::npos);
  }
}

TEST_CASE("a length of exactly the limit is accepted") {
  std::string frame = unhex("000fffff");
  CHECK(next_frame(frame, kMaxFrame).kind == FrameResult::need_more);
  frame.append(kMaxFrame, '\x5a');
  auto f = next_frame(frame, kMaxFrame);
  REQUIRE(f.kind == FrameResult::frame);
  CHECK(f.body.size() == kMaxFrame);
  CHECK(f.consumed == kMaxFrame + 4);
}

TEST_CASE("the limit is the caller's: a captured frame one byte over it is malformed") {
  auto frame = unhex(golden::kGetChildren2Reply);
  const auto body = frame.size() - 4;
  CHECK(next_frame(frame, body).kind == FrameResult::frame);
  auto f = next_frame(frame, body - 1);
  CHECK(f.kind == FrameResult::malformed);
  CHECK_FALSE(f.reason.empty());
  // Also while only the prefix has arrived: the session can fail before reading the body.
  CHECK(next_frame(std::string_view(frame).substr(0, 4), body - 1).kind ==
        FrameResult::malformed);
}

TEST_CASE("fewer than four bytes are never malformed, even if they start like a bad length") {
  for (auto h : {"", "ff", "ffff", "ffffff", "7fffff"}) {
    auto f = next_frame(unhex(h), kMaxFrame);
    CHECK(f.kind == FrameResult::need_more);
  }
}

TEST_CASE("need_more says how big the frame is once its prefix has arrived") {
  // The link sizes its read buffer from this for frames larger than the shared one.
  CHECK(next_frame(unhex("000100"), kMaxFrame).frame_size == 0);
  auto f = next_frame(unhex("00010000" "abcd"), kMaxFrame);
  CHECK(f.kind == FrameResult::need_more);
  CHECK(f.frame_size == 0x10000 + 4);
}
