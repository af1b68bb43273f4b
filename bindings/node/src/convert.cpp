#include "convert.hpp"

namespace zkit::node {

Napi::Object stat_to_js(Napi::Env env, const Stat& s) {
  Napi::Object o = Napi::Object::New(env);
  // zxids, times and session ids are 64-bit: BigInt keeps them exact.
  o.Set("czxid", Napi::BigInt::New(env, s.czxid));
  o.Set("mzxid", Napi::BigInt::New(env, s.mzxid));
  o.Set("ctime", Napi::BigInt::New(env, s.ctime));
  o.Set("mtime", Napi::BigInt::New(env, s.mtime));
  o.Set("version", s.version);
  o.Set("cversion", s.cversion);
  o.Set("aversion", s.aversion);
  o.Set("ephemeralOwner", Napi::BigInt::New(env, s.ephemeral_owner));
  o.Set("dataLength", s.data_length);
  o.Set("numChildren", s.num_children);
  o.Set("pzxid", Napi::BigInt::New(env, s.pzxid));
  return o;
}

Napi::Object error_to_js(Napi::Env env, const Error& e) {
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
