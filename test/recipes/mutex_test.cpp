// Mutex against a real server: exclusion under contention, re-entrancy, timeouts,
// cancellation, close, expiry and the suspend policy.
#include <algorithm>

#include "support.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/recipes/protected_create.hpp"
#include "zkit/testing/fault_proxy.hpp"
#include "zkit/testing/session_killer.hpp"

using namespace zkit;
using namespace zkit::recipes;
using namespace zkit::recipes::test;

namespace {

struct Interval {
  double start = 0, end = 0;
  FencingToken token;
  int who = 0;
};

struct Board {
  std::vector<Interval> held;
  int holders = 0;
  int most = 0;
  int finished = 0;
  int failures = 0;
};

Task<void> contend(Mutex& m, uv_loop_t* loop, int who, int rounds, Board& board) {
  for (int i = 0; i < rounds; ++i) {
    auto token = co_await m.acquire(scaled(30s));
    if (!token) {
      ++board.failures;
      MESSAGE("acquire failed: " << token.error().message());
      break;
    }
    Interval iv;
    iv.start = now_ms();
    iv.token = *token;
    iv.who = who;
    board.most = std::max(board.most, ++board.holders);
    co_await sleep_for(loop, 15ms);
    --board.holders;
    iv.end = now_ms();
    board.held.push_back(iv);
    auto released = co_await m.release();
    if (!released) ++board.failures;
  }
  ++board.finished;
}

void check_exclusive(std::vector<Interval> held) {
  std::sort(held.begin(), held.end(), [](const Interval& a, const Interval& b) { return a.start < b.start; });
  for (std::size_t i = 1; i < held.size(); ++i) {
    CHECK_MESSAGE(held[i - 1].end <= held[i].start, "holders " << held[i - 1].who << " and " << held[i].who << " overlap");
    CHECK_MESSAGE(held[i - 1].token < held[i].token, "tokens must strictly increase");
  }
}

}  // namespace

TEST_SUITE("recipes") {

TEST_CASE("mutex: contenders on separate sessions never overlap and tokens strictly increase") {
  Loop loop;
  constexpr int kContenders = 5, kRounds = 4;
  std::vector<Session> sessions;
  for (int i = 0; i < kContenders; ++i) sessions.push_back(connect(loop));
  std::string path = unique_path("mutex-contend");
  std::vector<Mutex> locks;
  for (auto& s : sessions) locks.emplace_back(s, path);
  Board board;
  for (int i = 0; i < kContenders; ++i) spawn(contend(locks[i], loop.get(), i, kRounds, board));
  REQUIRE(loop.run_until([&] { return board.finished == kContenders; }, scaled(60s)));
  CHECK(board.failures == 0);
  CHECK(board.most == 1);
  CHECK(board.held.size() == kContenders * kRounds);
  check_exclusive(board.held);
  // Every node is gone; the lock's node is a container, reaped by the server in its own time.
  CHECK(children(loop, sessions[0], path).empty());
  for (auto& l : locks) run(loop, l.close());
  for (auto& s : sessions) close(loop, s);
}

TEST_CASE("mutex: the nodes follow Curator's InterProcessMutex layout") {
  Loop loop;
  Session s = connect(loop);
  std::string path = unique_path("mutex-layout") + "/deeper/lock";
  Mutex m(s, path);
  auto t = run(loop, m.acquire());
  REQUIRE(t.ok());
  auto kids = children(loop, s, path);
  REQUIRE(kids.size() == 1);
  CHECK(is_protected_name(kids[0]));
  std::string_view rest = strip_protection(kids[0]);
  CHECK(rest.starts_with("lock-"));
  CHECK(rest.size() == 15);  // "lock-" + 10 digits
  CHECK(m.node_path() == path + "/" + kids[0]);
  auto node = await(loop, s.get(m.node_path()));
  REQUIRE(node.ok());
  CHECK(node->stat.czxid == t->zxid);
  CHECK(node->stat.ephemeral_owner == s.session_id());
  // The parents were made (as containers: servers report their ephemeralOwner as 0).
  auto parent = await(loop, s.exists(path));
  REQUIRE(parent.ok());
  REQUIRE(parent->has_value());
  CHECK((*parent)->ephemeral_owner == 0);
  run(loop, m.close());
  CHECK(children(loop, s, path).empty());
  close(loop, s);
}

TEST_CASE("mutex: re-entrant on one object; each acquire needs a release") {
  Loop loop;
  Session a = connect(loop), b = connect(loop);
  std::string path = unique_path("mutex-reentrant");
  Mutex ma(a, path), mb(b, path);
  auto first = run(loop, ma.acquire());
  auto second = run(loop, ma.acquire());
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first == *second);
  CHECK(ma.hold_count() == 2);
  CHECK(children(loop, a, path).size() == 1);  // one node for both

  REQUIRE(run(loop, ma.release()).ok());
  CHECK(ma.is_held());
  CHECK(run(loop, mb.acquire(200ms)).code() == Errc::request_timeout);
  REQUIRE(run(loop, ma.release()).ok());
  CHECK(!ma.is_held());
  CHECK(run(loop, ma.release()).code() == Errc::bad_arguments);  // nothing left to release

  auto next = run(loop, mb.acquire(scaled(5s)));
  REQUIRE(next.ok());
  CHECK(*next > *first);
  // A second acquire on an object whose first one still waits is refused.
  auto waiting = start(ma.acquire());
  auto again = run(loop, ma.acquire());
  CHECK(again.code() == Errc::bad_arguments);
  REQUIRE(run(loop, mb.release()).ok());
  REQUIRE(loop.run_until([&] { return waiting->has_value(); }));
  CHECK((*waiting)->ok());
  run(loop, ma.close());
  run(loop, mb.close());
  close(loop, a);
  close(loop, b);
}

