// zkit's Semaphore and Curator's InterProcessSemaphoreV2 on one path: the leases of both count
// against one limit.
#include <algorithm>

#include "peers.hpp"
#include "server_view.hpp"
#include "zkit/recipes/protected_create.hpp"
#include "zkit/recipes/locks/semaphore.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::interop;
using zkit::recipes::test::children;
using zkit::recipes::test::connect;
using zkit::recipes::test::run;
using zkit::recipes::test::start;
using zkit::recipes::test::unique_path;

namespace {

Task<Result<std::vector<Lease>>> stamped_acquire(Semaphore& s, std::chrono::milliseconds timeout, std::int64_t* at) {
  auto r = co_await s.acquire(1, timeout);
  *at = monotonic_ns();
  co_return r;
}

}  // namespace

TEST_SUITE("interop") {

TEST_CASE("curator semaphore: zkit and Curator leases count against one limit") {
  Loop loop;
  Session s = connect(loop);
  Session observer = connect(loop);  // the test's own view of the lease nodes
  auto curator = start_curator(loop);
  curator->call("client c1", reply_timeout());
  const std::string path = unique_path("interop-semaphore");
  curator->call("semaphore sem c1 " + path + " 2", reply_timeout());
  Semaphore slots(s, path, 2);
  // A refusal is a short acquire that times out: the waiting side tried and was kept out.
  const std::string refused_ms = std::to_string(scaled(400ms).count());
  const std::string long_ms = std::to_string(scaled(20s).count());

  // One lease each: both fit; the lease nodes are Curator's, whoever made them.
  curator->call("sem-acquire sem 1 " + long_ms, reply_timeout());
  curator->wait_event("sem-acquired sem", event_timeout());
  auto ours = run(loop, slots.acquire(1, std::chrono::milliseconds(0)));
  REQUIRE(ours.ok());
  auto leases = children(loop, s, path + "/leases");
  REQUIRE(leases.size() == 2);
  for (const auto& l : leases) {
    CHECK(is_protected_name(l));
    CHECK(strip_protection(l).starts_with("lease-"));
  }
  auto curator_view = split(curator->call("sem-participants sem", reply_timeout()), ',');
  std::sort(curator_view.begin(), curator_view.end());
  std::sort(leases.begin(), leases.end());
  CHECK(curator_view == leases);

  // Full: Curator is kept out by zkit's lease, then gets in once zkit returns it.
  curator->call("sem-acquire sem 1 " + refused_ms, reply_timeout());
  CHECK(curator->wait_event("sem-", event_timeout()) == "sem-failed sem timeout");
  curator->call("sem-acquire sem 1 " + long_ms, reply_timeout());
  wait_children(loop, observer, path + "/leases", {"lease-"}, [](const auto& k) { return k.size() == 3; }, event_timeout());
  std::int64_t zkit_returned = monotonic_ns();
  REQUIRE(run(loop, slots.release(std::move(*ours))).ok());
  std::int64_t curator_in = std::stoll(split(curator->wait_event("sem-acquired sem", event_timeout()), ' ').at(2));
  CHECK(curator_in > zkit_returned);

  // Curator holds both: zkit is kept out, then gets in once Curator returns one.
  auto refused = run(loop, slots.acquire(1, scaled(400ms)));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.code() == Errc::request_timeout);
  std::int64_t zkit_in = 0;
  auto pending = start(stamped_acquire(slots, waiter_timeout(), &zkit_in));
  wait_children(loop, observer, path + "/leases", {"lease-"}, [](const auto& k) { return k.size() == 3; }, event_timeout());
  CHECK_FALSE(pending->has_value());
  std::int64_t curator_returned = std::stoll(curator->call("sem-release sem", reply_timeout()));
  REQUIRE(loop.run_until([&] { return pending->has_value(); }, event_timeout()));
  REQUIRE((*pending)->ok());
  CHECK(zkit_in > curator_returned);
  CHECK(children(loop, s, path + "/leases").size() == 2);

  run(loop, slots.close());
  curator.reset();
  zkit::recipes::test::close(loop, s);
  zkit::recipes::test::close(loop, observer);
}

}  // TEST_SUITE
