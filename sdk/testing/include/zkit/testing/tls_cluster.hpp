// TLS ZooKeeper servers for tests: a CA and certificates made with the openssl tool in a
// temporary directory, and a Cluster whose members serve TLS (Netty, ssl.* PEM key and trust
// stores), so a service's own tests can run over TLS and mutual TLS.
//
//   auto started = zkit::testing::TlsCluster::start({.client_auth = "need"});
//   REQUIRE_MESSAGE(started, started.error().message());
//   auto& zk = *started.value();
//   zkit::Options o{.connect = zk.connect_string(), .tls = zk.client_tls()};
//
// A standalone server listens for TLS on a port of its own (secureClientPort) next to its
// plain client port (plain_connect_string()); the members of an ensemble accept TLS and plain
// clients on their one client port (client.portUnification=true), so that each member can
// have its own address without per-member settings.
//
// Needs Debian's `zookeeper` and `openssl` packages. Certificates are EC P-256 (fast to make).
#pragma once

#include <memory>
#include <string>

#include "zkit/result.hpp"
#include "zkit/testing/cluster.hpp"
#include "zkit/tls.hpp"

namespace zkit::testing {

// What the server's certificate looks like.
enum class ServerCertificate {
  valid,          // valid for ten years from now, signed by ca
  expired,        // valid in 2001 only
  not_yet_valid,  // valid from 2090 on
};

// TlsFiles: the certificates and keys one TlsCluster uses (all PEM, absolute paths).
struct TlsFiles {
  std::string dir;  // the directory they are in
  std::string ca;           // the CA every server and client certificate below is signed by
  std::string server_cert;  // SAN IP:127.0.0.1, DNS:localhost
  std::string server_pem;   // server key followed by its certificate (ZooKeeper's keyStore)
  std::string client_cert;  // subject CN=test-client,O=zk-tests
  std::string client_key;  // client_cert's private key
  // The id ZooKeeper's x509 provider gives a session with client_cert ("x509" scheme).
  std::string client_identity;
  // client_key encrypted with client_key_passphrase (PKCS#8, AES-256).
  std::string client_key_encrypted;
  std::string client_key_passphrase;  // decrypts client_key_encrypted
  // A CA that signed none of the above, and a client certificate it signed (CN=stranger).
  std::string other_ca;
  std::string other_client_cert;  // signed by other_ca (CN=stranger)
  std::string other_client_key;  // other_client_cert's private key
};

// Makes a CA, a server certificate and client certificates in `dir` (which must exist) with
// the openssl tool. Errors: bad_arguments (openssl missing: says what to install; a command
// failed: its output).
Result<TlsFiles> make_tls_files(const std::string& dir, ServerCertificate server = ServerCertificate::valid);

// TlsClusterOptions: what TlsCluster::start makes.
struct TlsClusterOptions {
  ClusterOptions cluster{};  // size and the rest, as for Cluster::start
  // ssl.clientAuth: "need" (ZooKeeper's default: a client certificate is required), "want"
  // or "none".
  std::string client_auth = "need";
  ServerCertificate server_certificate = ServerCertificate::valid;  // the server certificate: valid, expired or not yet valid
  // Also offer TLS 1.3 (ZooKeeper's default ssl.protocol is TLSv1.2 only).
  bool tls13 = false;
};

// TlsCluster: TLS ZooKeeper servers with their certificates, for tests.
class TlsCluster {
 public:
  // Makes the certificates and starts the servers. Errors: those of make_tls_files and Cluster::start.
  static Result<std::unique_ptr<TlsCluster>> start(TlsClusterOptions options = {});
  TlsCluster(const TlsCluster&) = delete;
  TlsCluster& operator=(const TlsCluster&) = delete;
  ~TlsCluster();  // stops the servers, removes the certificates' directory

  // Where clients connect with TLS.
  std::string connect_string() const;
  // The plain-text client addresses (a standalone server's clientPort).
  std::string plain_connect_string() const { return cluster_->connect_string(); }
  // The servers (kill, restart, leader...), as a Cluster.
  Cluster& cluster() { return *cluster_; }
  // The certificates and keys.
  const TlsFiles& files() const { return files_; }
  // TLS options that trust the kit's CA, with the kit's client certificate when asked.
  TlsOptions client_tls(bool with_client_cert = true) const;

 private:
  TlsCluster() = default;
  TlsFiles files_;
  std::unique_ptr<Cluster> cluster_;
  int secure_port_ = 0;  // standalone only
};

}  // namespace zkit::testing
