// zkit-tls-test-server READY_FILE: a TLS ZooKeeper (ssl.clientAuth=need) from the testing kit
// for the CLI's security test. Writes KEY=VALUE lines (connect, plain, ca, cert, key,
// identity) to READY_FILE once serving, then runs until SIGTERM or SIGINT, and stops it.
#include <cstdio>

#include "ready_server.hpp"
#include "zkit/testing/tls_cluster.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: zkit-tls-test-server READY_FILE\n");
    return 2;
  }
  zkit::test_support::ReadyServer ready;  // before the servers start: their threads inherit the mask
  auto started = zkit::testing::TlsCluster::start({.cluster = {.tick_ms = 500}, .client_auth = "need"});
  if (!started) {
    std::fprintf(stderr, "zkit-tls-test-server: %s\n", started.error().message().c_str());
    return 1;
  }
  auto& zk = *started.value();
  const auto& f = zk.files();
  ready.publish(argv[1], "connect=" + zk.connect_string() + "\nplain=" + zk.plain_connect_string() + "\nca=" + f.ca +
                             "\ncert=" + f.client_cert + "\nkey=" + f.client_key + "\nother_ca=" + f.other_ca +
                             "\nidentity=" + f.client_identity + "\n");
  ready.wait_for_stop();
  return 0;
}
