// Secrets of a TLS + SASL + digest session (issue 11 item 7): a client key encrypted with a
// passphrase, a SASL DIGEST-MD5 password, a digest password and the session password stay out
// of every log line (at debug) and error message, connected, reconnected (SASL and the digest
// re-sent) and failing (wrong SASL password, wrong passphrase, missing password file).
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>

#include "secret_watch.hpp"
#include "sessions.hpp"
#include "zkit/acl.hpp"
#include "zkit/testing/fault_proxy.hpp"
#include "zkit/testing/sasl_cluster.hpp"
#include "zkit/testing/tls_cluster.hpp"

using namespace std::chrono_literals;
using namespace zkit;
using namespace zkit::test_support;
using zkit::test_security::SecretWatch;

namespace {

constexpr std::string_view kSaslPassword = "sasl-pw-never-logged-91c2";
constexpr std::string_view kDigestPassword = "digest-pw-never-logged-4e7d";

// A TLS server (client certificates required) that also serves SASL DIGEST-MD5 for "bob".
struct SecureServer {
  std::string jaas_dir;
  std::unique_ptr<zkit::testing::TlsCluster> zk;

  SecureServer() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zkit-secrets-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()));
    jaas_dir = pattern;
    zkit::testing::TlsClusterOptions o{.cluster = {.tick_ms = 500}};
    auto added = zkit::testing::add_digest_sasl(o.cluster, jaas_dir + "/jaas.conf", {{"bob", std::string(kSaslPassword)}});
    REQUIRE_MESSAGE(added, (added ? "" : added.error().message()));
    auto started = zkit::testing::TlsCluster::start(o);
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message()));
    zk = std::move(started).value();
  }
  ~SecureServer() {
    zk.reset();
    std::error_code ec;
    std::filesystem::remove_all(jaas_dir, ec);
  }
  // TLS with the encrypted client key and its passphrase.
  TlsOptions tls() const {
    TlsOptions t = zk->client_tls();
    t.key_file = zk->files().client_key_encrypted;
    t.key_passphrase = zk->files().client_key_passphrase;
    return t;
  }
};

template <class T>
Result<T> wait_for(Loop& loop, std::optional<Result<T>>& got) {
  REQUIRE_MESSAGE(loop.run_until([&] { return got.has_value(); }, scaled(20s)), "no reply in time");
  return std::move(*got);
}

}  // namespace

TEST_CASE("a TLS + SASL + digest session leaks no passphrase or password, connected, reconnected or failing") {
  SecretWatch watch;  // before the loop: the sessions log into it until the loop is gone
  SecureServer server;
  Loop loop;
  auto proxy = std::move(zkit::testing::FaultProxy::start(server.zk->connect_string())).value();
  watch.secret("the TLS key passphrase", server.zk->files().client_key_passphrase);
  watch.secret("the SASL password", kSaslPassword);
  watch.secret("the digest password", kDigestPassword);
  const std::string credentials = "alice:" + std::string(kDigestPassword);
  watch.secret("the digest credentials", credentials);

  // Through the proxy, whose address the certificate does not name as such: 127.0.0.1 is in
  // its SAN, so the name check still passes.
  Options o = options_for(proxy->address(), 4000ms);
  o.tls = server.tls();
  o.sasl = {.mechanism = SaslMechanism::digest_md5, .user = "bob", .password = std::string(kSaslPassword)};
  watch.attach(o);
  Session s = connect(loop, std::move(o));
  watch.secret("the session password", s.session_password());
  REQUIRE(await(loop, s.add_auth("digest", credentials)));
  const std::string path = unique_path("secret-sasl");
  AclList both{acl::sasl("bob", perm_all), acl::digest("alice", kDigestPassword, perm_all)};
  CreateOptions only_us{.acl = both};
  REQUIRE(await(loop, s.create(path, "data", only_us)));

  int accepted = proxy->connections_accepted();
  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return proxy->connections_accepted() > accepted && s.state() == SessionState::reconnected; },
                         scaled(20s)));
  auto read = await(loop, s.get(path));
  REQUIRE_MESSAGE(read, read.error().message());
  auto ids = await(loop, s.who_am_i());
  REQUIRE(ids);
  CHECK(std::find(ids->begin(), ids->end(), ClientInfo{"sasl", "bob"}) != ids->end());

  // Failures. A wrong SASL password: auth_failed.
  Options wrong = options_for(server.zk->connect_string(), 4000ms);
  wrong.tls = server.tls();
  wrong.sasl = {.mechanism = SaslMechanism::digest_md5, .user = "bob", .password = "wrong-" + std::string(kSaslPassword)};
  watch.secret("the wrong SASL password", wrong.sasl.password);
  watch.attach(wrong);
  auto started = Session::start(loop.get(), std::move(wrong));
  REQUIRE(started);
  Session refused = std::move(started).value();
  std::optional<Result<Data>> refused_get;
  refused.get("/", Watcher{}, [&](Result<Data> r) { refused_get.emplace(std::move(r)); });
  Result<Data> refused_result = wait_for(loop, refused_get);
  CHECK(refused_result.code() == Errc::auth_failed);
  watch.saw("get after a refused SASL password", refused_result);

  // A wrong passphrase: the attempt fails and says so, without the passphrase.
  Options bad_key = options_for(server.zk->connect_string(), 4000ms);
  bad_key.tls = server.tls();
  bad_key.tls.key_passphrase = "not-the-" + server.zk->files().client_key_passphrase;
  watch.secret("the wrong passphrase", bad_key.tls.key_passphrase);
  bad_key.request_timeout = 1500ms;
  watch.attach(bad_key);
  auto bad_started = Session::start(loop.get(), std::move(bad_key));
  if (!bad_started) {
    watch.saw("start with a wrong passphrase", bad_started);
  } else {
    Session bad = std::move(bad_started).value();
    std::optional<Result<Data>> bad_get;
    bad.get("/", Watcher{}, [&](Result<Data> r) { bad_get.emplace(std::move(r)); });
    Result<Data> bad_result = wait_for(loop, bad_get);
    CHECK_FALSE(bad_result.ok());
    watch.saw("get with a wrong passphrase", bad_result);
    close(loop, bad);
  }

  // A missing password file: refused at start, naming the file only.
  Options no_file = options_for(server.zk->connect_string(), 4000ms);
  no_file.sasl = {.mechanism = SaslMechanism::digest_md5, .user = "bob", .password_file = "/nonexistent/sasl.pw"};
  watch.saw("start with a missing password file", Session::start(loop.get(), std::move(no_file)));

  REQUIRE(await(loop, s.remove(path)));
  close(loop, refused);
  close(loop, s);

  CHECK(watch.texts("accepted by") >= 2);        // SASL ran on both connections
  CHECK(watch.texts("refused SASL") >= 1);       // and its refusal was captured
  CHECK(watch.texts("sasl.password_file") == 1);
  for (const std::string& leak : watch.leaks()) FAIL_CHECK(leak);
}
