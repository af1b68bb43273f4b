// The options object of `new zkit.Client(connect, options)` as zkit::Options: timeouts,
// read-only mode, TLS (options.tls) and SASL (options.sasl), with camelCase names for the
// fields of zkit::TlsOptions and zkit::SaslOptions (lib/index.d.ts lists them).
#pragma once

#include <napi.h>

#include "zkit/options.hpp"

namespace zkit::node {

// Throws a TypeError naming the field that has the wrong type or an unknown value.
Options options_from_js(const Napi::Object& o);

}  // namespace zkit::node
