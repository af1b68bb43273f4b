#include "convert.hpp"

#include <iterator>

#include "addon.hpp"

namespace zkit::node {

namespace {

Napi::Value int64_to_js(Napi::Env env, std::int64_t v) {
  napi_value out = nullptr;
  napi_create_bigint_int64(env, v, &out);
  return {env, out};
}

Napi::Value int32_to_js(Napi::Env env, std::int32_t v) {
  napi_value out = nullptr;
  napi_create_int32(env, v, &out);
  return {env, out};
}

// `make([first,] czxid, ..., pzxid)`: the fields in node-zookeeper-client's order.
Napi::Value call_with_stat(Napi::Env env, Napi::FunctionReference& make, napi_value first, const Stat& s) {
  if (make.IsEmpty()) throw Napi::Error::New(env, "zkit.node is loaded through lib/native.js, which gives it its factories");
  // zxids, times and session ids are 64-bit: BigInt keeps them exact.
  napi_value args[] = {first,
                       int64_to_js(env, s.czxid),       int64_to_js(env, s.mzxid),
                       int64_to_js(env, s.ctime),       int64_to_js(env, s.mtime),
                       int32_to_js(env, s.version),     int32_to_js(env, s.cversion),
                       int32_to_js(env, s.aversion),    int64_to_js(env, s.ephemeral_owner),
                       int32_to_js(env, s.data_length), int32_to_js(env, s.num_children),
                       int64_to_js(env, s.pzxid)};
  Napi::Function f = make.Value();
  return first ? f.Call(env.Undefined(), std::size(args), args) : f.Call(env.Undefined(), std::size(args) - 1, args + 1);
}

}  // namespace

Napi::Value stat_to_js(Napi::Env env, const Stat& s) {
  return call_with_stat(env, Addon::of(env).make_stat, nullptr, s);
}

Napi::Value data_to_js(Napi::Env env, const Data& d) {
  return call_with_stat(env, Addon::of(env).make_data, node_data_to_js(env, d.data, d.null), d.stat);
}

Napi::Object pair_to_js(Napi::Env env, const char* name, napi_value value, const Stat& stat) {
  Napi::Object o = Napi::Object::New(env);
  o.Set(name, value);
  o.Set("stat", stat_to_js(env, stat));
  return o;
}

Napi::Value error_to_js(Napi::Env env, const Error& e) {
  Napi::FunctionReference& make = Addon::of(env).make_error;
  auto name = to_string(e.code());
  if (!make.IsEmpty())
    return make.Call({Napi::Number::New(env, static_cast<std::int32_t>(e.code())),
                      Napi::String::New(env, name.data(), name.size()), Napi::String::New(env, e.message())});
  Napi::Object o = Napi::Object::New(env);
  o.Set("code", static_cast<std::int32_t>(e.code()));
  o.Set("name", std::string(to_string(e.code())));
  o.Set("message", e.message());
  return o;
}

Napi::Error error_to_exception(Napi::Env env, const Error& e) {
  Napi::Error err = Napi::Error::New(env, e.message());
  Napi::Object o = err.Value();
  o.Set("zkitCode", static_cast<std::int32_t>(e.code()));
  o.Set("zkitName", std::string(to_string(e.code())));
  return err;
}

Napi::Buffer<char> bytes_to_js(Napi::Env env, std::string_view bytes) {
  return Napi::Buffer<char>::Copy(env, bytes.data(), bytes.size());
}

napi_value node_data_to_js(Napi::Env env, std::string_view bytes, bool null) {
  return null ? napi_value(env.Null()) : napi_value(bytes_to_js(env, bytes));
}

std::optional<std::string> node_data_from_js(const Napi::Value& v, const char* what) {
  if (v.IsNull() || v.IsUndefined()) return std::nullopt;
  return bytes_from_js(v, what);
}

std::string bytes_from_js(const Napi::Value& v, const char* what) {
  if (v.IsNull() || v.IsUndefined()) return {};
  if (v.IsBuffer()) {
    auto b = v.As<Napi::Buffer<char>>();
    return std::string(b.Data(), b.Length());
  }
  if (v.IsString()) return v.As<Napi::String>().Utf8Value();
  throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Buffer, a string or null");
}

std::string string_from_js(const Napi::Value& v, const char* what) {
  if (!v.IsString()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

std::chrono::milliseconds millis_from_js(const Napi::Value& v, const char* what, std::int64_t fallback) {
  if (v.IsNull() || v.IsUndefined()) return std::chrono::milliseconds(fallback);
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a number of milliseconds");
  return std::chrono::milliseconds(v.As<Napi::Number>().Int64Value());
}

std::int32_t int_from_js(const Napi::Value& v, const char* what, std::int32_t fallback) {
  if (v.IsNull() || v.IsUndefined()) return fallback;
  if (!v.IsNumber()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<std::int32_t>(d)))
    throw Napi::RangeError::New(v.Env(), std::string(what) + " must be a 32-bit integer");
  return static_cast<std::int32_t>(d);
}

Napi::Array acl_to_js(Napi::Env env, const AclList& acl) {
  Napi::Array a = Napi::Array::New(env, acl.size());
  for (std::size_t i = 0; i < acl.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("perms", acl[i].perms);
    o.Set("scheme", acl[i].id.scheme);
    o.Set("id", acl[i].id.id);
    a.Set(static_cast<std::uint32_t>(i), o);
  }
  return a;
}

AclList acl_from_js(const Napi::Value& v) {
  if (!v.IsArray()) throw Napi::TypeError::New(v.Env(), "acl must be an array of {perms, scheme, id}");
  auto a = v.As<Napi::Array>();
  AclList acl;
  for (std::uint32_t i = 0; i < a.Length(); ++i) {
    Napi::Value e = a.Get(i);
    if (!e.IsObject()) throw Napi::TypeError::New(v.Env(), "acl entries must be {perms, scheme, id}");
    auto o = e.As<Napi::Object>();
    acl.push_back({int_from_js(o.Get("perms"), "acl perms", 0),
                   {string_from_js(o.Get("scheme"), "acl scheme"), string_from_js(o.Get("id"), "acl id")}});
  }
  return acl;
}

}  // namespace zkit::node
