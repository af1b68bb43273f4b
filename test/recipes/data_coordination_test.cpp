// SharedCounter, AtomicLong, Barrier, DoubleBarrier, PersistentNode and PersistentTtlNode
// against a real server: their znode formats, races between processes, and session loss.
#include "support.hpp"
#include "zkit/recipes/values/atomic_long.hpp"
#include "zkit/recipes/barriers/barrier.hpp"
#include "zkit/recipes/barriers/double_barrier.hpp"
#include "zkit/recipes/nodes/persistent_node.hpp"
#include "zkit/recipes/values/shared_counter.hpp"
#include "zkit/testing/session_killer.hpp"

using namespace zkit;
using namespace zkit::recipes::test;
using namespace zkit::recipes;

namespace zkit::recipes::test {
// The server of this binary (data_main_test.cpp): TTL nodes on, containers reaped quickly.
zkit::testing::Cluster& data_server();
}

namespace {

// Lets the loop run for `d` (to show that something does NOT happen meanwhile).
void idle(Loop& loop, std::chrono::milliseconds d) { loop.run_for(d); }

}  // namespace

TEST_CASE("shared counter: Curator's 4-byte format, versioned compare-and-set, listeners") {
  CHECK(encode_count(7) == std::string("\0\0\0\x07", 4));
  CHECK(encode_count(-2) == std::string("\xff\xff\xff\xfe", 4));
  CHECK(decode_count(encode_count(-123456789)) == -123456789);
  CHECK_FALSE(decode_count("abc").has_value());

  Loop loop;
  Session s = connect(loop, options_for(data_server().connect_string()));
  Session t = connect(loop, options_for(data_server().connect_string()));
  std::string p = unique_path("counters") + "/epoch";
  SharedCounter a(s, p, 7);
  SharedCounter b(t, p, 100);  // the node exists by then: its seed is not used
  REQUIRE(run(loop, a.start()).ok());
  REQUIRE(run(loop, b.start()).ok());
  CHECK(a.count() == 7);
  CHECK(b.count() == 7);
  auto raw = await(loop, t.get(p));
  REQUIRE(raw.ok());
  CHECK(raw->data == encode_count(7));

  std::vector<std::int32_t> seen_by_b;
  b.add_listener([&](std::int32_t v) { seen_by_b.push_back(v); });
  VersionedCount v = a.versioned();
  CHECK(v.version == 0);
  auto won = run(loop, a.try_set_count(v, 8));
  REQUIRE(won.ok());
  CHECK(*won);
  CHECK(a.count() == 8);
  REQUIRE(loop.run_until([&] { return b.count() == 8; }));
  auto lost = run(loop, b.try_set_count(v, 9));  // v is stale now
  REQUIRE(lost.ok());
  CHECK_FALSE(*lost);
  CHECK(b.count() == 8);
  REQUIRE(run(loop, b.set_count(-2)).ok());
  REQUIRE(loop.run_until([&] { return a.count() == -2; }));
  CHECK(seen_by_b == std::vector<std::int32_t>{8, -2});
  raw = await(loop, t.get(p));
  CHECK(raw->data == std::string("\xff\xff\xff\xfe", 4));
  run(loop, a.close());
  run(loop, b.close());
  close(loop, s);
  close(loop, t);
}

TEST_CASE("atomic long: 8-byte format, concurrent increments from two sessions, compare-and-set") {
  CHECK(encode_long(40) == std::string("\0\0\0\0\0\0\0\x28", 8));
  CHECK(decode_long("") == 0);
  CHECK(decode_long(encode_long(-5)) == -5);
  CHECK_FALSE(decode_long("1234").has_value());

  Loop loop;
  Session s = connect(loop, options_for(data_server().connect_string()));
  Session t = connect(loop, options_for(data_server().connect_string()));
  std::string p = unique_path("atomics") + "/ids";
  AtomicLong a(s, p, 100), b(t, p, 100);
  auto zero = run(loop, a.get());
  REQUIRE(zero.ok());
  CHECK(*zero == 0);

  auto bump = [](AtomicLong& x, int n, std::shared_ptr<int> ok) -> Task<void> {
    for (int i = 0; i < n; ++i) {
      auto r = co_await x.increment();
      if (r && r->succeeded) ++*ok;
    }
  };
  auto oka = std::make_shared<int>(0), okb = std::make_shared<int>(0);
  spawn(bump(a, 25, oka));
  spawn(bump(b, 25, okb));
  REQUIRE(loop.run_until([&] { return *oka + *okb == 50; }, scaled(30s)));
  auto total = run(loop, a.get());
  REQUIRE(total.ok());
  CHECK(*total == 50);
  auto raw = await(loop, s.get(p));
  CHECK(raw->data == encode_long(50));

  auto miss = run(loop, a.compare_and_set(49, 5));
  REQUIRE(miss.ok());
  CHECK_FALSE(miss->succeeded);
  CHECK(miss->pre_value == 50);
  auto hit = run(loop, b.compare_and_set(50, 5));
  REQUIRE(hit.ok());
  CHECK(hit->succeeded);
  CHECK(hit->post_value == 5);
  auto down = run(loop, a.subtract(7));
  REQUIRE(down.ok());
  CHECK(down->post_value == -2);
  auto set = run(loop, b.try_set(1000));
  REQUIRE(set.ok());
  CHECK(set->pre_value == -2);
  REQUIRE(run(loop, a.force_set(-1)).ok());
  raw = await(loop, s.get(p));
  CHECK(raw->data == std::string(8, '\xff'));
  REQUIRE(await(loop, s.set(p, "junk")).ok());
  CHECK(run(loop, a.get()).code() == Errc::bad_arguments);
  close(loop, s);
  close(loop, t);
}

