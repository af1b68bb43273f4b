// Over the real server's secure client port: the core operations, mutual TLS identities
// admitted by x509 ACLs, keys in memory and encrypted, TLS 1.3, an ensemble, rotation.
#include <filesystem>
#include <fstream>

#include "support.hpp"
#include "zkit/acl.hpp"

namespace zkit::test_tls {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Whether the server says `s` carries the x509 identity `subject`.
bool has_identity(Loop& loop, Session& s, const std::string& subject) {
  auto who = await(loop, s.who_am_i());
  REQUIRE_MESSAGE(who, who.error().message());
  return std::find(who->begin(), who->end(), ClientInfo{"x509", subject}) != who->end();
}

// create, get, set, children, a data watch, multi and delete, all on `s`.
void run_core_operations(Loop& loop, Session& s) {
  std::string path = unique_path("tls-ops");
  auto created = await(loop, s.create(path, "one"));
  REQUIRE_MESSAGE(created, created.error().message());
  auto child = await(loop, s.create(path + "/c", ""));
  REQUIRE(child);
  bool fired = false;
  Watcher on_change = [&](const WatchEvent&) { fired = true; };
  auto got = await(loop, s.get(path, std::move(on_change)));
  REQUIRE(got);
  CHECK(got->data == "one");
  auto set = await(loop, s.set(path, "two"));
  REQUIRE(set);
  CHECK(loop.run_until([&] { return fired; }));
  auto kids = await(loop, s.get_children(path));
  REQUIRE(kids);
  CHECK(kids->names == std::vector<std::string>{"c"});
  std::vector<TxnOp> ops = {TxnOp::remove(path + "/c"), TxnOp::set(path, "three")};
  auto m = await(loop, s.multi(ops));
  REQUIRE_MESSAGE(m, m.error().message());
  auto again = await(loop, s.get(path));
  REQUIRE(again);
  CHECK(again->data == "three");
  auto removed = await(loop, s.remove(path));
  CHECK(removed);
}

TEST_CASE("a verified chain and name carry the core operations over TLS with a client certificate") {
  auto& zk = tls_server();
  Loop loop;
  Session s = connect(loop, tls_options(zk.connect_string(), zk.client_tls()));
  run_core_operations(loop, s);
  close(loop, s);
}

TEST_CASE("the x509 provider admits the client certificate's identity to a node whose ACL names it") {
  auto& zk = tls_server();
  Loop loop;
  Session s = connect(loop, tls_options(zk.connect_string(), zk.client_tls()));
  CHECK(has_identity(loop, s, zk.files().client_identity));

  std::string path = unique_path("tls-x509");
  AclList ours{acl::x509(zk.files().client_identity, perm_all)};
  CreateOptions only_ours{.acl = ours};
  auto created = await(loop, s.create(path, "secret", only_ours));
  REQUIRE_MESSAGE(created, created.error().message());
  auto got = await(loop, s.get(path));
  REQUIRE(got);
  CHECK(got->data == "secret");

  // Over the plain port, without a certificate, the same node is closed.
  Session plain = connect(loop, options_for(zk.plain_connect_string()));
  auto refused = await(loop, plain.get(path));
  CHECK(refused.code() == Errc::no_auth);
  close(loop, plain);
  close(loop, s);
}

TEST_CASE("PEM in memory and an encrypted key with its passphrase work as files do") {
  auto& zk = tls_server();
  Loop loop;
  TlsOptions tls{.enabled = true,
                 .ca_pem = read_file(zk.files().ca),
                 .cert_pem = read_file(zk.files().client_cert),
                 .key_pem = read_file(zk.files().client_key_encrypted),
                 .key_passphrase = zk.files().client_key_passphrase};
  Session s = connect(loop, tls_options(zk.connect_string(), tls));
  CHECK(has_identity(loop, s, zk.files().client_identity));
  close(loop, s);
}

TEST_CASE("an expected server name other than the host is checked when connecting by address") {
  auto& zk = tls_server();
  Loop loop;
  TlsOptions tls = zk.client_tls();
  tls.server_name = "localhost";  // the certificate's DNS name; the connect string has 127.0.0.1
  Session s = connect(loop, tls_options(zk.connect_string(), tls));
  CHECK(await(loop, s.exists("/")));
  close(loop, s);
}

TEST_CASE("TLS 1.3 is used when the server offers it") {
  auto started = zkit::testing::TlsCluster::start({.cluster = {.tick_ms = 500}, .client_auth = "want", .tls13 = true});
  REQUIRE_MESSAGE(started, started.error().message());
  auto& zk = *started.value();
  Loop loop;
  TlsOptions tls = zk.client_tls(false);
  tls.min_version = TlsVersion::tls1_3;  // would fail against a TLS 1.2-only server
  Session s = connect(loop, tls_options(zk.connect_string(), tls));
  CHECK(await(loop, s.create(unique_path("tls13"), "")));
  close(loop, s);
}

TEST_CASE("a TLS ensemble serves a session that follows members over TLS") {
  auto started = zkit::testing::TlsCluster::start({.cluster = {.size = 3, .tick_ms = 500}, .client_auth = "need"});
  REQUIRE_MESSAGE(started, started.error().message());
  auto& zk = *started.value();
  Loop loop;
  Session s = connect(loop, tls_options(zk.connect_string(), zk.client_tls()));
  run_core_operations(loop, s);
  // Kill the member it is on: it moves to another one, still over TLS.
  std::string on = s.connected_host();
  int member = 0;
  for (int i = 1; i <= zk.cluster().size(); ++i)
    if (zk.cluster().address(i) == on) member = i;
  REQUIRE(member != 0);
  REQUIRE(zk.cluster().kill(member));
  REQUIRE(loop.run_until([&] { return !s.connected_host().empty() && s.connected_host() != on; }, scaled(30s)));
  CHECK(has_identity(loop, s, zk.files().client_identity));
  close(loop, s);
}

TEST_CASE("a rotated client certificate is picked up by the next connection without a new session") {
  auto& zk = tls_server();
  namespace fs = std::filesystem;
  std::string dir = zk.files().dir + "/rotation";
  fs::create_directories(dir);
  std::string cert = dir + "/client.crt", key = dir + "/client.key";
  // Start with a certificate the server does not trust: every attempt is refused.
  fs::copy_file(zk.files().other_client_cert, cert, fs::copy_options::overwrite_existing);
  fs::copy_file(zk.files().other_client_key, key, fs::copy_options::overwrite_existing);
  TlsOptions tls{.enabled = true, .ca_file = zk.files().ca, .cert_file = cert, .key_file = key};
  Loop loop;
  auto s = Session::start(loop.get(), tls_options(zk.connect_string(), tls));
  REQUIRE(s);
  REQUIRE(loop.run_until([&] { return !s->last_failure().empty(); }));
  CHECK(s->state() != SessionState::connected);
  // Rotate: write the new pair beside, then move it in place (as deployment tools do).
  fs::copy_file(zk.files().client_key, key + ".new");
  fs::copy_file(zk.files().client_cert, cert + ".new");
  fs::rename(key + ".new", key);
  fs::rename(cert + ".new", cert);
  REQUIRE_MESSAGE(loop.run_until([&] { return s->state() == SessionState::connected; }, scaled(20s)), s->last_failure());
  CHECK(has_identity(loop, *s, zk.files().client_identity));
  close(loop, *s);
}

}  // namespace
}  // namespace zkit::test_tls
