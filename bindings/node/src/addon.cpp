#include "addon.hpp"

namespace zkit::node {

void Addon::install(Napi::Env env) {
  auto* addon = new Addon(env);
  napi_set_instance_data(
      env, addon, [](napi_env, void* data, void*) { delete static_cast<Addon*>(data); }, nullptr);
  // Cleanup hooks run in reverse order: this one after the clients' own, which stop their
  // sessions first.
  napi_add_env_cleanup_hook(env, [](void* data) { static_cast<Addon*>(data)->deliveries.shut_down(); }, addon);
}

Addon& Addon::of(Napi::Env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return *static_cast<Addon*>(data);
}

}  // namespace zkit::node
