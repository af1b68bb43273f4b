#include "proto/records.hpp"

#include <array>

namespace zkit::proto {
namespace {

constexpr std::array<char, kPasswordSize> kZeroPassword{};
constexpr std::size_t kStatSize = 68;
// An ACL entry takes at least perms + two empty strings.
constexpr std::size_t kMinAclSize = 12;

void write_string_list(Writer& w, std::span<const std::string_view> list) {
  w.i32(static_cast<std::int32_t>(list.size()));
  for (auto s : list) w.bytes(s);
}

// A node's data: a null buffer, or the bytes (possibly none).
void write_data(Writer& w, std::string_view data, bool null) {
  if (null)
    w.null_bytes();
  else
    w.bytes(data);
}

}  // namespace

void encode(Writer& w, const ConnectRequest& r) {
  w.i32(r.protocol_version);
  w.i64(r.last_zxid_seen);
  w.i32(r.timeout_ms);
  w.i64(r.session_id);
  w.bytes(r.password.empty() ? std::string_view(kZeroPassword.data(), kZeroPassword.size())
                             : r.password);
  w.boolean(r.read_only);
}

void encode(Writer& w, const ConnectResponse& r) {
  w.i32(r.protocol_version);
  w.i32(r.timeout_ms);
  w.i64(r.session_id);
  w.bytes(r.password);
  w.boolean(r.read_only);
}

void encode(Writer& w, const RequestHeader& h) {
  w.i32(h.xid);
  w.i32(static_cast<std::int32_t>(h.type));
}

void encode(Writer& w, const ReplyHeader& h) {
  w.i32(h.xid);
  w.i64(h.zxid);
  w.i32(h.err);
}

void encode(Writer& w, const Stat& s) {
  w.i64(s.czxid);
  w.i64(s.mzxid);
  w.i64(s.ctime);
  w.i64(s.mtime);
  w.i32(s.version);
  w.i32(s.cversion);
  w.i32(s.aversion);
  w.i64(s.ephemeral_owner);
  w.i32(s.data_length);
  w.i32(s.num_children);
  w.i64(s.pzxid);
}

void encode(Writer& w, const Acl& a) {
  w.i32(a.perms);
  w.bytes(a.id.scheme);
  w.bytes(a.id.id);
}

void encode(Writer& w, std::span<const Acl> acl) {
  w.i32(static_cast<std::int32_t>(acl.size()));
  for (const auto& a : acl) encode(w, a);
}

void encode(Writer& w, const CreateRequest& r) {
  w.bytes(r.path);
  write_data(w, r.data, r.null_data);
  encode(w, r.acl);
  w.i32(r.flags);
  if (r.ttl >= 0) w.i64(r.ttl);
}

void encode(Writer& w, const PathRequest& r) { w.bytes(r.path); }

void encode(Writer& w, const PathVersionRequest& r) {
  w.bytes(r.path);
  w.i32(r.version);
}

void encode(Writer& w, const PathWatchRequest& r) {
  w.bytes(r.path);
  w.boolean(r.watch);
}

void encode(Writer& w, const SetDataRequest& r) {
  w.bytes(r.path);
  write_data(w, r.data, r.null_data);
  w.i32(r.version);
}

void encode(Writer& w, const SetAclRequest& r) {
  w.bytes(r.path);
  encode(w, r.acl);
  w.i32(r.version);
}

void encode(Writer& w, const AuthPacket& r) {
  w.i32(r.type);
  w.bytes(r.scheme);
  w.bytes(r.auth);
}

void encode(Writer& w, const WatcherEvent& e) {
  w.i32(e.type);
  w.i32(e.state);
  w.bytes(e.path);
}

void encode(Writer& w, const SetWatches& r, bool version2) {
  w.i64(r.relative_zxid);
  write_string_list(w, r.data);
  write_string_list(w, r.exist);
  write_string_list(w, r.child);
  if (version2) {
    write_string_list(w, r.persistent);
    write_string_list(w, r.persistent_recursive);
  }
}

std::size_t write_request(std::string& out, std::int32_t xid, Op op) {
  Writer w(out);
  std::size_t start = w.begin_frame();
  encode(w, RequestHeader{xid, op});
  w.end_frame(start);
  return start;
}

bool decode(Reader& r, ConnectRequest& out, std::string_view& password_view) {
  out.protocol_version = r.i32();
  out.last_zxid_seen = r.i64();
  out.timeout_ms = r.i32();
  out.session_id = r.i64();
  password_view = r.bytes();
  out.password = password_view;
  out.read_only = r.remaining() > 0 ? r.boolean() : false;
  return r.ok();
}

bool decode(Reader& r, ConnectResponse& out) {
  out.protocol_version = r.i32();
  out.timeout_ms = r.i32();
  out.session_id = r.i64();
  out.password = std::string(r.bytes());
  out.read_only = r.remaining() > 0 ? r.boolean() : false;
  return r.ok();
}

bool decode(Reader& r, RequestHeader& out) {
  out.xid = r.i32();
  out.type = static_cast<Op>(r.i32());
  return r.ok();
}

bool decode(Reader& r, ReplyHeader& out) {
  out.xid = r.i32();
  out.zxid = r.i64();
  out.err = r.i32();
  return r.ok();
}

bool decode(Reader& r, Stat& s) {
  if (r.remaining() < kStatSize) {
    r.fail();
    return false;
  }
  s.czxid = r.i64();
  s.mzxid = r.i64();
  s.ctime = r.i64();
  s.mtime = r.i64();
  s.version = r.i32();
  s.cversion = r.i32();
  s.aversion = r.i32();
  s.ephemeral_owner = r.i64();
  s.data_length = r.i32();
  s.num_children = r.i32();
  s.pzxid = r.i64();
  return r.ok();
}

bool decode(Reader& r, Acl& a) {
  a.perms = r.i32();
  a.id.scheme = std::string(r.bytes());
  a.id.id = std::string(r.bytes());
  return r.ok();
}

bool decode(Reader& r, AclList& out) {
  std::int32_t n = r.count(kMinAclSize);
  out.clear();
  out.reserve(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n && r.ok(); ++i) decode(r, out.emplace_back());
  return r.ok();
}

bool decode(Reader& r, WatcherEvent& e) {
  e.type = r.i32();
  e.state = r.i32();
  e.path = r.bytes();
  return r.ok();
}

bool decode(Reader& r, CreateRequest& out, AclList& acl_storage, bool with_ttl) {
  out.path = r.bytes();
  out.data = r.bytes(&out.null_data);
  decode(r, acl_storage);
  out.acl = acl_storage;
  out.flags = r.i32();
  out.ttl = with_ttl ? r.i64() : -1;
  return r.ok();
}

bool decode(Reader& r, PathRequest& out) {
  out.path = r.bytes();
  return r.ok();
}

bool decode(Reader& r, PathVersionRequest& out) {
  out.path = r.bytes();
  out.version = r.i32();
  return r.ok();
}

bool decode(Reader& r, PathWatchRequest& out) {
  out.path = r.bytes();
  out.watch = r.boolean();
  return r.ok();
}

bool decode(Reader& r, SetDataRequest& out) {
  out.path = r.bytes();
  out.data = r.bytes(&out.null_data);
  out.version = r.i32();
  return r.ok();
}

bool decode(Reader& r, SetAclRequest& out, AclList& acl_storage) {
  out.path = r.bytes();
  decode(r, acl_storage);
  out.acl = acl_storage;
  out.version = r.i32();
  return r.ok();
}

bool decode(Reader& r, AuthPacket& out) {
  out.type = r.i32();
  out.scheme = r.bytes();
  out.auth = r.bytes();
  return r.ok();
}

bool decode(Reader& r, std::vector<std::string_view>& out) {
  std::int32_t n = r.count(4);
  out.clear();
  out.reserve(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n && r.ok(); ++i) out.push_back(r.bytes());
  return r.ok();
}

bool decode(Reader& r, SetWatches& out, std::vector<std::string_view> (&lists)[5], bool version2) {
  out = SetWatches{};
  out.relative_zxid = r.i64();
  int n = version2 ? 5 : 3;
  for (auto& l : lists) l.clear();
  for (int i = 0; i < n; ++i) decode(r, lists[i]);
  out.data = lists[0];
  out.exist = lists[1];
  out.child = lists[2];
  if (version2) {
    out.persistent = lists[3];
    out.persistent_recursive = lists[4];
  }
  return r.ok();
}

bool decode_create_response(Reader& r, std::string& path) {
  path.assign(r.bytes());
  return r.ok();
}

bool decode_create2_response(Reader& r, std::string& path, Stat& stat) {
  path.assign(r.bytes());
  return decode(r, stat);
}

bool decode_get_data_response(Reader& r, std::string& data, Stat& stat, bool* is_null) {
  data.assign(r.bytes(is_null));
  return decode(r, stat);
}

bool decode_children(Reader& r, std::vector<std::string>& names) {
  std::int32_t n = r.count(4);
  names.clear();
  names.reserve(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n && r.ok(); ++i) names.emplace_back(r.bytes());
  return r.ok();
}

bool decode_children2(Reader& r, std::vector<std::string>& names, Stat& stat) {
  return decode_children(r, names) && decode(r, stat);
}

bool decode_get_acl_response(Reader& r, AclList& acl, Stat& stat) {
  return decode(r, acl) && decode(r, stat);
}

bool decode_path(Reader& r, std::string& path) {
  path.assign(r.bytes());
  return r.ok();
}

}  // namespace zkit::proto
