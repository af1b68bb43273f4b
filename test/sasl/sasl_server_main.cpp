// zkit-sasl-test-server READY_FILE: ZooKeeper servers with SASL from the testing kit, for the
// CLI's security test: one with DIGEST-MD5 users (JAAS), one with GSSAPI and an MIT KDC.
// Writes KEY=VALUE lines (connect, user, password, other_user, other_password; krb_connect,
// krb5_conf, keytab, principal) to READY_FILE once serving, then runs until SIGTERM or SIGINT,
// and stops them.
#include <cstdio>

#include "ready_server.hpp"
#include "zkit/testing/sasl_cluster.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: zkit-sasl-test-server READY_FILE\n");
    return 2;
  }
  zkit::test_support::ReadyServer ready;  // before the servers start: their threads inherit the mask
  auto digest = zkit::testing::SaslCluster::start(
      {.cluster = {.tick_ms = 500}, .users = {{"bob", "cli-b0b-pw"}, {"carol", "cli-c4rol-pw"}}});
  if (!digest) {
    std::fprintf(stderr, "zkit-sasl-test-server: %s\n", digest.error().message().c_str());
    return 1;
  }
  auto kerberos = zkit::testing::SaslCluster::start({.cluster = {.tick_ms = 500}, .kerberos = true});
  if (!kerberos) {
    std::fprintf(stderr, "zkit-sasl-test-server: %s\n", kerberos.error().message().c_str());
    return 1;
  }
  auto& zk = *digest.value();
  auto& krb = *kerberos.value();
  ready.publish(argv[1], "connect=" + zk.connect_string() + "\nuser=bob\npassword=" + zk.digest("bob").password +
                             "\nother_user=carol\nother_password=" + zk.digest("carol").password +
                             "\nkrb_connect=" + krb.connect_string() + "\nkrb5_conf=" + krb.kdc()->krb5_conf() +
                             "\nkeytab=" + krb.gssapi().keytab + "\nprincipal=" + krb.kdc()->full_name("zkit-client") +
                             "\nkdc_dir=" + krb.kdc()->directory() + "\n");
  ready.wait_for_stop();
  return 0;
}