TEST_CASE("mutex: a timed-out or cancelled acquire fails and leaves no node behind") {
  Loop loop;
  Session a = connect(loop), b = connect(loop);
  std::string path = unique_path("mutex-timeout");
  Mutex holder(a, path), waiter(b, path);
  REQUIRE(run(loop, holder.acquire()).ok());

  SUBCASE("timeout") {
    double t0 = now_ms();
    auto r = run(loop, waiter.acquire(300ms));
    double took = now_ms() - t0;
    CHECK(r.code() == Errc::request_timeout);
    CHECK(took >= 290);
    CHECK(took < double(scaled(3s).count()));
    // A zero timeout tries once.
    CHECK(run(loop, waiter.acquire(0ms)).code() == Errc::request_timeout);
  }
  SUBCASE("cancellation") {
    CancelSource stop;
    auto r = start(waiter.acquire(stop.token()));
    loop.run_for(200ms);
    CHECK(!r->has_value());
    CHECK(children(loop, a, path).size() == 2);  // the waiter queues
    stop.cancel();
    REQUIRE(loop.run_until([&] { return r->has_value(); }));
    CHECK((*r)->code() == Errc::closing);
    CHECK((*r)->error().message().find("cancelled") != std::string::npos);
    // An already cancelled token stops at once.
    CHECK(run(loop, waiter.acquire(stop.token())).code() == Errc::closing);
  }
  REQUIRE(loop.run_until([&] { return children(loop, a, path).size() == 1; }));
  CHECK(!waiter.is_held());
  run(loop, holder.close());
  run(loop, waiter.close());
  close(loop, a);
  close(loop, b);
}

TEST_CASE("mutex: close releases the lock and stops a waiting acquire") {
  Loop loop;
  Session a = connect(loop), b = connect(loop), c = connect(loop);
  std::string path = unique_path("mutex-close");
  Mutex ma(a, path), mb(b, path), mc(c, path);
  auto ta = run(loop, ma.acquire());
  REQUIRE(ta.ok());
  auto tb = start(mb.acquire());
  auto tc = start(mc.acquire());
  loop.run_for(200ms);
  CHECK(!tb->has_value());
  run(loop, mc.close());  // c stops waiting
  REQUIRE(loop.run_until([&] { return tc->has_value(); }));
  CHECK((*tc)->code() == Errc::closing);
  run(loop, ma.close());  // a's node goes: b is next
  REQUIRE(loop.run_until([&] { return tb->has_value(); }));
  REQUIRE((*tb)->ok());
  CHECK(***tb > *ta);
  CHECK(children(loop, b, path).size() == 1);
  CHECK(run(loop, ma.acquire()).code() == Errc::closing);  // closed for good
  run(loop, mb.close());
  CHECK(children(loop, b, path).empty());
  close(loop, a);
  close(loop, b);
  close(loop, c);
}

TEST_CASE("mutex: a holder whose session expires learns it lost the lock; the next one gets a higher token") {
  Loop loop;
  Session a = connect(loop), b = connect(loop);
  std::string path = unique_path("mutex-expire");
  Mutex ma(a, path), mb(b, path);
  std::vector<OwnershipEvent> events;
  ma.add_listener([&](OwnershipEvent e) { events.push_back(e); });
  auto ta = run(loop, ma.acquire());
  REQUIRE(ta.ok());
  auto tb = start(mb.acquire());
  loop.run_for(100ms);
  CHECK(!tb->has_value());

  auto killed = zkit::testing::expire_session(shared_server().connect_string(), a.session_id(), a.session_password());
  REQUIRE_MESSAGE(killed.ok(), (killed.ok() ? "" : killed.error().message()));
  REQUIRE(loop.run_until([&] { return tb->has_value(); }));
  REQUIRE((*tb)->ok());
  FencingToken later = ***tb;
  CHECK(later > *ta);
  REQUIRE(loop.run_until([&] { return !events.empty() && events.back() == OwnershipEvent::lost; }));
  CHECK(events.front() == OwnershipEvent::suspended);
  CHECK(!ma.is_held());
  CHECK(!ma.token());
  // The storage side: the expired holder's writes are refused once the new one wrote.
  FenceGuard guard;
  CHECK(guard.admit(*ta));
  CHECK(guard.admit(later));
  CHECK(!guard.admit(*ta));
  // The release owed for the lost hold is accepted and does nothing.
  CHECK(run(loop, ma.release()).ok());
  REQUIRE(loop.run_until([&] { return a.state() == SessionState::expired; }));
  CHECK(run(loop, ma.acquire()).code() == Errc::session_expired);
  run(loop, ma.close());
  run(loop, mb.close());
  close(loop, a);
  close(loop, b);
}

