#include "checker.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace zkit::proof {

namespace {

// A duration in nanoseconds as "12.3 ms".
std::string as_ms(std::int64_t ns) {
  std::ostringstream out;
  out << (ns / 1000000) << "." << ((ns / 100000) % 10) << " ms";
  return out.str();
}

template <class T, class Key>
std::vector<T> sorted_by(std::vector<T> v, Key key) {
  std::stable_sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  return v;
}

// Whether `worker` was paused at some time in [from, before): its pause began before
// `before` and ended after `from`.
bool paused_within(const std::vector<Pause>& pauses, int worker, std::int64_t from, std::int64_t before) {
  for (const auto& p : pauses)
    if (p.worker == worker && p.t_stop < before && p.t_cont > from) return true;
  return false;
}

// Whether `worker` lost the session it had at `t`: it started another one later. ZooKeeper
// can expire a session before the client's own timer says it may be gone (seen right after a
// leader change: expired 2 s after the new leader took over, though the client had been heard
// since), so the old owner learns of the loss a little after the next owner began. Such an
// overlap is allowed only where the tokens order the two owners, so that storage checking
// tokens refuses the old one.
bool lost_session_after(const std::vector<SessionStart>& starts, int worker, std::int64_t t) {
  for (const auto& s : starts)
    if (s.worker == worker && s.t > t) return true;
  return false;
}

}  // namespace

std::vector<std::string> check_mutex(const Records& r) {
  std::vector<std::string> bad;
  auto holds = sorted_by(r.holds, [](const Hold& h) { return h.t_in; });
  for (const auto& h : holds)
    if (h.t_out < h.t_in) bad.push_back("worker " + std::to_string(h.worker) + " has a hold that ends before it begins");
  for (std::size_t i = 1; i < holds.size(); ++i)
    if (holds[i].token <= holds[i - 1].token)
      bad.push_back("tokens do not increase: worker " + std::to_string(holds[i - 1].worker) + " held with " +
                    std::to_string(holds[i - 1].token) + ", then worker " + std::to_string(holds[i].worker) +
                    " with " + std::to_string(holds[i].token));
  for (std::size_t i = 0; i < holds.size(); ++i) {
    for (std::size_t j = i + 1; j < holds.size() && holds[j].t_in < holds[i].t_out; ++j) {
      const Hold &a = holds[i], &b = holds[j];
      std::string what = "workers " + std::to_string(a.worker) + " (token " + std::to_string(a.token) + ") and " +
                         std::to_string(b.worker) + " (token " + std::to_string(b.token) + ") held at once for " +
                         as_ms(std::min(a.t_out, b.t_out) - b.t_in);
      if (!paused_within(r.pauses, a.worker, a.t_in, b.t_in) &&
          !(lost_session_after(r.session_starts, a.worker, a.t_in) && b.token > a.token)) {
        bad.push_back(what + ", and the first one was not paused and did not lose its session");
        continue;
      }
      for (const auto& w : r.writes)
        if (w.worker == a.worker && w.token == a.token && w.t >= b.t_in && w.accepted)
          bad.push_back(what + ": the stale holder's write at " + as_ms(w.t - b.t_in) +
                        " into the overlap was accepted");
    }
  }
  std::int64_t highest = 0;
  for (const auto& w : sorted_by(r.writes, [](const Write& w) { return w.t; })) {
    if (!w.accepted) continue;
    if (w.token < highest)
      bad.push_back("the resource admitted token " + std::to_string(w.token) + " of worker " +
                    std::to_string(w.worker) + " after token " + std::to_string(highest));
    highest = std::max(highest, w.token);
  }
  return bad;
}

