// SASL GSSAPI (Kerberos) against a real ZooKeeper whose JAAS Server section logs in with its
// keytab (zookeeper/127.0.0.1) and a real MIT KDC the kit starts on loopback: the client
// principal's keytab connects, and a sasl ACL naming the principal admits it only; two
// sessions of one process with different keytabs each stay their own principal.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include "support.hpp"
#include "zkit/acl.hpp"
#include "zkit/testing/fault_proxy.hpp"

namespace zkit::test_sasl {
namespace {

constexpr const char* kOtherClient = "zkit-other-client";

zkit::testing::SaslCluster& kerberos_server() {
  static std::unique_ptr<zkit::testing::SaslCluster> server = [] {
    auto started = zkit::testing::SaslCluster::start(
        {.cluster = {.tick_ms = 500},
         .kerberos = true,
         .kerberos_clients = {zkit::testing::kDefaultKerberosClient, kOtherClient}});
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message()));
    return std::move(started).value();
  }();
  return *server;
}

bool has_id(const std::vector<ClientInfo>& ids, const std::string& principal) {
  return std::find(ids.begin(), ids.end(), ClientInfo{"sasl", principal}) != ids.end();
}

// Sets an environment variable for the test's length and puts the old value back after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (old_) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
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
  CHECK(has_id(*ids, principal));

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
  const std::string missing_keytab = zk.kdc()->directory() + "/no-such.keytab";
  o.sasl.keytab = missing_keytab;
  o.sasl.credential_cache = zk.kdc()->directory() + "/empty.ccache";
  auto started = Session::start(loop.get(), std::move(o));
  REQUIRE(started);
  Session s = std::move(started).value();
  auto got = await(loop, s.get("/"));
  CHECK(got.code() == Errc::auth_failed);
  const std::string& why = got.error().message();
  CHECK_MESSAGE(why.find("could not get the client's Kerberos credentials") != std::string::npos, why);
  CHECK_MESSAGE(why.find(missing_keytab) != std::string::npos, why);
  CHECK_MESSAGE(why.find("the keytab cannot be read (No such file or directory)") != std::string::npos, why);
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

TEST_CASE("two GSSAPI sessions with different keytabs stay their own principals, also after a reconnect") {
  auto& zk = kerberos_server();
  // Values zkit must neither change nor need: the options name each session's keytab and cache.
  const std::string kt_sentinel = "FILE:" + zk.kdc()->directory() + "/sentinel-not-there.keytab";
  const std::string cc_sentinel = "FILE:" + zk.kdc()->directory() + "/sentinel-not-there.ccache";
  ScopedEnv kt("KRB5_CLIENT_KTNAME", kt_sentinel.c_str());
  ScopedEnv cc("KRB5CCNAME", cc_sentinel.c_str());
  Loop loop;
  auto proxy = std::move(zkit::testing::FaultProxy::start(zk.connect_string())).value();
  Options a = options_for(proxy->address());
  a.sasl = zk.gssapi(zkit::testing::kDefaultKerberosClient);
  Options b = options_for(zk.connect_string());
  b.sasl = zk.gssapi(kOtherClient);
  REQUIRE(a.sasl.keytab != b.sasl.keytab);
  Session first = connect(loop, std::move(a));
  Session second = connect(loop, std::move(b));
  std::string first_principal = zk.kdc()->full_name(zkit::testing::kDefaultKerberosClient);
  std::string second_principal = zk.kdc()->full_name(kOtherClient);
  auto first_ids = await(loop, first.who_am_i());
  auto second_ids = await(loop, second.who_am_i());
  REQUIRE(first_ids);
  REQUIRE(second_ids);
  CHECK(has_id(*first_ids, first_principal));
  CHECK(has_id(*second_ids, second_principal));
  CHECK_FALSE(has_id(*second_ids, first_principal));

  // The first session authenticates again, after the second one did: still as itself.
  int accepted = proxy->connections_accepted();
  proxy->refuse(true);
  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return first.state() == SessionState::suspended; }));
  proxy->refuse(false);
  auto again = await(loop, first.who_am_i());
  REQUIRE_MESSAGE(again, again.error().message());
  CHECK(proxy->connections_accepted() > accepted);
  CHECK(has_id(*again, first_principal));
  CHECK_FALSE(has_id(*again, second_principal));

  CHECK(env_or_empty("KRB5_CLIENT_KTNAME") == kt_sentinel);
  CHECK(env_or_empty("KRB5CCNAME") == cc_sentinel);
  close(loop, second);
  close(loop, first);
}

}  // namespace
}  // namespace zkit::test_sasl
