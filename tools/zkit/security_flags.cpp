#include "security_flags.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "zkit/acl.hpp"

namespace zkit::cli {
namespace {

constexpr std::string_view kValued[] = {"--tls-ca", "--tls-cert", "--tls-key", "--tls-server-name", "--auth", "--acl",
                                        "--sasl-mechanism", "--sasl-user", "--sasl-password-file"};

Error bad(std::string message) { return Error(Errc::bad_arguments, std::move(message)); }

// "@FILE": the file's first line (a trailing newline is not part of a password).
Result<std::string> credentials_of(std::string_view v) {
  if (v.empty() || v[0] != '@') return std::string(v);
  std::string path(v.substr(1));
  std::ifstream in(path);
  if (!in) return bad("--auth: cannot read " + path + ": " + std::strerror(errno));
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

const char* security_usage() noexcept {
  return R"(
security (before or after the command; see docs/security.md):
  --tls                  TLS with the system's trust store, checking the server's name
  --tls-ca FILE          TLS, trusting the CA certificate(s) in FILE (PEM)
  --tls-cert FILE        client certificate (PEM) for mutual TLS, with --tls-key
  --tls-key FILE         its private key (PEM, unencrypted)
  --tls-server-name NAME the name the server's certificate must carry (when connecting by address)
  --auth SCHEME:CREDS    add credentials once connected, e.g. digest:alice:secret, or
                         digest:@FILE to read them from FILE's first line (keeps them out of ps)
  --sasl-mechanism M     SASL after connecting: digest-md5 or gssapi (Kerberos)
  --sasl-user USER       digest-md5: the user; the password comes from the environment
                         variable ZKIT_SASL_PASSWORD or from --sasl-password-file FILE
                         (never from the command line, where every user could read it)
  --sasl-password-file F digest-md5: the password is FILE's content (a trailing newline dropped)
                         gssapi uses the Kerberos defaults: KRB5CCNAME (after kinit) or a keytab
                         in KRB5_CLIENT_KTNAME
  --acl ACL              create: the node's ACL, e.g. digest:alice:HASH:cdrwa,world:anyone:r
  getacl PATH            print a node's ACL, one scheme:id:perms a line
  setacl PATH ACL        replace a node's ACL ([--version N]: only at ACL version N)
)";
}

Result<void> refuse_secret_flag(std::string_view name) {
  if (name == "--sasl-password")
    return bad("--sasl-password is refused: a password on the command line is visible to every user of the machine "
               "(ps, /proc) and stays in shell history; set ZKIT_SASL_PASSWORD or use --sasl-password-file FILE");
  return {};
}

bool is_security_flag(std::string_view name) noexcept {
  return name == "--tls" || security_flag_takes_value(name);
}

bool security_flag_takes_value(std::string_view name) noexcept {
  for (std::string_view v : kValued)
    if (v == name) return true;
  return false;
}

Result<void> take_security_flag(std::string_view name, std::string_view value, bool creating, SecurityFlags& f) {
  std::string flag(name);
  if (name != "--tls" && name != "--auth" && name != "--acl" && value.empty()) return bad(flag + " needs a value");
  if (name.starts_with("--tls")) f.tls.enabled = true;
  if (name == "--tls-ca") f.tls.ca_file = value;
  else if (name == "--tls-cert") f.tls.cert_file = value;
  else if (name == "--tls-key") f.tls.key_file = value;
  else if (name == "--tls-server-name") f.tls.server_name = value;
  else if (name == "--sasl-mechanism") {
    if (value == "digest-md5") f.sasl.mechanism = SaslMechanism::digest_md5;
    else if (value == "gssapi") f.sasl.mechanism = SaslMechanism::gssapi;
    else return bad("--sasl-mechanism: expected digest-md5 or gssapi, got '" + std::string(value) + "'");
  } else if (name == "--sasl-user") f.sasl.user = value;
  else if (name == "--sasl-password-file") f.sasl.password_file = value;
  else if (name == "--auth") {
    auto colon = value.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return bad("--auth: expected SCHEME:CREDENTIALS (e.g. digest:user:password or digest:@FILE)");
    auto creds = credentials_of(value.substr(colon + 1));
    if (!creds) return std::move(creds).error();
    f.auth.push_back({std::string(value.substr(0, colon)), std::move(creds).value()});
  } else if (name == "--acl") {
    if (!creating) return bad("--acl is for create (setacl takes the ACL as its argument)");
    auto acl = acl::parse(value);
    if (!acl) return bad("--acl: " + acl.error().message());
    f.acl = std::move(acl).value();
  }
  return {};
}

Result<void> finish_sasl_flags(SecurityFlags& f, const char* env_password) {
  SaslOptions& s = f.sasl;
  bool any = !s.user.empty() || !s.password_file.empty();
  if (s.mechanism == SaslMechanism::none) {
    if (any) return bad("--sasl-user and --sasl-password-file need --sasl-mechanism digest-md5");
    return {};
  }
  if (s.mechanism == SaslMechanism::gssapi) {
    if (any) return bad("--sasl-mechanism gssapi takes no --sasl-user or --sasl-password-file (Kerberos credentials "
                        "come from KRB5CCNAME or KRB5_CLIENT_KTNAME)");
    return {};
  }
  if (s.user.empty()) return bad("--sasl-mechanism digest-md5 needs --sasl-user USER");
  if (s.password_file.empty()) {
    if (!env_password || !*env_password)
      return bad("--sasl-mechanism digest-md5 needs a password: set ZKIT_SASL_PASSWORD or give --sasl-password-file FILE");
    s.password = env_password;
  }
  return {};
}

Result<void> apply_auth(Client& client, const SecurityFlags& f) {
  for (const auto& c : f.auth)
    if (auto r = client.add_auth(c.scheme, c.credentials); !r)
      return Error(r.error().code(), "--auth " + c.scheme + ": the server refused the credentials");
  return {};
}

}  // namespace zkit::cli
