// ServiceCache: the live instances of one service, over a TreeCache.
#include "detail/lifetime.hpp"
#include "detail/listeners.hpp"
#include "detail/paths.hpp"
#include "zkit/recipes/discovery/service_registry.hpp"

namespace zkit::recipes {

namespace detail {

struct ServiceCacheState {
  ServiceCacheState(Session& s, std::string path) : tree(s, std::move(path), two_levels()) {}
  static TreeCacheOptions two_levels() {
    TreeCacheOptions o;
    o.max_depth = 1;
    return o;
  }
  TreeCache tree;
  std::vector<ServiceInstance> instances;
  ListenerSet<const std::vector<ServiceInstance>&> listeners;
  bool closed = false;

  // `always`: tell the listeners even when the list did not change (the first list, which
  // may be empty, is news to them).
  void rebuild(bool always) {
    std::vector<ServiceInstance> now;
    for (const auto& id : tree.children(tree.root())) {
      const std::string path = child_path(tree.root(), id);
      if (const NodeData* n = tree.find(path))
        if (auto in = parse_service_instance(n->data)) now.push_back(std::move(*in));
    }
    if (now == instances && !always) return;
    instances = std::move(now);
    listeners.notify(instances);
  }

  void on_event(const CacheEvent& e) {
    switch (e.type) {
      case CacheEvent::Type::added:
      case CacheEvent::Type::updated:
      case CacheEvent::Type::removed:
        return rebuild(false);
      case CacheEvent::Type::initialized:
        return rebuild(true);
      default:
        return;  // the connection's states reach the state listeners from the tree
    }
  }
};

bool needs_close(const ServiceCacheState& st) { return !st.closed; }
Task<void> close_quietly(std::shared_ptr<ServiceCacheState> st) {
  st->closed = true;
  co_await st->tree.close();
}

}  // namespace detail

using detail::ServiceCacheState;

ServiceCache::ServiceCache(Session& session, std::string base_path, std::string name) {
  state_ = std::make_shared<ServiceCacheState>(session, detail::child_path(base_path, name));
  state_->tree.add_listener([weak = std::weak_ptr<ServiceCacheState>(state_)](const CacheEvent& e) {
    if (auto st = weak.lock()) st->on_event(e);
  });
}

ServiceCache::ServiceCache(ServiceCache&&) noexcept = default;
ServiceCache& ServiceCache::operator=(ServiceCache&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
ServiceCache::~ServiceCache() { detail::close_in_background(state_); }

Task<Result<void>> ServiceCache::start() { return state_->tree.start(); }
Task<Result<void>> ServiceCache::rebind(Session& session) { return state_->tree.rebind(session); }
Task<void> ServiceCache::close() { return detail::close_quietly(state_); }
const std::vector<ServiceInstance>& ServiceCache::instances() const noexcept { return state_->instances; }

ServiceCache::ListenerId ServiceCache::add_listener(Listener listener) {
  return state_->listeners.add(std::move(listener));
}
void ServiceCache::remove_listener(ListenerId id) { state_->listeners.remove(id); }
ServiceCache::ListenerId ServiceCache::add_state_listener(RecipeStateListener listener) {
  return state_->tree.add_state_listener(std::move(listener));
}
void ServiceCache::remove_state_listener(ListenerId id) { state_->tree.remove_state_listener(id); }

}  // namespace zkit::recipes
