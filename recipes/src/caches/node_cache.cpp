#include "zkit/recipes/caches/node_cache.hpp"

namespace zkit::recipes {

namespace {
TreeCacheOptions just_the_node() {
  TreeCacheOptions o;
  o.max_depth = 0;
  return o;
}
}  // namespace

NodeCache::NodeCache(Session& session, std::string path) : tree_(session, std::move(path), just_the_node()) {}

Task<Result<void>> NodeCache::start() { return tree_.start(); }
Task<Result<void>> NodeCache::rebind(Session& session) { return tree_.rebind(session); }
Task<void> NodeCache::close() { return tree_.close(); }

const NodeData* NodeCache::current() const { return tree_.find(tree_.root()); }
const std::string& NodeCache::path() const noexcept { return tree_.root(); }
bool NodeCache::live() const noexcept { return tree_.live(); }

NodeCache::ListenerId NodeCache::add_listener(Listener listener) { return tree_.add_listener(std::move(listener)); }
void NodeCache::remove_listener(ListenerId id) { tree_.remove_listener(id); }
NodeCache::ListenerId NodeCache::add_state_listener(RecipeStateListener listener) {
  return tree_.add_state_listener(std::move(listener));
}
void NodeCache::remove_state_listener(ListenerId id) { tree_.remove_state_listener(id); }

}  // namespace zkit::recipes
