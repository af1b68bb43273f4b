#include "zkit/recipes/blocking/tree_cache.hpp"

#include <utility>

#include "blocking/on_client.hpp"

namespace zkit::recipes::blocking {
TreeCache::TreeCache(Client& client, std::string root, TreeCacheOptions options)
    : client_(&client), cache_(detail::make_on<recipes::TreeCache>(client, std::move(root), options)) {}

TreeCache::~TreeCache() { detail::close_on(*client_, cache_); }

Result<void> TreeCache::start() {
  if (!cache_) return detail::closed_client("TreeCache");
  return client_->run([this](Session&) { return cache_->start(); });
}

Result<void> TreeCache::close() {
  if (!cache_) return detail::closed_client("TreeCache");
  return client_->run([this](Session&) { return cache_->close(); });
}

Result<std::optional<NodeData>> TreeCache::find(const std::string& path) {
  if (!cache_) return detail::closed_client("TreeCache");
  return detail::read_on(*client_, [&]() -> std::optional<NodeData> {
    const NodeData* n = cache_->find(path);
    if (!n) return std::nullopt;
    return *n;
  });
}

Result<std::vector<std::string>> TreeCache::children(const std::string& path) {
  if (!cache_) return detail::closed_client("TreeCache");
  return detail::read_on(*client_, [&] { return cache_->children(path); });
}

Result<std::map<std::string, NodeData>> TreeCache::nodes() {
  if (!cache_) return detail::closed_client("TreeCache");
  return detail::read_on(*client_, [this] { return cache_->nodes(); });
}

bool TreeCache::live() {
  if (!cache_) return false;
  auto r = detail::read_on(*client_, [this] { return cache_->live(); });
  return r && *r;
}

Result<TreeCache::ListenerId> TreeCache::add_listener(Listener listener) {
  if (!cache_) return detail::closed_client("TreeCache");
  return detail::read_on(*client_, [this, l = std::move(listener)]() mutable { return cache_->add_listener(std::move(l)); });
}

Result<void> TreeCache::remove_listener(ListenerId id) {
  if (!cache_) return detail::closed_client("TreeCache");
  return detail::read_on(*client_, [this, id] { cache_->remove_listener(id); });
}

}  // namespace zkit::recipes::blocking
