// MultiLock against a real server: all or nothing, one overall timeout, release order,
// ownership events, and two multi-locks over overlapping paths in opposite orders.
#include <algorithm>

#include "support.hpp"
#include "zkit/recipes/locks/multi_lock.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/testing/fault_proxy.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::recipes::test;

namespace {

std::vector<std::string> three_paths(const std::string& base) { return {base + "/a", base + "/b", base + "/c"}; }

}  // namespace

TEST_SUITE("recipes") {

TEST_CASE("multi-lock: acquires every path, one token per path, re-entrant") {
  Loop loop;
  Session s = connect(loop);
  auto paths = three_paths(unique_path("multi-all"));
  MultiLock all(s, paths);
  auto tokens = run(loop, all.acquire(scaled(5s)));
  REQUIRE(tokens.ok());
  REQUIRE(tokens->size() == 3);
  CHECK(all.is_held());
  CHECK(all.tokens() == *tokens);
  auto nodes = all.node_paths();
  REQUIRE(nodes.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    auto node = await(loop, s.get(nodes[i]));
    REQUIRE(node.ok());
    CHECK(node->stat.czxid == (*tokens)[i].zxid);  // the token of each member is its node's czxid
    CHECK(nodes[i].starts_with(paths[i] + "/"));
  }
  CHECK((*tokens)[0] < (*tokens)[1]);  // taken in order
  auto again = run(loop, all.acquire());
  REQUIRE(again.ok());
  CHECK(*again == *tokens);
  CHECK(all.hold_count() == 2);
  REQUIRE(run(loop, all.release()).ok());
  CHECK(all.is_held());
  REQUIRE(run(loop, all.release()).ok());
  CHECK(!all.is_held());
  CHECK(all.tokens().empty());
  for (const auto& p : paths) CHECK(children(loop, s, p).empty());
  CHECK(run(loop, all.release()).code() == Errc::bad_arguments);
  run(loop, all.close());
  close(loop, s);
}

TEST_CASE("multi-lock: one path held by another session: nothing stays held, no node left behind") {
  Loop loop;
  Session a = connect(loop), b = connect(loop);
  auto paths = three_paths(unique_path("multi-nothing"));
  Mutex other(b, paths[1]);
  REQUIRE(run(loop, other.acquire()).ok());
  MultiLock all(a, paths);

  double t0 = now_ms();
  auto r = run(loop, all.acquire(300ms));
  double took = now_ms() - t0;
  CHECK(r.code() == Errc::request_timeout);
  CHECK(r.error().message().find(paths[1]) != std::string::npos);  // names the path it waited for
  CHECK(took >= 290);                                             // one timeout for the whole set
  CHECK(took < double(scaled(3s).count()));
  CHECK(!all.is_held());
  CHECK(children(loop, a, paths[0]).empty());      // the first one was released again
  CHECK(children(loop, a, paths[1]).size() == 1);  // only the other holder's node
  CHECK(children(loop, a, paths[2]).empty());      // never reached
  CHECK(await(loop, a.get_ephemerals(paths[0].substr(0, paths[0].rfind('/')))).value().empty());

  // A zero timeout tries each lock once, and fails the same way.
  CHECK(run(loop, all.acquire(0ms)).code() == Errc::request_timeout);
  CHECK(children(loop, a, paths[0]).empty());

  // Cancelled while waiting on the held path: the same, with closing.
  CancelSource stop;
  auto waiting = start(all.acquire(stop.token()));
  REQUIRE(loop.run_until([&] { return children(loop, a, paths[1]).size() == 2; }));  // queued on b's lock
  CHECK(children(loop, a, paths[0]).size() == 1);
  stop.cancel();
  REQUIRE(loop.run_until([&] { return waiting->has_value(); }));
  CHECK((*waiting)->code() == Errc::closing);
  CHECK(children(loop, a, paths[0]).empty());
  CHECK(children(loop, a, paths[1]).size() == 1);

  // Once the path is free, the whole set is taken.
  REQUIRE(run(loop, other.release()).ok());
  auto tokens = run(loop, all.acquire(scaled(5s)));
  REQUIRE(tokens.ok());
  run(loop, all.close());  // close releases the hold
  for (const auto& p : paths) CHECK(children(loop, a, p).empty());
  CHECK(run(loop, all.acquire()).code() == Errc::closing);
  run(loop, other.close());
  close(loop, a);
  close(loop, b);
}

TEST_CASE("multi-lock: bad paths are refused before anything is created") {
  Loop loop;
  Session s = connect(loop);
  std::string base = unique_path("multi-bad");
  MultiLock none(s, {});
  CHECK(run(loop, none.acquire()).code() == Errc::bad_arguments);
  MultiLock twice(s, {base + "/a", base + "/a"});
  CHECK(run(loop, twice.acquire(1s)).code() == Errc::bad_arguments);
  CHECK(children(loop, s, base).empty());
  run(loop, none.close());
  run(loop, twice.close());
  close(loop, s);
}

TEST_CASE("multi-lock: release deletes the nodes last path first") {
  Loop loop;
  Session s = connect(loop), observer = connect(loop);
  auto paths = three_paths(unique_path("multi-order"));
  MultiLock all(s, paths);
  REQUIRE(run(loop, all.acquire(scaled(5s))).ok());
  // Another session watches each node: watch events arrive in the server's order of deletes.
  std::vector<std::size_t> deleted;
  auto nodes = all.node_paths();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    auto watched = await(loop, observer.exists(nodes[i], [&deleted, i](const WatchEvent& e) {
      if (e.type == EventType::node_deleted) deleted.push_back(i);
    }));
    REQUIRE(watched.ok());
  }
  REQUIRE(run(loop, all.release()).ok());
  REQUIRE(loop.run_until([&] { return deleted.size() == 3; }));
  CHECK(deleted == std::vector<std::size_t>{2, 1, 0});
  run(loop, all.close());
  close(loop, s);
  close(loop, observer);
}

