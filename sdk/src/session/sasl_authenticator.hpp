// session::SaslAuthenticator: the seam between the session's SASL exchange (sasl_exchange.hpp,
// the wire part) and the library that computes the tokens (Cyrus SASL, cyrus_sasl.cpp). The
// exchange asks it for the first token, then for the answer to each server token; nothing
// outside this seam sees Cyrus. One authenticator serves one connection's exchange.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "zkit/options.hpp"  // SaslOptions (zkit/sasl.hpp)
#include "zkit/result.hpp"

namespace zkit::session {

class SaslAuthenticator {
 public:
  struct Token {
    std::string bytes;  // to send (possibly empty: an empty token is still sent)
    bool complete = false;  // the client side is done; after this token only the server's ack
  };
  virtual ~SaslAuthenticator() = default;
  // The first token (DIGEST-MD5 has none: empty). Errors: auth_failed, with the library's reason.
  virtual Result<Token> start() = 0;
  // The answer to the server's token. Errors: auth_failed, with the library's reason.
  virtual Result<Token> step(std::string_view server_token) = 0;
};

// "DIGEST-MD5" or "GSSAPI".
std::string_view mechanism_name(SaslMechanism m) noexcept;

// Checks `o` and reads its password file into `o.password`. Errors: bad_arguments, naming the
// field (never the password).
Result<void> prepare_sasl(SaslOptions& o);

// An authenticator for `o` (already prepared) towards the server at `host` (the connect
// string's host of the current connection). Errors: auth_failed (the library or its mechanism
// is missing: the message says which Debian package provides it).
Result<std::unique_ptr<SaslAuthenticator>> make_sasl_authenticator(const SaslOptions& o, const std::string& host);

}  // namespace zkit::session
