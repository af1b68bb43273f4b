// Fuzz target: what a server sends during the SASL exchange. The input's first byte chooses how
// the client's mechanism behaves (a stub SaslAuthenticator in place of Cyrus: how many tokens
// it sends, whether its last one is empty as DIGEST-MD5's is, whether it refuses a server token);
// the rest is server frames, split as the link splits them and taken as the Core takes them:
// reply header, then session::SaslExchange::on_reply for xid -102 (proto::SaslToken inside).
// After each outcome the exchange restarts, as it does on the next connection.
//
// Checks: a reply while no exchange runs is connection_loss; a server error code is auth_failed
// and ends the exchange; "wait" writes exactly one well-formed SASL request carrying the stub's
// token; "done" and every error write nothing; every error says why.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "proto/frame.hpp"
#include "proto/records.hpp"
#include "proto/sasl.hpp"
#include "session/sasl_authenticator.hpp"
#include "session/sasl_exchange.hpp"

using namespace zkit;
using session::SaslAuthenticator;
using session::SaslExchange;

namespace {

struct Script {
  int steps = 1;             // tokens the client sends after its first one
  bool empty_last = false;   // its last token is empty (nothing left to send, like rspauth)
  bool refuses_bang = false;  // a server token starting with '!' is rejected
  bool cannot_start = false;  // the mechanism cannot produce its first token
};

Script script;
std::string last_token;  // the token the stub produced last, to compare with the wire

class StubAuthenticator final : public SaslAuthenticator {
 public:
  Result<Token> start() override {
    if (script.cannot_start) return Error(Errc::auth_failed, "stub: no first token");
    return produce("");
  }
  Result<Token> step(std::string_view server_token) override {
    if (script.refuses_bang && server_token.starts_with('!'))
      return Error(Errc::auth_failed, "stub: the server's token is refused");
    return produce(server_token);
  }

 private:
  // A token that depends on the server's, so that the wire check sees the bytes move through.
  Result<Token> produce(std::string_view server_token) {
    bool last = sent_ == script.steps;
    ++sent_;
    Token t;
    t.complete = last;
    if (!(last && script.empty_last)) t.bytes = "r" + std::to_string(sent_) + ":" + std::string(server_token.substr(0, 64));
    last_token = t.bytes;
    return t;
  }
  int sent_ = 0;
};

// The request `out` holds from `from` on is one SASL request with `token`, and nothing else.
void check_request(const std::string& out, std::size_t from, std::string_view token) {
  std::string_view written(out);
  written.remove_prefix(from);
  proto::FrameResult f = proto::next_frame(written, std::size_t{1} << 20);
  if (f.kind != proto::FrameResult::frame || f.consumed != written.size()) std::abort();
  proto::Reader r(f.body);
  proto::RequestHeader h;
  proto::SaslToken t;
  if (!proto::decode(r, h) || h.xid != session::kSaslXid || h.type != proto::Op::sasl) std::abort();
  if (!proto::decode(r, t) || !r.at_end() || t.token != token) std::abort();
}

}  // namespace

// The link seam: the exchange gets the stub wherever it would get Cyrus's authenticator.
Result<std::unique_ptr<SaslAuthenticator>> session::make_sasl_authenticator(const SaslOptions&, const std::string&) {
  return std::unique_ptr<SaslAuthenticator>(std::make_unique<StubAuthenticator>());
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  script = Script{.steps = data[0] & 3,
                  .empty_last = (data[0] & 4) != 0,
                  .refuses_bang = (data[0] & 8) != 0,
                  .cannot_start = (data[0] & 0x70) == 0x70};
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);

  SaslExchange sasl(SaslOptions{.mechanism = SaslMechanism::digest_md5, .user = "bob", .password = "x"});
  std::string out;
  bool started = (data[0] & 0x80) == 0;  // otherwise the first reply comes before any request
  auto begin = [&] {
    std::size_t from = out.size();
    auto begun = sasl.begin("127.0.0.1", out);
    if (!begun) {
      if (begun.error().code() != Errc::auth_failed || begun.error().message().empty() || out.size() != from) std::abort();
      if (sasl.running()) std::abort();
      return;
    }
    if (!sasl.running()) std::abort();
    check_request(out, from, last_token);
  };
  if (started) begin();

  while (!in.empty()) {
    proto::FrameResult f = proto::next_frame(in, std::size_t{1} << 20);
    if (f.kind != proto::FrameResult::frame) break;  // the link closes the connection here
    in.remove_prefix(f.consumed);
    proto::Reader r(f.body);
    proto::ReplyHeader h;
    if (!proto::decode(r, h)) break;             // so does the Core
    if (h.xid != session::kSaslXid) continue;  // the pipeline's, not this target's
    bool was_running = sasl.running();
    std::size_t from = out.size();
    auto err = static_cast<Errc>(h.err);
    auto next = sasl.on_reply(err, r, out);
    if (!next) {
      const Error& e = next.error();
      if (e.message().empty() || out.size() != from) std::abort();
      if (!was_running && e.code() != Errc::connection_loss) std::abort();
      if (was_running && err != Errc::ok && (e.code() != Errc::auth_failed || sasl.running())) std::abort();
      if (e.code() == Errc::auth_failed && sasl.running()) std::abort();
      if (e.code() != Errc::auth_failed && e.code() != Errc::connection_loss) std::abort();
      begin();  // the Core drops the connection; the next one starts afresh
      continue;
    }
    if (!was_running || err != Errc::ok) std::abort();
    if (next.value() == SaslExchange::Next::done) {
      if (sasl.running() || out.size() != from) std::abort();
      begin();  // a reconnection authenticates again
    } else {
      if (!sasl.running()) std::abort();
      check_request(out, from, last_token);
    }
    out.clear();
  }
  sasl.reset();
  if (sasl.running()) std::abort();
  return 0;
}
