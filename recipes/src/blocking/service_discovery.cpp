#include "zkit/recipes/blocking/service_discovery.hpp"

#include <utility>

#include "blocking/on_client.hpp"

namespace zkit::recipes::blocking {
ServiceRegistry::ServiceRegistry(Client& client, std::string base_path)
    : client_(&client), registry_(detail::make_on<recipes::ServiceRegistry>(client, std::move(base_path))) {}

ServiceRegistry::~ServiceRegistry() { detail::close_on(*client_, registry_); }

Result<void> ServiceRegistry::register_instance(const ServiceInstance& instance) {
  if (!registry_) return detail::closed_client("ServiceRegistry");
  // The view is copied before register_instance() returns its task, while `instance` lives.
  return client_->run([&](Session&) { return registry_->register_instance(instance); });
}

Result<void> ServiceRegistry::update_instance(const ServiceInstance& instance) {
  if (!registry_) return detail::closed_client("ServiceRegistry");
  return client_->run([&](Session&) { return registry_->update_instance(instance); });
}

Result<void> ServiceRegistry::unregister_instance(std::string name, std::string id) {
  if (!registry_) return detail::closed_client("ServiceRegistry");
  return client_->run([&](Session&) { return registry_->unregister_instance(std::move(name), std::move(id)); });
}

Result<void> ServiceRegistry::close() {
  if (!registry_) return detail::closed_client("ServiceRegistry");
  return client_->run([this](Session&) { return registry_->close(); });
}

Result<std::vector<ServiceInstance>> ServiceRegistry::registered() {
  if (!registry_) return detail::closed_client("ServiceRegistry");
  return detail::read_on(*client_, [this] { return registry_->registered(); });
}

Result<std::vector<std::string>> ServiceRegistry::query_for_names() {
  if (!registry_) return detail::closed_client("ServiceRegistry");
  return client_->run([this](Session&) { return registry_->query_for_names(); });
}

Result<std::vector<ServiceInstance>> ServiceRegistry::query_for_instances(std::string name) {
  if (!registry_) return detail::closed_client("ServiceRegistry");
  return client_->run([&](Session&) { return registry_->query_for_instances(std::move(name)); });
}

Result<std::optional<ServiceInstance>> ServiceRegistry::query_for_instance(std::string name, std::string id) {
  if (!registry_) return detail::closed_client("ServiceRegistry");
  return client_->run([&](Session&) { return registry_->query_for_instance(std::move(name), std::move(id)); });
}

ServiceCache::ServiceCache(Client& client, std::string base_path, std::string name)
    : client_(&client),
      cache_(detail::make_on<recipes::ServiceCache>(client, std::move(base_path), std::move(name))) {}

ServiceCache::~ServiceCache() { detail::close_on(*client_, cache_); }

Result<void> ServiceCache::start() {
  if (!cache_) return detail::closed_client("ServiceCache");
  return client_->run([this](Session&) { return cache_->start(); });
}

Result<void> ServiceCache::close() {
  if (!cache_) return detail::closed_client("ServiceCache");
  return client_->run([this](Session&) { return cache_->close(); });
}

Result<std::vector<ServiceInstance>> ServiceCache::instances() {
  if (!cache_) return detail::closed_client("ServiceCache");
  return detail::read_on(*client_, [this] { return cache_->instances(); });
}

Result<ServiceCache::ListenerId> ServiceCache::add_listener(Listener listener) {
  if (!cache_) return detail::closed_client("ServiceCache");
  return detail::read_on(*client_, [this, l = std::move(listener)]() mutable { return cache_->add_listener(std::move(l)); });
}

Result<void> ServiceCache::remove_listener(ListenerId id) {
  if (!cache_) return detail::closed_client("ServiceCache");
  return detail::read_on(*client_, [this, id] { cache_->remove_listener(id); });
}

}  // namespace zkit::recipes::blocking
