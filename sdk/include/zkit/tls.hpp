// zkit::TlsOptions: how a session speaks TLS to ZooKeeper's secure client port
// (secureClientPort, Netty). Put one in Options::tls:
//
//   zkit::Options o{.connect = "zk1.example.com:2281",
//                   .tls = {.enabled = true, .ca_file = "/etc/zk/ca.pem",
//                           .cert_file = "/etc/zk/client.crt", .key_file = "/etc/zk/client.key"}};
//
// By default the server's chain is verified (against ca_file / ca_pem, or the system's trust
// store when neither is given) and its name is checked against the host of the connect string:
// a DNS name against the certificate's DNS names, an address against its IP addresses. SNI is
// sent for DNS names. A client certificate and key give mutual TLS.
//
// Rotation: files named here are read again for a new connection when they changed on disk
// (size or modification time), so replacing the certificate and key files takes effect at the
// next reconnect, without restarting the session. A rotation that leaves the files unreadable
// or inconsistent fails that connection attempt with a message naming the file, and the
// session keeps retrying with backoff, picking up the files once they are fixed.
//
// Secrets: key_passphrase (and the PEM of a key) never appear in log lines or error messages.
#pragma once

#include <string>

namespace zkit {

enum class TlsVersion { tls1_2, tls1_3 };

struct TlsOptions {
  // Speak TLS on every connection of the session. With nothing else set: the system's trust
  // store, the connect string's host as the expected name, no client certificate.
  bool enabled = false;
  // The CA certificate(s) that sign the servers' certificates: a PEM file, or PEM text. When
  // both are empty, the system's trust store (/etc/ssl/certs) is used.
  std::string ca_file{};
  std::string ca_pem{};  // the same as PEM text
  // The client certificate (PEM, optionally followed by intermediates) and its private key,
  // for mutual TLS (the server's ssl.clientAuth=need or want). Give both or neither.
  std::string cert_file{};
  std::string cert_pem{};  // the certificate as PEM text
  std::string key_file{};  // the private key's PEM file
  std::string key_pem{};  // the private key as PEM text
  // Decrypts an encrypted private key ("BEGIN ENCRYPTED PRIVATE KEY").
  std::string key_passphrase{};
  // The name the server's certificate must carry, when it differs from the connect string's
  // host (e.g. connecting by address to a server whose certificate names its DNS name). A DNS
  // name is also sent as SNI.
  std::string server_name{};
  // Check the certificate's name at all (default). Turning it off leaves only the chain check:
  // any certificate that CA signed is accepted, which is what the official C client does.
  bool verify_server_name = true;
  // Versions accepted. ZooKeeper 3.8's default ssl.protocol is TLSv1.2.
  TlsVersion min_version = TlsVersion::tls1_2;
  TlsVersion max_version = TlsVersion::tls1_3;  // the newest version offered
};

}  // namespace zkit
