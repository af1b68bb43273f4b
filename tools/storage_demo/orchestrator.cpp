#include "orchestrator.hpp"

#include <algorithm>
#include <coroutine>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "fenced_ledger.hpp"
#include "loop.hpp"
#include "node_process.hpp"
#include "ownership_log.hpp"
#include "protocol.hpp"
#include "zkit/task.hpp"
#include "zkit/testing/cluster.hpp"
#include "zkit/timer.hpp"

namespace zkit::demo {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr int kNodes = 3;
// A killed node's session expires this soon, so failover takes about as long. It must also
// outlast a ZooKeeper leader election (step 4), which on a busy machine takes seconds.
constexpr auto kNodeSessionTimeout = 4000ms;

std::string hex(std::int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

// What the orchestrator knows about one node, from its events.
struct NodeView {
  std::unique_ptr<NodeProcess> process;
  int pid = 0;
  double spawned_at = 0, registered_at = -1;
  std::vector<std::string> peers;
  std::string session;  // hex id
  double suspended_at = -1, resumed_at = -1;
  bool expired = false, exited = false;
  int status = 0;
  std::int64_t last_lock_token = 0;
};

// A condition the story waits for, and when it first held (monotonic ms; < 0: not yet).
struct Milestone {
  std::function<bool()> holds;
  double at = -1;
};

class Story {
 public:
  explicit Story(const DemoOptions& o) : options_(o) {}

  int run() {
    t0_ = monotonic_ms();
    std::printf("zkit storage demo: three storage nodes coordinate through ZooKeeper with zkit's\n"
                "recipes; then their leader is killed%s.\n",
                options_.kill_zookeeper ? ", and then a ZooKeeper server" : "");
    heading("1. start-up");
    testing::ClusterOptions co;
    co.size = 3;
    co.tick_ms = 500;  // sessions of 1-10 s, so a dead node's session ends within seconds
    auto cluster = testing::Cluster::start(co);
    if (!cluster) {
      std::printf("could not start ZooKeeper: %s\n", cluster.error().message().c_str());
      return 1;
    }
    cluster_ = std::move(*cluster);
    say("ZooKeeper ensemble of 3 serving at %s", cluster_->connect_string().c_str());

    spawn(play());
    loop_.run();
    nodes_.clear();  // closes their pipes
    loop_.run();
    cluster_.reset();
    return status_;
  }

 private:
  // --- waiting ------------------------------------------------------------------------------
  // co_await until(condition, timeout): true once the condition holds (checked after every
  // event), false when the timeout passed first.
  struct Until {
    Story* story;
    std::function<bool()> condition;
    std::chrono::milliseconds timeout;
    std::coroutine_handle<> handle{};
    bool met = false;
    bool await_ready() {
      met = condition();
      return met;
    }
    void await_suspend(std::coroutine_handle<> h) {
      handle = h;
      story->waiting_ = this;
      story->deadline_.start(timeout, [s = story] {
        if (auto* w = std::exchange(s->waiting_, nullptr)) w->handle.resume();
      });
    }
    bool await_resume() const noexcept { return met; }
  };
  Until until(std::function<bool()> condition, std::chrono::milliseconds timeout) {
    return Until{this, std::move(condition), timeout};
  }
  void check_waiting() {
    for (auto& m : milestones_)
      if (m.at < 0 && m.holds()) m.at = monotonic_ms();
    if (!waiting_ || !waiting_->condition()) return;
    deadline_.stop();
    auto* w = std::exchange(waiting_, nullptr);
    w->met = true;
    w->handle.resume();
  }

  // --- output -------------------------------------------------------------------------------
  void heading(const char* title) { std::printf("\n== %s\n", title); }
  void say(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    std::printf("  [%6.2f s] ", (monotonic_ms() - t0_) / 1000.0);
    va_list ap;
    va_start(ap, fmt);
    std::vprintf(fmt, ap);
    va_end(ap);
    std::printf("\n");
    std::fflush(stdout);
  }
  void note(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
    std::printf("             ");
    va_list ap;
    va_start(ap, fmt);
    std::vprintf(fmt, ap);
    va_end(ap);
    std::printf("\n");
    std::fflush(stdout);
  }
  void fail(const std::string& why) {
    failures_.push_back(why);
    std::printf("  FAILED: %s\n", why.c_str());
  }

  // --- the fleet's state ----------------------------------------------------------------------
  std::vector<std::string> alive() const {
    std::vector<std::string> out;
    for (auto& [id, n] : nodes_)
      if (!n.exited && id != victim_) out.push_back(id);
    return out;
  }
  // Every shard owned, by the live nodes only, evenly.
  bool balanced() const {
    auto live = alive();
    if (live.empty() || owners_.size() != static_cast<std::size_t>(kShards)) return false;
    std::map<std::string, int> count;
    for (auto& [shard, owner] : owners_) {
      if (std::find(live.begin(), live.end(), owner) == live.end()) return false;
      ++count[owner];
    }
    for (auto& id : live)
      if (count[id] != kShards / static_cast<int>(live.size())) return false;
    return true;
  }
  bool writes_after(double t) const {
    for (auto& e : ledger_.entries())
      if (e.accepted && e.t > t) return true;
    return false;
  }
  void print_shard_map() {
    for (auto& id : alive()) {
      std::string shards;
      for (auto& [shard, owner] : owners_)
        if (owner == id) shards += (shards.empty() ? "" : " ") + std::to_string(shard);
      note("%s owns shards %s", id.c_str(), shards.empty() ? "(none)" : shards.c_str());
    }
  }

  void on_event(const json& e) {
    const std::string kind = e.value("kind", ""), id = e.value("node", "");
    const double t = e.value("t", 0.0);
    auto it = nodes_.find(id);
    if (it == nodes_.end()) return;
    NodeView& n = it->second;
    if (kind == "started") {
      say("%s started (pid %d)", id.c_str(), n.pid);
    } else if (kind == "session") {
      std::string state = e.value("state", "");
      n.session = e.value("session", "");
      if (state == "suspended") n.suspended_at = t;
      if (state == "reconnected") n.resumed_at = t;
      if (state == "expired") n.expired = true;
      if (show_sessions_ || state == "expired")
        say("%s: session %s %s", id.c_str(), n.session.c_str(), state.c_str());
    } else if (kind == "registered") {
      n.registered_at = t;
      say("%s registered for discovery: port %d, %d GB (%.0f ms after it was started)",
          id.c_str(), e.value("port", 0), e.value("capacity_gb", 0), t - n.spawned_at);
    } else if (kind == "peers") {
      n.peers = e.value("ids", std::vector<std::string>{});
    } else if (kind == "leader") {
      std::int64_t token = e.value("token", std::int64_t{0});
      log_.begin("fleet leadership", id, t, token);
      leader_ = id;
      leader_token_ = token;
      say("%s leads the fleet as its coordinator (term token %s)", id.c_str(), hex(token).c_str());
    } else if (kind == "leader_lost") {
      log_.end("fleet leadership", id, t);
      if (leader_ == id) leader_.clear();
      if (stopping_)
        say("%s stepped down: it is stopping", id.c_str());
      else
        say("%s no longer leads (its session is %s)", id.c_str(), e.value("reason", "").c_str());
    } else if (kind == "shard_acquired") {
      int shard = e.value("shard", -1);
      log_.begin("shard " + std::to_string(shard), id, t, e.value("token", std::int64_t{0}));
      owners_[shard] = id;
    } else if (kind == "shard_released") {
      int shard = e.value("shard", -1);
      log_.end("shard " + std::to_string(shard), id, t);
      if (auto o = owners_.find(shard); o != owners_.end() && o->second == id) owners_.erase(o);
    } else if (kind == "lock_acquired") {
      std::int64_t token = e.value("token", std::int64_t{0});
      log_.begin("ledger lock", id, t, token);
      n.last_lock_token = token;
      handoffs_.push_back(id + " (" + hex(token) + ")");
    } else if (kind == "lock_released" || kind == "lock_lost") {
      log_.end("ledger lock", id, t);
    } else if (kind == "ledger_write") {
      bool ok = ledger_.write(monotonic_ms(), id, e.value("token", std::int64_t{0}),
                              e.value("record", ""));
      n.process->send({{"kind", "ledger_reply"}, {"seq", e.value("seq", 0)}, {"accepted", ok}});
      if (!ok) say("the ledger REFUSED a write from %s (stale token)", id.c_str());
    }
    check_waiting();
  }

  void on_exit(const std::string& id, int status, double at) {
    NodeView& n = nodes_[id];
    n.exited = true;
    n.status = status;
    log_.end_all(id, at);  // a dead process owns nothing
    if (id == leader_) leader_.clear();
    for (auto it = owners_.begin(); it != owners_.end();)
      it = it->second == id ? owners_.erase(it) : std::next(it);
    if (id != victim_ && !stopping_) fail(id + " exited unexpectedly with status " + std::to_string(status));
    check_waiting();
  }

  Result<void> start_node(int i) {
    std::string id = "node-" + std::to_string(i);
    NodeConfig c{.connect = cluster_->connect_string(),
                 .id = id,
                 .port = 7100 + i,
                 .capacity_gb = 500 * (i + 1),
                 .session_timeout = kNodeSessionTimeout};
    NodeView& n = nodes_[id];
    n.spawned_at = monotonic_ms();
    auto p = NodeProcess::start(
        loop_.get(), options_.exe, c, cluster_->directory() + "/" + id + ".log",
        [this](const json& e) { on_event(e); },
        [this, id](int status, double at) { on_exit(id, status, at); });
    if (!p) return std::move(p).error();
    n.pid = (*p)->pid();
    n.process = std::move(*p);
    return {};
  }

  // --- the story ------------------------------------------------------------------------------
  Task<void> play() {
    co_await start_up();
    if (failures_.empty()) co_await kill_leader();
    if (failures_.empty() && options_.kill_zookeeper) co_await kill_zookeeper_leader();
    co_await stop_fleet();
    summary();
  }

  Task<void> start_up() {
    for (int i = 1; i <= kNodes; ++i)
      if (auto r = start_node(i); !r) {
        fail("starting node-" + std::to_string(i) + ": " + r.error().message());
        co_return;
      }
    auto settled = until([this] {
      for (auto& [id, n] : nodes_)
        if (n.registered_at < 0 || n.peers.size() != kNodes) return false;
      return !leader_.empty() && balanced() && ledger_.accepted() >= 6;
    }, 30s);
    bool ok = co_await settled;  // (not inside the if: see node.cpp on GCC 12)
    if (!ok) {
      for (auto& [id, n] : nodes_)
        note("%s: registered %s, sees %zu peers", id.c_str(), n.registered_at < 0 ? "no" : "yes",
             n.peers.size());
      note("leader: %s; %zu shards owned; %d ledger writes", leader_.empty() ? "none" : leader_.c_str(),
           owners_.size(), ledger_.accepted());
      print_shard_map();
      co_return fail("the fleet did not settle within 30 s");
    }

    heading("2. the fleet at work");
    say("every node sees %d peers in discovery; %s coordinates (term token %s)", kNodes,
        leader_.c_str(), hex(leader_token_).c_str());
    note("%d shards, spread by zkit's Partitioner:", kShards);
    print_shard_map();
    std::string chain;
    for (std::size_t i = 0; i < handoffs_.size() && i < 6; ++i) chain += (i ? " -> " : "") + handoffs_[i];
    note("the ledger lock passed %s%s", chain.c_str(), handoffs_.size() > 6 ? " -> ..." : "");
    note("the fenced ledger accepted %d writes, each token at least the one before", ledger_.accepted());
  }

  Task<void> kill_leader() {
    victim_ = leader_;
    NodeView& v = nodes_[victim_];
    std::string owned;
    for (auto& [shard, owner] : owners_)
      if (owner == victim_) owned += (owned.empty() ? "" : " ") + std::to_string(shard);
    heading("3. the leader's process is killed");
    const double t_kill = monotonic_ms();
    v.process->signal(SIGKILL);
    say("SIGKILL %s (pid %d): the coordinator, owner of shards %s", victim_.c_str(), v.pid, owned.c_str());
    note("its session (timeout %lld ms) lives on in ZooKeeper until the servers expire it",
         static_cast<long long>(kNodeSessionTimeout.count()));
    const std::string dead = victim_;
    milestones_ = {
        {[this, dead] { return !leader_.empty() && leader_ != dead; }},
        {[this, dead] {
          for (auto& id : alive())
            if (std::find(nodes_[id].peers.begin(), nodes_[id].peers.end(), dead) != nodes_[id].peers.end())
              return false;
          return true;
        }},
        {[this] { return balanced(); }},
        {[this, t_kill] { return writes_after(t_kill); }},
    };
    auto all = until([this] {
      return std::all_of(milestones_.begin(), milestones_.end(), [](auto& m) { return m.at >= 0 || m.holds(); });
    }, 20s);
    bool ok = co_await all;
    check_waiting();
    const char* what[] = {"a new leader", "its registration gone from discovery", "shards rebalanced",
                          "next ledger write accepted"};
    for (std::size_t i = 0; i < milestones_.size(); ++i) {
      if (milestones_[i].at < 0) continue;
      failover_[i] = milestones_[i].at - t_kill;
      note("+%5.0f ms  %s", failover_[i], what[i]);
    }
    if (!ok) co_return fail("the fleet did not recover from the leader's death within 20 s");
    print_shard_map();

    // A write the dead node sent just before it died, delivered late (as a slow network or a
    // paused process would): its token is older than what the ledger has seen since.
    bool stale = ledger_.write(monotonic_ms(), dead, v.last_lock_token, dead + " (a delayed write)");
    say("a delayed write from %s with its old token %s reaches the ledger: %s", dead.c_str(),
        hex(v.last_lock_token).c_str(), stale ? "ACCEPTED (wrong!)" : "refused, as it must be");
    if (stale) fail("the ledger accepted a stale token");
  }

  Task<void> kill_zookeeper_leader() {
    auto member = cluster_->leader();
    if (!member) co_return fail("no ZooKeeper leader: " + member.error().message());
    heading("4. a ZooKeeper server is killed: the ensemble's leader");
    show_sessions_ = true;
    const double t_kill = monotonic_ms();
    if (auto r = cluster_->kill(*member); !r) co_return fail("killing member: " + r.error().message());
    say("SIGKILL ZooKeeper member %d (%s), the ensemble's leader", *member, cluster_->address(*member).c_str());
    auto settled = until([this, t_kill] {
      bool any = false;
      for (auto& id : alive()) {
        const NodeView& n = nodes_[id];
        if (n.suspended_at > t_kill) any = true;
        if (n.suspended_at > t_kill && n.resumed_at < n.suspended_at) return false;
      }
      return any && !leader_.empty() && balanced() && writes_after(t_kill);
    }, 30s);
    bool ok = co_await settled;
    show_sessions_ = false;
    zk_settled_ = monotonic_ms() - t_kill;
    for (auto& id : alive()) {
      const NodeView& n = nodes_[id];
      if (n.expired) fail(id + "'s session expired");
      else if (n.suspended_at > t_kill)
        note("%s: connection lost at +%.0f ms, same session %s resumed at +%.0f ms", id.c_str(),
             n.suspended_at - t_kill, n.session.c_str(), n.resumed_at - t_kill);
      if (n.suspended_at > t_kill && n.resumed_at > n.suspended_at) ++sessions_resumed_;
    }
    if (!ok) co_return fail("the fleet did not settle within 30 s of the ZooKeeper kill");
    note("+%5.0f ms  a leader, every shard owned again and ledger writes going on", zk_settled_);
    note("(with SuspendPolicy::give_up, the default, a leader and a shard owner let go while");
    note(" disconnected, and take over again once the same session is back: no overlap possible)");
  }

  Task<void> stop_fleet() {
    heading(options_.kill_zookeeper ? "5. stopping the fleet" : "4. stopping the fleet");
    stopping_ = true;
    for (auto& id : alive()) nodes_[id].process->signal(SIGTERM);
    auto gone = until([this] {
      for (auto& [id, n] : nodes_)
        if (!n.exited) return false;
      return true;
    }, 15s);
    bool stopped = co_await gone;
    if (!stopped) {
      for (auto& [id, n] : nodes_)
        if (!n.exited) n.process->signal(SIGKILL);
      fail("some nodes did not stop within 15 s of SIGTERM");
      auto killed = until([this] {
        for (auto& [id, n] : nodes_)
          if (!n.exited) return false;
        return true;
      }, 5s);
      co_await killed;
    }
    for (auto& [id, n] : nodes_)
      if (id != victim_ && n.exited && n.status != 0) fail(id + " exited with status " + std::to_string(n.status));
    say("every node closed its recipes and exited");
  }

  // The nodes' stderr (their logs go with the ensemble's directory when the demo ends).
  void print_node_logs() {
    for (auto& [id, n] : nodes_) {
      std::string path = cluster_->directory() + "/" + id + ".log";
      if (FILE* f = std::fopen(path.c_str(), "r")) {
        std::printf("--- %s\n", path.c_str());
        char buf[512];
        while (std::fgets(buf, sizeof buf, f)) std::fputs(buf, stdout);
        std::fclose(f);
      }
    }
  }

  void summary() {
    heading("summary");
    if (failover_[0] >= 0)
      note("leader killed: new leader in %.0f ms, registration gone in %.0f ms, shards rebalanced in "
           "%.0f ms, next ledger write in %.0f ms",
           failover_[0], failover_[1], failover_[2], failover_[3]);
    int expired = 0;
    for (auto& [id, n] : nodes_) expired += n.expired ? 1 : 0;
    if (options_.kill_zookeeper && zk_settled_ >= 0)
      note("ZooKeeper leader killed: %d sessions resumed, %d expired; settled in %.0f ms",
           sessions_resumed_, expired, zk_settled_);
    auto violations = log_.violations();
    for (auto& v : ledger_.violations()) violations.push_back(v);
    for (auto& v : violations) fail(v);
    note("invariants: no shard had two owners at once (%zu ownerships checked); one leader at a "
         "time (%zu terms);",
         log_.count("shard "), log_.count("fleet"));
    note("  ledger lock holders never overlapped (%zu holds); the ledger accepted %d writes, "
         "refused %d, accepted no stale token",
         log_.count("ledger"), ledger_.accepted(), ledger_.refused());
    status_ = failures_.empty() ? 0 : 1;
    if (status_ == 0) {
      std::printf("\nPASS: storage demo finished in %.1f s\n", (monotonic_ms() - t0_) / 1000.0);
    } else {
      std::printf("\nFAIL: %zu problem(s)\n", failures_.size());
      for (auto& f : failures_) std::printf("  - %s\n", f.c_str());
      print_node_logs();
    }
    std::fflush(stdout);
  }

  DemoOptions options_;
  tools::Loop loop_;  // before every member with a handle on it: destroyed after them
  Timer deadline_{loop_.get()};  // an until()'s timeout; stopped when nothing waits
  std::unique_ptr<testing::Cluster> cluster_;
  std::map<std::string, NodeView> nodes_;
  double t0_ = 0;
  Until* waiting_ = nullptr;
  std::vector<Milestone> milestones_;

  std::string leader_, victim_;
  std::int64_t leader_token_ = 0;
  int sessions_resumed_ = 0;
  std::map<int, std::string> owners_;
  std::vector<std::string> handoffs_;
  FencedLedger ledger_;
  OwnershipLog log_;
  double failover_[4] = {-1, -1, -1, -1};
  double zk_settled_ = -1;
  bool show_sessions_ = false, stopping_ = false;
  std::vector<std::string> failures_;
  int status_ = 1;
};

}  // namespace

int run_orchestrator(const DemoOptions& options) {
  std::signal(SIGPIPE, SIG_IGN);  // a node that died leaves a broken pipe; send() copes
  return Story(options).run();
}

}  // namespace zkit::demo
