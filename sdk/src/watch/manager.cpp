#include "watch/manager.hpp"

#include <span>
#include <utility>
#include <vector>

#include "proto/opcodes.hpp"
#include "proto/records.hpp"

namespace zkit::watch {

Manager::Arming Manager::arm(std::string_view server_path, bool has_watcher) {
  if (!has_watcher) return {};
  if (!registry_.has_persistent() || !registry_.persistent_mode(std::string(server_path))) return {true, false};
  registry_.ride(std::string(server_path));
  return {false, true};
}

void Manager::read_done(std::string_view server_path) {
  std::string path(server_path);
  if (registry_.unride(path)) release_kept(path);
}

void Manager::remove_persistent(std::uint64_t id) {
  std::string path = registry_.remove_persistent(id);
  if (path.empty() || registry_.persistent_mode(path)) return;
  if (registry_.has(path, true, true) || registry_.ridden(path)) {
    kept_.insert(std::move(path));
    return;
  }
  kept_.erase(path);  // an older keep of this path ends here too
  drop_(path);
}

void Manager::release_kept(const std::string& path) {
  if (kept_.empty() || registry_.has(path, true, true) || registry_.ridden(path) ||
      registry_.persistent_mode(path) || kept_.erase(path) == 0)
    return;
  drop_(path);
}

bool Manager::has(const std::string& path, WatcherKind kind) const {
  bool data = kind != WatcherKind::children, child = kind != WatcherKind::data;
  return registry_.has(path, data, child) || (kind == WatcherKind::any && registry_.persistent_mode(path));
}

void Manager::fire_removed(const std::string& path, WatcherKind kind) {
  bool data = kind != WatcherKind::children, child = kind != WatcherKind::data;
  std::vector<std::pair<Watcher, EventType>> removed;
  for (auto& w : registry_.take_kinds(path, data, false)) removed.emplace_back(std::move(w), EventType::data_watch_removed);
  for (auto& w : registry_.take_kinds(path, false, child)) removed.emplace_back(std::move(w), EventType::child_watch_removed);
  if (kind == WatcherKind::any)
    for (std::uint64_t id : registry_.persistent_ids(path)) {
      removed.emplace_back(std::move(*registry_.find_persistent(id)), EventType::persistent_watch_removed);
      registry_.remove_persistent(id);
    }
  std::string client = chroot_.client_path(path);
  for (auto& [w, type] : removed) w(WatchEvent{type, SessionState::connected, client});
}

void Manager::on_event(EventType type, std::string_view wire_path) {
  WatchEvent ev{type, SessionState::connected, chroot_.client_path(wire_path)};
  // The registry's key is the server path: without a chroot that is the event's own path, so
  // the path is copied once, into the event.
  std::string chrooted;
  const std::string& server_path = chroot_.empty() ? ev.path : (chrooted = wire_path);
  // Persistent watchers are looked up by id one at a time: any of them may remove others.
  for (std::uint64_t id : registry_.persistent_targets(type, server_path))
    if (Watcher* w = registry_.find_persistent(id)) (*w)(ev);
  for (Watcher& w : registry_.take(type, server_path)) w(ev);
  release_kept(server_path);
  // A recursive watch sends no children-changed events, but it shares the server's one watch
  // per path with one-shot child watches there: make their event from the child's.
  if ((type == EventType::node_created || type == EventType::node_deleted) && server_path != "/" &&
      registry_.has_persistent()) {
    std::size_t slash = server_path.rfind('/');
    std::string parent = slash == 0 ? "/" : server_path.substr(0, slash);
    if (registry_.persistent_mode(parent) == WatchMode::persistent_recursive) {
      WatchEvent pe{EventType::node_children_changed, SessionState::connected, chroot_.client_path(parent)};
      for (Watcher& w : registry_.take(EventType::node_children_changed, parent)) w(pe);
    }
  }
}

void Manager::on_session_event(SessionState state) {
  // By id, one at a time: a watcher may remove others, or end the session (which empties the
  // registry, so the rest are not called).
  for (std::uint64_t id : registry_.all_persistent_ids())
    if (Watcher* w = registry_.find_persistent(id)) (*w)(WatchEvent{EventType::none, state, ""});
}

void Manager::write_reregistration(std::string& out, std::int64_t last_zxid) {
  kept_.clear();
  if (registry_.empty()) return;
  // Paths are server paths already. The lists go out in packets of at most
  // kSetWatchesPacketBytes of path text, so any number of watches re-registers without
  // hitting the server's frame limit.
  std::vector<std::string_view> all[5] = {
      registry_.paths(Kind::data), registry_.paths(Kind::exist), registry_.paths(Kind::child),
      registry_.persistent_paths(false), registry_.persistent_paths(true)};
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
  }
}

void Manager::end(SessionState final_state) {
  kept_.clear();
  for (Watcher& w : registry_.take_all()) w(WatchEvent{EventType::none, final_state, ""});
}

}  // namespace zkit::watch
