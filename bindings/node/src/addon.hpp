// zkit::node::Addon: what the module keeps per Node environment (its napi instance data): the
// environment's Deliveries and the factories lib/native.js hands in (setFactories).
#pragma once

#include <napi.h>

#include "deliveries.hpp"

namespace zkit::node {

struct Addon {
  // Makes the environment's Addon (the module's init, once per environment).
  static void install(Napi::Env env);
  static Addon& of(Napi::Env env);

  explicit Addon(Napi::Env env) : deliveries(env) {}

  Deliveries deliveries;
  // errors.make(code, codeName, message): replies are rejected with zkit's Error subclasses
  // straight from the loop.
  Napi::FunctionReference make_error;
  // A Stat from its eleven fields, and getData's {data, stat} from the data and those fields:
  // one call into a JavaScript literal costs less than setting each property from here (each
  // would look its name up), and every Stat gets the same shape.
  Napi::FunctionReference make_stat;
  Napi::FunctionReference make_data;
};

}  // namespace zkit::node
