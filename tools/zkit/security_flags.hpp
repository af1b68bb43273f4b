// The zkit tool's security flags: TLS (--tls, --tls-ca, --tls-cert, --tls-key,
// --tls-server-name), SASL (--sasl-mechanism, --sasl-user, --sasl-password-file; the password
// from ZKIT_SASL_PASSWORD, never from the command line), credentials (--auth
// SCHEME:CREDENTIALS, CREDENTIALS or @FILE) and a create's ACL (--acl in zkCli's notation).
// Parsed into SecurityFlags; applied to the session's Options and, once connected, to the
// Client (add_auth).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zkit/client.hpp"
#include "zkit/result.hpp"
#include "zkit/sasl.hpp"
#include "zkit/tls.hpp"
#include "zkit/types.hpp"

namespace zkit::cli {

struct SecurityFlags {
  TlsOptions tls{};
  SaslOptions sasl{};  // its password is a secret: never printed
  struct Credential {
    std::string scheme;
    std::string credentials;  // a secret: never printed
  };
  std::vector<Credential> auth;
  std::optional<AclList> acl;  // create --acl
};

// Refuses a flag that would put a secret on the command line (--sasl-password), saying why;
// checked before the flag's value is looked at. Errors: bad_arguments.
Result<void> refuse_secret_flag(std::string_view name);
// Whether `name` ("--tls-ca") is one of these flags, and whether it takes a value.
bool is_security_flag(std::string_view name) noexcept;
bool security_flag_takes_value(std::string_view name) noexcept;
// Takes one flag's value. `creating`: the command is create (the only one --acl is for).
// Errors: bad_arguments, naming the flag (never the credentials).
Result<void> take_security_flag(std::string_view name, std::string_view value, bool creating, SecurityFlags& flags);
// Checks the SASL flags as a whole once all are taken, and takes the DIGEST-MD5 password from
// `env_password` (ZKIT_SASL_PASSWORD; null when unset) unless --sasl-password-file was given.
// Errors: bad_arguments, naming the flag.
Result<void> finish_sasl_flags(SecurityFlags& flags, const char* env_password);
// The flags' part of `zkit --help`.
const char* security_usage() noexcept;
// Adds every --auth credential to the connected client, in order.
Result<void> apply_auth(Client& client, const SecurityFlags& flags);

}  // namespace zkit::cli
