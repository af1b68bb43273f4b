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

// JAAS strings are double-quoted; the kit's own values hold no quote or backslash.
std::string quoted(const std::string& v) { return "\"" + v + "\""; }

Result<void> check_users(const std::vector<SaslUser>& users) {
  for (const SaslUser& u : users)
    if (u.name.empty() || u.name.find_first_of("\"\\ =;") != std::string::npos ||
        u.password.find_first_of("\"\\") != std::string::npos)
      return Error(Errc::bad_arguments, "SASL test user \"" + u.name + "\": names and passwords may not hold quotes, "
                                        "backslashes (or, in names, spaces, '=' and ';')");
  return {};
}

// What every SASL server needs besides its JAAS Server section.
void add_sasl_provider(ClusterOptions& c, const std::string& jaas_path) {
  c.jvm_options.push_back("-Djava.security.auth.login.config=" + jaas_path);
  c.config_lines.push_back("authProvider.1=org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
}
}  // namespace

Result<void> add_digest_sasl(ClusterOptions& c, const std::string& jaas_path, const std::vector<SaslUser>& users) {
  if (auto r = check_users(users); !r) return r;
  std::string jaas = "Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required";
  for (const SaslUser& u : users) jaas += "\n  user_" + u.name + "=" + quoted(u.password);
  jaas += ";\n};\n";
  std::ofstream out(jaas_path);
  out << jaas;
  if (!out.flush()) return Error(Errc::bad_arguments, "cannot write the JAAS file " + jaas_path);
  add_sasl_provider(c, jaas_path);
  return {};
}

Result<std::unique_ptr<SaslCluster>> SaslCluster::start(SaslClusterOptions options) {
  std::unique_ptr<SaslCluster> s(new SaslCluster);
  if (auto r = check_users(options.users); !r) return std::move(r).error();
  s->users_ = options.users;
  std::string pattern = (fs::temp_directory_path() / "zkit-sasl-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return Error(Errc::bad_arguments, "cannot create a temporary directory for JAAS");
  s->dir_ = pattern;
  s->jaas_ = s->dir_ + "/jaas.conf";

  ClusterOptions& c = options.cluster;
  if (options.kerberos) {
    std::vector<std::string> principals{kServerPrincipal};
    principals.insert(principals.end(), options.kerberos_clients.begin(), options.kerberos_clients.end());
    auto kdc = Kdc::start({.principals = std::move(principals)});
    if (!kdc) return std::move(kdc).error();
    s->kdc_ = std::move(kdc).value();
    // This process's Kerberos library (the client side of the tests) finds the KDC here.
    ::setenv("KRB5_CONFIG", s->kdc_->krb5_conf().c_str(), 1);
    std::ofstream(s->jaas_) << "Server {\n  com.sun.security.auth.module.Krb5LoginModule required\n  useKeyTab=true\n"
                               "  keyTab="
                            << quoted(s->kdc_->keytab(kServerPrincipal))
                            << "\n  storeKey=true\n  useTicketCache=false\n  principal="
                            << quoted(s->kdc_->full_name(kServerPrincipal)) << ";\n};\n";
    c.jvm_options.push_back("-Djava.security.krb5.conf=" + s->kdc_->krb5_conf());
    add_sasl_provider(c, s->jaas_);
  } else if (auto r = add_digest_sasl(c, s->jaas_, options.users); !r) {
    return std::move(r).error();
  }
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

SaslOptions SaslCluster::gssapi(const std::string& principal) const {
  SaslOptions o{.mechanism = SaslMechanism::gssapi};
  if (kdc_) {
    o.keytab = kdc_->keytab(principal);
    o.credential_cache = o.keytab + ".ccache";  // one cache per principal, beside its keytab
  }
  return o;
}

}  // namespace zkit::testing
