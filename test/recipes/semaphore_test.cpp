// Semaphore against a real server: never more than N leases, multi-lease acquisitions,
// timeouts, and Curator's InterProcessSemaphoreV2 layout.
#include <algorithm>

#include "support.hpp"
#include "zkit/recipes/protected_create.hpp"
#include "zkit/recipes/locks/semaphore.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::recipes::test;

namespace {

struct Tally {
  int holding = 0;
  int most = 0;
  int grants = 0;
  int finished = 0;
  int failures = 0;
};

Task<void> use_slot(Semaphore& sem, uv_loop_t* loop, int rounds, Tally& tally) {
  for (int i = 0; i < rounds; ++i) {
    auto leases = co_await sem.acquire(1, scaled(30s));
    if (!leases) {
      MESSAGE("acquire failed: " << leases.error().message());
      ++tally.failures;
      break;
    }
    tally.holding += static_cast<int>(leases->size());
    tally.most = std::max(tally.most, tally.holding);
    ++tally.grants;
    co_await sleep_for(loop, 60ms);
    tally.holding -= static_cast<int>(leases->size());
    auto returned = co_await sem.release(std::move(*leases));
    if (!returned) ++tally.failures;
  }
  ++tally.finished;
}

}  // namespace

TEST_SUITE("recipes") {

TEST_CASE("semaphore: 5 contenders on 3 leases never hold more than 3 at once") {
  Loop loop;
  constexpr int kContenders = 5, kRounds = 4;
  std::vector<Session> sessions;
  for (int i = 0; i < kContenders; ++i) sessions.push_back(connect(loop));
  std::string path = unique_path("semaphore");
  std::vector<Semaphore> sems;
  for (auto& s : sessions) sems.emplace_back(s, path, 3);
  Tally tally;
  // The server's view as well: sample the leases while they run.
  int most_nodes = 0;
  for (int i = 0; i < kContenders; ++i) spawn(use_slot(sems[i], loop.get(), kRounds, tally));
  REQUIRE(loop.run_until(
      [&] {
        auto kids = await(loop, sessions[0].get_children(path + "/leases"));
        if (kids) most_nodes = std::max(most_nodes, static_cast<int>(kids->names.size()));
        return tally.finished == kContenders;
      },
      scaled(60s)));
  CHECK(tally.failures == 0);
  CHECK(tally.grants == kContenders * kRounds);
  CHECK(tally.most <= 3);
  CHECK(tally.most >= 2);  // leases are really shared
  CHECK(most_nodes <= 4);  // at most 3 held plus the one waiting acquirer's
  CHECK(children(loop, sessions[0], path + "/leases").empty());
  for (auto& s : sems) run(loop, s.close());
  for (auto& s : sessions) close(loop, s);
}

TEST_CASE("semaphore: multi-lease acquisitions, timeouts and the V2 layout") {
  Loop loop;
  Session a = connect(loop), b = connect(loop);
  std::string path = unique_path("semaphore-multi");
  Semaphore sa(a, path, 3), sb(b, path, 3);
  auto two = run(loop, sa.acquire(2));
  REQUIRE(two.ok());
  REQUIRE(two->size() == 2);
  CHECK((*two)[0].token < (*two)[1].token);
  for (const auto& n : children(loop, a, path + "/leases")) {
    CHECK(is_protected_name(n));
    CHECK(strip_protection(n).starts_with("lease-"));
  }
  CHECK(children(loop, a, path + "/locks").empty());  // the inner lock is only held while adding
  CHECK(sa.leases_held() == 2);

  CHECK(run(loop, sb.acquire(4)).code() == Errc::bad_arguments);
  CHECK(run(loop, sb.acquire(2, 300ms)).code() == Errc::request_timeout);
  CHECK(children(loop, a, path + "/leases").size() == 2);  // the failed attempt left nothing
  auto one = run(loop, sb.acquire(1, scaled(2s)));
  REQUIRE(one.ok());

  // A waiter for 2 gets them once enough are returned.
  auto waiting = start(sb.acquire(2));
  loop.run_for(150ms);
  CHECK(!waiting->has_value());
  REQUIRE(run(loop, sa.release((*two)[0])).ok());
  loop.run_for(150ms);
  CHECK(!waiting->has_value());  // one of its two is granted; the second still waits
  REQUIRE(run(loop, sa.release((*two)[1])).ok());
  REQUIRE(loop.run_until([&] { return waiting->has_value(); }));
  REQUIRE((*waiting)->ok());
  CHECK(sb.leases_held() == 3);
  CHECK(sa.leases_held() == 0);
  run(loop, sb.close());  // returns all three
  CHECK(children(loop, a, path + "/leases").empty());
  run(loop, sa.close());
  close(loop, a);
  close(loop, b);
}

}  // TEST_SUITE