TEST_CASE("mutex: on a lost connection the default policy gives up; keep_until_expired keeps the lock") {
  Loop loop;
  auto proxy_r = zkit::testing::FaultProxy::start(shared_server().address(1));
  REQUIRE(proxy_r.ok());
  auto proxy = std::move(proxy_r).value();
  Session a = connect(loop, options_for(proxy->address(), 6000ms));
  Session b = connect(loop);
  std::string path = unique_path("mutex-policy");
  std::vector<OwnershipEvent> events;

  SUBCASE("give_up") {
    Mutex ma(a, path), mb(b, path);
    ma.add_listener([&](OwnershipEvent e) { events.push_back(e); });
    REQUIRE(run(loop, ma.acquire()).ok());
    auto tb = start(mb.acquire());
    loop.run_for(100ms);
    proxy->drop_connections();
    REQUIRE(loop.run_until([&] { return events.size() >= 2; }));
    CHECK(events == std::vector<OwnershipEvent>{OwnershipEvent::suspended, OwnershipEvent::lost});
    CHECK(!ma.is_held());
    // Once a is back, its node is deleted and b gets the lock.
    REQUIRE(loop.run_until([&] { return tb->has_value(); }));
    CHECK((*tb)->ok());
    CHECK(a.state() == SessionState::reconnected);
    run(loop, ma.close());
    run(loop, mb.close());
  }
  SUBCASE("keep_until_expired") {
    MutexOptions keep;
    keep.policy = SuspendPolicy::keep_until_expired;
    Mutex ma(a, path, keep), mb(b, path);
    ma.add_listener([&](OwnershipEvent e) { events.push_back(e); });
    auto ta = run(loop, ma.acquire());
    REQUIRE(ta.ok());
    proxy->drop_connections();
    REQUIRE(loop.run_until([&] { return events.size() >= 2; }));
    CHECK(events == std::vector<OwnershipEvent>{OwnershipEvent::suspended, OwnershipEvent::reconnected});
    CHECK(ma.is_held());
    CHECK(ma.token() == *ta);
    CHECK(run(loop, mb.acquire(200ms)).code() == Errc::request_timeout);
    REQUIRE(run(loop, ma.release()).ok());
    REQUIRE(run(loop, mb.acquire(scaled(5s))).ok());
    run(loop, ma.close());
    run(loop, mb.close());
  }
  close(loop, a);
  close(loop, b);
}

TEST_CASE("lock engine: a lock with a rule of its own (two holders at a time, owner verified)") {
  Loop loop;
  Session a = connect(loop), b = connect(loop), c = connect(loop);
  std::string path = unique_path("custom-rule");
  auto make = [&](Session& s) {
    LockSpec spec;
    spec.path = path;
    spec.marker = "slot-";
    spec.verify_owner = true;
    return Mutex(s, spec, exclusive_rule(2));
  };
  Mutex la = make(a), lb = make(b), lc = make(c);
  auto ta = run(loop, la.acquire());
  auto tb = run(loop, lb.acquire(scaled(2s)));
  REQUIRE(ta.ok());
  REQUIRE(tb.ok());
  CHECK(run(loop, lc.acquire(200ms)).code() == Errc::request_timeout);
  auto tc = start(lc.acquire());
  loop.run_for(100ms);
  CHECK(!tc->has_value());
  for (const auto& n : children(loop, a, path)) CHECK(strip_protection(n).starts_with("slot-"));
  REQUIRE(run(loop, la.release()).ok());  // c watched a's node (two places ahead)
  REQUIRE(loop.run_until([&] { return tc->has_value(); }));
  REQUIRE((*tc)->ok());
  CHECK(***tc > *tb);
  for (Mutex* m : {&la, &lb, &lc}) run(loop, m->close());
  for (Session* s : {&a, &b, &c}) close(loop, *s);
}

TEST_CASE("mutex: a holder whose node is deleted by someone else is told it lost the lock") {
  Loop loop;
  Session a = connect(loop), admin = connect(loop);
  std::string path = unique_path("mutex-deleted");
  Mutex ma(a, path);
  std::vector<OwnershipEvent> events;
  ma.add_listener([&](OwnershipEvent e) { events.push_back(e); });
  REQUIRE(run(loop, ma.acquire()).ok());
  REQUIRE(await(loop, admin.remove(ma.node_path())).ok());
  REQUIRE(loop.run_until([&] { return !events.empty(); }));
  CHECK(events == std::vector<OwnershipEvent>{OwnershipEvent::lost});
  CHECK(!ma.is_held());
  run(loop, ma.close());
  close(loop, a);
  close(loop, admin);
}

}  // TEST_SUITE
