#include "zkit/recipes/discovery/service_registry.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "detail/listeners.hpp"
#include "detail/wake.hpp"
#include "zkit/recipes/nodes/persistent_node.hpp"

namespace zkit::recipes {

using ordered_json = nlohmann::ordered_json;

std::string_view to_string(ServiceType t) noexcept {
  switch (t) {
    case ServiceType::dynamic: return "DYNAMIC";
    case ServiceType::static_: return "STATIC";
    case ServiceType::permanent: return "PERMANENT";
    case ServiceType::dynamic_sequential: return "DYNAMIC_SEQUENTIAL";
  }
  return "DYNAMIC";
}

namespace {

std::optional<ServiceType> service_type_from(std::string_view s) {
  for (auto t : {ServiceType::dynamic, ServiceType::static_, ServiceType::permanent, ServiceType::dynamic_sequential})
    if (to_string(t) == s) return t;
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Error bad(std::string what) { return Error(Errc::bad_arguments, std::move(what)); }

// A node name: not empty, no '/', not "." or "..".
bool node_name_ok(std::string_view s) {
  return !s.empty() && s.find('/') == std::string_view::npos && s != "." && s != ".." &&
         std::none_of(s.begin(), s.end(), [](char c) { return c == '\0'; });
}

}  // namespace

Result<std::vector<UriSpecPart>> parse_uri_spec(std::string_view spec) {
  // Curator tokenises on '{' and '}' and keeps the tokens in between.
  std::vector<UriSpecPart> parts;
  bool inside = false;
  std::size_t i = 0;
  while (i < spec.size()) {
    char c = spec[i];
    if (c == '{') {
      if (inside) return bad("uri spec \"" + std::string(spec) + "\": '{' inside a variable");
      inside = true;
      ++i;
      continue;
    }
    if (c == '}') {
      if (!inside) return bad("uri spec \"" + std::string(spec) + "\": '}' without '{'");
      inside = false;
      ++i;
      continue;
    }
    std::size_t end = spec.find_first_of("{}", i);
    if (end == std::string_view::npos) end = spec.size();
    std::string_view token = spec.substr(i, end - i);
    parts.push_back({std::string(inside ? trim(token) : token), inside});
    i = end;
  }
  if (inside) return bad("uri spec \"" + std::string(spec) + "\": the last variable is not closed");
  return parts;
}

Result<std::string> to_json(const ServiceInstance& in) {
  ordered_json payload;
  try {
    payload = ordered_json::parse(in.payload.empty() ? std::string("null") : in.payload);
  } catch (const std::exception& e) {
    return bad("the payload of service instance " + in.name + "/" + in.id + " is not JSON: " + e.what());
  }
  ordered_json j;
  j["name"] = in.name;
  j["id"] = in.id;
  j["address"] = in.address.empty() ? ordered_json() : ordered_json(in.address);
  j["port"] = in.port ? ordered_json(*in.port) : ordered_json();
  j["sslPort"] = in.ssl_port ? ordered_json(*in.ssl_port) : ordered_json();
  j["payload"] = std::move(payload);
  j["registrationTimeUTC"] = in.registration_time_utc;
  j["serviceType"] = std::string(to_string(in.service_type));
  if (in.uri_spec) {
    ordered_json parts = ordered_json::array();
    for (const auto& p : *in.uri_spec) {
      ordered_json part;
      part["value"] = p.value;
      part["variable"] = p.variable;
      parts.push_back(std::move(part));
    }
    ordered_json spec;
    spec["parts"] = std::move(parts);
    j["uriSpec"] = std::move(spec);
  } else {
    j["uriSpec"] = nullptr;
  }
  j["enabled"] = in.enabled;
  return j.dump();
}

Result<ServiceInstance> parse_service_instance(std::string_view text) {
  ordered_json j;
  try {
    j = ordered_json::parse(text);
  } catch (const std::exception& e) {
    return bad(std::string("a service instance that is not JSON: ") + e.what());
  }
  if (!j.is_object()) return bad("a service instance that is not a JSON object");
  ServiceInstance out;
  auto string_field = [&](const char* key, std::string& into, bool required) -> std::optional<Error> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
      if (required) return bad(std::string("a service instance without \"") + key + "\"");
      return std::nullopt;
    }
    if (!it->is_string()) return bad(std::string("a service instance whose \"") + key + "\" is not a string");
    into = it->get<std::string>();
    return std::nullopt;
  };
  auto port_field = [&](const char* key, std::optional<int>& into) -> std::optional<Error> {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return std::nullopt;
    if (!it->is_number_integer()) return bad(std::string("a service instance whose \"") + key + "\" is not an integer");
    into = it->get<int>();
    return std::nullopt;
  };
  if (auto e = string_field("name", out.name, true)) return *e;
  if (auto e = string_field("id", out.id, true)) return *e;
  if (auto e = string_field("address", out.address, false)) return *e;
  if (auto e = port_field("port", out.port)) return *e;
  if (auto e = port_field("sslPort", out.ssl_port)) return *e;
  if (auto it = j.find("payload"); it != j.end()) out.payload = it->dump();
  if (auto it = j.find("registrationTimeUTC"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) return bad("a service instance whose \"registrationTimeUTC\" is not an integer");
    out.registration_time_utc = it->get<std::int64_t>();
  }
  if (auto it = j.find("serviceType"); it != j.end() && !it->is_null()) {
    std::optional<ServiceType> t = it->is_string() ? service_type_from(it->get<std::string>()) : std::nullopt;
    if (!t) return bad("a service instance with an unknown \"serviceType\": " + it->dump());
    out.service_type = *t;
  }
  if (auto it = j.find("uriSpec"); it != j.end() && !it->is_null()) {
    auto parts = it->is_object() ? it->find("parts") : it->end();
    if (!it->is_object() || parts == it->end() || !parts->is_array())
      return bad("a service instance whose \"uriSpec\" has no \"parts\" list");
    std::vector<UriSpecPart> spec;
    for (const auto& p : *parts) {
      if (!p.is_object() || !p.contains("value") || !p["value"].is_string())
        return bad("a service instance with a \"uriSpec\" part without a \"value\"");
      UriSpecPart part;
      part.value = p["value"].get<std::string>();
      if (auto v = p.find("variable"); v != p.end() && v->is_boolean()) part.variable = v->get<bool>();
      spec.push_back(std::move(part));
    }
    out.uri_spec = std::move(spec);
  }
  if (auto it = j.find("enabled"); it != j.end() && it->is_boolean()) out.enabled = it->get<bool>();
  return out;
}

