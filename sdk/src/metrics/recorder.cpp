#include "metrics/recorder.hpp"

#include <algorithm>

namespace zkit::metrics {

std::string_view op_name(proto::Op op) noexcept {
  using proto::Op;
  switch (op) {
    case Op::notification: return "notification";
    case Op::create: return "create";
    case Op::remove: return "delete";
    case Op::exists: return "exists";
    case Op::get_data: return "get_data";
    case Op::set_data: return "set_data";
    case Op::get_acl: return "get_acl";
    case Op::set_acl: return "set_acl";
    case Op::get_children: return "get_children";
    case Op::sync: return "sync";
    case Op::ping: return "ping";
    case Op::get_children2: return "get_children2";
    case Op::check: return "check";
    case Op::multi: return "multi";
    case Op::create2: return "create2";
    case Op::reconfig: return "reconfig";
    case Op::check_watches: return "check_watches";
    case Op::remove_watches: return "remove_watches";
    case Op::create_container: return "create_container";
    case Op::create_ttl: return "create_ttl";
    case Op::multi_read: return "multi_read";
    case Op::auth: return "auth";
    case Op::set_watches: return "set_watches";
    case Op::sasl: return "sasl";
    case Op::get_ephemerals: return "get_ephemerals";
    case Op::get_all_children_number: return "get_all_children_number";
    case Op::set_watches2: return "set_watches2";
    case Op::add_watch: return "add_watch";
    case Op::who_am_i: return "who_am_i";
    case Op::close_session: return "close_session";
    case Op::error: return "error";
  }
  return "other";
}

std::size_t Recorder::slot_index(proto::Op op) noexcept {
  // Opcodes 0-31 in place, 100-107 after them, the rest (close_session, unknown) share the last.
  auto code = static_cast<std::int32_t>(op);
  if (code >= 0 && code < 32) return static_cast<std::size_t>(code);
  if (code >= 100 && code < 108) return static_cast<std::size_t>(32 + code - 100);
  if (op == proto::Op::close_session) return 40;
  return 41;
}

void Recorder::set_watches(std::uint64_t frames, std::uint64_t paths, std::uint64_t bytes) noexcept {
  m_.set_watches_sent += frames;
  m_.set_watches_paths += paths;
  m_.set_watches_bytes += bytes;
  m_.set_watches_max_bytes = std::max(m_.set_watches_max_bytes, bytes);
}

void Recorder::slow(std::string_view op, std::uint64_t ns) {
  ++m_.slow_callbacks;
  if (ns / 1000 >= m_.slow_callback_max_us) {
    m_.slow_callback_max_us = ns / 1000;
    m_.slow_callback_max_op = op;
  }
  if (report_) report_(op, ns);
}

Metrics Recorder::snapshot() const {
  Metrics m = m_;
  for (const auto& o : ops_)
    if (o) m.operations.push_back(*o);
  return m;
}

}  // namespace zkit::metrics
