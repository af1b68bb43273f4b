// zkit-sasl-test-server READY_FILE: a ZooKeeper with SASL DIGEST-MD5 users (JAAS) from the
// testing kit, for the CLI's security test. Writes KEY=VALUE lines (connect, user, password,
// other_user, other_password) to READY_FILE once serving, then runs until SIGTERM or SIGINT,
// and stops it.
#include <cstdio>

#include "ready_server.hpp"
#include "zkit/testing/sasl_cluster.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: zkit-sasl-test-server READY_FILE\n");
    return 2;
  }
  zkit::test_support::ReadyServer ready;  // before the servers start: their threads inherit the mask
  auto started = zkit::testing::SaslCluster::start(
      {.cluster = {.tick_ms = 500}, .users = {{"bob", "cli-b0b-pw"}, {"carol", "cli-c4rol-pw"}}});
  if (!started) {
    std::fprintf(stderr, "zkit-sasl-test-server: %s\n", started.error().message().c_str());
    return 1;
  }
  auto& zk = *started.value();
  ready.publish(argv[1], "connect=" + zk.connect_string() + "\nuser=bob\npassword=" + zk.digest("bob").password +
                             "\nother_user=carol\nother_password=" + zk.digest("carol").password + "\n");
  ready.wait_for_stop();
  return 0;
}
