#include "proto/admin.hpp"

#include "proto/records.hpp"

namespace zkit::proto {
namespace {

// ClientInfo is two strings: at least two length ints.
constexpr std::size_t kMinClientInfoSize = 8;

void write_optional(Writer& w, std::optional<std::string_view> s) {
  if (s)
    w.bytes(*s);
  else
    w.null_bytes();
}

std::optional<std::string_view> read_optional(Reader& r) {
  bool is_null = false;
  auto s = r.bytes(&is_null);
  if (is_null) return std::nullopt;
  return s;
}

}  // namespace

void encode(Writer& w, const AddWatchRequest& r) {
  w.bytes(r.path);
  w.i32(static_cast<std::int32_t>(r.mode));
}

void encode(Writer& w, const WatchesRequest& r) {
  w.bytes(r.path);
  w.i32(static_cast<std::int32_t>(r.type));
}

void encode(Writer& w, const ReconfigRequest& r) {
  write_optional(w, r.joining_servers);
  write_optional(w, r.leaving_servers);
  write_optional(w, r.new_members);
  w.i64(r.cur_config_id);
}

void encode(Writer& w, const ErrorResponse& r) { w.i32(r.err); }

bool decode(Reader& r, AddWatchRequest& out) {
  out.path = r.bytes();
  out.mode = static_cast<AddWatchMode>(r.i32());
  return r.ok();
}

bool decode(Reader& r, WatchesRequest& out) {
  out.path = r.bytes();
  out.type = static_cast<WatcherType>(r.i32());
  return r.ok();
}

bool decode(Reader& r, ReconfigRequest& out) {
  out.joining_servers = read_optional(r);
  out.leaving_servers = read_optional(r);
  out.new_members = read_optional(r);
  out.cur_config_id = r.i64();
  return r.ok();
}

bool decode(Reader& r, ErrorResponse& out) {
  out.err = r.i32();
  return r.ok();
}

bool decode_get_ephemerals_response(Reader& r, std::vector<std::string>& paths) {
  // Same layout as GetChildrenResponse: vector<ustring>.
  return decode_children(r, paths);
}

bool decode_get_all_children_number_response(Reader& r, std::int32_t& total) {
  total = r.i32();
  return r.ok();
}

bool decode_who_am_i_response(Reader& r, std::vector<ClientInfo>& out) {
  std::int32_t n = r.count(kMinClientInfoSize);
  out.clear();
  out.reserve(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n && r.ok(); ++i) {
    auto& info = out.emplace_back();
    info.scheme.assign(r.bytes());
    info.user.assign(r.bytes());
  }
  return r.ok();
}

void encode_get_ephemerals_response(Writer& w, std::span<const std::string> paths) {
  w.i32(static_cast<std::int32_t>(paths.size()));
  for (const auto& p : paths) w.bytes(p);
}

void encode_get_all_children_number_response(Writer& w, std::int32_t total) { w.i32(total); }

void encode_who_am_i_response(Writer& w, std::span<const ClientInfo> infos) {
  w.i32(static_cast<std::int32_t>(infos.size()));
  for (const auto& i : infos) {
    w.bytes(i.scheme);
    w.bytes(i.user);
  }
}

}  // namespace zkit::proto
