// No call waits forever: sessions against peers that complete the handshake (or spoil it) and
// then misbehave. Each case is one of issue 15's, reproduced by ScriptedPeer.
#include <doctest/doctest.h>

#include <future>

#include "loop.hpp"
#include "scripted_peer.hpp"
#include "sessions.hpp"
#include "zkit/client.hpp"
#include "zkit/session.hpp"

using namespace std::chrono_literals;
using namespace zkit;
using namespace zkit::test_support;

namespace {

Options against(const ScriptedPeer& peer, std::chrono::milliseconds session_timeout) {
  Options o;
  o.connect = peer.address();
  o.session_timeout = session_timeout;
  o.log_level = LogLevel::error;
  return o;
}

// Runs a get on a session with options `o` and returns its result; fails the test if it
// never completes.
Result<Data> get_with(Loop& loop, Options o) {
  auto s = Session::start(loop.get(), std::move(o));
  REQUIRE(s.ok());
  std::optional<Result<Data>> got;
  s->get("/x", {}, [&](Result<Data> r) { got.emplace(std::move(r)); });
  // Bounded well above what each case needs, far below "forever".
  REQUIRE_MESSAGE(loop.run_until([&] { return got.has_value(); }, scaled(15s)), "the get never completed");
  bool closed = false;
  s->close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  return std::move(*got);
}

}  // namespace

TEST_CASE("a reply trickled byte by byte does not keep a connection alive") {
  Loop loop;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::trickle, .trickle_interval = 100ms});
  Options o = against(peer, 3000ms);
  o.request_timeout = 0ms;  // only liveness can end this call
  auto r = get_with(loop, std::move(o));
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == Errc::connection_loss);
  CHECK(r.error().message().find("nothing heard from " + peer.address()) != std::string::npos);
}

TEST_CASE("a server that answers pings but never the request: the default deadline ends the call") {
  Loop loop;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::pings_only});
  auto r = get_with(loop, against(peer, 2000ms));  // request_timeout left at its default
  REQUIRE_FALSE(r.ok());
  CHECK(r.code() == Errc::request_timeout);
  CHECK(r.error().message().find("2000 ms") != std::string::npos);
}

TEST_CASE("an absurd granted timeout is clamped to the one asked, so a stall is noticed") {
  Loop loop;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::huge_timeout});
  auto s = Session::start(loop.get(), against(peer, 3000ms));
  REQUIRE(s.ok());
  REQUIRE(loop.run_until([&] { return s->state() == SessionState::connected; }));
  CHECK(s->negotiated_timeout() == 3000ms);  // the peer granted 2^31-1 ms
  std::optional<Result<Data>> got;
  s->get("/x", {}, [&](Result<Data> r) { got.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return got.has_value(); }, scaled(15s)));
  CHECK(got->code() == Errc::connection_loss);  // read timeout: 2/3 of 3000 ms of silence
  bool closed = false;
  s->close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
}

TEST_CASE("a malformed connect response is reported with what was wrong with it") {
  struct Case {
    Misbehaviour what;
    std::int32_t password_length;
    std::string expected;
  };
  const Case cases[] = {
      {Misbehaviour::bad_password, -5, "password of length -5"},
      {Misbehaviour::bad_password, 1000000000, "password of length 1000000000"},
      {Misbehaviour::bad_password, -1, "password of length -1"},
      {Misbehaviour::bad_password, 0, "password of length 0"},
      {Misbehaviour::bad_password, INT32_MIN, "password of length -2147483648"},
      {Misbehaviour::truncated, 16, "truncated handshake reply (10 bytes"},
      {Misbehaviour::garbage, 16, "handshake reply with a password of length"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.expected);
    Loop loop;
    ScriptedPeer peer(loop.get(), Script{.what = c.what, .password_length = c.password_length});
    auto s = Session::start(loop.get(), against(peer, 3000ms));
    REQUIRE(s.ok());
    REQUIRE(loop.run_until([&] { return !s->last_failure().empty(); }));
    CHECK(s->last_failure().find(c.expected) != std::string::npos);
    CHECK(s->last_failure().find(peer.address()) != std::string::npos);
    CHECK(s->state() == SessionState::connecting);
    bool closed = false;
    s->close([&] { closed = true; });
    REQUIRE(loop.run_until([&] { return closed; }));
  }
}

