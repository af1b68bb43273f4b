// Service registry and service cache behind the C ABI: zkit::recipes::ServiceRegistry and
// ServiceCache (Curator's discovery layout), living on the client's loop thread like the other
// recipes (recipes.cpp), with the instance converted to and from zkit_service_instance.
#include <cstdlib>

#include "internal.hpp"
#include "zkit/recipes/discovery/service_registry.hpp"

using zkit::c::close_object;
using zkit::c::fail;
using zkit::c::guarded;
using zkit::recipes::ServiceInstance;

struct zkit_service_registry {
  std::shared_ptr<zkit::bindings::Host> host;
  std::unique_ptr<zkit::recipes::ServiceRegistry> object;  // made, used and destroyed on the loop thread
};

struct zkit_service_cache {
  std::shared_ptr<zkit::bindings::Host> host;
  std::unique_ptr<zkit::recipes::ServiceCache> object;  // made, used and destroyed on the loop thread
};

namespace {

std::string text(const char* s) { return s ? std::string(s) : std::string(); }

// The template text of a parsed uri_spec ("{scheme}://{address}"), "" without one.
std::string uri_template(const std::optional<std::vector<zkit::recipes::UriSpecPart>>& spec) {
  std::string out;
  if (!spec) return out;
  for (const auto& part : *spec) out += part.variable ? "{" + part.value + "}" : part.value;
  return out;
}

// The C instance, checked, as the recipe's; ZKIT_OK or the code (last error set).
int from_c(const zkit_service_instance* in, ServiceInstance& out) {
  if (in == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "instance is NULL");
  if (in->name == nullptr || in->id == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "instance name or id is NULL");
  if (in->port < -1 || in->port > 65535 || in->ssl_port < -1 || in->ssl_port > 65535)
    return fail(ZKIT_BAD_ARGUMENTS, "port and ssl_port must be -1 (none) or 0..65535");
  if (in->service_type < ZKIT_SERVICE_DYNAMIC || in->service_type > ZKIT_SERVICE_DYNAMIC_SEQUENTIAL)
    return fail(ZKIT_BAD_ARGUMENTS, "unknown service type " + std::to_string(int(in->service_type)));
  out.name = in->name;
  out.id = in->id;
  out.address = text(in->address);
  if (in->port >= 0) out.port = in->port;
  if (in->ssl_port >= 0) out.ssl_port = in->ssl_port;
  out.payload = in->payload ? std::string(in->payload) : std::string("null");
  out.registration_time_utc = in->registration_time_utc;
  out.service_type = static_cast<zkit::recipes::ServiceType>(in->service_type);
  if (in->uri_spec != nullptr) {
    auto parts = zkit::recipes::parse_uri_spec(in->uri_spec);
    if (!parts) return fail(parts.error());
    out.uri_spec = std::move(parts).value();
  }
  out.enabled = in->enabled != 0;
  return ZKIT_OK;
}

// A view of `in` whose strings point into `in` and `uri` (which must outlive it).
zkit_service_instance view_of(const ServiceInstance& in, const std::string& uri) {
  zkit_service_instance v;
  v.name = in.name.c_str();
  v.id = in.id.c_str();
  v.address = in.address.c_str();
  v.port = in.port ? *in.port : -1;
  v.ssl_port = in.ssl_port ? *in.ssl_port : -1;
  v.payload = in.payload.c_str();
  v.registration_time_utc = in.registration_time_utc;
  v.service_type = static_cast<zkit_service_type>(in.service_type);
  v.uri_spec = in.uri_spec ? uri.c_str() : nullptr;
  v.enabled = in.enabled ? 1 : 0;
  return v;
}

void free_strings_of(zkit_service_instance& v) {
  for (const char* s : {v.name, v.id, v.address, v.payload, v.uri_spec}) std::free(const_cast<char*>(s));
}

// Fills `out` with malloc'd copies; false when out of memory (nothing is left allocated).
bool copy_out(const std::vector<ServiceInstance>& all, zkit_service_instances* out) {
  out->count = 0;
  out->items = nullptr;
  if (all.empty()) return true;
  auto* items = static_cast<zkit_service_instance*>(std::calloc(all.size(), sizeof(zkit_service_instance)));
  if (items == nullptr) return false;
  zkit_service_instances built{0, items};
  for (const auto& in : all) {
    std::string uri = uri_template(in.uri_spec);
    zkit_service_instance v = view_of(in, uri);
    zkit_service_instance& c = items[built.count];
    c = v;
    c.name = zkit::c::copy_out(in.name);
    c.id = zkit::c::copy_out(in.id);
    c.address = zkit::c::copy_out(in.address);
    c.payload = zkit::c::copy_out(in.payload);
    c.uri_spec = in.uri_spec ? zkit::c::copy_out(uri) : nullptr;
    ++built.count;
    if (!c.name || !c.id || !c.address || !c.payload || (in.uri_spec && !c.uri_spec)) {
      zkit_service_instances_free(&built);
      return false;
    }
  }
  *out = built;
  return true;
}

// Calls `fn` with views of `now`, valid for the call only (no allocation beyond the arrays).
void tell(zkit_service_cache_fn fn, void* closure, const std::vector<ServiceInstance>& now) {
  std::vector<std::string> uris;
  uris.reserve(now.size());
  std::vector<zkit_service_instance> views;
  views.reserve(now.size());
  for (const auto& in : now) {
    uris.push_back(uri_template(in.uri_spec));
    views.push_back(view_of(in, uris.back()));
  }
  zkit_service_instances list{views.size(), views.empty() ? nullptr : views.data()};
  fn(&list, closure);
}

// Closes the recipe object and destroys it on the loop thread (as recipes.cpp does).
template <class Outer>
void destroy(Outer* r) {
  if (r == nullptr) return;
  if (r->object) {
    auto* object = r->object.get();
    (void)r->host->template run_task<void>([object](zkit::Session&) { return close_object(object); });
    // The session is gone (zkit_close came first, against the rules): destroying the object
    // would touch it, so the object is let go.
    if (!r->host->run([r](zkit::Session&) { r->object.reset(); })) (void)r->object.release();
  }
  delete r;
}

}  // namespace

