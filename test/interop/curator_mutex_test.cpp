// zkit's Mutex and Curator's InterProcessMutex on one path: one protocol, one holder at a time.
#include <algorithm>

#include "peers.hpp"
#include "server_view.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/recipes/protected_create.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::interop;
using zkit::recipes::test::connect;
using zkit::recipes::test::run;
using zkit::recipes::test::sleep_for;
using zkit::recipes::test::start;
using zkit::recipes::test::unique_path;

namespace {

// A hold of the lock: [in, out] in CLOCK_MONOTONIC nanoseconds.
struct Hold {
  std::int64_t in = 0, out = 0;
  char who = '?';  // 'z' zkit, 'c' Curator
};

// zkit's side of the contention rounds.
Task<void> zkit_rounds(Mutex& m, uv_loop_t* loop, int rounds, std::chrono::milliseconds hold, std::vector<Hold>* held,
                       int* failures, bool* done) {
  for (int i = 0; i < rounds; ++i) {
    auto token = co_await m.acquire(scaled(20s));
    if (!token) {
      ++*failures;
      break;
    }
    Hold h{monotonic_ns(), 0, 'z'};
    co_await sleep_for(loop, hold);  // the work done under the lock
    h.out = monotonic_ns();
    held->push_back(h);
    if (!co_await m.release()) ++*failures;
  }
  *done = true;
}

std::int64_t number_after(const std::string& event, std::size_t word) {
  return std::stoll(split(event, ' ').at(word));
}

std::string name_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

}  // namespace

TEST_SUITE("interop") {

TEST_CASE("curator mutex: zkit and InterProcessMutex exclude each other on one path") {
  Loop loop;
  Session s = connect(loop);
  Session observer = connect(loop);  // the test's own view of the lock's nodes
  auto curator = start_curator(loop);
  std::int64_t curator_session = std::stoll(curator->call("client c1", reply_timeout()), nullptr, 16);
  const std::string path = unique_path("interop-mutex");
  curator->call("mutex m c1 " + path, reply_timeout());
  Mutex zm(s, path);

  // 1. zkit holds; Curator queues behind it, watches zkit's node and waits for the release.
  auto token = run(loop, zm.acquire(scaled(10s)));
  REQUIRE(token.ok());
  const std::string zkit_node = zm.node_path();
  curator->call("acquire m " + std::to_string(scaled(20s).count()), reply_timeout());
  auto kids = wait_children(loop, observer, path, {"lock-"}, [](const auto& k) { return k.size() == 2; }, event_timeout());
  CHECK(kids[0] == name_of(zkit_node));
  // Curator's node, as zkit reads it: _c_<uuid>-lock-<seq>, after ours.
  CHECK(is_protected_name(kids[1]));
  CHECK(strip_protection(kids[1]).starts_with("lock-"));
  CHECK(strip_protection(kids[1]).size() == 15);
  // Curator waits the way zkit does: a watch on the node just before its own.
  REQUIRE_MESSAGE(wait_server_watch(loop, zkit_node, curator_session, event_timeout()),
                  "Curator never watched zkit's lock node");
  // Curator lists zkit's node as a participant, first.
  auto curator_view = split(curator->call("lock-participants m", reply_timeout()), ',');
  REQUIRE(curator_view.size() == 2);
  CHECK(curator_view[0] == zkit_node);
  CHECK(curator_view[1] == path + "/" + kids[1]);
  CHECK(curator->call("held m", reply_timeout()) == "false");
  CHECK_FALSE(curator->has_event("acquired m"));
  std::int64_t zkit_released = monotonic_ns();
  REQUIRE(run(loop, zm.release()).ok());
  std::int64_t curator_in = number_after(curator->wait_event("acquired m", event_timeout()), 2);
  CHECK(curator_in > zkit_released);
  CHECK(curator->call("lock-node m", reply_timeout()) == path + "/" + kids[1]);

  // 2. Curator holds; zkit queues behind it, watches Curator's node and waits for the release.
  std::int64_t zkit_in = 0;
  auto pending = start(stamped_acquire(zm, waiter_timeout(), &zkit_in));
  kids = wait_children(loop, observer, path, {"lock-"}, [](const auto& k) { return k.size() == 2; }, event_timeout());
  const std::string curator_node = path + "/" + kids[0];
  REQUIRE_MESSAGE(wait_server_watch(loop, curator_node, s.session_id(), event_timeout()),
                  "zkit never watched Curator's lock node");
  curator_view = split(curator->call("lock-participants m", reply_timeout()), ',');
  REQUIRE(curator_view.size() == 2);
  CHECK(curator_view[0] == curator_node);
  CHECK(curator_view[1] == path + "/" + kids[1]);  // zkit's waiting node, as Curator lists it
  CHECK_FALSE(pending->has_value());
  CHECK_FALSE(zm.is_held());
  curator->call("release m", reply_timeout());
  std::int64_t curator_out = number_after(curator->wait_event("released m", event_timeout()), 2);
  REQUIRE(loop.run_until([&] { return pending->has_value(); }, event_timeout()));
  REQUIRE((*pending)->ok());
  CHECK(zkit_in > curator_out);
  CHECK(zm.node_path() == path + "/" + kids[1]);
  CHECK((**pending).value() > token.value());  // the fencing token grew across the two clients
  REQUIRE(run(loop, zm.release()).ok());

  // 3. Both sides loop acquire / hold / release at once: no two holds overlap.
  constexpr int kRounds = 8;
  const auto hold = 15ms;
  std::vector<Hold> held;
  int failures = 0;
  bool zkit_done = false;
  curator->call("rounds m " + std::to_string(kRounds) + " " + std::to_string(hold.count()) + " " +
                    std::to_string(scaled(20s).count()),
                reply_timeout());
  spawn(zkit_rounds(zm, loop.get(), kRounds, hold, &held, &failures, &zkit_done));
  REQUIRE(loop.run_until([&] { return zkit_done && curator->has_event("rounds-"); }, scaled(60s)));
  CHECK(failures == 0);
  CHECK_FALSE(curator->has_event("rounds-failed"));
  while (auto e = curator->take_event("held m")) held.push_back({number_after(*e, 2), number_after(*e, 3), 'c'});
  REQUIRE(held.size() == 2 * kRounds);
  std::sort(held.begin(), held.end(), [](const Hold& a, const Hold& b) { return a.in < b.in; });
  int handovers = 0;
  for (std::size_t i = 1; i < held.size(); ++i) {
    CHECK_MESSAGE(held[i - 1].out <= held[i].in, "holds " << i - 1 << " (" << held[i - 1].who << ") and " << i << " ("
                                                          << held[i].who << ") overlap");
    if (held[i].who != held[i - 1].who) ++handovers;
  }
  MESSAGE("handovers between zkit and Curator: " << handovers << " of " << held.size() - 1);
  // A queue serves in order: each side, contending again at once, gets the lock after the other.
  CHECK(handovers >= kRounds);

  run(loop, zm.close());
  curator.reset();
  zkit::recipes::test::close(loop, s);
  zkit::recipes::test::close(loop, observer);
}

}  // TEST_SUITE
