// Secrets never leave the process where a user or an operator reads them (issue 11 item 7):
// a digest password given to add_auth and the session password a server hands out stay out
// of every log line (at debug), every error message, in success, reconnection (auth replayed)
// and failure. Scenarios for other secrets (TLS key passphrases, SASL passwords, the CLI's
// credential flags) go here too, each with a SecretWatch (secret_watch.hpp).
#include <doctest/doctest.h>

#include <memory>

#include "secret_watch.hpp"
#include "sessions.hpp"
#include "zkit/testing/fault_proxy.hpp"

using namespace std::chrono_literals;
using namespace zkit;
using namespace zkit::test_support;
using zkit::test_security::SecretWatch;

namespace {

constexpr std::string_view kPassword = "n0t-in-any-log-7f3a";

// Waits for a callback's result on `loop`.
template <class T>
struct Outcome {
  std::optional<Result<T>> got;
  Callback<T> callback() {
    return [this](Result<T> r) { got.emplace(std::move(r)); };
  }
};

template <class T>
Result<T> wait(Loop& loop, Outcome<T>& o) {
  REQUIRE_MESSAGE(loop.run_until([&] { return o.got.has_value(); }, scaled(20s)), "no reply in time");
  return std::move(*o.got);
}

}  // namespace

TEST_CASE("SecretWatch finds a secret in each spelling it knows") {
  const char* leaked[] = {"raw %s here", "hex 6e30742d696e2d616e792d6c6f672d37663361", "HEX 6E30742D696E2D616E792D6C6F672D37663361",
                          "base64 bjB0LWluLWFueS1sb2ctN2YzYQ==", "bare bjB0LWluLWFueS1sb2ctN2YzYQ"};
  for (const char* text : leaked) {
    SecretWatch w;
    w.secret("password", kPassword);
    std::string line = text;
    if (auto at = line.find("%s"); at != std::string::npos) line.replace(at, 2, kPassword);
    w.saw("a test line", line);
    CHECK_MESSAGE(w.leaks().size() == 1, text);
  }
  SecretWatch clean;
  clean.secret("password", kPassword);
  clean.saw("a test line", "alice:<hidden> connected");
  CHECK(clean.leaks().empty());
}

TEST_CASE("a digest session leaks neither its password nor the session password, connected or failing") {
  SecretWatch watch;  // before the loop: the sessions log into it until the loop is gone
  Loop loop;
  auto proxy = std::move(zkit::testing::FaultProxy::start(shared_server().connect_string())).value();
  watch.secret("the digest password", kPassword);
  const std::string credentials = "alice:" + std::string(kPassword);
  watch.secret("the digest credentials", credentials);

  Options o = options_for(proxy->address(), 4000ms);
  watch.attach(o);
  Session s = connect(loop, std::move(o));
  watch.secret("the session password", s.session_password());

  Outcome<void> auth;
  s.add_auth("digest", credentials, auth.callback());
  Result<void> added = wait(loop, auth);
  REQUIRE(added.ok());
  // A node only alice may touch, then a reconnection: the session replays its credentials.
  const std::string path = unique_path("secret");
  CreateOptions only_alice{.acl = creator_all_acl()};
  Outcome<Created> created;
  s.create(path, "data", only_alice, created.callback());
  REQUIRE(wait(loop, created).ok());
  int accepted = proxy->connections_accepted();
  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return proxy->connections_accepted() > accepted && s.state() == SessionState::reconnected; },
                         scaled(20s)));
  Outcome<Data> read;
  s.get(path, {}, read.callback());
  REQUIRE(wait(loop, read).ok());  // the replayed credentials were accepted

  // Failures: a session without the credentials is refused the node, one with credentials in
  // a scheme the server does not know ends in auth_failed; both say so in their messages.
  Options other = options_for(shared_server().connect_string(), 4000ms);
  watch.attach(other);
  Session stranger = connect(loop, std::move(other));
  watch.secret("the stranger's session password", stranger.session_password());
  Outcome<Data> refused;
  stranger.get(path, {}, refused.callback());
  Result<Data> refused_result = wait(loop, refused);
  CHECK(refused_result.code() == Errc::no_auth);
  watch.saw("get without credentials", refused_result);
  Outcome<void> bad_scheme;
  stranger.add_auth("no-such-scheme", credentials, bad_scheme.callback());
  Result<void> bad_result = wait(loop, bad_scheme);
  CHECK(bad_result.code() == Errc::auth_failed);
  watch.saw("add_auth with an unknown scheme", bad_result);
  Outcome<Data> after;
  stranger.get(path, {}, after.callback());
  watch.saw("get after auth_failed", wait(loop, after));
  CHECK(stranger.state() == SessionState::auth_failed);

  Outcome<void> removed;
  s.remove(path, -1, removed.callback());
  CHECK(wait(loop, removed).ok());
  close(loop, stranger);
  close(loop, s);

  // It saw what it meant to: three connections (the second a reconnection) and the refusal.
  CHECK(watch.texts("connected to") == 3);
  CHECK(watch.texts("refused the credentials") >= 1);
  for (const std::string& leak : watch.leaks()) FAIL_CHECK(leak);
}
