// zkit::Timer on a loop: fires once, stop() and destruction prevent it, a restart replaces the
// earlier start, and a Timer may be destroyed from inside its own callback.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>

#include "free_watch.hpp"
#include "own_loop.hpp"
#include "zkit/timer.hpp"

using namespace std::chrono_literals;
using zkit::Timer;
using zkit::unit::OwnLoop;

TEST_CASE("a timer fires once") {
  OwnLoop loop;
  Timer t(loop.get());
  int fired = 0;
  CHECK_FALSE(t.active());
  t.start(1ms, [&] { ++fired; });
  CHECK(t.active());
  loop.run();  // returns when nothing is active: a repeating timer would never let it
  CHECK(fired == 1);
  CHECK_FALSE(t.active());
}

TEST_CASE("a zero or negative delay fires on the next loop turn, not inside start()") {
  OwnLoop loop;
  Timer t(loop.get());
  int fired = 0;
  t.start(-5ms, [&] { ++fired; });
  CHECK(fired == 0);
  loop.run();
  CHECK(fired == 1);
}

TEST_CASE("stop() prevents the callback, and so does destroying the timer") {
  OwnLoop loop;
  int fired = 0;
  Timer stopped(loop.get());
  stopped.start(0ms, [&] { ++fired; });
  stopped.stop();
  CHECK_FALSE(stopped.active());
  {
    Timer gone(loop.get());
    gone.start(0ms, [&] { ++fired; });
  }
  loop.run();
  CHECK(fired == 0);
}

TEST_CASE("a restart replaces the earlier start") {
  OwnLoop loop;
  Timer t(loop.get());
  int first = 0, second = 0;
  t.start(0ms, [&] { ++first; });
  t.start(2ms, [&] { ++second; });  // later than the first would have fired
  loop.run();
  CHECK(first == 0);
  CHECK(second == 1);
}

TEST_CASE("a timer restarted from inside its own callback fires again") {
  OwnLoop loop;
  Timer t(loop.get());
  int fired = 0;
  zkit::Function<void()> again;
  again = [&] {
    if (++fired < 3) t.start(0ms, [&] { again(); });
  };
  t.start(0ms, [&] { again(); });
  loop.run();
  CHECK(fired == 3);
}

TEST_CASE("a timer may be destroyed from inside its own callback") {
  OwnLoop loop;
  std::optional<Timer> t;
  t.emplace(loop.get());
  int fired = 0;
  auto canary = std::make_unique<int>(7);
  zkit::unit::watch_free(canary.get());
  bool alive_after_reset = false;
  t->start(0ms, [&, canary = std::move(canary)] {
    t.reset();
    // The callback's own state outlives the Timer it belonged to, until it returns.
    alive_after_reset = !zkit::unit::freed();
    fired = *canary;
  });
  loop.run();  // and its handle closes: OwnLoop checks the loop closes clean
  CHECK(fired == 7);
  CHECK(alive_after_reset);
  CHECK(zkit::unit::freed());
  CHECK_FALSE(t.has_value());
}

TEST_CASE("a moved timer keeps its start") {
  OwnLoop loop;
  Timer a(loop.get());
  int fired = 0;
  a.start(0ms, [&] { ++fired; });
  Timer b(std::move(a));
  CHECK(b.active());
  Timer c(loop.get());
  c = std::move(b);
  loop.run();
  CHECK(fired == 1);
}
