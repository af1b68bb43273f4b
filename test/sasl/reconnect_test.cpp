// SASL runs again after every reconnection, before anything else the session sends: against a
// server that enforces SASL (any other request first closes the connection with -124), work
// made while disconnected completes after the reconnection, with the sasl identity.
#include <memory>

#include "support.hpp"
#include "zkit/acl.hpp"
#include "zkit/testing/fault_proxy.hpp"

namespace zkit::test_sasl {
namespace {

zkit::testing::SaslCluster& enforcing_server() {
  static std::unique_ptr<zkit::testing::SaslCluster> server = [] {
    auto started = zkit::testing::SaslCluster::start(
        {.cluster = {.tick_ms = 500}, .users = {{"bob", kBobPassword}}, .enforce = true});
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message()));
    return std::move(started).value();
  }();
  return *server;
}

TEST_CASE("a server that enforces SASL refuses a session without it") {
  Loop loop;
  auto started = Session::start(loop.get(), options_for(enforcing_server().connect_string()));
  REQUIRE(started);
  Session plain = std::move(started).value();
  // The handshake succeeds; the first request is refused and its connection closed.
  auto got = await(loop, plain.get("/"));
  CHECK(got.code() != Errc::ok);
  close(loop, plain);
}

TEST_CASE("SASL is re-run after a dropped connection and the work made meanwhile is not lost") {
  Loop loop;
  auto proxy = std::move(zkit::testing::FaultProxy::start(enforcing_server().connect_string())).value();
  Journal journal;
  Options o = options_for(proxy->address());
  o.sasl = enforcing_server().digest("bob");
  journal.attach(o);
  Session bob = connect(loop, std::move(o));
  journal.listen(bob);
  std::string path = unique_path("sasl-reconnect");
  AclList bob_acl{acl::sasl("bob", perm_all)};
  CreateOptions bob_only{.acl = bob_acl};
  REQUIRE(await(loop, bob.create(path, "1", bob_only)));

  int accepted = proxy->connections_accepted();
  proxy->refuse(true);
  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return bob.state() == SessionState::suspended; }));
  // Made while no connection is up: held until the next connection has finished SASL (the
  // enforcing server would close a connection whose first request came before it).
  std::optional<Result<Stat>> written;
  bob.set(path, "2", -1, [&](Result<Stat> r) { written.emplace(std::move(r)); });
  proxy->refuse(false);
  REQUIRE(loop.run_until([&] { return written.has_value(); }));
  REQUIRE_MESSAGE(written->ok(), written->error().message());
  auto got = await(loop, bob.get(path));
  REQUIRE_MESSAGE(got, got.error().message());
  CHECK(got->data == "2");
  CHECK(proxy->connections_accepted() > accepted);
  CHECK(journal.count("accepted by") >= 2);
  {
    std::lock_guard lock(journal.mutex);
    CHECK(std::find(journal.states.begin(), journal.states.end(), SessionState::reconnected) != journal.states.end());
  }
  REQUIRE(await(loop, bob.remove(path)));
  close(loop, bob);
}

TEST_CASE("SASL is re-run after the server restarts, and a request made while it was down completes") {
  Loop loop;
  Options o = options_for(enforcing_server().connect_string(), 10000ms);
  o.sasl = enforcing_server().digest("bob");
  Session bob = connect(loop, std::move(o));
  std::string path = unique_path("sasl-restart");
  AclList bob_acl{acl::sasl("bob", perm_all)};
  CreateOptions bob_only{.acl = bob_acl};
  REQUIRE(await(loop, bob.create(path, "1", bob_only)));
  REQUIRE(enforcing_server().cluster().stop(1));
  REQUIRE(loop.run_until([&] { return bob.state() == SessionState::suspended; }));
  std::optional<Result<Data>> got;
  bob.get(path, Watcher{}, [&](Result<Data> r) { got.emplace(std::move(r)); });
  REQUIRE(enforcing_server().cluster().restart(1));
  REQUIRE(loop.run_until([&] { return got.has_value(); }, scaled(30s)));
  // Sent before the restart it could have failed with connection_loss; made while the server
  // was down, it waited and went out after SASL.
  REQUIRE_MESSAGE(got->ok(), got->error().message());
  CHECK((*got)->data == "1");
  REQUIRE(await(loop, bob.remove(path)));
  close(loop, bob);
}

}  // namespace
}  // namespace zkit::test_sasl