TEST_CASE("multi-lock: a member's node deleted by someone else: lost once, the rest released") {
  Loop loop;
  Session s = connect(loop), other = connect(loop);
  auto paths = three_paths(unique_path("multi-lost"));
  MultiLock all(s, paths);
  std::vector<OwnershipEvent> events;
  all.add_listener([&](OwnershipEvent e) { events.push_back(e); });
  REQUIRE(run(loop, all.acquire(scaled(5s))).ok());
  auto nodes = all.node_paths();
  REQUIRE(await(loop, other.remove(nodes[1])).ok());
  REQUIRE(loop.run_until([&] { return !events.empty(); }));
  CHECK(events == std::vector<OwnershipEvent>{OwnershipEvent::lost});
  CHECK(!all.is_held());
  REQUIRE(loop.run_until([&] {
    return children(loop, other, paths[0]).empty() && children(loop, other, paths[2]).empty();
  }));
  CHECK(run(loop, all.release()).ok());  // owed for the lost hold: does nothing
  CHECK(run(loop, all.release()).code() == Errc::bad_arguments);
  REQUIRE(run(loop, all.acquire(scaled(5s))).ok());  // free again, all of it
  run(loop, all.close());
  close(loop, s);
  close(loop, other);
}

TEST_CASE("multi-lock: a lost connection with the default policy: suspended, lost, nodes deleted") {
  Loop loop;
  auto proxy_r = zkit::testing::FaultProxy::start(shared_server().address(1));
  REQUIRE(proxy_r.ok());
  auto proxy = std::move(proxy_r).value();
  Session a = connect(loop, options_for(proxy->address(), 6000ms));
  Session b = connect(loop);
  auto paths = three_paths(unique_path("multi-suspend"));
  MultiLock ma(a, paths), mb(b, paths);
  std::vector<OwnershipEvent> events;
  ma.add_listener([&](OwnershipEvent e) { events.push_back(e); });
  REQUIRE(run(loop, ma.acquire(scaled(5s))).ok());
  auto tb = start(mb.acquire(scaled(20s)));
  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return tb->has_value(); }));
  REQUIRE((*tb)->ok());
  CHECK(events == std::vector<OwnershipEvent>{OwnershipEvent::suspended, OwnershipEvent::lost});
  CHECK(!ma.is_held());
  run(loop, ma.close());
  run(loop, mb.close());
  close(loop, a);
  close(loop, b);
}

