// net::rebalance: where a connected session should go when its server list changes, so that
// load spreads onto added servers and leaves removed ones without every client reconnecting:
// ZooKeeper's probabilistic algorithm (ZOOKEEPER-1355, what the Java client's
// StaticHostProvider.updateServerList and the C client's zoo_set_servers do).
//
// With S servers in the old list, and the new list made of `kept` servers of the old list and
// `added` new ones (N = kept + added):
// - the list grew (N > S): a client whose server is kept moves, with probability 1 - S/N, to
//   an added server; one whose server was removed moves to an added server;
// - otherwise: a client whose server is kept stays; one whose server was removed moves to a
//   kept server with probability kept * (S - N) / (N * (S - kept)), else to an added one.
// Each server then expects N-th of the clients, in expectation, with the fewest moves.
#pragma once

#include <vector>

#include "zkit/options.hpp"

namespace zkit::net {

struct Rebalance {
  bool move = false;
  // When moving: the servers to pick the next one from (at random).
  std::vector<HostPort> candidates;
};

// `current`: the server the session is connected to (null: not connected, nothing to move).
// `unit_random` is in [0, 1).
Rebalance rebalance(const std::vector<HostPort>& old_hosts, const std::vector<HostPort>& new_hosts,
                    const HostPort* current, double unit_random);

}  // namespace zkit::net
