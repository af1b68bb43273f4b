#include "security_flags.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "zkit/acl.hpp"

namespace zkit::cli {
namespace {

constexpr std::string_view kValued[] = {"--tls-ca", "--tls-cert", "--tls-key", "--tls-server-name", "--auth", "--acl"};

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
  --acl ACL              create: the node's ACL, e.g. digest:alice:HASH:cdrwa,world:anyone:r
  getacl PATH            print a node's ACL, one scheme:id:perms a line
  setacl PATH ACL        replace a node's ACL ([--version N]: only at ACL version N)
)";
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

Result<void> apply_auth(Client& client, const SecurityFlags& f) {
  for (const auto& c : f.auth)
    if (auto r = client.add_auth(c.scheme, c.credentials); !r)
      return Error(r.error().code(), "--auth " + c.scheme + ": the server refused the credentials");
  return {};
}

}  // namespace zkit::cli
