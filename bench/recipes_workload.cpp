#include "recipes_workload.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "loop.hpp"
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::bench {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::ordered_json;

double micros_since(Clock::time_point t) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t).count();
}

json summary(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return json{{"count", v.size()}, {"p50_us", percentile(v, 50)}, {"p99_us", percentile(v, 99)},
              {"max_us", v.empty() ? 0.0 : v.back()}};
}

// Sessions on one loop, each connected (or the failure says why).
struct Sessions {
  std::vector<std::unique_ptr<Session>> all;
  std::string failure;
};

std::unique_ptr<Session> connect_one(Loop& loop, const std::string& hosts, Deadline deadline, std::string& failure) {
  auto s = Session::start(loop.get(), Options{.connect = hosts, .session_timeout = 40s, .log_level = LogLevel::error});
  if (!s) {
    failure = s.error().message();
    return nullptr;
  }
  auto session = std::make_unique<Session>(std::move(s).value());
  if (!loop.run_until([&] { return session->state() == SessionState::connected; }, deadline)) {
    failure = "a session did not connect in time";
    return nullptr;
  }
  return session;
}

void close_all(Loop& loop, std::vector<std::unique_ptr<Session>>& sessions) {
  std::size_t closed = 0;
  for (auto& s : sessions) s->close([&closed] { ++closed; });
  loop.run_until([&] { return closed == sessions.size(); }, deadline_in(30s));
  sessions.clear();
}

// --- lock hand-off --------------------------------------------------------------------------

struct HandOff {
  int rounds;
  std::vector<double> micros;
  std::optional<Clock::time_point> released;  // when the last holder called release()
  int finished = 0;
  std::string failure;
};

// One contender: acquire, note how long since the previous holder released, release at once.
Task<void> contend(recipes::Mutex& lock, HandOff& h) {
  while (static_cast<int>(h.micros.size()) < h.rounds && h.failure.empty()) {
    auto token = co_await lock.acquire(60s);
    if (!token) {
      h.failure = "lock acquire: " + token.error().message();
      break;
    }
    if (h.released && static_cast<int>(h.micros.size()) < h.rounds) h.micros.push_back(micros_since(*h.released));
    h.released = Clock::now();
    auto released = co_await lock.release();
    if (!released) {
      h.failure = "lock release: " + released.error().message();
      break;
    }
  }
  ++h.finished;
}

Task<void> close_lock(recipes::Mutex& lock, int& closed) {
  co_await lock.close();
  ++closed;
}

json lock_handoff(const std::string& hosts, const std::string& root, const RecipeParams& p, Deadline deadline) {
  json j{{"contenders", p.lock_contenders}};
  Loop loop;
  std::vector<std::unique_ptr<Session>> sessions;
  std::string failure;
  for (int i = 0; i < p.lock_contenders && failure.empty(); ++i)
    if (auto s = connect_one(loop, hosts, deadline, failure)) sessions.push_back(std::move(s));
  if (!failure.empty()) {
    j["failure"] = failure;
    close_all(loop, sessions);
    return j;
  }
  std::vector<std::unique_ptr<recipes::Mutex>> locks;
  for (auto& s : sessions) locks.push_back(std::make_unique<recipes::Mutex>(*s, root + "/lock"));
  HandOff h{p.lock_handoffs, {}, std::nullopt, 0, ""};
  for (auto& l : locks) spawn(contend(*l, h));
  if (!loop.run_until([&] { return h.finished == static_cast<int>(locks.size()); }, deadline) && h.failure.empty())
    h.failure = std::to_string(h.micros.size()) + " of " + std::to_string(h.rounds) + " hand-offs before the deadline";
  int closed = 0;
  for (auto& l : locks) spawn(close_lock(*l, closed));
  loop.run_until([&] { return closed == static_cast<int>(locks.size()); }, deadline_in(30s));
  locks.clear();
  close_all(loop, sessions);
  j["handoff"] = summary(h.micros);
  if (!h.failure.empty()) j["failure"] = h.failure;
  return j;
}

// --- leader failover ------------------------------------------------------------------------

