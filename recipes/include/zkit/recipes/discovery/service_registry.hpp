// zkit::recipes::ServiceRegistry and ServiceCache: service registration and discovery, in the
// znodes and JSON of Curator's service discovery (curator-x-discovery), so Java services and
// zkit services find each other.
//
//   zkit::recipes::ServiceRegistry registry(session, "/services");
//   zkit::recipes::ServiceInstance me{.name = "chunkserver", .id = "cs-7",
//                                     .address = "10.0.0.7", .port = 9000};
//   if (auto r = co_await registry.register_instance(me); !r) return r.error();
//   ...                                     // the session expired; a new one is up:
//   co_await registry.reregister(new_session);
//
//   zkit::recipes::ServiceCache chunkservers(session, "/services", "chunkserver");
//   chunkservers.add_listener([](const std::vector<zkit::recipes::ServiceInstance>& now) {
//     route_to(now);
//   });
//   co_await chunkservers.start();
//
// Nodes: `<base>/<name>/<id>`, holding the instance as JSON (below); ephemeral for
// ServiceType::dynamic (gone with the session), persistent for static / permanent. <base> and
// <base>/<name> are created as containers (Curator's creatingParentContainersIfNeeded).
// Each registered instance is a PersistentNode (zkit/recipes/nodes/persistent_node.hpp): deleted by
// someone, it is created again; when the session is replaced, reregister() creates every
// instance on the new one.
//
// JSON (Jackson's output for Curator 5's ServiceInstance, fields in this order):
//   {"name":"chunkserver","id":"cs-7","address":"10.0.0.7","port":9000,"sslPort":null,
//    "payload":null,"registrationTimeUTC":1700000000000,"serviceType":"DYNAMIC",
//    "uriSpec":{"parts":[{"value":"scheme","variable":true},{"value":"://","variable":false}]},
//    "enabled":true}
// `payload` is any JSON value; Curator's JsonInstanceSerializer writes a Java class name into
// it ({"@class":"com.example.Info",...}) and expects one when it reads: put it in the payload
// text when Java clients must read the payload as a class. Unknown fields are ignored when
// reading, like Curator does.
//
// Use on the loop thread of the session; the session must outlive these objects.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "zkit/recipes/caches/tree_cache.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

namespace detail {
struct RegistryState;
struct ServiceCacheState;
}

// ServiceType: Curator's ServiceType. zkit registers dynamic (ephemeral), static and permanent
// (persistent) instances; dynamic_sequential is read but not registered.
enum class ServiceType { dynamic, static_, permanent, dynamic_sequential };
// "DYNAMIC", "STATIC", "PERMANENT", "DYNAMIC_SEQUENTIAL"
std::string_view to_string(ServiceType t) noexcept;

// UriSpecPart: one piece of a URI template: literal text, or a variable ("{port}").
struct UriSpecPart {
  std::string value;  // literal text, or the variable's name
  bool variable = false;  // whether `value` names a variable
  friend bool operator==(const UriSpecPart&, const UriSpecPart&) = default;
};

// Parses a template such as "{scheme}://{address}:{port}/api" (Curator's UriSpec).
// Errors: bad_arguments (a '{' inside a variable, a '}' without '{', an unclosed variable).
Result<std::vector<UriSpecPart>> parse_uri_spec(std::string_view spec);

struct ServiceInstanceView;

// ServiceInstance: one instance of a service, as Curator's ServiceInstance has it.
struct ServiceInstance {
  std::string name{};                  // the service
  std::string id{};                  // this instance (unique within the service)
  std::string address{};  // where the instance listens (a name or an address)
  std::optional<int> port{};  // its plain port, if any
  std::optional<int> ssl_port{};  // its TLS port, if any
  std::string payload = "null";      // JSON text
  std::int64_t registration_time_utc = 0;  // ms since the epoch; 0: set by register_instance
  ServiceType service_type = ServiceType::dynamic;  // dynamic instances are ephemeral nodes
  std::optional<std::vector<UriSpecPart>> uri_spec{};  // a URI template (parse_uri_spec), if any
  bool enabled = true;  // whether clients should use it
  friend bool operator==(const ServiceInstance&, const ServiceInstance&) = default;
  // The fields as a view, for ServiceRegistry::register_instance / update_instance.
  operator ServiceInstanceView() const;  // NOLINT: implicit on purpose
};

// ServiceInstanceView: the fields of a ServiceInstance, viewed for the length of one call that
// copies them (register_instance, update_instance). It owns nothing, so it is trivially
// destructible and can be built in place inside a `co_await` with any compiler (GCC 12 destroys
// an aggregate temporary with a destructor twice there):
//   co_await registry.register_instance({.name = "chunkserver", .id = id, .address = "10.0.0.7", .port = 9000});
struct ServiceInstanceView {
  std::string_view name{};  // ServiceInstance::name
  std::string_view id{};  // ServiceInstance::id
  std::string_view address{};  // ServiceInstance::address
  std::optional<int> port{};  // ServiceInstance::port
  std::optional<int> ssl_port{};  // ServiceInstance::ssl_port
  std::string_view payload = "null";  // ServiceInstance::payload (JSON text)
  std::int64_t registration_time_utc = 0;  // ServiceInstance::registration_time_utc
  ServiceType service_type = ServiceType::dynamic;  // ServiceInstance::service_type
  std::optional<std::span<const UriSpecPart>> uri_spec{};  // ServiceInstance::uri_spec
  bool enabled = true;  // ServiceInstance::enabled

