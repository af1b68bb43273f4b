#include "options.hpp"

#include <string>

#include "convert.hpp"

namespace zkit::node {

namespace {

bool present(const Napi::Value& v) { return !v.IsNull() && !v.IsUndefined(); }

// A string field of `o` when it is there; `field` is named in the error as `what.field`.
void string_field(const Napi::Object& o, const char* what, const char* field, std::string& out) {
  Napi::Value v = o.Get(field);
  if (present(v)) out = string_from_js(v, (std::string(what) + "." + field).c_str());
}

void bool_field(const Napi::Object& o, const char* what, const char* field, bool& out) {
  Napi::Value v = o.Get(field);
  if (!present(v)) return;
  if (!v.IsBoolean()) throw Napi::TypeError::New(o.Env(), std::string(what) + "." + field + " must be a boolean");
  out = v.As<Napi::Boolean>();
}

TlsVersion tls_version(const Napi::Object& o, const char* field, TlsVersion fallback) {
  Napi::Value v = o.Get(field);
  if (!present(v)) return fallback;
  std::string name = string_from_js(v, (std::string("tls.") + field).c_str());
  if (name == "TLSv1.2") return TlsVersion::tls1_2;
  if (name == "TLSv1.3") return TlsVersion::tls1_3;
  throw Napi::TypeError::New(o.Env(), std::string("tls.") + field + " must be 'TLSv1.2' or 'TLSv1.3', not '" + name + "'");
}

// tls: true (the system's trust store, the host's name) or {caFile, caPem, certFile, ...}.
TlsOptions tls_from_js(const Napi::Value& v) {
  TlsOptions t;
  if (v.IsBoolean()) {
    t.enabled = v.As<Napi::Boolean>();
    return t;
  }
  if (!v.IsObject()) throw Napi::TypeError::New(v.Env(), "tls must be true or an object of TLS options");
  auto o = v.As<Napi::Object>();
  t.enabled = true;
  bool_field(o, "tls", "enabled", t.enabled);
  string_field(o, "tls", "caFile", t.ca_file);
  string_field(o, "tls", "caPem", t.ca_pem);
  string_field(o, "tls", "certFile", t.cert_file);
  string_field(o, "tls", "certPem", t.cert_pem);
  string_field(o, "tls", "keyFile", t.key_file);
  string_field(o, "tls", "keyPem", t.key_pem);
  string_field(o, "tls", "keyPassphrase", t.key_passphrase);
  string_field(o, "tls", "serverName", t.server_name);
  bool_field(o, "tls", "verifyServerName", t.verify_server_name);
  t.min_version = tls_version(o, "minVersion", t.min_version);
  t.max_version = tls_version(o, "maxVersion", t.max_version);
  return t;
}

// sasl: {mechanism: 'digest-md5' | 'gssapi', user, password | passwordFile, ...}.
SaslOptions sasl_from_js(const Napi::Value& v) {
  if (!v.IsObject()) throw Napi::TypeError::New(v.Env(), "sasl must be an object of SASL options");
  auto o = v.As<Napi::Object>();
  SaslOptions s;
  std::string mechanism = string_from_js(o.Get("mechanism"), "sasl.mechanism");
  if (mechanism == "digest-md5") s.mechanism = SaslMechanism::digest_md5;
  else if (mechanism == "gssapi") s.mechanism = SaslMechanism::gssapi;
  else throw Napi::TypeError::New(v.Env(), "sasl.mechanism must be 'digest-md5' or 'gssapi', not '" + mechanism + "'");
  string_field(o, "sasl", "user", s.user);
  string_field(o, "sasl", "password", s.password);
  string_field(o, "sasl", "passwordFile", s.password_file);
  string_field(o, "sasl", "service", s.service);
  string_field(o, "sasl", "serverHost", s.server_host);
  string_field(o, "sasl", "keytab", s.keytab);
  string_field(o, "sasl", "credentialCache", s.credential_cache);
  return s;
}

}  // namespace

Options options_from_js(const Napi::Object& o) {
  Options options;
  options.connect = string_from_js(o.Get("connect"), "connect");
  options.session_timeout = millis_from_js(o.Get("sessionTimeout"), "sessionTimeout", 10000);
  options.request_timeout = millis_from_js(o.Get("requestTimeout"), "requestTimeout", -1);
  bool_field(o, "options", "canBeReadOnly", options.can_be_read_only);
  if (Napi::Value tls = o.Get("tls"); present(tls)) options.tls = tls_from_js(tls);
  if (Napi::Value sasl = o.Get("sasl"); present(sasl)) options.sasl = sasl_from_js(sasl);
  return options;
}

}  // namespace zkit::node
