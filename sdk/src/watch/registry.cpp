#include "watch/registry.hpp"

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
    case EventType::none:
      break;
  }
  return out;
}

std::vector<Watcher> Registry::take_all() {
  std::vector<Watcher> out;
  for (Table* t : {&data_, &exist_, &child_}) {
    for (auto& [path, ws] : *t)
      for (auto& w : ws) out.push_back(std::move(w));
    t->clear();
  }
  return out;
}

std::vector<std::string_view> Registry::paths(Kind kind) const {
  std::vector<std::string_view> out;
  for (const auto& [path, ws] : table(kind)) out.push_back(path);
  return out;
}

std::size_t Registry::size() const noexcept {
  std::size_t n = 0;
  for (const Table* t : {&data_, &exist_, &child_})
    for (const auto& [path, ws] : *t) n += ws.size();
  return n;
}

}  // namespace zkit::watch