  // An owning copy.
  ServiceInstance to_instance() const;
};
static_assert(std::is_trivially_destructible_v<ServiceInstanceView>);

// The instance as Curator's JSON. Errors: bad_arguments (the payload is not JSON).
Result<std::string> to_json(const ServiceInstance& instance);
// Reads Curator's JSON. Errors: bad_arguments (not JSON, not an object, no name or id, a
// field of the wrong type, an unknown serviceType).
Result<ServiceInstance> parse_service_instance(std::string_view json);
// The instance's URI from its uri_spec (Curator's buildUriSpec): {scheme} is "https" when
// there is an ssl_port, else "http"; {name}, {id}, {address}, {port}, {ssl-port},
// {registration-time-utc}, {service-type}; "{[}" and "{]}" are braces; unknown variables are
// left out. "" without a uri_spec.
std::string build_uri(const ServiceInstance& instance);

// ServiceRegistry: registers this process's instances under a base path, in Curator's layout.
class ServiceRegistry {
 public:
  // Instances go under `base_path` (Curator's basePath).
  ServiceRegistry(Session& session, std::string base_path);
  ServiceRegistry(ServiceRegistry&&) noexcept;
  ServiceRegistry& operator=(ServiceRegistry&&) noexcept;
  ServiceRegistry(const ServiceRegistry&) = delete;
  ServiceRegistry& operator=(const ServiceRegistry&) = delete;
  // Not closed yet: unregisters every instance in the background.
  ~ServiceRegistry();

  // Registers `instance` (its registration time set to now when 0) and completes once its
  // node is in place. Errors: bad_arguments (no name or id, a name or id that is not a node
  // name, a payload that is not JSON, dynamic_sequential, registered already), and those of
  // PersistentNode::start().
  // The instance is copied before the call returns; a ServiceInstance converts. (With GCC 12,
  // build it in place as `{.name = ..., ...}` or pass a variable; a braced ServiceInstance{...}
  // temporary inside co_await is destroyed twice by that compiler.)
  Task<Result<void>> register_instance(ServiceInstanceView instance);
  // Replaces the data of a registered instance (copied before the call returns). Errors:
  // bad_arguments (not registered here, bad payload), and those of Session::set.
  Task<Result<void>> update_instance(ServiceInstanceView instance);
  // Deletes a registered instance's node. Errors: bad_arguments (not registered here), and
  // those of Session::remove other than no_node.
  Task<Result<void>> unregister_instance(std::string name, std::string id);
  // Moves every registered instance to `session` (after the old session expired) and
  // completes once all are in place there. Errors: the first one of PersistentNode::rebind().
  Task<Result<void>> reregister(Session& session);
  // Unregisters everything. Idempotent.
  Task<void> close();

  // What this object registered.
  std::vector<ServiceInstance> registered() const;
  // The base path instances go under.
  const std::string& base_path() const noexcept;
  // "<base>/<name>/<id>"
  std::string instance_path(std::string_view name, std::string_view id) const;

  // Discovery, asking the server (see ServiceCache to follow changes):
  // The service names under the base path.
  Task<Result<std::vector<std::string>>> query_for_names();
  // The instances of `name` (sorted by id), read in one multi-read; nodes whose data is not
  // an instance are left out; no service: an empty list.
  Task<Result<std::vector<ServiceInstance>>> query_for_instances(std::string name);
  // One instance, or nullopt.
  Task<Result<std::optional<ServiceInstance>>> query_for_instance(std::string name, std::string id);

 private:
  std::shared_ptr<detail::RegistryState> state_;
};

// ServiceCache: the live instances of one service, kept current (Curator's ServiceCache):
// a TreeCache of `<base>/<name>` two levels deep, so instances that come, go or change their
// data are seen; the listener gets the whole list after each change.
class ServiceCache {
 public:
  // What a listener is told: the whole list of live instances.
  using Listener = Function<void(const std::vector<ServiceInstance>&)>;

  // A cache of service `name`'s instances under `base_path` on `session`.
  ServiceCache(Session& session, std::string base_path, std::string name);
  ServiceCache(ServiceCache&&) noexcept;
  ServiceCache& operator=(ServiceCache&&) noexcept;
  ServiceCache(const ServiceCache&) = delete;
  ServiceCache& operator=(const ServiceCache&) = delete;
  ~ServiceCache();

  // Starts following; completes with the first list in place. Errors: as TreeCache::start().
  Task<Result<void>> start();
  // Continues on another session (after the old one ended) and emits what changed.
  Task<Result<void>> rebind(Session& session);
  // Stops following (the TreeCache's close). Idempotent.
  Task<void> close();

  // The live instances, sorted by id (nodes whose data is not an instance are left out).
  const std::vector<ServiceInstance>& instances() const noexcept;

  // Names a listener, for remove_listener / remove_state_listener.
  using ListenerId = std::uint64_t;
  // Told the new list whenever it changes.
  ListenerId add_listener(Listener listener);
  // Removes a listener that add_listener returned.
  void remove_listener(ListenerId id);
  // Told suspended / reconnected / lost (zkit/recipes/ownership.hpp).
  ListenerId add_state_listener(RecipeStateListener listener);
  // Removes a listener that add_state_listener returned.
  void remove_state_listener(ListenerId id);

 private:
  std::shared_ptr<detail::ServiceCacheState> state_;
};

}  // namespace zkit::recipes
