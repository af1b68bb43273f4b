// The smallest program a zkit user writes: a throwaway server from the testing kit, a blocking
// Client on it, a write and a read, and a recipe type (a fencing guard fed the node's czxid).
// Built against an installed zkit three ways by packaging_test.sh; prints "consumer ok DATA".
#include <cstdio>

#include "zkit/client.hpp"
#include "zkit/recipes/fencing.hpp"
#include "zkit/testing/cluster.hpp"

int main() {
  auto cluster = zkit::testing::Cluster::start();
  if (!cluster) return std::fprintf(stderr, "cluster: %s\n", cluster.error().message().c_str()), 1;
  auto client = zkit::Client::open({.connect = (*cluster)->connect_string()});
  if (!client) return std::fprintf(stderr, "open: %s\n", client.error().message().c_str()), 1;
  auto made = client->create("/consumer", "from an installed zkit");
  if (!made) return std::fprintf(stderr, "create: %s\n", made.error().message().c_str()), 1;
  auto read = client->get("/consumer");
  if (!read) return std::fprintf(stderr, "get: %s\n", read.error().message().c_str()), 1;
  zkit::recipes::FenceGuard guard;
  zkit::recipes::FencingToken token{read->stat.czxid};
  if (!guard.admit(token)) return std::fprintf(stderr, "the fence refused the first token\n"), 1;
  std::printf("consumer ok %s\n", read->data.c_str());
  return 0;
}
