// SASL GSSAPI (Kerberos) against a real ZooKeeper whose JAAS Server section logs in with its
// keytab (zookeeper/127.0.0.1) and a real MIT KDC the kit starts on loopback: the client
// principal's keytab connects, and a sasl ACL naming the principal admits it only.
#include <algorithm>
#include <memory>

#include "support.hpp"
#include "zkit/acl.hpp"

namespace zkit::test_sasl {
namespace {

zkit::testing::SaslCluster& kerberos_server() {
  static std::unique_ptr<zkit::testing::SaslCluster> server = [] {
    auto started = zkit::testing::SaslCluster::start({.cluster = {.tick_ms = 500}, .kerberos = true});
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message()));
    return std::move(started).value();
  }();
  return *server;
}

TEST_CASE("GSSAPI with the client's keytab connects and a sasl ACL admits the principal only") {
  auto& zk = kerberos_server();
  Loop loop;
  Options o = options_for(zk.connect_string());
  o.sasl = zk.gssapi();
  Session client = connect(loop, std::move(o));
  std::string principal = zk.kdc()->full_name("zkit-client");
  auto ids = await(loop, client.who_am_i());
  REQUIRE(ids);
  CHECK(std::find(ids->begin(), ids->end(), ClientInfo{"sasl", principal}) != ids->end());

  std::string path = unique_path("sasl-gssapi");
  AclList only{acl::sasl(principal, perm_all)};
  CreateOptions opts{.acl = only};
  REQUIRE(await(loop, client.create(path, "k", opts)));
  auto got = await(loop, client.get(path));
  REQUIRE_MESSAGE(got, got.error().message());
  CHECK(got->data == "k");

  Session plain = connect(loop, options_for(zk.connect_string()));
  CHECK(await(loop, plain.get(path)).code() == Errc::no_auth);
  REQUIRE(await(loop, client.remove(path)));
  close(loop, plain);
  close(loop, client);
}

TEST_CASE("GSSAPI without credentials ends in auth_failed, saying why") {
  auto& zk = kerberos_server();
  Loop loop;
  Options o = options_for(zk.connect_string());
  o.sasl = zk.gssapi();
  // A keytab that holds no key: Kerberos cannot get a ticket.
  o.sasl.keytab = zk.kdc()->directory() + "/no-such.keytab";
  o.sasl.credential_cache = zk.kdc()->directory() + "/empty.ccache";
  auto started = Session::start(loop.get(), std::move(o));
  REQUIRE(started);
  Session s = std::move(started).value();
  auto got = await(loop, s.get("/"));
  CHECK(got.code() == Errc::auth_failed);
  CHECK_MESSAGE(got.error().message().find("No Kerberos credentials available") != std::string::npos, got.error().message());
  CHECK(s.state() == SessionState::auth_failed);
  close(loop, s);
}

TEST_CASE("GSSAPI towards a server principal the KDC does not know ends in auth_failed, naming it") {
  auto& zk = kerberos_server();
  Loop loop;
  Options o = options_for(zk.connect_string());
  o.sasl = zk.gssapi();
  o.sasl.server_host = "zk-unknown";
  auto started = Session::start(loop.get(), std::move(o));
  REQUIRE(started);
  Session s = std::move(started).value();
  auto got = await(loop, s.get("/"));
  CHECK(got.code() == Errc::auth_failed);
  CHECK_MESSAGE(got.error().message().find("server principal zookeeper/zk-unknown") != std::string::npos, got.error().message());
  close(loop, s);
}

}  // namespace
}  // namespace zkit::test_sasl
