// zkit::SaslOptions: SASL authentication as ZooKeeper speaks it (the server's
// SASLAuthenticationProvider with a JAAS "Server" section). Put one in Options::sasl:
//
//   zkit::Options o{.connect = "127.0.0.1:2181",
//                   .sasl = {.mechanism = zkit::SaslMechanism::digest_md5, .user = "bob",
//                            .password_file = "/etc/zk/bob.password"}};
//
// After every handshake (the first one and each reconnection) the session runs the SASL
// exchange before anything else is sent: requests made meanwhile wait, and the session reports
// `connected` (or `reconnected`) only once the server has accepted the credentials. A server
// that refuses them ends the session in `auth_failed`, and every request fails with
// auth_failed: nothing is retried with the same refused credentials.
//
// Once authenticated, the session carries the id `sasl:<user>` (DIGEST-MD5) or
// `sasl:<principal>` (GSSAPI), which an ACL such as `sasl:bob:cdrwa` admits.
//
// Secrets: the password never appears in log lines or error messages.
#pragma once

#include <string>

namespace zkit {

enum class SaslMechanism {
  none,        // no SASL (the default)
  digest_md5,  // user and password, checked against the server's DigestLoginModule users
  gssapi,      // Kerberos: a ticket from a credential cache or a keytab
};

struct SaslOptions {
  SaslMechanism mechanism = SaslMechanism::none;  // none: no SASL
  // DIGEST-MD5: the user name (the server's JAAS user_<NAME>). GSSAPI: unused (the identity is
  // the principal of the credentials).
  std::string user{};
  // DIGEST-MD5: the password, given as a value or as a file whose content is the password (a
  // trailing newline is dropped). The file is read when the session starts: a missing or
  // unreadable file fails Session::start with bad_arguments. Give one of the two.
  std::string password{};
  std::string password_file{};  // a file holding the password (read at start; trailing newline dropped)
  // The server's SASL service name: its Kerberos principal is service/host at the realm. ZooKeeper's
  // default is "zookeeper" (the Java client's zookeeper.sasl.client.username).
  std::string service = "zookeeper";
  // The host part of the server principal. Empty: for DIGEST-MD5 "zk-sasl-md5" (the name the
  // ZooKeeper server expects in digest-uri), for GSSAPI the host of the server connected to
  // as written in the connect string (so connect by the name the principal carries:
  // zookeeper/zk1.example.com needs "zk1.example.com:2181").
  std::string server_host{};
  // GSSAPI: where the client's Kerberos credentials come from, for this session only (the
  // process environment is left alone, so sessions of one process may use different
  // principals). A keytab lets Kerberos fetch and renew tickets by itself; a credential cache
  // holds tickets (from kinit, or fetched with the keytab). The principal is the cache's, or
  // else the keytab's first. Both empty: the environment's defaults (KRB5CCNAME, ...).
  std::string keytab{};
  std::string credential_cache{};  // GSSAPI: a credential cache ("FILE:/path" or a path); empty: the default
};

}  // namespace zkit
