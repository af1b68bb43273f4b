// LeaderLatch and LeaderSelector against a real server: one leader at a time, failover on
// close and on expiry, participants, and selector terms that never overlap.
#include <algorithm>

#include "support.hpp"
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/election/leader_selector.hpp"
#include "zkit/recipes/protected_create.hpp"
#include "zkit/testing/fault_proxy.hpp"
#include "zkit/testing/session_killer.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::recipes::test;

namespace {

int leaders(const std::vector<LeaderLatch>& latches) {
  return static_cast<int>(std::count_if(latches.begin(), latches.end(), [](const LeaderLatch& l) { return l.has_leadership(); }));
}

int leader_index(const std::vector<LeaderLatch>& latches) {
  for (std::size_t i = 0; i < latches.size(); ++i)
    if (latches[i].has_leadership()) return static_cast<int>(i);
  return -1;
}

}  // namespace

TEST_SUITE("recipes") {

TEST_CASE("leader latch: exactly one leader among three; failover on close and on expiry") {
  Loop loop;
  std::vector<Session> sessions;
  for (int i = 0; i < 3; ++i) sessions.push_back(connect(loop));
  std::string path = unique_path("latch");
  std::vector<LeaderLatch> latches;
  std::vector<std::vector<OwnershipEvent>> events(3);
  for (int i = 0; i < 3; ++i) {
    latches.emplace_back(sessions[i], path, "node-" + std::to_string(i));
    latches.back().add_listener([&events, i](OwnershipEvent e) { events[i].push_back(e); });
  }
  CHECK(run(loop, latches[0].await_leadership(100ms)).code() == Errc::bad_arguments);  // not started
  for (auto& l : latches) REQUIRE(run(loop, l.start()).ok());
  CHECK(run(loop, latches[0].start()).code() == Errc::bad_arguments);
  // start() completes with each one in the election: its node and the participants show it.
  for (auto& l : latches) CHECK(!l.node_path().empty());
  auto joined = run(loop, latches[2].participants());
  REQUIRE(joined.ok());
  CHECK(joined->size() == 3);
  REQUIRE(loop.run_until([&] { return leaders(latches) == 1; }));
  loop.run_for(200ms);  // and it stays one
  REQUIRE(leaders(latches) == 1);
  int first = leader_index(latches);
  FencingToken t1 = latches[first].token();
  CHECK(t1);
  CHECK(events[first] == std::vector<OwnershipEvent>{OwnershipEvent::acquired});

  // Participants carry their ids; the first is the leader.
  auto who = run(loop, latches[0].participants());
  REQUIRE(who.ok());
  REQUIRE(who->size() == 3);
  CHECK((*who)[0].is_leader);
  CHECK(!(*who)[1].is_leader);
  CHECK((*who)[0].id == latches[first].id());
  CHECK(strip_protection((*who)[0].node).starts_with("latch-"));
  auto boss = run(loop, latches[(first + 1) % 3].leader());
  REQUIRE(boss.ok());
  REQUIRE(boss->has_value());
  CHECK((*boss)->id == "node-" + std::to_string(first));
  // A follower waiting with a timeout times out.
  CHECK(run(loop, latches[(first + 1) % 3].await_leadership(200ms)).code() == Errc::request_timeout);

  // The leader leaves: another leads, with a higher token.
  run(loop, latches[first].close());
  CHECK(events[first] == std::vector<OwnershipEvent>{OwnershipEvent::acquired});  // leaving is no loss
  REQUIRE(loop.run_until([&] { return leaders(latches) == 1; }));
  int second = leader_index(latches);
  CHECK(second != first);
  FencingToken t2 = latches[second].token();
  CHECK(t2 > t1);
  CHECK(run(loop, latches[second].await_leadership(100ms)).value() == t2);

  // The new leader's session expires: it is told, and the last one leads.
  auto killed = zkit::testing::expire_session(shared_server().connect_string(), sessions[second].session_id(),
                                              sessions[second].session_password());
  REQUIRE(killed.ok());
  int third = 3 - first - second;
  REQUIRE(loop.run_until([&] { return latches[third].has_leadership(); }));
  REQUIRE(loop.run_until([&] { return !events[second].empty() && events[second].back() == OwnershipEvent::lost; }));
  CHECK(!latches[second].has_leadership());
  CHECK(latches[third].token() > t2);
  REQUIRE(loop.run_until([&] { return sessions[second].state() == SessionState::expired; }));
  CHECK(run(loop, latches[second].await_leadership(100ms)).code() == Errc::session_expired);
  auto left = run(loop, latches[third].participants());
  REQUIRE(left.ok());
  REQUIRE(left->size() == 1);
  CHECK(left->front().id == "node-" + std::to_string(third));

  for (auto& l : latches) run(loop, l.close());
  CHECK(children(loop, sessions[third], path).empty());
  for (auto& s : sessions) close(loop, s);
}

TEST_CASE("leader latch: a leader whose node is deleted is told it lost, then joins again and leads") {
  Loop loop;
  Session a = connect(loop);
  std::string path = unique_path("latch-suspend");
  LeaderLatch latch(a, path, "solo");
  std::vector<OwnershipEvent> events;
  latch.add_listener([&](OwnershipEvent e) { events.push_back(e); });
  REQUIRE(run(loop, latch.start()).ok());
  auto token = run(loop, latch.await_leadership(scaled(5s)));
  REQUIRE(token.ok());
  // Its own node deleted by someone else: lost, then it joins again and leads with a new node.
  Session admin = connect(loop);
  std::string old_node = latch.node_path();
  REQUIRE(await(loop, admin.remove(old_node)).ok());
  REQUIRE(loop.run_until([&] { return events.size() >= 3; }));
  CHECK(events == std::vector<OwnershipEvent>{OwnershipEvent::acquired, OwnershipEvent::lost, OwnershipEvent::acquired});
  CHECK(latch.node_path() != old_node);
  CHECK(latch.token() > *token);
  run(loop, latch.close());
  close(loop, a);
  close(loop, admin);
}

TEST_CASE("leader latch: a dropped connection suspends the leader; the policy decides if it stays") {
  Loop loop;
  auto proxy_r = zkit::testing::FaultProxy::start(shared_server().address(1));
  REQUIRE(proxy_r.ok());
  auto proxy = std::move(proxy_r).value();
  Session a = connect(loop, options_for(proxy->address(), 6000ms));
  std::string path = unique_path("latch-drop");
  std::vector<OwnershipEvent> events;
  LeaderLatchOptions options;
  std::vector<OwnershipEvent> expected;
  SUBCASE("give_up: leadership ends, and comes back with the same node") {
    expected = {OwnershipEvent::acquired, OwnershipEvent::suspended, OwnershipEvent::lost, OwnershipEvent::acquired};
  }
  SUBCASE("keep_until_expired: leadership stays") {
    options.policy = SuspendPolicy::keep_until_expired;
    expected = {OwnershipEvent::acquired, OwnershipEvent::suspended, OwnershipEvent::reconnected};
  }
  LeaderLatch latch(a, path, "solo", options);
  latch.add_listener([&](OwnershipEvent e) { events.push_back(e); });
  REQUIRE(run(loop, latch.start()).ok());
  auto token = run(loop, latch.await_leadership(scaled(5s)));
  REQUIRE(token.ok());
  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return events.size() >= expected.size(); }));
  loop.run_for(100ms);
  CHECK(events == expected);
  CHECK(latch.has_leadership());
  CHECK(latch.token() == *token);
  run(loop, latch.close());
  close(loop, a);
}

