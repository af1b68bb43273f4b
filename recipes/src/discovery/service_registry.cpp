#include "zkit/recipes/discovery/service_registry.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "detail/handles.hpp"
#include "detail/lifetime.hpp"
#include "detail/paths.hpp"
#include "detail/wake.hpp"
#include "zkit/recipes/nodes/persistent_node.hpp"

namespace zkit::recipes {

namespace detail {

struct RegistryState {
  SessionHandles handles;  // what `session` points to (see detail/handles.hpp)
  Session* session = nullptr;
  std::string base;
  struct Entry {
    ServiceInstance instance;
    std::unique_ptr<PersistentNode> node;
  };
  std::map<std::string, Entry> entries;  // by "<name>/<id>"
  bool closed = false;

  static std::string key(std::string_view name, std::string_view id) {
    std::string k(name);
    k += '/';
    k += id;
    return k;
  }
  std::string path_of(std::string_view name, std::string_view id) const { return child_path(child_path(base, name), id); }
};

namespace {

Error bad(std::string what) { return Error(Errc::bad_arguments, std::move(what)); }

Task<Result<void>> register_impl(std::shared_ptr<RegistryState> st, ServiceInstance in) {
  if (st->closed) co_return Error(Errc::closing, "the service registry " + st->base + " is closed");
  if (!is_node_name(in.name) || !is_node_name(in.id))
    co_return bad("a service instance needs a name and an id that are node names (got \"" + in.name + "\", \"" +
                  in.id + "\")");
  if (in.service_type == ServiceType::dynamic_sequential)
    co_return bad("zkit does not register DYNAMIC_SEQUENTIAL instances");
  const std::string k = RegistryState::key(in.name, in.id);
  if (st->entries.count(k)) co_return bad("service instance " + k + " is registered already");
  if (in.registration_time_utc == 0)
    in.registration_time_utc = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
  auto json = to_json(in);
  if (!json) co_return json.error();
  PersistentNodeOptions o;
  o.mode = in.service_type == ServiceType::dynamic ? CreateMode::ephemeral : CreateMode::persistent;
  auto node = std::make_unique<PersistentNode>(*st->session, st->path_of(in.name, in.id), std::move(*json), o);
  PersistentNode* n = node.get();
  st->entries[k] = RegistryState::Entry{std::move(in), std::move(node)};
  auto started = co_await n->start();
  if (!started) {
    // Not registered after all (the entry may be gone already if unregistered meanwhile).
    auto it = st->entries.find(k);
    if (it != st->entries.end() && it->second.node.get() == n) {
      auto doomed = std::move(it->second.node);
      st->entries.erase(it);
      co_await doomed->close();
    }
  }
  co_return started;
}

Task<Result<void>> update_impl(std::shared_ptr<RegistryState> st, ServiceInstance in) {
  auto it = st->entries.find(RegistryState::key(in.name, in.id));
  if (it == st->entries.end()) co_return bad("service instance " + in.name + "/" + in.id + " is not registered here");
  if (in.registration_time_utc == 0) in.registration_time_utc = it->second.instance.registration_time_utc;
  auto json = to_json(in);
  if (!json) co_return json.error();
  it->second.instance = in;
  PersistentNode* n = it->second.node.get();
  co_return co_await n->set_data(std::move(*json));
}

Task<Result<void>> unregister_impl(std::shared_ptr<RegistryState> st, std::string name, std::string id) {
  auto it = st->entries.find(RegistryState::key(name, id));
  if (it == st->entries.end()) co_return bad("service instance " + name + "/" + id + " is not registered here");
  auto node = std::move(it->second.node);
  st->entries.erase(it);
  co_await node->close();
  co_return Result<void>();
}

Task<Result<void>> reregister_impl(std::shared_ptr<RegistryState> st, Session* s) {
  st->session = s;
  // Every rebind sends its first requests when called: start them all, then wait in turn.
  std::vector<Task<Result<void>>> waits;
  for (auto& [k, e] : st->entries) waits.push_back(e.node->rebind(*s));
  Result<void> out;
  for (auto& w : waits) {
    auto r = co_await w;
    if (!r && out) out = r.error();
  }
  co_return out;
}

Task<void> close_impl(std::shared_ptr<RegistryState> st) {
  st->closed = true;
  auto entries = std::move(st->entries);
  st->entries.clear();
  for (auto& [k, e] : entries) co_await e.node->close();
}

Task<Result<std::vector<std::string>>> names_impl(std::shared_ptr<RegistryState> st) {
  for (int attempt = 0;; ++attempt) {
    auto r = co_await st->session->get_children(st->base);
    if (r) {
      std::sort(r->names.begin(), r->names.end());
      co_return std::move(r->names);
    }
    if (r.code() == Errc::no_node) co_return std::vector<std::string>{};
    if (!retryable(r.code()) || attempt >= 10) co_return r.error();
  }
}

Task<Result<std::vector<ServiceInstance>>> instances_impl(std::shared_ptr<RegistryState> st, std::string name) {
  const std::string dir = child_path(st->base, name);
  for (int attempt = 0;; ++attempt) {
    auto kids = co_await st->session->get_children(dir);
    if (!kids) {
      if (kids.code() == Errc::no_node) co_return std::vector<ServiceInstance>{};
      if (retryable(kids.code()) && attempt < 10) continue;
      co_return kids.error();
    }
    std::sort(kids->names.begin(), kids->names.end());
    std::vector<ServiceInstance> out;
    if (kids->names.empty()) co_return out;
    std::vector<TxnOp> reads;
    for (const auto& id : kids->names) reads.push_back(TxnOp::get(child_path(dir, id)));
    auto got = co_await st->session->multi(reads);
    if (!got) {
      if (retryable(got.code()) && attempt < 10) continue;
      co_return got.error();
    }
    for (const auto& r : got->results) {
      if (r.error != Errc::ok) continue;  // gone meanwhile
      if (auto in = parse_service_instance(r.data)) out.push_back(std::move(*in));
    }
    co_return out;
  }
}

Task<Result<std::optional<ServiceInstance>>> instance_impl(std::shared_ptr<RegistryState> st, std::string name,
                                                           std::string id) {
  const std::string path = st->path_of(name, id);
  for (int attempt = 0;; ++attempt) {
    auto r = co_await st->session->get(path);
    if (r) {
      auto in = parse_service_instance(r->data);
      if (!in) co_return in.error();
      co_return std::optional<ServiceInstance>(std::move(*in));
    }
    if (r.code() == Errc::no_node) co_return std::optional<ServiceInstance>();
    if (!retryable(r.code()) || attempt >= 10) co_return r.error();
  }
}

}  // namespace

bool needs_close(const RegistryState& st) { return !st.closed; }
Task<void> close_quietly(std::shared_ptr<RegistryState> st) { return close_impl(std::move(st)); }

}  // namespace detail

using detail::RegistryState;

ServiceRegistry::ServiceRegistry(Session& session, std::string base_path) : state_(std::make_shared<RegistryState>()) {
  state_->session = state_->handles.bind(session);
  state_->base = std::move(base_path);
}

ServiceRegistry::ServiceRegistry(ServiceRegistry&&) noexcept = default;
ServiceRegistry& ServiceRegistry::operator=(ServiceRegistry&& o) noexcept {
  detail::take_state(state_, o.state_);
  return *this;
}
ServiceRegistry::~ServiceRegistry() { detail::close_in_background(state_); }

Task<Result<void>> ServiceRegistry::register_instance(ServiceInstanceView instance) {
  return detail::register_impl(state_, instance.to_instance());
}
Task<Result<void>> ServiceRegistry::update_instance(ServiceInstanceView instance) {
  return detail::update_impl(state_, instance.to_instance());
}
Task<Result<void>> ServiceRegistry::unregister_instance(std::string name, std::string id) {
  return detail::unregister_impl(state_, std::move(name), std::move(id));
}
Task<Result<void>> ServiceRegistry::reregister(Session& session) { return detail::reregister_impl(state_, state_->handles.bind(session)); }
Task<void> ServiceRegistry::close() { return detail::close_impl(state_); }

std::vector<ServiceInstance> ServiceRegistry::registered() const {
  std::vector<ServiceInstance> out;
  for (const auto& [k, e] : state_->entries) out.push_back(e.instance);
  return out;
}
const std::string& ServiceRegistry::base_path() const noexcept { return state_->base; }
std::string ServiceRegistry::instance_path(std::string_view name, std::string_view id) const {
  return state_->path_of(name, id);
}

Task<Result<std::vector<std::string>>> ServiceRegistry::query_for_names() { return detail::names_impl(state_); }
Task<Result<std::vector<ServiceInstance>>> ServiceRegistry::query_for_instances(std::string name) {
  return detail::instances_impl(state_, std::move(name));
}
Task<Result<std::optional<ServiceInstance>>> ServiceRegistry::query_for_instance(std::string name, std::string id) {
  return detail::instance_impl(state_, std::move(name), std::move(id));
}

}  // namespace zkit::recipes