std::vector<std::string> check_latch(const Records& r) {
  std::vector<std::string> bad;
  auto terms = sorted_by(r.terms, [](const Term& t) { return t.t_start; });
  std::map<std::int64_t, int> led_by;
  for (const auto& t : terms) {
    auto [it, fresh] = led_by.emplace(t.token, t.worker);
    if (!fresh && it->second != t.worker)
      bad.push_back("two leaders in one term: workers " + std::to_string(it->second) + " and " +
                    std::to_string(t.worker) + " both led with token " + std::to_string(t.token));
  }
  for (std::size_t i = 0; i < terms.size(); ++i) {
    for (std::size_t j = i + 1; j < terms.size() && terms[j].t_start < terms[i].t_end; ++j)
      if (terms[j].worker != terms[i].worker &&
          !(lost_session_after(r.session_starts, terms[i].worker, terms[i].t_start) &&
            terms[j].token > terms[i].token))
        bad.push_back("workers " + std::to_string(terms[i].worker) + " and " + std::to_string(terms[j].worker) +
                      " led at once for " + as_ms(std::min(terms[i].t_end, terms[j].t_end) - terms[j].t_start));
    if (i > 0 && terms[i].worker != terms[i - 1].worker && terms[i].token <= terms[i - 1].token)
      bad.push_back("term tokens do not increase: " + std::to_string(terms[i - 1].token) + " (worker " +
                    std::to_string(terms[i - 1].worker) + ") then " + std::to_string(terms[i].token) + " (worker " +
                    std::to_string(terms[i].worker) + ")");
  }
  return bad;
}

std::vector<std::string> check_barrier(const Records& r, int members, int rounds) {
  std::vector<std::string> bad;
  std::map<int, std::vector<Round>> by_round;
  for (const auto& x : r.rounds) by_round[x.round].push_back(x);
  for (int n = 0; n < rounds; ++n) {
    const auto& got = by_round[n];
    const std::string round = "round " + std::to_string(n);
    std::set<int> who;
    for (const auto& x : got) {
      if (!x.ok) bad.push_back(round + ": worker " + std::to_string(x.worker) + " failed: " + x.error);
      if (!who.insert(x.worker).second) bad.push_back(round + ": worker " + std::to_string(x.worker) + " twice");
    }
    if (static_cast<int>(who.size()) != members) {
      bad.push_back(round + ": " + std::to_string(who.size()) + " of " + std::to_string(members) +
                    " members went through");
      continue;
    }
    std::int64_t last_enter_begin = 0, first_enter_end = INT64_MAX, last_leave_begin = 0, first_leave_end = INT64_MAX;
    for (const auto& x : got) {
      last_enter_begin = std::max(last_enter_begin, x.enter_begin);
      first_enter_end = std::min(first_enter_end, x.enter_end);
      last_leave_begin = std::max(last_leave_begin, x.leave_begin);
      first_leave_end = std::min(first_leave_end, x.leave_end);
    }
    if (first_enter_end < last_enter_begin)
      bad.push_back(round + ": a member was let in " + as_ms(last_enter_begin - first_enter_end) +
                    " before the last one arrived");
    if (first_leave_end < last_leave_begin)
      bad.push_back(round + ": a member got out " + as_ms(last_leave_begin - first_leave_end) +
                    " before the last one began to leave");
  }
  for (const auto& [n, got] : by_round)
    if (n < 0 || n >= rounds) bad.push_back("round " + std::to_string(n) + " was not expected");
  return bad;
}

std::vector<std::string> check_partitioner(const Records& r) {
  std::vector<std::string> bad;
  std::map<int, std::vector<Ownership>> by_shard;
  for (const auto& o : r.ownerships) by_shard[o.shard].push_back(o);
  for (auto& [shard, list] : by_shard) {
    auto owned = sorted_by(list, [](const Ownership& o) { return o.t_start; });
    const std::string name = "shard " + std::to_string(shard);
    std::int64_t last_token = 0;
    int last_worker = -1;
    for (std::size_t i = 0; i < owned.size(); ++i) {
      for (std::size_t j = i + 1; j < owned.size() && owned[j].t_start < owned[i].t_end; ++j)
        if (owned[j].worker != owned[i].worker &&
            !(lost_session_after(r.session_starts, owned[i].worker, owned[i].t_start) &&
              owned[j].token > owned[i].token))
          bad.push_back(name + " owned by workers " + std::to_string(owned[i].worker) + " and " +
                        std::to_string(owned[j].worker) + " at once for " +
                        as_ms(std::min(owned[i].t_end, owned[j].t_end) - owned[j].t_start));
      if (last_worker >= 0 && owned[i].worker != last_worker && owned[i].token <= last_token)
        bad.push_back(name + ": token " + std::to_string(owned[i].token) + " of worker " +
                      std::to_string(owned[i].worker) + " is not above " + std::to_string(last_token) +
                      " of worker " + std::to_string(last_worker));
      last_token = owned[i].token;
      last_worker = owned[i].worker;
    }
  }
  return bad;
}

}  // namespace zkit::proof
