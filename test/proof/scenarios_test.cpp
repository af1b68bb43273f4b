// The proofs: worker processes contend on a recipe through their own fault proxies while the
// test kills the ZooKeeper leader, stalls one worker's network, expires a worker's session
// and (for the mutex) pauses a holder past its session's expiry. Then the checker proves the
// recipe's guarantee from the workers' logs, and the test checks that enough happened for
// the proof to mean something.
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "checker.hpp"
#include "harness.hpp"
#include "sessions.hpp"
#include "zkit/recipes/locks/lock_engine.hpp"

using namespace zkit;
using namespace zkit::proof;

namespace {

std::string fresh_path(const std::string& name) {
  return "/proof/" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(now_ns() % 1000000);
}

int total(Scenario& sc, const std::string& prefix) {
  int n = 0;
  for (auto& w : sc.workers()) n += w->count(prefix);
  return n;
}

// Waits until the workers printed `more` further lines starting with `prefix`: progress.
void expect_progress(Scenario& sc, const std::string& prefix, int more, const std::string& after) {
  int target = total(sc, prefix) + more;
  bool ok = sc.wait([&] { return total(sc, prefix) >= target; }, scaled(60s));
  REQUIRE_MESSAGE(ok, "no progress (" << prefix << ") after " << after);
}

// Stalls worker i past its session timeout and waits until it works on a new session.
void stall_until_expired(Scenario& sc, int i) {
  int sessions = sc.worker(i).count("session ");
  sc.stall(i, kWorkerSessionTimeout + 1500ms);
  bool renewed = sc.wait([&] { return sc.worker(i).count("session ") > sessions; }, scaled(60s));
  REQUIRE_MESSAGE(renewed, "worker " << i << " started no new session after its stall");
}

void expire_until_renewed(Scenario& sc, int i) {
  int sessions = sc.worker(i).count("session ");
  sc.expire(i);
  bool renewed = sc.wait([&] { return sc.worker(i).count("session ") > sessions; }, scaled(60s));
  REQUIRE_MESSAGE(renewed, "worker " << i << " started no new session after its session expired");
}

void report(const std::string& scenario, const std::vector<std::string>& violations, Scenario& sc) {
  std::string faults;
  for (const auto& f : sc.faults()) faults += "\n  " + f;
  MESSAGE(scenario << ": faults injected:" << faults);
  for (const auto& v : violations) FAIL_CHECK(scenario << ": " << v);
}

// Whether another process holds the fenced resource's file lock now (a worker stopped in the
// middle of a write would block every other worker's writes until it resumes).
bool fence_busy(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return true;
  bool busy = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return busy;
}

// Pauses a worker that holds the mutex until its session has expired on the servers and
// another worker has acquired the lock and written to the resource; then lets it go on.
// The classic pause: when it resumes it still believes it holds.
void pause_a_holder(Scenario& sc, const std::string& path, const std::string& fence) {
  auto& cluster = ProofEnsemble::get().cluster();
  Session observer = zkit::test_support::connect(sc.loop(), zkit::test_support::options_for(cluster.connect_string(), 10s));
  bool caught = false;
  for (int attempt = 0; attempt < 8 && !caught; ++attempt) {
    // The next acquisition any worker announces.
    int seen = total(sc, "acquired ");
    REQUIRE(sc.wait([&] { return total(sc, "acquired ") > seen; }, scaled(30s)));
    WorkerProcess* holder = nullptr;
    std::int64_t token = 0, newest = 0;
    for (auto& w : sc.workers())
      for (const auto& l : w->lines())
        if (l.text.starts_with("acquired ") && l.t > newest) {
          newest = l.t;
          holder = w.get();
          token = std::stoll(l.text.substr(9));
        }
    holder->pause();
    const std::int64_t t_stop = now_ns();
    // Still the holder on the servers' side, and not stopped in the middle of a write?
    auto kids = zkit::test_support::await(sc.loop(), observer.get_children(path));
    REQUIRE(kids.ok());
    std::vector<std::string> names = kids->names;
    zkit::recipes::sort_children(names, {"lock-"});
    // Shared: the watch of an attempt given up stays set and may fire later.
    auto deleted = std::make_shared<std::int64_t>(0);  // when
    std::optional<Stat> first;
    if (!names.empty()) {
      Watcher on_deleted = [deleted](const WatchEvent& e) {
        if (e.type == EventType::node_deleted) *deleted = now_ns();
      };
      auto st = zkit::test_support::await(sc.loop(), observer.exists(path + "/" + names.front(), std::move(on_deleted)));
      REQUIRE(st.ok());
      first = *st;
    }
    if (!first || first->czxid != token || fence_busy(fence)) {
      holder->resume();
      continue;
    }
    // Its session expires on the servers (its node goes), and the next holder writes.
    REQUIRE_MESSAGE(sc.wait([&] { return *deleted != 0; }, scaled(30s)), "the paused holder's node was not deleted");
    if (*deleted - t_stop < std::chrono::nanoseconds(kWorkerSessionTimeout / 2).count()) {
      holder->resume();  // too soon for an expiry: its release was in flight when it stopped
      continue;
    }
    auto successor = [&] {
      for (auto& w : sc.workers())
        for (const auto& l : w->lines())
          if (w.get() != holder && l.t > t_stop && l.text.starts_with("acquired ") && std::stoll(l.text.substr(9)) > token)
            return true;
      return false;
    };
    REQUIRE_MESSAGE(sc.wait(successor, scaled(30s)), "nobody acquired the lock after the paused holder expired");
    const std::int64_t t_cont = now_ns();
    holder->resume();
    sc.note_pause(holder->number(), t_stop, t_cont);
    caught = true;
  }
  bool closed = false;
  observer.close([&] { closed = true; });
  sc.wait([&] { return closed; }, scaled(10s));
  REQUIRE_MESSAGE(caught, "could not pause a worker while it held the lock");
}

}  // namespace

