// An MIT Kerberos KDC for tests: a realm in a temporary directory (kdb5_util), principals and
// keytabs made with kadmin.local, and krb5kdc listening on a free port of 127.0.0.1, started
// and stopped by its PID.
//
//   auto kdc = zkit::testing::Kdc::start({.principals = {"zookeeper/127.0.0.1", "client"}});
//   REQUIRE_MESSAGE(kdc, kdc.error().message());
//   // kdc.value()->keytab("client"), kdc.value()->krb5_conf(), kdc.value()->realm()
//
// Clients find it through the krb5.conf it writes (KRB5_CONFIG=krb5_conf()); the file turns off
// DNS lookups and host name canonicalisation so that service principals name 127.0.0.1 as is.
//
// Needs Debian's krb5-kdc and krb5-admin-server (kdb5_util, kadmin.local, krb5kdc).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "zkit/result.hpp"

namespace zkit::testing {

// KdcOptions: the realm and principals a Kdc creates.
struct KdcOptions {
  std::string realm = "ZKIT.TEST";  // the Kerberos realm
  // Principals to create, without the realm, each with a random key and a keytab of its own.
  std::vector<std::string> principals{};
};

// Kdc: an MIT Kerberos KDC on loopback in a temporary directory, stopped by its PID.
class Kdc {
 public:
  // Errors: bad_arguments (the Kerberos tools are missing: the message says what to install; a
  // tool failed: its output), connection_loss (krb5kdc exited at start: its log).
  static Result<std::unique_ptr<Kdc>> start(KdcOptions options);
  Kdc(const Kdc&) = delete;
  Kdc& operator=(const Kdc&) = delete;
  ~Kdc();  // stops krb5kdc (by its PID), removes the directory

  const std::string& realm() const { return options_.realm; }  // the realm it serves
  // The krb5.conf that names this KDC.
  const std::string& krb5_conf() const { return krb5_conf_; }
  // The keytab holding `principal`'s key (one of options.principals).
  std::string keytab(const std::string& principal) const;
  // "principal@REALM".
  std::string full_name(const std::string& principal) const { return principal + "@" + options_.realm; }
  const std::string& directory() const { return dir_; }  // the temporary directory (krb5.conf, keytabs)
  int port() const { return port_; }  // its TCP port on 127.0.0.1
  pid_t pid() const { return pid_; }  // its process id

 private:
  Kdc() = default;
  KdcOptions options_;
  std::string dir_;
  std::string krb5_conf_;
  int port_ = 0;
  pid_t pid_ = 0;
};

}  // namespace zkit::testing
