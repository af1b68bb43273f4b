// session::SaslExchange: the wire part of SASL as ZooKeeper speaks it. After the handshake the
// client sends GetSASLRequest{token} (opcode 102) and the server answers each with
// SetSASLResponse{token}, until the client's mechanism is complete and the server has
// acknowledged its last token; an error code (AuthFailed -115) in a reply means the server
// refused. The tokens come from a SaslAuthenticator; the Core holds every other request back
// until the exchange is done (docs/security.md#sasl).
#pragma once

#include <memory>
#include <string>

#include "proto/jute.hpp"
#include "session/sasl_authenticator.hpp"
#include "zkit/error.hpp"
#include "zkit/options.hpp"  // SaslOptions (zkit/sasl.hpp)

namespace zkit::session {

// The xid of SASL requests: outside the pipeline's numbering (the pipeline is held while they
// are in flight), and not one of the server's special xids. The server echoes it.
inline constexpr std::int32_t kSaslXid = -102;

class SaslExchange {
 public:
  explicit SaslExchange(SaslOptions options) : options_(std::move(options)) {}

  bool enabled() const noexcept { return options_.mechanism != SaslMechanism::none; }
  // Whether an exchange is in flight on the current connection.
  bool running() const noexcept { return authenticator_ != nullptr; }

  // Starts the exchange with the server at `host` and writes its first request to `out`.
  // Errors: auth_failed (the mechanism cannot produce a token).
  Result<void> begin(const std::string& host, std::string& out);

  enum class Next { wait, done };
  // A reply to a SASL request: writes the next request to `out` (wait), or ends the exchange
  // (done). Errors: auth_failed (the server refused, or the mechanism rejected the server's
  // token), connection_loss (a malformed reply, or one while no exchange runs).
  Result<Next> on_reply(Errc err, proto::Reader& body, std::string& out);

  // The connection ended: an exchange in flight is abandoned (the next one starts afresh).
  void reset() noexcept;

  // "SASL DIGEST-MD5 as \"bob\"", for messages.
  std::string describe() const;

 private:
  void send(std::string_view token, std::string& out);

  SaslOptions options_;
  std::unique_ptr<SaslAuthenticator> authenticator_;
  bool client_complete_ = false;
  std::string host_;
};

}  // namespace zkit::session
