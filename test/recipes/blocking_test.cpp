// The recipes from thread-based code: Client::run and the blocking Mutex, against the real
// server, with no loop or coroutine in the test's own code.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "clients.hpp"
#include "support.hpp"
#include "zkit/recipes/blocking/leader_latch.hpp"
#include "zkit/recipes/blocking/mutex.hpp"

namespace zkit::recipes::test {
namespace {

Task<Result<std::int32_t>> child_count(Session& s, std::string path) {
  auto r = co_await s.get_all_children_number(path);
  co_return r;
}

TEST_CASE("Client::run runs a task on the client's session and returns its result") {
  Client c = open_client();
  std::string path = unique_path("run");
  REQUIRE(c.create(path, "").ok());
  REQUIRE(c.create(path + "/a", "").ok());
  REQUIRE(c.create(path + "/b", "").ok());
  auto n = c.run([&](Session& s) { return child_count(s, path); });
  REQUIRE_MESSAGE(n.ok(), n.error().message());
  CHECK(*n == 2);
  c.close();
  CHECK(c.run([&](Session& s) { return child_count(s, path); }).code() == Errc::closing);
}

TEST_CASE("two threads contending for a blocking Mutex take turns, with increasing fencing tokens") {
  std::string path = unique_path("blocking-mutex");
  constexpr int kRounds = 5;
  std::mutex mu;
  std::vector<FencingToken> tokens;  // in the order the lock was granted
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::atomic<int> failures{0};

  auto worker = [&] {
    Client c = open_client();
    blocking::Mutex lock(c, path);
    for (int i = 0; i < kRounds; ++i) {
      auto held = lock.acquire(scaled(20s));
      if (!held) {
        ++failures;
        continue;
      }
      if (inside.fetch_add(1) != 0) overlapped = true;
      {
        std::lock_guard g(mu);
        tokens.push_back(held->token());
      }
      // A write through the same client while holding: the other thread waits meanwhile.
      (void)c.set(path, std::to_string(held->token().zxid));
      inside.fetch_sub(1);
      Result<void> released = held->release();
      if (!released) ++failures;
    }
    CHECK(!lock.is_held());
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();

  CHECK(failures.load() == 0);
  CHECK(!overlapped.load());
  REQUIRE(tokens.size() == 2 * kRounds);
  for (std::size_t i = 1; i < tokens.size(); ++i) CHECK(tokens[i - 1] < tokens[i]);
}

TEST_CASE("a blocking Mutex times out while another client holds it, and the guard releases on destruction") {
  std::string path = unique_path("blocking-timeout");
  Client holder_client = open_client();
  Client waiter_client = open_client();
  blocking::Mutex holder(holder_client, path);
  blocking::Mutex waiter(waiter_client, path);
  {
    auto held = holder.acquire(scaled(10s));
    REQUIRE_MESSAGE(held.ok(), held.error().message());
    CHECK(holder.is_held());
    CHECK(waiter.acquire(200ms).code() == Errc::request_timeout);
  }
  CHECK(!holder.is_held());
  auto now_mine = waiter.acquire(scaled(10s));
  REQUIRE_MESSAGE(now_mine.ok(), now_mine.error().message());
  CHECK(now_mine->token() > FencingToken{});
}

TEST_CASE("blocking LeaderLatch: the first leads, the second takes over after close, listeners on the client's thread") {
  std::string path = unique_path("blocking-latch");
  // Declared before the latches: the listener may run until the latch is closed.
  std::mutex mu;
  std::vector<OwnershipEvent> first_events, second_events;
  std::vector<std::thread::id> listener_threads;
  Client first_client = open_client();
  Client second_client = open_client();
  blocking::LeaderLatch first(first_client, path, "first");
  blocking::LeaderLatch second(second_client, path, "second");
  auto added = second.add_listener([&](OwnershipEvent e) {
    std::lock_guard g(mu);
    second_events.push_back(e);
    listener_threads.push_back(std::this_thread::get_id());
  });
  REQUIRE(added.ok());
  REQUIRE(first.add_listener([&](OwnershipEvent e) {
                   std::lock_guard g(mu);
                   first_events.push_back(e);
                 })
              .ok());

  REQUIRE(first.start().ok());
  CHECK(!first.node_path().empty());  // in the election once start() returns
  auto alone = first.participants();
  REQUIRE(alone.ok());
  CHECK(alone->size() == 1);
  auto first_term = first.await_leadership(scaled(10s));
  REQUIRE_MESSAGE(first_term.ok(), first_term.error().message());
  CHECK(first.has_leadership());
  CHECK(first.token() == *first_term);
  CHECK(!first.node_path().empty());

  REQUIRE(second.start().ok());
  CHECK(second.await_leadership(200ms).code() == Errc::request_timeout);
  CHECK(!second.has_leadership());
  auto everyone = second.participants();
  REQUIRE(everyone.ok());
  REQUIRE(everyone->size() == 2);
  CHECK((*everyone)[0].id == "first");
  CHECK((*everyone)[0].is_leader);

  REQUIRE(first.close().ok());
  CHECK(!first.has_leadership());
  CHECK(first.node_path().empty());
  {
    std::lock_guard g(mu);
    CHECK(first_events == std::vector<OwnershipEvent>{OwnershipEvent::acquired});  // close() is no loss
  }
  auto second_term = second.await_leadership(scaled(10s));
  REQUIRE_MESSAGE(second_term.ok(), second_term.error().message());
  CHECK(*second_term > *first_term);

  {
    std::lock_guard g(mu);
    REQUIRE(!second_events.empty());
    CHECK(second_events.front() == OwnershipEvent::acquired);
    for (auto id : listener_threads) CHECK(id != std::this_thread::get_id());
  }
  REQUIRE(second.close().ok());
}

}  // namespace
}  // namespace zkit::recipes::test
