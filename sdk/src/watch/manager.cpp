#include "watch/manager.hpp"

#include <span>
#include <utility>
#include <vector>

#include "proto/opcodes.hpp"
#include "proto/records.hpp"

namespace zkit::watch {

Manager::Arming Manager::arm(std::string_view server_path, bool has_watcher) {
  if (!has_watcher) return {};
  if (!registry().has_persistent() || !registry().persistent_mode(std::string(server_path))) return {true, false};
  registry().ride(std::string(server_path));
  return {false, true};
}

void Manager::read_done(std::string_view server_path) {
  if (!tables_) return;
  std::string path(server_path);
  if (registry().unride(path)) release_kept(path);
}

void Manager::remove_persistent(std::uint64_t id) {
  if (!tables_) return;
  std::string path = registry().remove_persistent(id);
  if (path.empty() || registry().persistent_mode(path)) return;
  if (registry().has(path, true, true) || registry().ridden(path)) {
    kept().insert(std::move(path));
    return;
  }
  kept().erase(path);  // an older keep of this path ends here too
  session_.drop_server_watch(path);
}

void Manager::release_kept(const std::string& path) {
  if (kept().empty() || registry().has(path, true, true) || registry().ridden(path) ||
      registry().persistent_mode(path) || kept().erase(path) == 0)
    return;
  session_.drop_server_watch(path);
}

bool Manager::has(const std::string& path, WatcherKind kind) const {
  if (!tables_) return false;
  bool data = kind != WatcherKind::children, child = kind != WatcherKind::data;
  return tables_->registry.has(path, data, child) || (kind == WatcherKind::any && tables_->registry.persistent_mode(path));
}

void Manager::fire_removed(const std::string& path, WatcherKind kind) {
  bool data = kind != WatcherKind::children, child = kind != WatcherKind::data;
  std::vector<std::pair<Watcher, EventType>> removed;
  for (auto& w : registry().take_kinds(path, data, false)) removed.emplace_back(std::move(w), EventType::data_watch_removed);
  for (auto& w : registry().take_kinds(path, false, child)) removed.emplace_back(std::move(w), EventType::child_watch_removed);
  if (kind == WatcherKind::any)
    for (std::uint64_t id : registry().persistent_ids(path)) {
      removed.emplace_back(std::move(*registry().find_persistent(id)), EventType::persistent_watch_removed);
      registry().remove_persistent(id);
    }
  std::string client = chroot_.client_path(path);
  for (auto& [w, type] : removed) w(WatchEvent{type, SessionState::connected, client});
}

void Manager::on_event(EventType type, std::string_view wire_path) {
  if (!tables_) return;  // nothing watched (a late event after a local removal, say)
  WatchEvent ev{type, SessionState::connected, chroot_.client_path(wire_path)};
  // The registry's key is the server path: without a chroot that is the event's own path, so
  // the path is copied once, into the event.
  std::string chrooted;
  const std::string& server_path = chroot_.empty() ? ev.path : (chrooted = wire_path);
  // Persistent watchers are looked up by id one at a time: any of them may remove others.
  for (std::uint64_t id : registry().persistent_targets(type, server_path))
    if (Watcher* w = registry().find_persistent(id)) (*w)(ev);
  for (Watcher& w : registry().take(type, server_path)) w(ev);
  release_kept(server_path);
  // A recursive watch sends no children-changed events, but it shares the server's one watch
  // per path with one-shot child watches there: make their event from the child's.
  if ((type == EventType::node_created || type == EventType::node_deleted) && server_path != "/" &&
      registry().has_persistent()) {
    std::size_t slash = server_path.rfind('/');
    std::string parent = slash == 0 ? "/" : server_path.substr(0, slash);
    if (registry().persistent_mode(parent) == WatchMode::persistent_recursive) {
      WatchEvent pe{EventType::node_children_changed, SessionState::connected, chroot_.client_path(parent)};
      for (Watcher& w : registry().take(EventType::node_children_changed, parent)) w(pe);
    }
  }
}

void Manager::on_session_event(SessionState state) {
  if (!tables_) return;
  // By id, one at a time: a watcher may remove others, or end the session (which empties the
  // registry, so the rest are not called).
  for (std::uint64_t id : registry().all_persistent_ids())
    if (Watcher* w = registry().find_persistent(id)) (*w)(WatchEvent{EventType::none, state, ""});
}

Manager::Reregistration Manager::write_reregistration(std::string& out, std::int64_t last_zxid) {
  Reregistration written;
  if (!tables_) return written;
  kept().clear();
  if (registry().empty()) return written;
  // Paths are server paths already. The lists go out in packets of at most
  // kSetWatchesPacketBytes of path text, so any number of watches re-registers without
  // hitting the server's frame limit.
  std::vector<std::string_view> all[5] = {
      registry().paths(Kind::data), registry().paths(Kind::exist), registry().paths(Kind::child),
      registry().persistent_paths(false), registry().persistent_paths(true)};
  bool v2 = !all[3].empty() || !all[4].empty();
  std::size_t index[5] = {0, 0, 0, 0, 0};
  auto left = [&] {
    for (int k = 0; k < 5; ++k)
      if (index[k] < all[k].size()) return true;
    return false;
  };
  while (left()) {
    std::span<const std::string_view> lists[5];
    std::size_t bytes = 0;
    for (int k = 0; k < 5; ++k) {
      std::size_t begin = index[k];
      while (index[k] < all[k].size() && bytes < kSetWatchesPacketBytes) bytes += all[k][index[k]++].size() + 4;
      lists[k] = std::span<const std::string_view>(all[k]).subspan(begin, index[k] - begin);
    }
    proto::SetWatches sw{last_zxid, lists[0], lists[1], lists[2], lists[3], lists[4]};
    proto::Writer w(out);
    std::size_t start = w.begin_frame();
    proto::encode(w, proto::RequestHeader{proto::kSetWatchesXid, v2 ? proto::Op::set_watches2 : proto::Op::set_watches});
    proto::encode(w, sw, v2);
    w.end_frame(start);
    ++written.frames;
  }
  for (const auto& list : all) written.paths += list.size();
  return written;
}

void Manager::end(SessionState final_state) {
  if (!tables_) return;
  kept().clear();
  for (Watcher& w : registry().take_all()) w(WatchEvent{EventType::none, final_state, ""});
}

}  // namespace zkit::watch
