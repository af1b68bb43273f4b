// What the golden-frame and round-trip tests (records, and multi/admin) share: the open ACL of
// the captures, ZooKeeper's event and state numbers, a request encoded as hex, an encoded
// record's bytes, and a captured reply split and checked.
#pragma once

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "proto/frame.hpp"
#include "proto/records.hpp"
#include "support.hpp"

namespace prototest {

inline const std::array<zkit::Acl, 1> kOpenAcl{zkit::Acl{zkit::perm_all, {"world", "anyone"}}};

// WatcherEvent types and the keeper state (ZooKeeper's Watcher.Event).
inline constexpr std::int32_t kNodeCreated = 1;
inline constexpr std::int32_t kNodeDeleted = 2;
inline constexpr std::int32_t kNodeDataChanged = 3;
inline constexpr std::int32_t kNodeChildrenChanged = 4;
inline constexpr std::int32_t kSyncConnected = 3;

inline constexpr auto kI32Min = std::numeric_limits<std::int32_t>::min();
inline constexpr auto kI32Max = std::numeric_limits<std::int32_t>::max();
inline constexpr auto kI64Max = std::numeric_limits<std::int64_t>::max();

// The whole request frame (length, header, body) our encoder writes, as hex.
template <class Body>
std::string request(std::int32_t xid, zkit::proto::Op op, const Body& body) {
  std::string out;
  zkit::proto::write_request(out, xid, op, body);
  return hex(out);
}

// The bytes of the records encoded one after another.
template <class... Args>
std::string encoded(const Args&... args) {
  std::string out;
  zkit::proto::Writer w(out);
  encode(w, args...);
  return out;
}

// One captured server frame, split by the frame splitter, its ReplyHeader read; `reader` is
// left at the start of the response record. Not movable: the reader points into `bytes`.
struct Reply {
  explicit Reply(std::string_view golden_hex) : bytes(unhex(golden_hex)) {
    auto f = zkit::proto::next_frame(bytes, zkit::proto::kMaxFrame);
    REQUIRE(f.kind == zkit::proto::FrameResult::frame);
    REQUIRE(f.consumed == bytes.size());
    reader = zkit::proto::Reader(f.body);
    REQUIRE(decode(reader, header));
  }
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;

  std::string bytes;
  zkit::proto::Reader reader{nullptr, 0};
  zkit::proto::ReplyHeader header;
};

inline void check_header(const zkit::proto::ReplyHeader& h, std::int32_t xid, std::int64_t zxid,
                         std::int32_t err) {
  CHECK(h.xid == xid);
  CHECK(h.zxid == zxid);
  CHECK(h.err == err);
}

// A bare 16-byte reply: ping, auth, SetWatches, delete, closeSession, and every error.
inline void check_bare(std::string_view golden_hex, std::int32_t xid, std::int64_t zxid,
                       std::int32_t err) {
  Reply rep(golden_hex);
  CHECK(rep.bytes.size() == 4 + zkit::proto::kReplyHeaderSize);
  check_header(rep.header, xid, zxid, err);
  CHECK(rep.reader.at_end());
}

inline void check_notification(std::string_view golden_hex, std::int32_t type, std::string_view path) {
  Reply rep(golden_hex);
  check_header(rep.header, zkit::proto::kNotificationXid, -1, 0);
  zkit::proto::WatcherEvent ev;
  REQUIRE(decode(rep.reader, ev));
  CHECK(ev.type == type);
  CHECK(ev.state == kSyncConnected);
  CHECK(ev.path == path);
  CHECK(rep.reader.at_end());
}

}  // namespace prototest