TEST_CASE("leader selector: one leader function at a time, terms in token order, requeued") {
  Loop loop;
  struct Log {
    std::vector<std::tuple<double, double, FencingToken, int>> terms;
    int running = 0;
    int most = 0;
    int valid_at_end = 0;
  } log;
  std::vector<Session> sessions;
  for (int i = 0; i < 3; ++i) sessions.push_back(connect(loop));
  std::string path = unique_path("selector");
  std::vector<LeaderSelector> selectors;
  LeaderSelectorOptions requeue;
  requeue.requeue = true;
  for (int i = 0; i < 3; ++i) {
    selectors.emplace_back(
        sessions[i], path, "sel-" + std::to_string(i),
        [&log, i](LeaderTerm& term) -> Task<void> {
          double start = now_ms();
          log.most = std::max(log.most, ++log.running);
          bool lost = co_await term.wait_lost(40ms);  // "work" as leader
          if (!lost) ++log.valid_at_end;
          --log.running;
          log.terms.emplace_back(start, now_ms(), term.token(), i);
        },
        requeue);
  }
  for (auto& s : selectors) REQUIRE(run(loop, s.start()).ok());
  REQUIRE(loop.run_until([&] {
    return log.terms.size() >= 9 && std::all_of(selectors.begin(), selectors.end(), [](const LeaderSelector& s) { return s.terms() >= 2; });
  }, scaled(30s)));
  CHECK(log.most == 1);
  auto terms = log.terms;
  std::sort(terms.begin(), terms.end());
  for (std::size_t i = 1; i < terms.size(); ++i) {
    CHECK(std::get<1>(terms[i - 1]) <= std::get<0>(terms[i]));
    CHECK(std::get<2>(terms[i - 1]) < std::get<2>(terms[i]));
  }
  auto who = run(loop, selectors[0].participants());
  REQUIRE(who.ok());
  CHECK(who->size() >= 2);  // the leader and whoever queues (the third may be between terms)

  for (auto& s : selectors) run(loop, s.close());
  CHECK(log.running == 0);
  CHECK(children(loop, sessions[0], path).empty());
  for (auto& s : sessions) close(loop, s);
}

TEST_CASE("leader selector: a leader whose session expires sees its term end; another takes over") {
  Loop loop;
  Session a = connect(loop), b = connect(loop);
  std::string path = unique_path("selector-expire");
  int ended = 0;
  FencingToken first, second;
  auto lead = [&](FencingToken& mine) {
    return [&, &mine = mine](LeaderTerm& term) -> Task<void> {
      mine = term.token();
      co_await term.wait_lost();
      ++ended;
    };
  };
  LeaderSelector sa(a, path, "a", lead(first));
  REQUIRE(run(loop, sa.start()).ok());
  REQUIRE(loop.run_until([&] { return sa.has_leadership(); }));
  LeaderSelector sb(b, path, "b", lead(second));
  std::vector<OwnershipEvent> b_events;
  sb.add_listener([&](OwnershipEvent e) { b_events.push_back(e); });
  REQUIRE(run(loop, sb.start()).ok());
  loop.run_for(100ms);
  CHECK(!sb.has_leadership());
  auto boss = run(loop, sb.leader());
  REQUIRE(boss.ok());
  REQUIRE(boss->has_value());
  CHECK((*boss)->id == "a");

  REQUIRE(zkit::testing::expire_session(shared_server().connect_string(), a.session_id(), a.session_password()).ok());
  REQUIRE(loop.run_until([&] { return ended == 1 && sb.has_leadership(); }));
  CHECK(!sa.has_leadership());
  CHECK(second > first);
  run(loop, sb.close());  // ends b's term: its function returns
  CHECK(ended == 2);
  CHECK(b_events == std::vector<OwnershipEvent>{OwnershipEvent::acquired});  // leaving is no loss
  run(loop, sa.close());
  close(loop, a);
  close(loop, b);
}

}  // TEST_SUITE
