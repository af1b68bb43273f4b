// SaslAuthenticator over Cyrus SASL (Debian's libsasl2 with libsasl2-modules for DIGEST-MD5 and
// libsasl2-modules-gssapi-mit for GSSAPI). The tokens are the library's; the wire is ours.
#include <sasl/sasl.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <vector>

#include "session/gss_credential.hpp"
#include "session/sasl_authenticator.hpp"

namespace zkit::session {

namespace {

// DIGEST-MD5's server name: the ZooKeeper server checks digest-uri="zookeeper/zk-sasl-md5"
// (the Java client's default).
constexpr const char* kDigestServerName = "zk-sasl-md5";

// Cyrus takes every callback as int(*)() and calls it with the signature its id implies; the
// detour through void(*)() is the cast GCC accepts for that.
template <class F>
int (*as_callback(F f))() {
  return reinterpret_cast<int (*)()>(reinterpret_cast<void (*)()>(f));
}

Result<void> init_library() {
  static int rc = [] { return sasl_client_init(nullptr); }();
  if (rc != SASL_OK)
    return Error(Errc::auth_failed, std::string("Cyrus SASL did not initialise: ") + sasl_errstring(rc, nullptr, nullptr));
  return {};
}

class CyrusAuthenticator final : public SaslAuthenticator {
 public:
  CyrusAuthenticator(const SaslOptions& o) : options_(o) {}
  ~CyrusAuthenticator() override {
    // The plugin holds credential_'s handle until this (members are released after the body).
    if (conn_) sasl_dispose(&conn_);
    if (secret_) {
      // The password does not outlive the exchange in the library's buffer.
      std::memset(secret_->data, 0, secret_->len);
      std::free(secret_);
    }
  }

  Result<void> open(const std::string& host) {
    if (auto r = init_library(); !r) return r;
    server_ = options_.server_host;
    if (server_.empty()) server_ = options_.mechanism == SaslMechanism::digest_md5 ? kDigestServerName : host;
    if (options_.mechanism == SaslMechanism::gssapi) {
      auto got = GssCredential::acquire(options_);
      if (!got) return Error(Errc::auth_failed, gssapi_context() + " " + got.error().message());
      credential_ = std::move(got).value();
    }
    const std::string& server = server_;
    callbacks_ = {
        {SASL_CB_AUTHNAME, as_callback(&CyrusAuthenticator::simple), this},
        {SASL_CB_USER, as_callback(&CyrusAuthenticator::simple), this},
        {SASL_CB_PASS, as_callback(&CyrusAuthenticator::pass), this},
        {SASL_CB_GETREALM, as_callback(&CyrusAuthenticator::realm), this},
        {SASL_CB_LIST_END, nullptr, nullptr},
    };
    if (options_.mechanism == SaslMechanism::gssapi) callbacks_ = {{SASL_CB_LIST_END, nullptr, nullptr}};
    int rc = sasl_client_new(options_.service.c_str(), server.c_str(), nullptr, nullptr, callbacks_.data(), 0, &conn_);
    if (rc != SASL_OK) return failure("could not start", rc);
    // No security layer: ZooKeeper's qop is "auth" (integrity and privacy come from TLS).
    sasl_security_properties_t props{};
    props.min_ssf = 0;
    props.max_ssf = 0;
    props.maxbufsize = 0;
    sasl_setprop(conn_, SASL_SEC_PROPS, &props);
    if (options_.mechanism == SaslMechanism::gssapi) {
      rc = sasl_setprop(conn_, SASL_GSS_CREDS, credential_.get());
      if (rc != SASL_OK) return failure("could not take the client's Kerberos credentials", rc);
    }
    return {};
  }

  Result<Token> start() override {
    const char* out = nullptr;
    unsigned len = 0;
    const char* chosen = nullptr;
    std::string name(mechanism_name(options_.mechanism));
    int rc = sasl_client_start(conn_, name.c_str(), nullptr, &out, &len, &chosen);
    return token(rc, out, len, "could not begin");
  }

  Result<Token> step(std::string_view server_token) override {
    const char* out = nullptr;
    unsigned len = 0;
    int rc = sasl_client_step(conn_, server_token.data(), static_cast<unsigned>(server_token.size()), nullptr, &out, &len);
    return token(rc, out, len, "could not answer the server");
  }

