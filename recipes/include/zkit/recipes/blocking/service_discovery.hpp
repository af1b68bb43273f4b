// zkit::recipes::blocking::ServiceRegistry and ServiceCache: service registration and discovery
// for thread-based code, over a zkit::Client. They are the coroutine ServiceRegistry and
// ServiceCache (zkit/recipes/discovery/service_registry.hpp), run on the client's thread
// through Client::run: same znodes, same Curator JSON, no second implementation.
//
//   zkit::recipes::blocking::ServiceRegistry registry(client, "/services");
//   zkit::recipes::ServiceInstance me;
//   me.name = "chunkserver"; me.id = "cs-7"; me.address = "10.0.0.7"; me.port = 9000;
//   if (auto r = registry.register_instance(me); !r) return fail(r.error());
//
//   zkit::recipes::blocking::ServiceCache chunkservers(client, "/services", "chunkserver");
//   chunkservers.add_listener([](const std::vector<zkit::recipes::ServiceInstance>& now) {
//     route_to(now);                                   // on the client's thread
//   });
//   if (auto r = chunkservers.start(); !r) return fail(r.error());
//   for (const auto& in : chunkservers.instances()) ...
//
// Thread-safe: each call blocks until the client's thread has done it, and fails with
// bad_arguments when made on that thread (from a watcher or listener), closing when the
// client is closed. The Client must outlive these objects.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "zkit/client.hpp"
#include "zkit/recipes/discovery/service_registry.hpp"
#include "zkit/result.hpp"

namespace zkit::recipes::blocking {

// ServiceRegistry (blocking): registers, updates and queries service instances over a Client.
class ServiceRegistry {
 public:
  // Instances go under `base_path`, as recipes::ServiceRegistry(session, base_path).
  ServiceRegistry(Client& client, std::string base_path);
  ServiceRegistry(const ServiceRegistry&) = delete;
  ServiceRegistry& operator=(const ServiceRegistry&) = delete;
  // Unregisters every instance on the client's thread and waits for it.
  ~ServiceRegistry();

  // Registers `instance` (copied) and returns once its node is in place. Errors: as
  // recipes::ServiceRegistry::register_instance().
  Result<void> register_instance(const ServiceInstance& instance);
  // Replaces the data of a registered instance. Errors: as update_instance().
  Result<void> update_instance(const ServiceInstance& instance);
  // Deletes a registered instance's node. Errors: as unregister_instance().
  Result<void> unregister_instance(std::string name, std::string id);
  // Unregisters everything. Idempotent.
  Result<void> close();

  // What this object registered.
  Result<std::vector<ServiceInstance>> registered();
  // Asking the server: the service names, the instances of one service, one instance.
  Result<std::vector<std::string>> query_for_names();
  // Every instance registered under `name` (empty when none).
  Result<std::vector<ServiceInstance>> query_for_instances(std::string name);
  // The instance `id` of `name`, or nullopt when it is not registered.
  Result<std::optional<ServiceInstance>> query_for_instance(std::string name, std::string id);

  // The coroutine ServiceRegistry underneath: use it only on the client's thread.
  recipes::ServiceRegistry& recipe() noexcept { return *registry_; }

 private:
  Client* client_;
  std::unique_ptr<recipes::ServiceRegistry> registry_;  // made, used and destroyed on the client's thread
};

// ServiceCache (blocking): the instances of one service, kept current, over a Client.
class ServiceCache {
 public:
  using Listener = recipes::ServiceCache::Listener;  // called on the client's thread with the new list
  using ListenerId = recipes::ServiceCache::ListenerId;  // what add_listener() returns, for remove_listener()

  // The live instances of service `name` under `base_path`.
  ServiceCache(Client& client, std::string base_path, std::string name);
  ServiceCache(const ServiceCache&) = delete;
  ServiceCache& operator=(const ServiceCache&) = delete;
  // Stops following on the client's thread and waits for it.
  ~ServiceCache();

  // Starts following; returns with the first list in place (listeners are told it). Errors:
  // as recipes::ServiceCache::start().
  Result<void> start();
  // Stops following. Idempotent.
  Result<void> close();

  // A copy of the live instances, sorted by id.
  Result<std::vector<ServiceInstance>> instances();
  // Tells `listener`, on the client's thread, the whole list: the first one when start()
  // has read it, then after each change. What it captures must outlive the cache.
  Result<ListenerId> add_listener(Listener listener);
  // Removes a listener added by add_listener(); unknown ids are ignored.
  Result<void> remove_listener(ListenerId id);

  // The coroutine ServiceCache underneath: use it only on the client's thread.
  recipes::ServiceCache& recipe() noexcept { return *cache_; }

 private:
  Client* client_;
  std::unique_ptr<recipes::ServiceCache> cache_;  // made, used and destroyed on the client's thread
};

}  // namespace zkit::recipes::blocking