TEST_SUITE("proof") {

TEST_CASE("proof: Mutex under leader kill, stall, expiry and a paused holder (fenced writes)") {
  Scenario sc("mutex");
  const std::string path = fresh_path("mutex"), fence = sc.dir() + "/fence";
  sc.start_workers(5, {"--mode=mutex", "--path=" + path, "--fence=" + fence,
                       "--session-timeout-ms=" + std::to_string(kWorkerSessionTimeout.count())});
  expect_progress(sc, "acquired ", 10, "the start");
  sc.kill_leader();
  expect_progress(sc, "acquired ", 5, "the leader's kill");
  stall_until_expired(sc, 1);
  expect_progress(sc, "acquired ", 5, "the stall");
  expire_until_renewed(sc, 2);
  expect_progress(sc, "acquired ", 5, "the expiry");
  pause_a_holder(sc, path, fence);
  expect_progress(sc, "acquired ", 5, "the pause");
  sc.stop_workers();

  Records r = sc.records();
  report("mutex", check_mutex(r), sc);
  int refused = 0;
  for (const auto& w : r.writes) refused += w.accepted ? 0 : 1;
  MESSAGE("mutex: " << r.holds.size() << " holds, " << r.writes.size() << " writes (" << refused << " refused), "
                    << r.sessions << " sessions");
  CHECK(r.holds.size() >= 30);
  CHECK(r.pauses.size() == 1);
  // The paused holder came back believing it held: its write was refused by the fence.
  CHECK(refused >= 1);
}

TEST_CASE("proof: LeaderLatch under leader kill, stall and expiry") {
  Scenario sc("latch");
  const std::string path = fresh_path("latch");
  sc.start_workers(5, {"--mode=latch", "--path=" + path,
                       "--session-timeout-ms=" + std::to_string(kWorkerSessionTimeout.count())});
  expect_progress(sc, "leader ", 5, "the start");
  sc.kill_leader();
  expect_progress(sc, "leader ", 3, "the leader's kill");
  stall_until_expired(sc, 1);
  expect_progress(sc, "leader ", 3, "the stall");
  expire_until_renewed(sc, 2);
  expect_progress(sc, "leader ", 3, "the expiry");
  sc.stop_workers();

  Records r = sc.records();
  report("latch", check_latch(r), sc);
  std::vector<std::int64_t> tokens;
  for (const auto& t : r.terms) tokens.push_back(t.token);
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  MESSAGE("latch: " << r.terms.size() << " terms, " << tokens.size() << " distinct tokens, " << r.sessions
                    << " sessions");
  CHECK(r.terms.size() >= 15);
  CHECK(tokens.size() >= 10);
}

TEST_CASE("proof: DoubleBarrier rounds under leader kill and a stalled member") {
  constexpr int kMembers = 4, kRounds = 30;
  Scenario sc("double-barrier");
  const std::string path = fresh_path("barrier");
  // A longer session timeout than the others: a stall must delay a member, not expire it
  // (an expired member cannot finish its round).
  sc.start_workers(kMembers, {"--mode=double-barrier", "--path=" + path, "--members=" + std::to_string(kMembers),
                              "--rounds=" + std::to_string(kRounds), "--session-timeout-ms=8000"});
  expect_progress(sc, "round ", kMembers, "the start");
  sc.stall(1, 1500ms);
  expect_progress(sc, "round ", kMembers, "the stall");
  sc.kill_leader();
  bool done = sc.wait([&] { return total(sc, "done") == kMembers; }, scaled(120s));
  REQUIRE_MESSAGE(done, "the members did not finish their rounds");
  sc.stop_workers();

  Records r = sc.records();
  report("double barrier", check_barrier(r, kMembers, kRounds), sc);
  MESSAGE("double barrier: " << r.rounds.size() << " member-rounds");
  CHECK(r.rounds.size() == static_cast<std::size_t>(kMembers * kRounds));
}

TEST_CASE("proof: Partitioner under leader kill, stall, expiry and members coming and going") {
  constexpr int kShards = 12;
  Scenario sc("partitioner");
  const std::string path = fresh_path("partitioner");
  sc.start_workers(5, {"--mode=partitioner", "--path=" + path, "--shards=" + std::to_string(kShards),
                       "--session-timeout-ms=" + std::to_string(kWorkerSessionTimeout.count())});
  expect_progress(sc, "own ", kShards, "the start");
  sc.kill_leader();
  stall_until_expired(sc, 1);
  expire_until_renewed(sc, 2);
  expect_progress(sc, "own ", kShards, "the faults");
  sc.stop_workers();

  Records r = sc.records();
  report("partitioner", check_partitioner(r), sc);
  MESSAGE("partitioner: " << r.ownerships.size() << " shard ownerships, " << r.sessions << " sessions");
  CHECK(r.ownerships.size() >= 3 * kShards);
}

}  // TEST_SUITE