 private:
  Result<Token> token(int rc, const char* out, unsigned len, const char* what) {
    if (rc != SASL_OK && rc != SASL_CONTINUE) return failure(what, rc).error();
    return Token{std::string(out ? out : "", out ? len : 0), rc == SASL_OK};
  }

  Result<void> failure(const char* what, int rc) {
    std::string name(mechanism_name(options_.mechanism));
    std::string detail = conn_ ? sasl_errdetail(conn_) : sasl_errstring(rc, nullptr, nullptr);
    if (rc == SASL_NOMECH)
      detail += name == "GSSAPI" ? " (install libsasl2-modules-gssapi-mit)" : " (install libsasl2-modules)";
    if (options_.mechanism == SaslMechanism::gssapi) name = gssapi_context();
    else name = "SASL " + name;
    return Error(Errc::auth_failed, name + " " + what + ": " + detail);
  }

  // Kerberos' own messages rarely name the principal asked for; the fix often lies there.
  std::string gssapi_context() const { return "SASL GSSAPI (server principal " + options_.service + "/" + server_ + ")"; }

  static int simple(void* context, int id, const char** result, unsigned* len) {
    auto* self = static_cast<CyrusAuthenticator*>(context);
    if (id != SASL_CB_AUTHNAME && id != SASL_CB_USER) return SASL_BADPARAM;
    // No separate authorization id (as the Java client): the server then takes the user's.
    const std::string& v = id == SASL_CB_AUTHNAME ? self->options_.user : self->no_authzid_;
    *result = v.c_str();
    if (len) *len = static_cast<unsigned>(v.size());
    return SASL_OK;
  }

  static int pass(sasl_conn_t*, void* context, int id, sasl_secret_t** secret) {
    auto* self = static_cast<CyrusAuthenticator*>(context);
    if (id != SASL_CB_PASS) return SASL_BADPARAM;
    if (!self->secret_) {
      const std::string& p = self->options_.password;
      self->secret_ = static_cast<sasl_secret_t*>(std::malloc(sizeof(sasl_secret_t) + p.size()));
      if (!self->secret_) return SASL_NOMEM;
      self->secret_->len = p.size();
      std::memcpy(self->secret_->data, p.data(), p.size());
    }
    *secret = self->secret_;
    return SASL_OK;
  }

  // The first realm the server offers (ZooKeeper offers one: "zk-sasl-md5").
  static int realm(void*, int id, const char** available, const char** result) {
    if (id != SASL_CB_GETREALM) return SASL_BADPARAM;
    *result = available && available[0] ? available[0] : "";
    return SASL_OK;
  }

  SaslOptions options_;
  std::string no_authzid_;
  std::string server_;  // the server name the mechanism was opened for
  std::vector<sasl_callback_t> callbacks_;
  GssCredential credential_;  // GSSAPI: the client's, handed to the plugin; outlives conn_
  sasl_conn_t* conn_ = nullptr;
  sasl_secret_t* secret_ = nullptr;
};

}  // namespace

Result<void> prepare_sasl(SaslOptions& o) {
  if (o.mechanism == SaslMechanism::none) return {};
  if (o.service.empty()) return Error(Errc::bad_arguments, "sasl.service must not be empty");
  if (o.mechanism != SaslMechanism::digest_md5) return {};
  if (o.user.empty()) return Error(Errc::bad_arguments, "sasl.user is required for DIGEST-MD5");
  if (!o.password.empty() && !o.password_file.empty())
    return Error(Errc::bad_arguments, "give sasl.password or sasl.password_file, not both");
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file, std::ios::binary);
    if (!in) return Error(Errc::bad_arguments, "sasl.password_file " + o.password_file + " cannot be read");
    o.password.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (!o.password.empty() && o.password.back() == '\n') o.password.pop_back();
    if (!o.password.empty() && o.password.back() == '\r') o.password.pop_back();
    if (o.password.empty()) return Error(Errc::bad_arguments, "sasl.password_file " + o.password_file + " is empty");
  }
  if (o.password.empty()) return Error(Errc::bad_arguments, "sasl.password or sasl.password_file is required for DIGEST-MD5");
  return {};
}

Result<std::unique_ptr<SaslAuthenticator>> make_sasl_authenticator(const SaslOptions& o, const std::string& host) {
  auto a = std::make_unique<CyrusAuthenticator>(o);
  if (auto r = a->open(host); !r) return std::move(r).error();
  return std::unique_ptr<SaslAuthenticator>(std::move(a));
}

}  // namespace zkit::session
