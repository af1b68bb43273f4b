#include "watch/registry.hpp"

#include <algorithm>

namespace zkit::watch {

void Registry::add(Kind kind, std::string path, Watcher w) {
  table(kind)[std::move(path)].push_back(std::move(w));
}

void Registry::move_out(Table& t, const std::string& path, std::vector<Watcher>& out) {
  auto it = t.find(path);
  if (it == t.end()) return;
  for (auto& w : it->second) out.push_back(std::move(w));
  t.erase(it);
}

std::vector<Watcher> Registry::take(EventType type, const std::string& path) {
  std::vector<Watcher> out;
  switch (type) {
    case EventType::node_created:
    case EventType::node_data_changed:
      move_out(data_, path, out);
      move_out(exist_, path, out);
      break;
    case EventType::node_deleted:
      move_out(data_, path, out);
      move_out(exist_, path, out);
      move_out(child_, path, out);
      break;
    case EventType::node_children_changed:
      move_out(child_, path, out);
      break;
    default:
      break;
  }
  return out;
}

std::vector<Watcher> Registry::take_kinds(const std::string& path, bool data, bool child) {
  std::vector<Watcher> out;
  if (data) {
    move_out(data_, path, out);
    move_out(exist_, path, out);
  }
  if (child) move_out(child_, path, out);
  return out;
}

bool Registry::has(const std::string& path, bool data, bool child) const {
  return (data && (data_.count(path) || exist_.count(path))) || (child && child_.count(path));
}

std::uint64_t Registry::add_persistent(std::string path, bool recursive, Watcher w) {
  std::uint64_t id = next_id_++;
  persistent_path_.emplace(id, path);
  persistent_[std::move(path)].push_back(Persistent{id, recursive, std::move(w)});
  return id;
}

std::string Registry::remove_persistent(std::uint64_t id) {
  auto p = persistent_path_.find(id);
  if (p == persistent_path_.end()) return {};
  std::string path = std::move(p->second);
  persistent_path_.erase(p);
  auto it = persistent_.find(path);
  if (it != persistent_.end()) {
    std::erase_if(it->second, [id](const Persistent& e) { return e.id == id; });
    if (it->second.empty()) persistent_.erase(it);
  }
  return path;
}

std::vector<std::uint64_t> Registry::persistent_ids(const std::string& path) const {
  std::vector<std::uint64_t> out;
  if (auto it = persistent_.find(path); it != persistent_.end())
    for (const auto& e : it->second) out.push_back(e.id);
  return out;
}

Watcher* Registry::find_persistent(std::uint64_t id) {
  auto p = persistent_path_.find(id);
  if (p == persistent_path_.end()) return nullptr;
  for (auto& e : persistent_[p->second])
    if (e.id == id) return &e.watcher;
  return nullptr;
}

bool Registry::unride(const std::string& path) {
  auto it = riders_.find(path);
  if (it == riders_.end() || --it->second > 0) return false;
  riders_.erase(it);
  return true;
}

std::optional<WatchMode> Registry::persistent_mode(const std::string& path) const {
  auto it = persistent_.find(path);
  if (it != persistent_.end() && !it->second.empty())
    return it->second.front().recursive ? WatchMode::persistent_recursive : WatchMode::persistent;
  if (auto a = adding_.find(path); a != adding_.end()) return a->second.mode;
  return std::nullopt;
}

void Registry::begin_persistent(const std::string& path, bool recursive) {
  auto [it, added] = adding_.try_emplace(path, Adding{WatchMode::persistent, 0});
  it->second.mode = recursive ? WatchMode::persistent_recursive : WatchMode::persistent;
  ++it->second.requests;
}

void Registry::end_persistent(const std::string& path) {
  auto it = adding_.find(path);
  if (it != adding_.end() && --it->second.requests == 0) adding_.erase(it);
}

std::vector<std::uint64_t> Registry::persistent_targets(EventType type, const std::string& path) const {
  std::vector<std::uint64_t> out;
  if (persistent_.empty()) return out;
  bool children = type == EventType::node_children_changed;
  if (auto it = persistent_.find(path); it != persistent_.end())
    for (const auto& e : it->second)
      if (!(children && e.recursive)) out.push_back(e.id);
  if (children) return out;
  // Recursive watches on every ancestor: "/a/b/c" -> "/a/b", "/a", "/".
  std::string_view p = path;
  while (p.size() > 1) {
    std::size_t slash = p.rfind('/');
    p = slash == 0 ? std::string_view("/") : p.substr(0, slash);
    if (auto it = persistent_.find(std::string(p)); it != persistent_.end())
      for (const auto& e : it->second)
        if (e.recursive) out.push_back(e.id);
  }
  return out;
}

std::vector<std::uint64_t> Registry::all_persistent_ids() const {
  std::vector<std::uint64_t> out;
  for (const auto& [id, path] : persistent_path_) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Watcher> Registry::take_all() {
  std::vector<Watcher> out;
  for (Table* t : {&data_, &exist_, &child_}) {
    for (auto& [path, ws] : *t)
      for (auto& w : ws) out.push_back(std::move(w));
    t->clear();
  }
  for (auto& [path, es] : persistent_)
    for (auto& e : es) out.push_back(std::move(e.watcher));
  persistent_.clear();
  persistent_path_.clear();
  adding_.clear();
  return out;
}

std::vector<std::string_view> Registry::paths(Kind kind) const {
  std::vector<std::string_view> out;
  // Paths a persistent watch also covers are listed too: SetWatches2 processes these lists
  // before the persistent ones, so the server first fires the one-shot catch-up events (for
  // changes missed while away, which persistent watches never get) and then sets the path's
  // watch to persistent again.
  for (const auto& [path, ws] : table(kind)) out.push_back(path);
  return out;
}

std::vector<std::string_view> Registry::persistent_paths(bool recursive) const {
  std::vector<std::string_view> out;
  for (const auto& [path, es] : persistent_)
    if (!es.empty() && es.front().recursive == recursive) out.push_back(path);
  return out;
}

}  // namespace zkit::watch
