// Each TLS failure produced on purpose against a real server, with the cause it must name.
#include "support.hpp"

namespace zkit::test_tls {
namespace {

using zkit::testing::ServerCertificate;

TEST_CASE("a server signed by a CA the client does not trust is reported as an unknown CA") {
  auto& zk = tls_server();
  Loop loop;
  TlsOptions tls = zk.client_tls();
  tls.ca_file = zk.files().other_ca;
  std::string reason = first_failure(loop, tls_options(zk.connect_string(), tls));
  CHECK_MESSAGE(reason.find("unknown CA") != std::string::npos, reason);
  CHECK_MESSAGE(reason.find("zkit-test-ca") != std::string::npos, reason);  // the issuer
}

TEST_CASE("a name the certificate does not carry is a mismatch naming both sides") {
  auto& zk = tls_server();
  Loop loop;
  TlsOptions tls = zk.client_tls();
  tls.server_name = "zk.example.com";
  std::string reason = first_failure(loop, tls_options(zk.connect_string(), tls));
  CHECK_MESSAGE(reason.find("name mismatch") != std::string::npos, reason);
  CHECK_MESSAGE(reason.find("\"zk.example.com\"") != std::string::npos, reason);
  CHECK_MESSAGE(reason.find("DNS:localhost") != std::string::npos, reason);
  CHECK_MESSAGE(reason.find("IP:127.0.0.1") != std::string::npos, reason);
}

TEST_CASE("an address the certificate does not carry is a mismatch too") {
  auto& zk = tls_server();
  Loop loop;
  TlsOptions tls = zk.client_tls();
  tls.server_name = "127.0.0.2";
  std::string reason = first_failure(loop, tls_options(zk.connect_string(), tls));
  CHECK_MESSAGE(reason.find("name mismatch: expected \"127.0.0.2\"") != std::string::npos, reason);
}

TEST_CASE("turning the name check off accepts the same certificate") {
  auto& zk = tls_server();
  Loop loop;
  TlsOptions tls = zk.client_tls();
  tls.server_name = "zk.example.com";
  tls.verify_server_name = false;
  Session s = connect(loop, tls_options(zk.connect_string(), tls));
  close(loop, s);
}

TEST_CASE("expired and not yet valid server certificates say so") {
  for (auto [kind, words] : {std::pair{ServerCertificate::expired, "expired certificate"},
                             std::pair{ServerCertificate::not_yet_valid, "not yet valid"}}) {
    auto started = zkit::testing::TlsCluster::start(
        {.cluster = {.tick_ms = 500}, .client_auth = "none", .server_certificate = kind});
    REQUIRE_MESSAGE(started, started.error().message());
    auto& zk = *started.value();
    Loop loop;
    std::string reason = first_failure(loop, tls_options(zk.connect_string(), zk.client_tls(false)));
    CHECK_MESSAGE(reason.find(words) != std::string::npos, reason);
  }
}

TEST_CASE("a server that demands a client certificate says so when none is configured") {
  auto& zk = tls_server();
  Loop loop;
  std::string reason = first_failure(loop, tls_options(zk.connect_string(), zk.client_tls(false)));
  CHECK_MESSAGE(reason.find("demands a client certificate") != std::string::npos, reason);
}

TEST_CASE("a client certificate from another CA is refused by the server") {
  auto& zk = tls_server();
  Loop loop;
  TlsOptions tls = zk.client_tls(false);
  tls.cert_file = zk.files().other_client_cert;
  tls.key_file = zk.files().other_client_key;
  std::string reason = first_failure(loop, tls_options(zk.connect_string(), tls));
  CHECK_MESSAGE(reason.find("TLS handshake failed") != std::string::npos, reason);
  CHECK_MESSAGE(reason.find("demands a client certificate") == std::string::npos, reason);
}

TEST_CASE("TLS to a plain-text port names the plain-text server") {
  auto& zk = tls_server();
  Loop loop;
  std::string reason = first_failure(loop, tls_options(zk.plain_connect_string(), zk.client_tls()));
  CHECK_MESSAGE(reason.find("does not speak TLS") != std::string::npos, reason);
}

TEST_CASE("plain text to a TLS port names the TLS server") {
  auto& zk = tls_server();
  Loop loop;
  std::string reason = first_failure(loop, options_for(zk.connect_string()));
  CHECK_MESSAGE(reason.find("TLS") != std::string::npos, reason);
}

TEST_CASE("bad TLS settings fail Session::start and name the file, never the passphrase") {
  auto& zk = tls_server();
  Loop loop;
  TlsOptions tls = zk.client_tls();
  tls.key_file = zk.files().client_key_encrypted;
  tls.key_passphrase = "wrong-passphrase-xyzzy";
  auto s = Session::start(loop.get(), tls_options(zk.connect_string(), tls));
  REQUIRE_FALSE(s);
  CHECK(s.error().code() == Errc::bad_arguments);
  CHECK_MESSAGE(s.error().message().find(zk.files().client_key_encrypted) != std::string::npos, s.error().message());
  CHECK(s.error().message().find("xyzzy") == std::string::npos);

  tls = zk.client_tls();
  tls.ca_file = zk.files().dir + "/missing.pem";
  auto missing = Session::start(loop.get(), tls_options(zk.connect_string(), tls));
  REQUIRE_FALSE(missing);
  CHECK_MESSAGE(missing.error().message().find("missing.pem") != std::string::npos, missing.error().message());

  TlsOptions off{.ca_file = zk.files().ca};  // enabled forgotten
  auto forgotten = Session::start(loop.get(), tls_options(zk.connect_string(), off));
  REQUIRE_FALSE(forgotten);
  CHECK(forgotten.error().code() == Errc::bad_arguments);
}

}  // namespace
}  // namespace zkit::test_tls

namespace zkit::test_tls {
namespace {

TEST_CASE("a refused certificate backs off and is logged as a warning once, never with the passphrase") {
  auto& zk = tls_server();
  struct Line {
    LogLevel level;
    std::string text;
  };
  auto lines = std::make_shared<std::vector<Line>>();
  Options o = tls_options(zk.connect_string(), zk.client_tls(false));
  o.tls.ca_file = zk.files().other_ca;
  o.tls.cert_file = zk.files().client_cert;
  o.tls.key_file = zk.files().client_key_encrypted;
  o.tls.key_passphrase = zk.files().client_key_passphrase;
  o.log_level = LogLevel::debug;
  o.logger = [lines](LogLevel level, std::string_view text) { lines->push_back({level, std::string(text)}); };
  Loop loop;
  auto s = Session::start(loop.get(), std::move(o));
  REQUIRE(s);
  auto refusals = [&](bool warnings_only) {
    return std::count_if(lines->begin(), lines->end(), [&](const Line& l) {
      return l.text.find("unknown CA") != std::string::npos && (!warnings_only || l.level == LogLevel::warning);
    });
  };
  REQUIRE(loop.run_until([&] { return refusals(false) >= 3; }));
  CHECK(refusals(true) == 1);
  for (const Line& l : *lines) CHECK(l.text.find(zk.files().client_key_passphrase) == std::string::npos);
  close(loop, *s);
}

}  // namespace
}  // namespace zkit::test_tls
