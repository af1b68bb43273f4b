#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "net/host_list.hpp"
#include "net/rebalance.hpp"

using zkit::HostPort;
using zkit::net::rebalance;

namespace {

std::vector<HostPort> servers(std::initializer_list<int> ports) {
  std::vector<HostPort> out;
  for (int p : ports) out.push_back(HostPort{"127.0.0.1", static_cast<std::uint16_t>(p)});
  return out;
}

// Spreads `clients` evenly over `before`, applies the server-list change to each with its own
// random draws, and returns how many clients each server has afterwards.
std::map<std::uint16_t, int> spread_after(const std::vector<HostPort>& before, const std::vector<HostPort>& after,
                                          int clients, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::map<std::uint16_t, int> count;
  for (int c = 0; c < clients; ++c) {
    HostPort at = before[static_cast<std::size_t>(c) % before.size()];
    auto r = rebalance(before, after, &at, unit(rng));
    if (r.move) {
      REQUIRE_FALSE(r.candidates.empty());
      at = r.candidates[rng() % r.candidates.size()];
    }
    ++count[at.port];
  }
  return count;
}

}  // namespace

TEST_CASE("rebalancing after growth moves about the new members' share onto them, and no more") {
  std::mt19937_64 rng(7);
  constexpr int kClients = 30000;
  auto three = servers({1, 2, 3});
  auto five = servers({1, 2, 3, 4, 5});
  auto spread = spread_after(three, five, kClients, rng);
  // Each of 5 servers expects 6000; a binomial spread of this size stays within 3 %.
  for (const auto& entry : spread) {
    // Not a structured binding: clang-14 cannot capture one, and CAPTURE captures.
    const auto port = entry.first;
    const auto n = entry.second;
    CAPTURE(port);
    CHECK(n > 6000 * 0.97);
    CHECK(n < 6000 * 1.03);
  }
  // A client whose server stays, in a list that did not grow, never moves.
  HostPort two{"127.0.0.1", 2};
  CHECK_FALSE(rebalance(three, servers({1, 2}), &two, 0.0).move);
  CHECK_FALSE(rebalance(three, three, &two, 0.0).move);
}

TEST_CASE("rebalancing after shrinking empties the removed members and spreads their clients evenly") {
  std::mt19937_64 rng(11);
  constexpr int kClients = 30000;
  auto five = servers({1, 2, 3, 4, 5});
  auto three = servers({1, 2, 3});
  auto spread = spread_after(five, three, kClients, rng);
  CHECK(spread.count(4) == 0);
  CHECK(spread.count(5) == 0);
  for (const auto& entry : spread) {
    // Not a structured binding: clang-14 cannot capture one, and CAPTURE captures.
    const auto port = entry.first;
    const auto n = entry.second;
    CAPTURE(port);
    CHECK(n > 10000 * 0.97);
    CHECK(n < 10000 * 1.03);
  }
  // Replaced members (same size, one out, one in): the removed one's clients go to the new one.
  HostPort gone{"127.0.0.1", 3};
  auto r = rebalance(three, servers({1, 2, 9}), &gone, 0.5);
  REQUIRE(r.move);
  CHECK(r.candidates == servers({9}));
  // Not connected: nothing to move.
  CHECK_FALSE(rebalance(three, five, nullptr, 0.0).move);
}
