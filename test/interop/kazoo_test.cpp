// zkit next to kazoo (python3-kazoo): writes and watches seen in order both ways, transactions
// all or nothing, a kazoo ephemeral gone with its session, and kazoo's Barrier against zkit's.
// (kazoo's Lock uses its own node names, not Curator's: kazoo_lock_test.cpp runs it against
// zkit's Mutex with LockLayout::kazoo.)
#include "peers.hpp"
#include "server_view.hpp"
#include "zkit/multi.hpp"
#include "zkit/recipes/barriers/barrier.hpp"
#include "zkit/recipes/values/shared_counter.hpp"

using namespace zkit;
using namespace zkit::interop;
using zkit::recipes::test::await;
using zkit::recipes::test::connect;
using zkit::recipes::test::run;
using zkit::recipes::test::start;
using zkit::recipes::test::unique_path;

namespace {

struct Seen {
  EventType type;
  std::string path;
  friend bool operator==(const Seen&, const Seen&) = default;
};

std::string describe(const std::vector<Seen>& all) {
  std::string out;
  for (const auto& s : all) out += "\n  " + std::string(to_string(s.type)) + " " + s.path;
  return out;
}

}  // namespace

TEST_SUITE("interop") {

TEST_CASE("kazoo: writes and watches are seen in order both ways") {
  Loop loop;
  Session s = connect(loop);
  auto kazoo = start_kazoo(loop);
  const std::string p = unique_path("interop-kazoo");
  REQUIRE(await(loop, s.create(p, "")).ok());

  // kazoo writes a burst (sent at once, applied in order); zkit's persistent recursive watch
  // reports every change, in that order.
  std::vector<Seen> seen;
  auto watch = await(loop, s.add_watch(p, WatchMode::persistent_recursive, [&](const WatchEvent& e) {
    if (e.type != EventType::none) seen.push_back({e.type, e.path});
  }));
  REQUIRE(watch.ok());
  kazoo->call("pipeline create:" + p + "/a:1;set:" + p + "/a:2;create:" + p + "/b:x;set:" + p + "/a:3;delete:" + p +
                  "/b;delete:" + p + "/a",
              reply_timeout());
  const std::vector<Seen> expected = {
      {EventType::node_created, p + "/a"},      {EventType::node_data_changed, p + "/a"},
      {EventType::node_created, p + "/b"},      {EventType::node_data_changed, p + "/a"},
      {EventType::node_deleted, p + "/b"},      {EventType::node_deleted, p + "/a"},
  };
  REQUIRE(loop.run_until([&] { return seen.size() >= expected.size(); }, event_timeout()));
  CHECK_MESSAGE(seen == expected, "zkit saw:" << describe(seen));

  // zkit writes; kazoo's watch (one-shot, re-armed on each event) sees every value in order.
  const std::string w = p + "/w";
  REQUIRE(await(loop, s.create(w, "v0")).ok());
  CHECK(kazoo->call("watch " + w, reply_timeout()) == "v0 0");
  for (int i = 1; i <= 5; ++i) {
    REQUIRE(await(loop, s.set(w, "v" + std::to_string(i), i - 1)).ok());
    CHECK(kazoo->wait_event("changed " + w, event_timeout()) == "changed " + w + " CHANGED");
    CHECK(kazoo->wait_event("value " + w, event_timeout()) ==
          "value " + w + " v" + std::to_string(i) + " " + std::to_string(i));
  }
  REQUIRE(await(loop, s.remove(w)).ok());
  CHECK(kazoo->wait_event("changed " + w, event_timeout()) == "changed " + w + " DELETED");
  seen.clear();

  // zkit's transaction is all or nothing for kazoo: a failed one leaves nothing; when kazoo's
  // watch on the first node fires, the second exists already.
  const std::string m1 = p + "/m1", m2 = p + "/m2";
  CHECK(kazoo->call("watch-atomic " + m1 + " " + m2, reply_timeout()) == "false");
  std::vector<TxnOp> failing = {TxnOp::create(m1, "1"), TxnOp::create(m2, "2"), TxnOp::check(p, 99)};
  auto r = await(loop, s.multi(failing));
  REQUIRE(r.ok());
  CHECK_FALSE(r->committed);
  CHECK(kazoo->call("children " + p, reply_timeout()) == "-");
  std::vector<TxnOp> passing = {TxnOp::create(m1, "1"), TxnOp::create(m2, "2"), TxnOp::check(p, -1)};
  r = await(loop, s.multi(passing));
  REQUIRE(r.ok());
  CHECK(r->committed);
  CHECK(kazoo->wait_event("atomic " + m1, event_timeout()) == "atomic " + m1 + " CREATED true");
  CHECK(kazoo->call("children " + p, reply_timeout()) == "m1,m2");
  // The failed transaction fired nothing on zkit's side either: only the committed creates.
  REQUIRE(loop.run_until([&] { return seen.size() >= 2; }, event_timeout()));
  CHECK_MESSAGE((seen == std::vector<Seen>{{EventType::node_created, m1}, {EventType::node_created, m2}}),
                "zkit saw:" << describe(seen));

  kazoo.reset();
  zkit::recipes::test::close(loop, s);
}

TEST_CASE("kazoo: an ephemeral node vanishes for zkit when kazoo's session closes") {
  Loop loop;
  Session s = connect(loop);
  auto kazoo = start_kazoo(loop);
  std::int64_t kazoo_session = std::stoll(kazoo->call("session", reply_timeout()), nullptr, 16);
  const std::string p = unique_path("interop-kazoo-ephemeral");
  const std::string e = kazoo->call("create " + p + "/node up ephemeral", reply_timeout());
  CHECK(e == p + "/node");
  auto node = await(loop, s.exists(e, [](const WatchEvent&) {}));
  REQUIRE(node.ok());
  REQUIRE(node->has_value());
  CHECK((*node)->ephemeral_owner == kazoo_session);
  std::optional<EventType> fired;
  auto data = await(loop, s.get(e, [&](const WatchEvent& ev) { fired = ev.type; }));
  REQUIRE(data.ok());
  CHECK(data->data == "up");

  kazoo->call("close", reply_timeout());
  REQUIRE(loop.run_until([&] { return fired.has_value(); }, event_timeout()));
  CHECK(*fired == EventType::node_deleted);
  auto gone = await(loop, s.exists(e));
  REQUIRE(gone.ok());
  CHECK_FALSE(gone->has_value());

  kazoo.reset();
  zkit::recipes::test::close(loop, s);
}

TEST_CASE("kazoo: kazoo's Barrier and zkit's Barrier hold each other up") {
  Loop loop;
  Session s = connect(loop);
  auto kazoo = start_kazoo(loop);
  const std::string path = unique_path("interop-kazoo-barrier") + "/gate";
  recipes::Barrier gate(s, path);
  kazoo->call("barrier b " + path, reply_timeout());

  // kazoo puts it up; zkit waits (its watch is on the server) until kazoo takes it down.
  kazoo->call("barrier-create b", reply_timeout());
  auto waited = start(gate.wait(event_timeout()));
  REQUIRE(wait_server_watch(loop, path, s.session_id(), event_timeout()));
  CHECK_FALSE(waited->has_value());
  CHECK(kazoo->call("barrier-remove b", reply_timeout()) == "true");
  REQUIRE(loop.run_until([&] { return waited->has_value(); }, event_timeout()));
  CHECK((*waited)->ok());

  // zkit puts it up; kazoo waits until zkit takes it down.
  REQUIRE(run(loop, gate.set()).ok());
  std::int64_t kazoo_session = std::stoll(kazoo->call("session", reply_timeout()), nullptr, 16);
  kazoo->call("barrier-wait b " + std::to_string(event_timeout().count() / 1000), reply_timeout());
  REQUIRE(wait_server_watch(loop, path, kazoo_session, event_timeout()));
  CHECK_FALSE(kazoo->has_event("barrier b"));
  REQUIRE(run(loop, gate.remove()).ok());
  CHECK(kazoo->wait_event("barrier b", event_timeout()) == "barrier b passed");

  kazoo.reset();
  zkit::recipes::test::close(loop, s);
}

TEST_CASE("kazoo: kazoo's Counter (support_curator) and zkit's SharedCounter count together") {
  Loop loop;
  Session s = connect(loop);
  auto kazoo = start_kazoo(loop);
  const std::string path = unique_path("interop-kazoo-counter") + "/n";
  recipes::SharedCounter counter(s, path, 10);
  std::vector<std::int32_t> heard;
  counter.add_listener([&](std::int32_t v) { heard.push_back(v); });
  REQUIRE(run(loop, counter.start()).ok());
  kazoo->call("counter k " + path, reply_timeout());
  CHECK(kazoo->call("counter-value k", reply_timeout()) == "10");

  // kazoo adds: zkit hears the new value.
  kazoo->call("counter-add k 5", reply_timeout());
  CHECK(kazoo->wait_event("counter-done k", event_timeout()) == "counter-done k 15");
  REQUIRE(loop.run_until([&] { return counter.count() == 15; }, event_timeout()));
  // zkit sets: kazoo reads it.
  auto won = run(loop, counter.try_set_count(counter.versioned(), 100));
  REQUIRE(won.ok());
  CHECK(*won);
  CHECK(kazoo->call("counter-value k", reply_timeout()) == "100");

  // Both increment at once, each with compare-and-set on the node's version: no update is lost.
  constexpr int kAdds = 30;
  kazoo->call("counter-add k 1 " + std::to_string(kAdds), reply_timeout());
  int done = 0, lost_races = 0;
  spawn([](Session& s, recipes::SharedCounter& c, std::string path, int* done, int* lost) -> Task<void> {
    for (int i = 0; i < kAdds; ++i) {
      for (int attempt = 0; attempt < 1000; ++attempt) {
        // Read the node itself: the cache may not have heard of kazoo's last write yet.
        auto node = co_await s.get(path);
        auto value = node ? recipes::decode_count(node->data) : std::nullopt;
        if (!value) co_return;
        auto won = co_await c.try_set_count({*value, node->stat.version}, *value + 1);
        if (!won) co_return;
        if (*won) break;
        ++*lost;
      }
      ++*done;
    }
  }(s, counter, path, &done, &lost_races));
  kazoo->wait_event("counter-done k", scaled(60s));
  REQUIRE(loop.run_until([&] { return done == kAdds; }, scaled(60s)));
  MESSAGE("zkit lost " << lost_races << " compare-and-set races to kazoo");
  CHECK(kazoo->call("counter-value k", reply_timeout()) == std::to_string(100 + 2 * kAdds));
  REQUIRE(loop.run_until([&] { return counter.count() == 100 + 2 * kAdds; }, event_timeout()));

  run(loop, counter.close());
  kazoo.reset();
  zkit::recipes::test::close(loop, s);
}

}  // TEST_SUITE
