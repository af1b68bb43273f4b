// zkit values as JavaScript values and back: Stat, errors, watch events, ACLs, Buffers.
#pragma once

#include <napi.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "zkit/error.hpp"
#include "zkit/types.hpp"

namespace zkit::node {

// {czxid, mzxid, ctime, mtime, ephemeralOwner, pzxid: BigInt; version, ...: number}; the
// names are node-zookeeper-client's.
// Made by lib/stat.js's makeStat.
Napi::Value stat_to_js(Napi::Env env, const Stat& s);
// getData's {data: Buffer, or null for null data, stat}, made by lib/stat.js's makeData.
Napi::Value data_to_js(Napi::Env env, const Data& d);
// {<name>: value, stat}: getData's, getChildren's and getACL's answer.
Napi::Object pair_to_js(Napi::Env env, const char* name, napi_value value, const Stat& stat);
// zkit's Error subclass (NoNodeError...) made by lib/errors.js's factory, once lib/native.js
// handed it in; before that {code: -101, name: "no_node", message}, which errors.toError takes.
Napi::Value error_to_js(Napi::Env env, const Error& e);
// The same as a thrown Error (for calls refused before anything was sent).
Napi::Error error_to_exception(Napi::Env env, const Error& e);
Napi::Buffer<char> bytes_to_js(Napi::Env env, std::string_view bytes);
// A node's data: a Buffer, or null for null data.
napi_value node_data_to_js(Napi::Env env, std::string_view bytes, bool null);
// A Buffer's or string's bytes; null and undefined are empty. Anything else: TypeError.
std::string bytes_from_js(const Napi::Value& v, const char* what);
// A node's data to write: a Buffer's or string's bytes; null and undefined are null data
// (nullopt), as node-zookeeper-client and Java send them.
std::optional<std::string> node_data_from_js(const Napi::Value& v, const char* what);
std::string string_from_js(const Napi::Value& v, const char* what);
std::int32_t int_from_js(const Napi::Value& v, const char* what, std::int32_t fallback);
// A number of milliseconds; null and undefined are `fallback`.
std::chrono::milliseconds millis_from_js(const Napi::Value& v, const char* what, std::int64_t fallback);
// [{perms, scheme, id}] both ways.
Napi::Array acl_to_js(Napi::Env env, const AclList& acl);
AclList acl_from_js(const Napi::Value& v);
// A session state as JavaScript sees it: zkit's own name ("expired", "auth_failed"...).
inline Napi::String state_to_js(Napi::Env env, SessionState s) {
  auto name = to_string(s);
  return Napi::String::New(env, name.data(), name.size());
}

}  // namespace zkit::node