TEST_CASE("barrier: waiters go on together when it is removed; a wait can time out") {
  Loop loop;
  Session s = connect(loop, options_for(data_server().connect_string()));
  Session t = connect(loop, options_for(data_server().connect_string()));
  std::string p = unique_path("gates") + "/rebalance";
  Barrier coordinator(s, p);
  Barrier worker1(t, p), worker2(s, p);
  REQUIRE(run(loop, coordinator.set()).ok());
  REQUIRE(run(loop, coordinator.set()).ok());  // up already: fine
  CHECK(*run(loop, worker1.is_set()));

  auto w1 = start(worker1.wait());
  auto w2 = start(worker2.wait(scaled(20s)));
  auto timed = run(loop, worker1.wait(200ms));
  CHECK(timed.code() == Errc::request_timeout);
  CancelSource stop;
  auto cancelled = start(worker2.wait(stop.token()));
  idle(loop, 100ms);
  CHECK_FALSE(w1->has_value());
  CHECK_FALSE(w2->has_value());
  stop.cancel();
  REQUIRE(loop.run_until([&] { return cancelled->has_value(); }));
  CHECK(cancelled->value().code() == Errc::closing);

  REQUIRE(run(loop, coordinator.remove()).ok());
  REQUIRE(loop.run_until([&] { return w1->has_value() && w2->has_value(); }));
  CHECK(w1->value().ok());
  CHECK(w2->value().ok());
  CHECK(run(loop, worker1.wait()).ok());  // down: at once
  CHECK(run(loop, coordinator.remove()).ok());
  close(loop, s);
  close(loop, t);
}

TEST_CASE("double barrier: three members enter together and leave together") {
  Loop loop;
  std::vector<Session> sessions;
  for (int i = 0; i < 3; ++i) sessions.push_back(connect(loop, options_for(data_server().connect_string())));
  std::string p = unique_path("rounds") + "/round-1";
  std::vector<DoubleBarrier> members;
  for (auto& s : sessions) members.emplace_back(s, p, 3);

  auto e0 = start(members[0].enter());
  auto e1 = start(members[1].enter(scaled(20s)));
  idle(loop, 300ms);
  CHECK_FALSE(e0->has_value());
  CHECK_FALSE(e1->has_value());
  auto kids = await(loop, sessions[0].get_children(p));
  REQUIRE(kids.ok());
  CHECK(kids->names.size() == 2);
  auto e2 = start(members[2].enter());
  REQUIRE(loop.run_until([&] { return e0->has_value() && e1->has_value() && e2->has_value(); }));
  CHECK(e0->value().ok());
  CHECK(e1->value().ok());
  CHECK(e2->value().ok());
  kids = await(loop, sessions[0].get_children(p));
  REQUIRE(kids.ok());
  std::sort(kids->names.begin(), kids->names.end());
  CHECK(kids->names.size() == 4);
  CHECK(std::count(kids->names.begin(), kids->names.end(), "ready") == 1);
  CHECK(std::count(kids->names.begin(), kids->names.end(), members[1].node_path().substr(p.size() + 1)) == 1);

  auto l0 = start(members[0].leave());
  auto l2 = start(members[2].leave(scaled(20s)));
  idle(loop, 300ms);
  CHECK_FALSE(l0->has_value());
  CHECK_FALSE(l2->has_value());
  auto l1 = start(members[1].leave());
  REQUIRE(loop.run_until([&] { return l0->has_value() && l1->has_value() && l2->has_value(); }));
  CHECK(l0->value().ok());
  CHECK(l1->value().ok());
  CHECK(l2->value().ok());
  auto after = await(loop, sessions[0].get_children(p));
  CHECK((after.code() == Errc::no_node || (after.ok() && after->names.empty())));

  // A member that gives up entering does not count.
  DoubleBarrier lonely(sessions[0], p, 2);
  CHECK(run(loop, lonely.enter(200ms)).code() == Errc::request_timeout);
  auto left = await(loop, sessions[0].get_children(p));
  CHECK((left.code() == Errc::no_node || (left.ok() && left->names.empty())));
  for (auto& s : sessions) close(loop, s);
}