TEST_CASE("Client::open names the cause when no server completed a handshake") {
  Loop loop;  // the peer's loop, run on a worker while the Client waits
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::bad_password, .password_length = -5});
  Worker worker;
  auto opened = loop.offload<Result<Client>>(worker, [&] { return Client::open(against(peer, 1500ms)); });
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.code() == Errc::connection_loss);
  CHECK(opened.error().message().find("password of length -5") != std::string::npos);
}

TEST_CASE("a connection that dies right after its handshake backs off like a failed attempt") {
  Loop loop;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::drop_after_handshake});
  auto s = Session::start(loop.get(), against(peer, 4000ms));
  REQUIRE(s.ok());
  // With backoff from 50 ms doubling to 1 s, two seconds hold at most about 9 attempts (a
  // tight loop made 60 and more: a reconnect every 0 to 50 ms).
  loop.run_for(2000ms);
  CHECK(peer.connections() >= 3);
  CHECK(peer.connections() <= 12);
  bool closed = false;
  s->close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
}

TEST_CASE("Client::interrupt ends a blocking call the server never answers, once") {
  Loop loop;  // the peer's; the Client and its blocking calls run on workers
  bool asked = false;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::pings_only, .on_request = [&](std::int32_t) { asked = true; }});
  Worker opener, caller;
  Options o = against(peer, 4000ms);
  o.request_timeout = 0ms;  // only the interrupt can end the call
  auto opened = loop.offload<Result<Client>>(opener, [&] { return Client::open(std::move(o)); });
  REQUIRE(opened.ok());
  Client& client = *opened;
  std::promise<Result<Data>> got;
  auto result = got.get_future();
  caller.post([&] { got.set_value(client.get("/x")); });
  REQUIRE(loop.run_until([&] { return asked; }));  // the get is on the wire, unanswered
  CHECK(result.wait_for(0ms) == std::future_status::timeout);
  client.interrupt();
  REQUIRE(result.wait_for(scaled(5s)) == std::future_status::ready);  // at once, not at a deadline
  auto r = result.get();
  CHECK(r.code() == Errc::closing);
  CHECK(r.error().message().find("interrupted") != std::string::npos);
  // And it closes without waiting on the server that never answered.
  loop.offload<bool>(opener, [&] {
    client.close();
    return true;
  });
}

TEST_CASE("set_request_timeout gives the calls made after it their own deadline") {
  Loop loop;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::pings_only});
  auto s = Session::start(loop.get(), against(peer, 4000ms));
  REQUIRE(s.ok());
  CHECK(s->request_timeout() == 4000ms);  // the default: the session timeout
  CHECK(s->set_request_timeout(-2ms).code() == Errc::bad_arguments);
  std::optional<Result<Data>> quick, patient;
  REQUIRE(s->set_request_timeout(300ms).ok());
  s->get("/quick", {}, [&](Result<Data> r) { quick.emplace(std::move(r)); });
  REQUIRE(s->set_request_timeout(0ms).ok());  // no deadline for the next call
  s->get("/patient", {}, [&](Result<Data> r) { patient.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return quick.has_value(); }));
  CHECK(quick->code() == Errc::request_timeout);
  CHECK(quick->error().message() == "get /quick: no reply within request_timeout (300 ms)");
  CHECK_FALSE(patient.has_value());
  bool closed = false;
  s->close([&] { closed = true; });  // the server let a request time out: no wait for it
  REQUIRE(loop.run_until([&] { return closed; }, scaled(2s)));
  REQUIRE(patient.has_value());
  CHECK(patient->code() == Errc::closing);
}

TEST_CASE("add_auth that a server never answers fails at the request deadline") {
  Loop loop;
  ScriptedPeer peer(loop.get(), Script{.what = Misbehaviour::pings_only});
  auto s = Session::start(loop.get(), against(peer, 2000ms));
  REQUIRE(s.ok());
  REQUIRE(loop.run_until([&] { return s->state() == SessionState::connected; }));
  std::optional<Result<void>> got;
  s->add_auth("digest", "alice:secret", [&](Result<void> r) { got.emplace(std::move(r)); });
  REQUIRE(loop.run_until([&] { return got.has_value(); }, scaled(10s)));
  CHECK(got->code() == Errc::request_timeout);
  bool closed = false;
  s->close_now([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
}
