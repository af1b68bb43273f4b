// Opcodes and special xids of the ZooKeeper client protocol (ZooDefs.OpCode).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zkit::proto {

enum class Op : std::int32_t {
  notification = 0,
  create = 1,
  remove = 2,  // "delete"
  exists = 3,
  get_data = 4,
  set_data = 5,
  get_acl = 6,
  set_acl = 7,
  get_children = 8,
  sync = 9,
  ping = 11,
  get_children2 = 12,
  check = 13,  // only inside multi: alone it breaks 3.8.0 servers
  multi = 14,
  create2 = 15,
  reconfig = 16,
  check_watches = 17,
  remove_watches = 18,
  create_container = 19,
  create_ttl = 21,
  multi_read = 22,
  auth = 100,
  set_watches = 101,
  sasl = 102,
  get_ephemerals = 103,
  get_all_children_number = 104,
  set_watches2 = 105,
  add_watch = 106,
  who_am_i = 107,
  close_session = -11,
  error = -1,
};

// Reserved xids: the server answers these outside the ordinary request numbering.
inline constexpr std::int32_t kNotificationXid = -1;
inline constexpr std::int32_t kPingXid = -2;
inline constexpr std::int32_t kAuthXid = -4;
inline constexpr std::int32_t kSetWatchesXid = -8;

// jute.maxbuffer's default: the largest frame body a server accepts.
inline constexpr std::size_t kMaxFrame = 0xfffff;

}  // namespace zkit::proto
