#include "herd_workload.hpp"

#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "driver.hpp"
#include "loop.hpp"
#include "syscalls.hpp"
#include "zkit/session.hpp"
#include "zkit/testing/cluster.hpp"

namespace zkit::bench {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::ordered_json;

// What both clients count, from any thread.
struct Tally {
  std::atomic<int> connected{0};    // sessions connected now
  std::atomic<int> reconnected{0};  // sessions back after the kill
  std::atomic<int> rewatched{0};    // sessions whose sync after reconnecting was answered
  std::atomic<int> expired{0};
  std::atomic<bool> killing{false};  // set just before member 1 is killed
  std::atomic<std::uint64_t> events{0};  // data-changed events delivered
  std::atomic<std::int64_t> last_reconnect_ns{0}, last_rewatch_ns{0};
};

std::int64_t now_ns() { return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count(); }

void note_latest(std::atomic<std::int64_t>& slot) {
  std::int64_t t = now_ns(), seen = slot.load();
  while (seen < t && !slot.compare_exchange_weak(seen, t)) {
  }
}

// Peak of "open descriptors - the ones that are not a connecting session's socket - sessions
// connected", sampled every 25 ms on a thread of its own: sockets whose TCP or ZooKeeper
// handshake is in flight, counted from the client side. `fixed` is what the process holds besides
// one socket per connected session (its own descriptors; the C client's 2 pipe ends per handle).
class InFlightSampler {
 public:
  InFlightSampler(const Tally& t, int fixed) : tally_(t), fixed_(fixed), thread_([this] { sample(); }) {}
  ~InFlightSampler() { stop(); }
  int stop() {
    if (thread_.joinable()) {
      {
        std::lock_guard lock(mu_);
        done_ = true;
      }
      cv_.notify_all();
      thread_.join();
    }
    return peak_;
  }

