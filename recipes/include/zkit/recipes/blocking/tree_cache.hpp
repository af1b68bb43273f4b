// zkit::recipes::blocking::TreeCache: a subtree of znodes kept current in memory, for
// thread-based code over a zkit::Client. It is the coroutine TreeCache
// (zkit/recipes/caches/tree_cache.hpp) run on the client's thread: same watch, same events.
//
//   zkit::recipes::blocking::TreeCache config(client, "/storage/config");
//   config.add_listener([](const zkit::recipes::CacheEvent& e) { ... });  // client's thread
//   if (auto r = config.start(); !r) return fail(r.error());
//   auto node = config.find("/storage/config/limits");  // Result<std::optional<NodeData>>
//   auto names = config.children("/storage/config");
//
// Reads return copies taken on the client's thread, so they are consistent with each other
// within one call. Thread-safe: bad_arguments when called on the client's own thread, closing
// when the client is closed. The Client must outlive the cache.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zkit/client.hpp"
#include "zkit/recipes/caches/tree_cache.hpp"
#include "zkit/result.hpp"

namespace zkit::recipes::blocking {

class TreeCache {
 public:
  using Listener = recipes::TreeCache::Listener;  // called on the client's thread with each change, in order
  using ListenerId = recipes::TreeCache::ListenerId;  // what add_listener() returns, for remove_listener()

  // A cache of `root` and what is below it, as recipes::TreeCache(session, root, options).
  TreeCache(Client& client, std::string root, TreeCacheOptions options = {});
  TreeCache(const TreeCache&) = delete;
  TreeCache& operator=(const TreeCache&) = delete;
  // Closes the cache on the client's thread and waits for it.
  ~TreeCache();

  // Sets the watch and reads the subtree; returns once the first walk is done. Errors: as
  // recipes::TreeCache::start().
  Result<void> start();
  // Stops following; the contents stay readable. Idempotent.
  Result<void> close();

  // A copy of one cached node, or nullopt.
  Result<std::optional<NodeData>> find(const std::string& path);
  // Names of the cached children of `path`, sorted.
  Result<std::vector<std::string>> children(const std::string& path);
  // A copy of every cached node by path.
  Result<std::map<std::string, NodeData>> nodes();
  // Whether the first walk finished and the session has not ended since.
  bool live();

  // Tells `listener`, on the client's thread, of every CacheEvent in order. What it captures
  // must outlive the cache.
  Result<ListenerId> add_listener(Listener listener);
  // Removes a listener added by add_listener(); unknown ids are ignored.
  Result<void> remove_listener(ListenerId id);

  // The coroutine TreeCache underneath: use it only on the client's thread.
  recipes::TreeCache& recipe() noexcept { return *cache_; }

 private:
  Client* client_;
  std::unique_ptr<recipes::TreeCache> cache_;  // made, used and destroyed on the client's thread
};

}  // namespace zkit::recipes::blocking