TEST_CASE("multi-lock: a member lost while acquiring the rest makes the acquisition start over") {
  Loop loop;
  auto proxy_r = zkit::testing::FaultProxy::start(shared_server().address(1));
  REQUIRE(proxy_r.ok());
  auto proxy = std::move(proxy_r).value();
  Session a = connect(loop, options_for(proxy->address(), 6000ms));
  Session b = connect(loop);
  auto paths = three_paths(unique_path("multi-restart"));
  Mutex other(b, paths[1]);
  REQUIRE(run(loop, other.acquire()).ok());
  MultiLock all(a, paths);
  std::vector<OwnershipEvent> events;
  all.add_listener([&](OwnershipEvent e) { events.push_back(e); });
  auto got = start(all.acquire(scaled(20s)));
  REQUIRE(loop.run_until([&] { return children(loop, b, paths[1]).size() == 2; }));  // holds a, waits on b
  auto first = children(loop, b, paths[0]);
  REQUIRE(first.size() == 1);
  proxy->drop_connections();  // the default policy gives the first lock up
  REQUIRE(loop.run_until([&] { return a.state() == SessionState::reconnected; }));
  REQUIRE(loop.run_until([&] { return children(loop, b, paths[0]).empty(); }));
  REQUIRE(run(loop, other.release()).ok());
  REQUIRE(loop.run_until([&] { return got->has_value(); }));
  REQUIRE((*got)->ok());
  CHECK(all.is_held());
  auto now = children(loop, b, paths[0]);
  REQUIRE(now.size() == 1);
  CHECK(now != first);           // taken again, with a new node
  CHECK(events.empty());         // nobody held anything to lose yet
  run(loop, all.close());
  for (const auto& p : paths) CHECK(children(loop, b, p).empty());
  run(loop, other.close());
  close(loop, a);
  close(loop, b);
}

TEST_CASE("multi-lock: two multi-locks over overlapping paths in opposite orders never both hold") {
  Loop loop;
  Session a = connect(loop), b = connect(loop);
  std::string base = unique_path("multi-cross");
  std::vector<std::string> forward = {base + "/x", base + "/y"};
  std::vector<std::string> backward = {base + "/y", base + "/x"};
  MultiLock la(a, forward), lb(b, backward);
  int holding = 0, most = 0, held = 0, timeouts = 0, finished = 0, other_errors = 0;
  // Each may take its first path and then wait for the other's: a deadlock that only the
  // timeouts break. Different timeouts keep the two from retrying in lockstep for ever.
  auto contend = [&](MultiLock& l, std::chrono::milliseconds timeout) -> Task<void> {
    for (int i = 0; i < 6; ++i) {
      auto r = co_await l.acquire(timeout);
      if (!r) {
        if (r.code() == Errc::request_timeout) ++timeouts;
        else ++other_errors;
        continue;
      }
      ++held;
      most = std::max(most, ++holding);
      co_await sleep_for(loop.get(), 20ms);
      --holding;
      auto released = co_await l.release();
      if (!released) ++other_errors;
    }
    ++finished;
  };
  spawn(contend(la, 100ms));
  spawn(contend(lb, 300ms));
  REQUIRE(loop.run_until([&] { return finished == 2; }, scaled(30s)));
  MESSAGE("holds " << held << ", timeouts " << timeouts);
  CHECK(most == 1);
  CHECK(other_errors == 0);
  CHECK(held + timeouts == 12);
  CHECK(held >= 1);
  for (const auto& p : forward) CHECK(children(loop, a, p).empty());
  run(loop, la.close());
  run(loop, lb.close());
  close(loop, a);
  close(loop, b);
}

}  // TEST_SUITE