std::string build_uri(const ServiceInstance& in) {
  if (!in.uri_spec) return {};
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::map<std::string, std::string> vars = {
      {"[", "{"},
      {"]", "}"},
      {"scheme", in.ssl_port ? "https" : "http"},
      {"name", in.name},
      {"id", in.id},
      {"address", in.address},
      {"port", in.port ? std::to_string(*in.port) : ""},
      {"ssl-port", in.ssl_port ? std::to_string(*in.ssl_port) : ""},
      {"registration-time-utc", std::to_string(in.registration_time_utc)},
      {"service-type", lower(to_string(in.service_type))},
  };
  std::string out;
  for (const auto& p : *in.uri_spec) {
    if (!p.variable) {
      out += p.value;
    } else if (auto it = vars.find(p.value); it != vars.end()) {
      out += it->second;
    }
  }
  return out;
}

// --- ServiceRegistry -----------------------------------------------------------------------

namespace detail {

namespace {

std::string under(const std::string& parent, std::string_view name) {
  std::string out = parent == "/" ? "/" : parent + "/";
  out += name;
  return out;
}

}  // namespace

struct RegistryState {
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
  std::string path_of(std::string_view name, std::string_view id) const { return under(under(base, name), id); }
};

namespace {

Task<Result<void>> register_impl(std::shared_ptr<RegistryState> st, ServiceInstance in) {
  if (st->closed) co_return Error(Errc::closing, "the service registry " + st->base + " is closed");
  if (!node_name_ok(in.name) || !node_name_ok(in.id))
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
  const std::string dir = under(st->base, name);
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
    for (const auto& id : kids->names) reads.push_back(TxnOp::get(under(dir, id)));
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

}  // namespace detail

using detail::RegistryState;

ServiceRegistry::ServiceRegistry(Session& session, std::string base_path) : state_(std::make_shared<RegistryState>()) {
  state_->session = &session;
  state_->base = std::move(base_path);
}

ServiceRegistry::ServiceRegistry(ServiceRegistry&&) noexcept = default;
ServiceRegistry& ServiceRegistry::operator=(ServiceRegistry&& o) noexcept {
  if (this != &o) {
    if (state_ && !state_->closed) spawn(detail::close_impl(state_));
    state_ = std::move(o.state_);
  }
  return *this;
}
ServiceRegistry::~ServiceRegistry() {
  if (state_ && !state_->closed) spawn(detail::close_impl(state_));
}

Task<Result<void>> ServiceRegistry::register_instance(ServiceInstance instance) {
  return detail::register_impl(state_, std::move(instance));
}
Task<Result<void>> ServiceRegistry::update_instance(ServiceInstance instance) {
  return detail::update_impl(state_, std::move(instance));
}
Task<Result<void>> ServiceRegistry::unregister_instance(std::string name, std::string id) {
  return detail::unregister_impl(state_, std::move(name), std::move(id));
}
Task<Result<void>> ServiceRegistry::reregister(Session& session) { return detail::reregister_impl(state_, &session); }
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

// --- ServiceCache ------------------------------------------------------------------------------

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
  ListenerSet<CacheEvent::Type> connection;