TEST_CASE("persistent node: comes back after deletion and on a new session; sequential and adopted nodes") {
  Loop loop;
  Session s = connect(loop, options_for(data_server().connect_string()));
  Session other = connect(loop, options_for(data_server().connect_string()));
  std::string base = unique_path("nodes");
  std::string p = base + "/node-7";
  PersistentNode node(s, p, "v1");
  std::vector<NodeStatus> statuses;
  node.add_listener([&](NodeStatus st) { statuses.push_back(st); });
  REQUIRE(run(loop, node.start()).ok());
  CHECK(node.status() == NodeStatus::in_place);
  CHECK(node.path() == p);
  auto raw = await(loop, other.get(p));
  REQUIRE(raw.ok());
  CHECK(raw->data == "v1");
  CHECK(raw->stat.ephemeral_owner == s.session_id());

  // Deleted by someone else: created again.
  REQUIRE(await(loop, other.remove(p)).ok());
  REQUIRE(loop.run_until([&] { return statuses.size() >= 3 && node.status() == NodeStatus::in_place; }));
  raw = await(loop, other.get(p));
  REQUIRE(raw.ok());
  CHECK(raw->stat.ephemeral_owner == s.session_id());
  REQUIRE(run(loop, node.set_data("v2")).ok());
  CHECK(await(loop, other.get(p))->data == "v2");

  // The session expires: lost; rebind on a new session puts it back.
  REQUIRE(zkit::testing::expire_session(data_server().connect_string(), s.session_id(), s.session_password()).ok());
  REQUIRE(loop.run_until([&] { return node.status() == NodeStatus::lost; }));
  CHECK(node.last_error().has_value());
  Session fresh = connect(loop, options_for(data_server().connect_string()));
  REQUIRE(run(loop, node.rebind(fresh)).ok());
  raw = await(loop, other.get(p));
  REQUIRE(raw.ok());
  CHECK(raw->data == "v2");
  CHECK(raw->stat.ephemeral_owner == fresh.session_id());

  // Another session's ephemeral in the way: blocked until it goes.
  std::string q = base + "/taken";
  CreateOptions eph;
  eph.mode = CreateMode::ephemeral;
  REQUIRE(await(loop, other.create(q, "theirs", eph)).ok());
  PersistentNode waiting(fresh, q, "mine");
  auto started = start(waiting.start());
  REQUIRE(loop.run_until([&] { return waiting.status() == NodeStatus::blocked; }));
  CHECK_FALSE(started->has_value());
  REQUIRE(await(loop, other.remove(q)).ok());
  REQUIRE(loop.run_until([&] { return started->has_value(); }));
  CHECK(started->value().ok());
  CHECK(await(loop, other.get(q))->data == "mine");

  // Sequential: protected names, and a new name after each re-creation.
  PersistentNodeOptions seq;
  seq.mode = CreateMode::ephemeral_sequential;
  PersistentNode member(fresh, base + "/member-", "m", seq);
  REQUIRE(run(loop, member.start()).ok());
  std::string first = member.path();
  CHECK(first.find("/_c_") != std::string::npos);
  CHECK(first.find("-member-") != std::string::npos);
  REQUIRE(await(loop, other.remove(first)).ok());
  REQUIRE(loop.run_until([&] { return member.status() == NodeStatus::in_place && member.path() != first; }));
  CHECK(await(loop, other.exists(member.path()))->has_value());

  // A persistent node that exists already is adopted and gets our data.
  std::string r = base + "/config";
  REQUIRE(await(loop, other.create(r, "old")).ok());
  PersistentNodeOptions persistent;
  persistent.mode = CreateMode::persistent;
  PersistentNode config(fresh, r, "new", persistent);
  REQUIRE(run(loop, config.start()).ok());
  CHECK(await(loop, other.get(r))->data == "new");

  run(loop, node.close());
  CHECK(node.status() == NodeStatus::closed);
  CHECK_FALSE(await(loop, other.exists(p))->has_value());
  run(loop, member.close());
  run(loop, config.close());
  CHECK_FALSE(await(loop, other.exists(r))->has_value());
  run(loop, waiting.close());
  close(loop, fresh);
  close(loop, other);
}

TEST_CASE("persistent TTL node: touched while it lives, gone a TTL after close") {
  Loop loop;
  Session s = connect(loop, options_for(data_server().connect_string()));
  Session other = connect(loop, options_for(data_server().connect_string()));
  std::string p = unique_path("beacons") + "/node-7";
  PersistentTtlNode beacon(s, p, "up", 1000ms);
  REQUIRE(run(loop, beacon.start()).ok());
  REQUIRE(loop.run_until([&] { return beacon.touches() >= 3; }, scaled(10s)));
  CHECK_FALSE(beacon.last_error().has_value());
  auto container = await(loop, other.get(p));
  REQUIRE(container.ok());
  CHECK(container->data == "up");
  CHECK(await(loop, other.exists(p + "/touch"))->has_value());
  // Outlives its TTL while touched.
  idle(loop, 1500ms);
  CHECK(await(loop, other.exists(p))->has_value());

  run(loop, beacon.close());
  close(loop, s);
  auto deadline = std::chrono::steady_clock::now() + scaled(15s);
  bool vanished = false;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = await(loop, other.exists(p));
    REQUIRE(r.ok());
    if (!r->has_value()) {
      vanished = true;
      break;
    }
    idle(loop, 200ms);
  }
  CHECK(vanished);
  close(loop, other);
}