 private:
  void sample() {
    std::unique_lock lock(mu_);
    while (!done_) {
      int n = open_fds() - fixed_ - tally_.connected.load();
      peak_ = std::max(peak_, n);
      cv_.wait_for(lock, 25ms);
    }
  }
  const Tally& tally_;
  int fixed_;
  int peak_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

// The setter's session lives on a loop of its own, which runs only inside its calls: while the
// herd is measured it gets a non-blocking turn about once a second so that it stays alive.
void keep_alive(Driver& setter) {
  static thread_local Clock::time_point last{};
  if (Clock::now() - last < 1s) return;
  last = Clock::now();
  setter.idle();
}

std::vector<std::string> node_paths(const std::string& root, int n) {
  std::vector<std::string> v;
  char name[32];
  for (int i = 0; i < n; ++i) {
    std::snprintf(name, sizeof name, "/h%05d", i);
    v.push_back(root + name);
  }
  return v;
}

const std::string& watched(const std::vector<std::string>& nodes, int session, int k, int per) {
  return nodes[static_cast<std::size_t>((session * per + k) % static_cast<int>(nodes.size()))];
}

// The part both clients share once their sessions are up and watching: kill member 1, wait
// until `herd` sessions are back and re-registered, restart it, fire every watch.
struct Phases {
  testing::Cluster& cluster;
  Tally& tally;
  int herd;             // sessions on member 1, which must move
  std::uint64_t watches;  // events expected when every node is set
  Deadline limit;
};

template <class Pump>
void kill_and_measure(Phases& ph, json& j, int fixed, Pump&& pump) {
  SyscallCounts before = syscall_counts();
  double cpu = process_cpu_seconds();
  InFlightSampler sampler(ph.tally, fixed);
  auto start = Clock::now();
  std::int64_t start_ns = now_ns();
  auto killed = ph.cluster.kill(1);
  if (!killed) {
    j["failure"] = "cannot kill member 1: " + killed.error().message();
    return;
  }
  // Bounded by the limit and by twice the session timeout: past that, sessions have expired.
  bool back = pump([&] { return ph.tally.rewatched.load() + ph.tally.expired.load() >= ph.herd; }, ph.limit);
  j["in_flight_handshakes_peak"] = sampler.stop();
  j["connect_calls"] = syscall_counts().connects - before.connects;
  j["cpu_seconds"] = process_cpu_seconds() - cpu;
  auto since = [&](std::int64_t t) { return t > start_ns ? static_cast<double>(t - start_ns) / 1e9 : -1.0; };
  j["all_reconnected_seconds"] = since(ph.tally.last_reconnect_ns.load());
  j["all_rewatched_seconds"] = since(ph.tally.last_rewatch_ns.load());
  j["reconnected"] = ph.tally.reconnected.load();
  j["rewatched"] = ph.tally.rewatched.load();
  j["expired"] = ph.tally.expired.load();
  j["waited_seconds"] = seconds_since(start);
  if (!back) j["failure"] = std::to_string(ph.tally.rewatched.load()) + " of " + std::to_string(ph.herd) + " sessions back before the deadline";
  else if (ph.tally.expired.load() > 0) j["failure"] = std::to_string(ph.tally.expired.load()) + " sessions expired";
}

void restart_and_fire(Phases& ph, json& j, Driver& setter, const std::vector<std::string>& nodes,
                      const std::function<bool(const std::function<bool()>&, Deadline)>& pump) {
  Meter restart;
  auto restarted = ph.cluster.restart(1);
  restart.stop();
  j["restart_seconds"] = restart.seconds();
  if (!restarted && !j.contains("failure")) j["failure"] = "cannot restart member 1: " + restarted.error().message();
  std::uint64_t before = ph.tally.events.load();
  Outcome o = setter.pipelined(Op::set, nodes, "y", 1000, ph.limit);
  bool all = pump([&] { return ph.tally.events.load() - before >= ph.watches; }, std::min(ph.limit, deadline_in(60s)));
  j["events_after"] = ph.tally.events.load() - before;
  j["watches"] = ph.watches;
  if (!j.contains("failure") && !o.failure.empty()) j["failure"] = "setting the nodes: " + o.failure;
  if (!j.contains("failure") && !all)
    j["failure"] = std::to_string(ph.tally.events.load() - before) + " of " + std::to_string(ph.watches) + " watches fired after";
}

// --- zkit -----------------------------------------------------------------------------------

json herd_zkit(testing::Cluster& cluster, const std::vector<std::string>& nodes, const HerdParams& p,
               Deadline limit, Driver& setter) {
  json j{{"client", "zkit"}, {"sessions", p.zkit_sessions}, {"watches_per_session", p.watches_per_session}};
  Tally t;
  Loop loop;
  // Every session on member 1 first: the host list in order, not shuffled.
  std::string hosts = cluster.address(1) + "," + cluster.address(2) + "," + cluster.address(3);
  auto options = [&] {
    return Options{.connect = hosts,
                   .session_timeout = std::chrono::milliseconds(p.session_timeout_ms),
                   .shuffle_hosts = false,
                   .log_level = LogLevel::error};
  };
  std::vector<std::unique_ptr<Session>> sessions;
  auto start = Clock::now();
  for (int i = 0; i < p.zkit_sessions; ++i) {
    auto s = Session::start(loop.get(), options());
    if (!s) {
      j["failure"] = "session " + std::to_string(i) + ": " + s.error().message();
      return j;
    }
    Session* raw = sessions.emplace_back(std::make_unique<Session>(std::move(s).value())).get();
    raw->add_listener([&t, raw](SessionState st) {
      if (st == SessionState::connected || st == SessionState::reconnected) ++t.connected;
      else if (st == SessionState::suspended) --t.connected;
      else if (st == SessionState::expired) ++t.expired;
      if (st != SessionState::reconnected || !t.killing.load()) return;
      ++t.reconnected;
      note_latest(t.last_reconnect_ns);
      // The re-registered watches were queued with the handshake, ahead of this sync.
      raw->sync("/", [&t](Result<void> r) {
        if (!r) return;
        ++t.rewatched;
        note_latest(t.last_rewatch_ns);
      });
    });
  }
  auto pump = [&](const std::function<bool()>& done, Deadline d) {
    return loop.run_until(
        [&] {
          keep_alive(setter);
          return done();
        },
        d);
  };
  if (!pump([&] { return t.connected.load() >= p.zkit_sessions; }, limit)) {
    j["failure"] = std::to_string(t.connected.load()) + " of " + std::to_string(p.zkit_sessions) + " sessions connected";
  }
  j["connect_seconds"] = seconds_since(start);
  int herd = 0;
  for (auto& s : sessions)
    if (s->connected_host() == cluster.address(1)) ++herd;
  j["on_killed_member"] = herd;
  // Ten data watches each.
  std::size_t answered = 0, failed = 0;
  auto watcher = [&t] {
    return Watcher([&t](const WatchEvent& e) {
      if (e.type == EventType::node_data_changed) ++t.events;
    });
  };
  for (int i = 0; i < p.zkit_sessions && !j.contains("failure"); ++i)
    for (int k = 0; k < p.watches_per_session; ++k)
      sessions[static_cast<std::size_t>(i)]->exists(watched(nodes, i, k, p.watches_per_session), watcher(),
                                                    [&](Result<std::optional<Stat>> r) {
                                                      ++answered;
                                                      if (!r || !*r) ++failed;
                                                    });
  std::size_t wanted = static_cast<std::size_t>(p.zkit_sessions) * static_cast<std::size_t>(p.watches_per_session);
  if (!j.contains("failure") && (!pump([&] { return answered >= wanted; }, limit) || failed > 0))
    j["failure"] = std::to_string(answered - failed) + " of " + std::to_string(wanted) + " watches set";
  if (!j.contains("failure")) {
    t.killing = true;
    Phases ph{cluster, t, herd, wanted, limit};
    kill_and_measure(ph, j, open_fds() - t.connected.load(), pump);
    restart_and_fire(ph, j, setter, nodes, pump);
  }
  std::size_t closed = 0;
  for (auto& s : sessions) s->close([&closed] { ++closed; });
  loop.run_until([&] { return closed == sessions.size(); }, deadline_in(60s));
  sessions.clear();
  return j;
}

// --- the C client ---------------------------------------------------------------------------

struct CHandle {
  Tally* tally;
  bool up = false;  // on the handle's completion thread only
};

void c_on_sync(int rc, const char*, const void* ctx) {
  auto* t = static_cast<Tally*>(const_cast<void*>(ctx));
  if (rc != ZOK) return;
  ++t->rewatched;
  note_latest(t->last_rewatch_ns);
}

void c_watcher(zhandle_t* zh, int type, int state, const char*, void* ctx) {
  auto* h = static_cast<CHandle*>(ctx);
  Tally& t = *h->tally;
  if (type == ZOO_CHANGED_EVENT) {
    ++t.events;
    return;
  }
  if (type != ZOO_SESSION_EVENT) return;
  if (state == ZOO_CONNECTED_STATE) {
    if (h->up) return;
    h->up = true;
    ++t.connected;
    if (!t.killing.load()) return;
    ++t.reconnected;
    note_latest(t.last_reconnect_ns);
    zoo_async(zh, "/", c_on_sync, h->tally);
  } else if (state == ZOO_EXPIRED_SESSION_STATE) {
    ++t.expired;
  } else if (state == ZOO_CONNECTING_STATE && h->up) {
    h->up = false;
    --t.connected;
  }
}

void c_on_exists(int, const struct ::Stat*, const void* ctx) {
  static_cast<std::atomic<std::size_t>*>(const_cast<void*>(ctx))->fetch_add(1);
}

json herd_c(testing::Cluster& cluster, const std::vector<std::string>& nodes, const HerdParams& p, Deadline limit,
            Driver& setter) {
  json j{{"client", "c"}, {"sessions", p.c_sessions}, {"watches_per_session", p.watches_per_session}};
  Tally t;
  std::string hosts = cluster.address(1) + "," + cluster.address(2) + "," + cluster.address(3);
  std::vector<CHandle> ctx(static_cast<std::size_t>(p.c_sessions), CHandle{&t});
  std::vector<zhandle_t*> handles;
  auto start = Clock::now();
  for (auto& c : ctx) {
    zhandle_t* zh = zookeeper_init(hosts.c_str(), c_watcher, p.session_timeout_ms, nullptr, &c, 0);
    if (!zh) break;
    zoo_set_servers_resolution_delay(zh, -1);
    handles.push_back(zh);
  }
  auto wait = [&](const std::function<bool()>& done, Deadline d) {
    while (!done()) {
      keep_alive(setter);
      if (Clock::now() >= d) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  };
  if (!wait([&] { return t.connected.load() >= p.c_sessions; }, limit))
    j["failure"] = std::to_string(t.connected.load()) + " of " + std::to_string(p.c_sessions) + " sessions connected";
  j["connect_seconds"] = seconds_since(start);
  // The C client shuffles its host list: only the sessions on member 1 make the herd.
  int herd = 0;
  for (zhandle_t* zh : handles) {
    const char* server = zoo_get_current_server(zh);
    if (server && std::string(server) == cluster.address(1)) ++herd;
  }
  j["on_killed_member"] = herd;
  std::atomic<std::size_t> answered{0};
  std::size_t wanted = handles.size() * static_cast<std::size_t>(p.watches_per_session);
  for (std::size_t i = 0; i < handles.size() && !j.contains("failure"); ++i)
    for (int k = 0; k < p.watches_per_session; ++k)
      zoo_aexists(handles[i], watched(nodes, static_cast<int>(i), k, p.watches_per_session).c_str(), 1, c_on_exists,
                  &answered);
  if (!j.contains("failure") && !wait([&] { return answered.load() >= wanted; }, limit))
    j["failure"] = std::to_string(answered.load()) + " of " + std::to_string(wanted) + " watches set";
  if (!j.contains("failure")) {
    t.killing = true;
    // Only the herd's sessions reconnect; the others stay where they are.
    Phases ph{cluster, t, herd, wanted, limit};
    kill_and_measure(ph, j, open_fds() - t.connected.load(), wait);
    restart_and_fire(ph, j, setter, nodes, wait);
  }
  for (zhandle_t* zh : handles) zookeeper_close(zh);
  return j;
}

}  // namespace

json herd(const std::string& client, testing::Cluster& cluster, const std::string& root, const HerdParams& p,
          std::chrono::milliseconds limit) {
  Deadline d = deadline_in(limit);
  std::string error;
  auto setter = connect_zkit(cluster.address(2), d, error);
  if (!setter) return json{{"client", client}, {"failure", "setup session: " + error}};
  std::vector<std::string> dirs = {root};
  Outcome o = setter->pipelined(Op::create, dirs, {}, 1, d);
  auto nodes = node_paths(root, p.nodes);
  if (o.failure.empty()) o = setter->pipelined(Op::create, nodes, "x", 1000, d);
  if (!o.failure.empty()) return json{{"client", client}, {"failure", "creating the nodes: " + o.failure}};
  return client == "zkit" ? herd_zkit(cluster, nodes, p, d, *setter) : herd_c(cluster, nodes, p, d, *setter);
}

}  // namespace zkit::bench