  void rebuild(bool notify) {
    std::vector<ServiceInstance> now;
    for (const auto& id : tree.children(tree.root())) {
      const std::string path = (tree.root() == "/" ? "/" : tree.root() + "/") + id;
      if (const NodeData* n = tree.find(path))
        if (auto in = parse_service_instance(n->data)) now.push_back(std::move(*in));
    }
    if (now == instances) return;
    instances = std::move(now);
    if (notify) listeners.notify(instances);
  }

  void on_event(const CacheEvent& e) {
    switch (e.type) {
      case CacheEvent::Type::added:
      case CacheEvent::Type::updated:
      case CacheEvent::Type::removed:
        return rebuild(true);
      case CacheEvent::Type::initialized:
        return rebuild(false);
      default:
        connection.notify(e.type);
    }
  }
};

}  // namespace detail

using detail::ServiceCacheState;

ServiceCache::ServiceCache(Session& session, std::string base_path, std::string name) {
  std::string path = (base_path == "/" ? "/" : base_path + "/") + name;
  state_ = std::make_shared<ServiceCacheState>(session, std::move(path));
  state_->tree.add_listener([weak = std::weak_ptr<ServiceCacheState>(state_)](const CacheEvent& e) {
    if (auto st = weak.lock()) st->on_event(e);
  });
}

ServiceCache::ServiceCache(ServiceCache&&) noexcept = default;
ServiceCache& ServiceCache::operator=(ServiceCache&& o) noexcept {
  if (this != &o) {
    if (state_) close();
    state_ = std::move(o.state_);
  }
  return *this;
}
ServiceCache::~ServiceCache() {
  if (state_) close();
}

Task<Result<void>> ServiceCache::start() { return state_->tree.start(); }
Task<Result<void>> ServiceCache::rebind(Session& session) { return state_->tree.rebind(session); }
void ServiceCache::close() { state_->tree.close(); }
const std::vector<ServiceInstance>& ServiceCache::instances() const noexcept { return state_->instances; }

ServiceCache::ListenerId ServiceCache::add_listener(Listener listener) {
  return state_->listeners.add(std::move(listener));
}
void ServiceCache::remove_listener(ListenerId id) { state_->listeners.remove(id); }
ServiceCache::ListenerId ServiceCache::add_connection_listener(Function<void(CacheEvent::Type)> listener) {
  return state_->connection.add(std::move(listener));
}
void ServiceCache::remove_connection_listener(ListenerId id) { state_->connection.remove(id); }

}  // namespace zkit::recipes