struct Member {
  std::unique_ptr<Session> session;
  std::unique_ptr<recipes::LeaderLatch> latch;
  std::optional<Clock::time_point> acquired;  // when it last became leader
};

json leader_failover(const std::string& hosts, const std::string& root, const RecipeParams& p, Deadline deadline) {
  json j{{"members", p.election_members}};
  Loop loop;
  std::vector<std::unique_ptr<Member>> members;
  std::vector<std::unique_ptr<Member>> gone;  // closed leaders, kept until the end
  std::string failure;
  int joined = 0;
  auto join = [&](int id) {
    auto m = std::make_unique<Member>();
    m->session = connect_one(loop, hosts, deadline, failure);
    if (!m->session) return false;
    m->latch = std::make_unique<recipes::LeaderLatch>(*m->session, root + "/election",
                                                      "member-" + std::to_string(id));
    Member* raw = m.get();
    m->latch->add_listener([raw](recipes::OwnershipEvent e) {
      if (e == recipes::OwnershipEvent::acquired) raw->acquired = Clock::now();
    });
    // start() completes once our node is in place (node_path() is set), or with why it cannot
    // join; the slot is shared so that a start completing after a timeout writes into live memory.
    auto started = std::make_shared<std::optional<Result<void>>>();
    spawn([](recipes::LeaderLatch* latch, std::shared_ptr<std::optional<Result<void>>> out) -> Task<void> {
      auto joined = co_await latch->start();
      out->emplace(std::move(joined));
    }(m->latch.get(), started));
    if (!loop.run_until([&] { return started->has_value(); }, deadline)) {
      failure = "a member did not join the election in time";
      return false;
    }
    if (!**started) {
      failure = "latch start: " + (*started)->error().message();
      return false;
    }
    members.push_back(std::move(m));
    ++joined;
    return true;
  };
  for (int i = 0; i < p.election_members && failure.empty(); ++i) join(i);
  std::vector<double> micros;
  for (int round = 0; round < p.failovers && failure.empty(); ++round) {
    Member* leader = nullptr;
    auto find_leader = [&] {
      leader = nullptr;
      for (auto& m : members)
        if (m->latch->has_leadership()) leader = m.get();
      return leader != nullptr;
    };
    if (!loop.run_until(find_leader, deadline)) {
      failure = "no leader in time";
      break;
    }
    for (auto& m : members) m->acquired.reset();
    // The leader's session closes (its ephemeral node goes with it): the next one takes over.
    auto start = Clock::now();
    leader->session->close({});
    Member* next = nullptr;
    if (!loop.run_until(
            [&] {
              for (auto& m : members)
                if (m.get() != leader && m->acquired) next = m.get();
              return next != nullptr;
            },
            deadline)) {
      failure = "no new leader in time after round " + std::to_string(round);
      break;
    }
    micros.push_back(std::chrono::duration<double, std::micro>(*next->acquired - start).count());
    auto it = std::find_if(members.begin(), members.end(), [&](auto& m) { return m.get() == leader; });
    gone.push_back(std::move(*it));
    members.erase(it);
    join(joined);
  }
  int closed = 0;
  auto close_latch = [](recipes::LeaderLatch& l, int& n) -> Task<void> {
    co_await l.close();
    ++n;
  };
  for (auto& m : members) spawn(close_latch(*m->latch, closed));
  loop.run_until([&] { return closed == static_cast<int>(members.size()); }, deadline_in(30s));
  std::vector<std::unique_ptr<Session>> sessions;
  for (auto* list : {&members, &gone})
    for (auto& m : *list) {
      m->latch.reset();
      if (m->session) sessions.push_back(std::move(m->session));
    }
  close_all(loop, sessions);
  j["failover"] = summary(micros);
  if (!failure.empty()) j["failure"] = failure;
  return j;
}

}  // namespace

json w5_recipes(const std::string& hosts, const std::string& root, const RecipeParams& p,
                std::chrono::milliseconds limit) {
  return json{{"lock", lock_handoff(hosts, root, p, deadline_in(limit))},
              {"election", leader_failover(hosts, root, p, deadline_in(limit))}};
}

}  // namespace zkit::bench
