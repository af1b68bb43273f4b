// ZooKeeper servers that authenticate clients with SASL, for tests: a JAAS file with a "Server"
// section (DigestLoginModule users for DIGEST-MD5; Krb5LoginModule with the server's keytab for
// GSSAPI when an MIT KDC is asked for) and the SASLAuthenticationProvider, so a service's own
// tests can run with the credentials production uses.
//
//   auto started = zkit::testing::SaslCluster::start({.users = {{"bob", "bobsecret"}}});
//   REQUIRE_MESSAGE(started, started.error().message());
//   auto& zk = *started.value();
//   zkit::Options o{.connect = zk.connect_string(), .sasl = zk.digest("bob")};
//
// With `kerberos = true` the kit also starts a KDC (kdc.hpp) on loopback, with the server
// principal zookeeper/127.0.0.1 and the client principals (`kerberos_clients`, each with a
// keytab of its own), and points this process's Kerberos library at it (KRB5_CONFIG):
// gssapi(principal) gives client options that use that principal's keytab.
//
// Needs Debian's `zookeeper` package; Kerberos also needs krb5-kdc and krb5-admin-server.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "zkit/result.hpp"
#include "zkit/sasl.hpp"
#include "zkit/testing/cluster.hpp"
#include "zkit/testing/kdc.hpp"

namespace zkit::testing {

// SaslUser: a DIGEST-MD5 user the servers accept.
struct SaslUser {
  std::string name;  // user name
  std::string password;  // password
};

// The client principal a SaslCluster with kerberos makes unless told otherwise.
inline constexpr const char* kDefaultKerberosClient = "zkit-client";

// SaslClusterOptions: the servers and how they authenticate.
struct SaslClusterOptions {
  ClusterOptions cluster{};  // the servers themselves
  // DIGEST-MD5 users the servers accept (JAAS user_<name>="<password>").
  std::vector<SaslUser> users{{"bob", "bobsecret"}};
  // Also serve GSSAPI, with an MIT KDC the kit starts.
  bool kerberos = false;
  // kerberos: the client principals the KDC knows (without the realm).
  std::vector<std::string> kerberos_clients{kDefaultKerberosClient};
  // Refuse every request of a connection before it completed SASL (enforce.auth.enabled=true,
  // enforce.auth.schemes=sasl): the server then closes such connections with -124.
  bool enforce = false;
};

// Adds DIGEST-MD5 SASL to servers about to be started: writes a JAAS file for `users` to
// `jaas_path` and adds the JVM option and zoo.cfg line that make ZooKeeper use it. For
// combining SASL with other kinds of servers, e.g. TlsClusterOptions::cluster.
// Errors: bad_arguments (a name or password JAAS cannot quote; the file cannot be written).
Result<void> add_digest_sasl(ClusterOptions& c, const std::string& jaas_path, const std::vector<SaslUser>& users);

// SaslCluster: ZooKeeper servers with SASL (JAAS) for tests.
class SaslCluster {
 public:
  // Errors: those of Cluster::start and Kdc::start.
  static Result<std::unique_ptr<SaslCluster>> start(SaslClusterOptions options = {});
  SaslCluster(const SaslCluster&) = delete;
  SaslCluster& operator=(const SaslCluster&) = delete;
  ~SaslCluster();  // stops the servers and the KDC, removes the JAAS directory

  std::string connect_string() const { return cluster_->connect_string(); }  // the servers' connect string
  Cluster& cluster() { return *cluster_; }  // the Cluster underneath (kill, restart, ...)
  // DIGEST-MD5 options for `user` (one of options.users) with its password; an unknown user
  // gets an empty password.
  SaslOptions digest(const std::string& user) const;
  // GSSAPI options with `principal`'s keytab (one of options.kerberos_clients) and a
  // credential cache of its own (kerberos only).
  SaslOptions gssapi(const std::string& principal = kDefaultKerberosClient) const;
  // The KDC, when kerberos was asked for (else null).
  Kdc* kdc() { return kdc_.get(); }
  // The JAAS file the servers read.
  const std::string& jaas_path() const { return jaas_; }

 private:
  SaslCluster() = default;
  std::string dir_;
  std::string jaas_;
  std::vector<SaslUser> users_;
  std::unique_ptr<Kdc> kdc_;
  std::unique_ptr<Cluster> cluster_;  // after kdc_: the servers stop before their KDC
};

}  // namespace zkit::testing
