// Recipes keep working when the Session they were made with is moved (into another variable, a
// container that reallocates) and the moved-from object is destroyed: they hold their own
// borrowed handle (Session::borrow()), never the address of the user's object.
#include <doctest/doctest.h>

#include <vector>

#include "support.hpp"
#include "zkit/recipes/barriers/double_barrier.hpp"
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/recipes/values/atomic_long.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::recipes::test;

TEST_SUITE("recipes") {

TEST_CASE("recipes made on a Session keep working after it is moved and the moved-from object is gone") {
  Loop loop;
  std::vector<Session> sessions;
  sessions.push_back(connect(loop));
  const std::string base = unique_path("session-move");
  Mutex lock(sessions[0], base + "/lock");
  LeaderLatch latch(sessions[0], base + "/latch", "a");
  AtomicLong counter(sessions[0], base + "/counter");
  DoubleBarrier alone(sessions[0], base + "/barrier", 1);
  REQUIRE(run(loop, latch.start()).ok());

  // Moved into a variable, and the vector's element (the moved-from object) destroyed.
  Session moved = std::move(sessions[0]);
  sessions.clear();
  sessions.shrink_to_fit();

  auto held = run(loop, lock.acquire(scaled(10s)));
  REQUIRE_MESSAGE(held.ok(), held.error().message());
  auto led = run(loop, latch.await_leadership(scaled(10s)));
  REQUIRE_MESSAGE(led.ok(), led.error().message());
  CHECK(*led);
  auto bumped = run(loop, counter.increment());
  REQUIRE_MESSAGE(bumped.ok(), bumped.error().message());
  CHECK(bumped->post_value == 1);
  REQUIRE(run(loop, alone.enter(scaled(10s))).ok());
  REQUIRE(run(loop, alone.leave(scaled(10s))).ok());

  // Moved again while a lock is held: releasing it goes through the recipe's own handle.
  Session again = std::move(moved);
  REQUIRE(run(loop, lock.release()).ok());
  CHECK(children(loop, again, base + "/lock").empty());
  run(loop, latch.close());
  CHECK(children(loop, again, base + "/latch").empty());

  // The owner still decides when the session ends: once it closed it, recipes get closing.
  close(loop, again);
  CHECK(run(loop, lock.acquire(100ms)).code() == Errc::closing);
  CHECK(run(loop, counter.get()).code() == Errc::closing);
  run(loop, lock.close());
}

TEST_CASE("a borrowed Session handle neither closes the session nor drops its listeners") {
  Loop loop;
  Session owner = connect(loop);
  int heard = 0;
  owner.add_listener([&](SessionState) { ++heard; });
  {
    Session borrowed = owner.borrow();
    CHECK(borrowed.same_session(owner));
    CHECK(borrowed.session_id() == owner.session_id());
  }  // destroyed: the session lives on
  CHECK(owner.state() == SessionState::connected);
  REQUIRE(await(loop, owner.exists("/")).ok());
  close(loop, owner);
  CHECK(heard > 0);  // its listener was still there to hear the close
}

}  // TEST_SUITE