extern "C" {

void zkit_service_instance_init(zkit_service_instance* in) {
  if (in == nullptr) return;
  *in = zkit_service_instance{};
  in->port = -1;
  in->ssl_port = -1;
  in->service_type = ZKIT_SERVICE_DYNAMIC;
  in->enabled = 1;
}

void zkit_service_instances_free(zkit_service_instances* list) {
  if (list == nullptr) return;
  for (size_t i = 0; i < list->count; ++i) free_strings_of(list->items[i]);
  std::free(list->items);
  list->count = 0;
  list->items = nullptr;
}

int zkit_service_registry_new(zkit_client* client, const char* base_path, zkit_service_registry** out) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, base_path); rc) return rc;
    if (out == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "out is NULL");
    auto r = std::make_unique<zkit_service_registry>();
    r->host = client->host;
    if (!client->host->run([&](zkit::Session& s) {
          r->object = std::make_unique<zkit::recipes::ServiceRegistry>(s, std::string(base_path));
        }))
      return fail(ZKIT_CLOSING, "the client is closed");
    *out = r.release();
    return int(ZKIT_OK);
  });
}

int zkit_service_register(zkit_service_registry* registry, const zkit_service_instance* instance) {
  return guarded([&] {
    if (registry == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "registry is NULL");
    ServiceInstance in;
    if (int rc = from_c(instance, in); rc) return rc;
    auto* reg = registry->object.get();
    auto r = registry->host->run_task<void>([reg, &in](zkit::Session&) { return reg->register_instance(in); });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

int zkit_service_update(zkit_service_registry* registry, const zkit_service_instance* instance) {
  return guarded([&] {
    if (registry == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "registry is NULL");
    ServiceInstance in;
    if (int rc = from_c(instance, in); rc) return rc;
    auto* reg = registry->object.get();
    auto r = registry->host->run_task<void>([reg, &in](zkit::Session&) { return reg->update_instance(in); });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

int zkit_service_unregister(zkit_service_registry* registry, const char* name, const char* id) {
  return guarded([&] {
    if (registry == nullptr || name == nullptr || id == nullptr)
      return fail(ZKIT_BAD_ARGUMENTS, "registry, name or id is NULL");
    auto* reg = registry->object.get();
    auto r = registry->host->run_task<void>([reg, n = std::string(name), i = std::string(id)](zkit::Session&) {
      return reg->unregister_instance(n, i);
    });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

int zkit_service_query(zkit_service_registry* registry, const char* name, zkit_service_instances* out) {
  return guarded([&] {
    if (registry == nullptr || name == nullptr || out == nullptr)
      return fail(ZKIT_BAD_ARGUMENTS, "registry, name or out is NULL");
    auto* reg = registry->object.get();
    auto r = registry->host->run_task<std::vector<ServiceInstance>>(
        [reg, n = std::string(name)](zkit::Session&) { return reg->query_for_instances(n); });
    if (!r) return fail(r.error());
    if (!copy_out(*r, out)) return fail(ZKIT_NO_MEMORY, "out of memory");
    return int(ZKIT_OK);
  });
}

void zkit_service_registry_free(zkit_service_registry* registry) { destroy(registry); }

int zkit_service_cache_new(zkit_client* client, const char* base_path, const char* name,
                           zkit_service_cache_fn on_change, void* closure, zkit_service_cache** out) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, base_path); rc) return rc;
    if (name == nullptr || out == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "name or out is NULL");
    auto c = std::make_unique<zkit_service_cache>();
    c->host = client->host;
    if (!client->host->run([&](zkit::Session& s) {
          c->object = std::make_unique<zkit::recipes::ServiceCache>(s, std::string(base_path), std::string(name));
          if (on_change != nullptr)
            c->object->add_listener(
                [on_change, closure](const std::vector<ServiceInstance>& now) { tell(on_change, closure, now); });
        }))
      return fail(ZKIT_CLOSING, "the client is closed");
    auto* cache = c->object.get();
    auto started = c->host->run_task<void>([cache](zkit::Session&) { return cache->start(); });
    if (!started) {
      destroy(c.release());
      return fail(started.error());
    }
    *out = c.release();
    return int(ZKIT_OK);
  });
}

int zkit_service_cache_instances(zkit_service_cache* cache, zkit_service_instances* out) {
  return guarded([&] {
    if (cache == nullptr || out == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "cache or out is NULL");
    bool copied = false;
    auto* object = cache->object.get();
    if (!cache->host->run([&](zkit::Session&) { copied = copy_out(object->instances(), out); }))
      return fail(ZKIT_CLOSING, "the client is closed");
    return copied ? int(ZKIT_OK) : fail(ZKIT_NO_MEMORY, "out of memory");
  });
}

void zkit_service_cache_free(zkit_service_cache* cache) { destroy(cache); }

}  // extern "C"
