#include "zkit/testing/sasl_cluster.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace zkit::testing {
namespace fs = std::filesystem;

namespace {
// ZooKeeper's GSSAPI server principal: the Java client's default service name "zookeeper" and
// the host clients connect to.
constexpr const char* kServerPrincipal = "zookeeper/127.0.0.1";
constexpr const char* kClientPrincipal = "zkit-client";

// JAAS strings are double-quoted; the kit's own values hold no quote or backslash.
std::string quoted(const std::string& v) { return "\"" + v + "\""; }
}  // namespace

Result<std::unique_ptr<SaslCluster>> SaslCluster::start(SaslClusterOptions options) {
  std::unique_ptr<SaslCluster> s(new SaslCluster);
  for (const SaslUser& u : options.users)
    if (u.name.empty() || u.name.find_first_of("\"\\ =;") != std::string::npos ||
        u.password.find_first_of("\"\\") != std::string::npos)
      return Error(Errc::bad_arguments, "SASL test user \"" + u.name + "\": names and passwords may not hold quotes, "
                                        "backslashes (or, in names, spaces, '=' and ';')");
  s->users_ = options.users;
  std::string pattern = (fs::temp_directory_path() / "zkit-sasl-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return Error(Errc::bad_arguments, "cannot create a temporary directory for JAAS");
  s->dir_ = pattern;
  s->jaas_ = s->dir_ + "/jaas.conf";

  ClusterOptions& c = options.cluster;
  std::string jaas = "Server {\n";
  if (options.kerberos) {
    auto kdc = Kdc::start({.principals = {kServerPrincipal, kClientPrincipal}});
    if (!kdc) return std::move(kdc).error();
    s->kdc_ = std::move(kdc).value();
    // This process's Kerberos library (the client side of the tests) finds the KDC here.
    ::setenv("KRB5_CONFIG", s->kdc_->krb5_conf().c_str(), 1);
    jaas += "  com.sun.security.auth.module.Krb5LoginModule required\n  useKeyTab=true\n  keyTab=" +
            quoted(s->kdc_->keytab(kServerPrincipal)) + "\n  storeKey=true\n  useTicketCache=false\n  principal=" +
            quoted(s->kdc_->full_name(kServerPrincipal)) + ";\n";
    c.jvm_options.push_back("-Djava.security.krb5.conf=" + s->kdc_->krb5_conf());
  } else {
    jaas += "  org.apache.zookeeper.server.auth.DigestLoginModule required";
    for (const SaslUser& u : options.users) jaas += "\n  user_" + u.name + "=" + quoted(u.password);
    jaas += ";\n";
  }
  jaas += "};\n";
  std::ofstream(s->jaas_) << jaas;
  c.jvm_options.push_back("-Djava.security.auth.login.config=" + s->jaas_);
  c.config_lines.push_back("authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
  if (options.enforce) {
    c.config_lines.push_back("enforce.auth.enabled=true");
    c.config_lines.push_back("enforce.auth.schemes=sasl");
  }
  auto cluster = Cluster::start(c);
  if (!cluster) return std::move(cluster).error();
  s->cluster_ = std::move(cluster).value();
  return s;
}

SaslCluster::~SaslCluster() {
  cluster_.reset();
  kdc_.reset();
  if (dir_.empty() || std::getenv("ZKIT_KEEP_TEST_DIRS")) return;
  std::error_code ec;  // best effort
  fs::remove_all(dir_, ec);
}

SaslOptions SaslCluster::digest(const std::string& user) const {
  SaslOptions o{.mechanism = SaslMechanism::digest_md5, .user = user};
  for (const SaslUser& u : users_)
    if (u.name == user) o.password = u.password;
  return o;
}

SaslOptions SaslCluster::gssapi() const {
  SaslOptions o{.mechanism = SaslMechanism::gssapi};
  if (kdc_) {
    o.keytab = kdc_->keytab(kClientPrincipal);
    o.credential_cache = kdc_->directory() + "/client.ccache";
  }
  return o;
}

}  // namespace zkit::testing
