#include "session/sasl_exchange.hpp"

#include "proto/records.hpp"
#include "proto/sasl.hpp"

namespace zkit::session {

// Here rather than in cyrus_sasl.cpp: the exchange names mechanisms without the library behind
// the tokens (the fuzz target links it with a stub authenticator).
std::string_view mechanism_name(SaslMechanism m) noexcept {
  switch (m) {
    case SaslMechanism::digest_md5: return "DIGEST-MD5";
    case SaslMechanism::gssapi: return "GSSAPI";
    case SaslMechanism::none: break;
  }
  return "none";
}

std::string SaslExchange::describe() const {
  std::string d = "SASL " + std::string(mechanism_name(options_.mechanism));
  if (options_.mechanism == SaslMechanism::digest_md5) d += " as \"" + options_.user + "\"";
  return d;
}

void SaslExchange::send(std::string_view token, std::string& out) {
  proto::write_request(out, kSaslXid, proto::Op::sasl, proto::SaslToken{token});
}

Result<void> SaslExchange::begin(const std::string& host, std::string& out) {
  reset();
  host_ = host;
  auto made = make_sasl_authenticator(options_, host);
  if (!made) return std::move(made).error();
  auto first = made.value()->start();
  if (!first) return std::move(first).error();
  authenticator_ = std::move(made).value();
  client_complete_ = first.value().complete;
  // Sent even when empty: the server answers an empty token with its first challenge.
  send(first.value().bytes, out);
  return {};
}

Result<SaslExchange::Next> SaslExchange::on_reply(Errc err, proto::Reader& body, std::string& out) {
  if (!running()) return Error(Errc::connection_loss, "unexpected SASL reply");
  if (err != Errc::ok) {
    reset();
    return Error(Errc::auth_failed, "the server refused " + describe() + " (" + std::string(to_string(err)) +
                                        "): wrong credentials, or a server without them");
  }
  proto::SaslToken t;
  // A reply with no body at all is the server having nothing more to say, like a null token.
  if (!body.at_end() && !proto::decode(body, t)) return Error(Errc::connection_loss, "malformed SASL reply");
  if (client_complete_) {  // the server acknowledged the client's last token
    reset();
    return Next::done;
  }
  auto next = authenticator_->step(t.token);
  if (!next) {
    reset();
    return std::move(next).error();
  }
  client_complete_ = next.value().complete;
  if (client_complete_ && next.value().bytes.empty()) {  // nothing left to send (DIGEST-MD5's rspauth)
    reset();
    return Next::done;
  }
  send(next.value().bytes, out);
  return Next::wait;
}

void SaslExchange::reset() noexcept {
  authenticator_.reset();
  client_complete_ = false;
}

}  // namespace zkit::session
