// The data recipes' test binary: doctest's main, and the one ZooKeeper server its cases share.
//
// The server allows TTL nodes (zookeeper.extendedTypesEnabled) and reaps empty containers and
// expired TTL nodes every 200 ms (znode.container.checkIntervalMs), so PersistentTtlNode can be
// seen to expire within a test. Sessions get 1-10 s timeouts (tickTime 500).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <memory>

#include "zkit/testing/cluster.hpp"

namespace zkit::recipes::test {

zkit::testing::Cluster& data_server() {
  static std::unique_ptr<zkit::testing::Cluster> server = [] {
    zkit::testing::ClusterOptions o;
    o.size = 1;
    o.tick_ms = 500;
    o.jvm_options = {"-Dzookeeper.extendedTypesEnabled=true", "-Dznode.container.checkIntervalMs=200"};
    auto c = zkit::testing::Cluster::start(o);
    if (!c) FAIL("cannot start ZooKeeper: " << c.error().message());
    return std::move(c).value();
  }();
  return *server;
}

}  // namespace zkit::recipes::test
