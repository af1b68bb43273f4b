#include "workloads.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <numeric>
#include <thread>

#include "child.hpp"
#include "clock_reads.hpp"
#include "instrument.hpp"
#include "syscalls.hpp"
#include "zkit/testing/cluster.hpp"

namespace zkit::bench {
namespace {

using namespace std::chrono_literals;

// The server refuses a frame longer than jute.maxbuffer (default 0xfffff bytes, after the
// 4-byte length).
constexpr std::size_t kServerMaxFrame = 0xfffff;

// W5's sessions through Curator and kazoo, as zkit's (recipes_workload.cpp).
constexpr int kW5SessionTimeoutMs = 40000;

constexpr Op kW1Ops[] = {Op::create, Op::get, Op::set, Op::remove};

json phase_json(const Outcome& o, const Meter& m) {
  double ops = static_cast<double>(o.ops);
  json j{{"ops", o.ops},
         {"errors", o.errors},
         {"seconds", m.seconds()},
         {"ops_per_sec", m.seconds() > 0 ? ops / m.seconds() : 0.0},
         {"cpu_seconds", m.cpu_seconds()},
         {"cpu_us_per_op", o.ops ? m.cpu_seconds() * 1e6 / ops : 0.0},
         {"context_switches_per_op", o.ops ? static_cast<double>(m.context_switches()) / ops : 0.0},
         {"wakeups_per_op", o.ops ? static_cast<double>(m.syscalls().wakeups) / ops : 0.0},
         {"reads_per_op", o.ops ? static_cast<double>(m.syscalls().reads) / ops : 0.0},
         {"writes_per_op", o.ops ? static_cast<double>(m.syscalls().writes) / ops : 0.0},
         {"clock_reads_per_op", o.ops ? static_cast<double>(m.clock_reads()) / ops : 0.0}};
  if (m.server_cpu_seconds() >= 0)
    j["server_cpu_us_per_op"] = o.ops ? m.server_cpu_seconds() * 1e6 / ops : 0.0;
  if (!o.failure.empty()) j["failure"] = o.failure;
  return j;
}

// The C client's SetWatches after a reconnect: every watched path in one frame (header, zxid,
// three path lists).
std::size_t c_set_watches_frame(const std::vector<std::string>& data_watch_paths) {
  std::size_t n = 8 + 8 + 3 * 4;
  for (const auto& p : data_watch_paths) n += 4 + p.size();
  return n;
}

// While one client is measured, the others' sessions get a turn now and then (their pings):
// the C client's waits and the raw client's idle polls give zkit's loop (and the raw socket) a
// non-blocking turn; zkit's own waits need none (its phases are short).
void share_idle(Driver& c, Driver& z, Driver& r) {
  c.set_idle_hook([&z, &r] {
    z.idle();
    r.idle();
  });
  r.set_idle_hook([&z] { z.idle(); });
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

}  // namespace

Params params_for(bool quick) {
  Params p;
  p.quick = quick;
  if (!quick) return p;
  p.warmup_nodes = 500;
  p.w1_nodes = 2000;
  p.w2_gets = 500;
  p.w2_warmup_gets = 50;
  p.w3_c_sessions = 50;
  p.w3_zkit_sessions = {50};
  p.w4_watches = 2000;
  p.w5.lock_handoffs = 20;
  p.w5.failovers = 3;
  p.w6.zkit_sessions = 200;
  p.w6.c_sessions = 50;
  p.w6.nodes = 100;
  p.bindings.nodes = 2000;
  p.bindings.warmup_nodes = 500;
  p.bindings.gets = 500;
  p.bindings.warmup_gets = 50;
  p.phase_limit = std::chrono::minutes(1);
  return p;
}

json sessions_json(const std::string& client, const SessionsResult& r) {
  double n = r.sessions > 0 ? r.sessions : 1;
  json j{{"client", client},
         {"sessions", r.sessions},
         {"connect_seconds", r.connect_seconds},
         {"slowest_session_seconds", r.slowest_session_seconds},
         {"listen_overflows", r.listen_overflows},
         {"cpu_seconds", r.cpu_seconds},
         {"rss_before_kib", r.rss_before_kib},
         {"rss_after_kib", r.rss_after_kib},
         {"rss_delta_kib", r.rss_after_kib - r.rss_before_kib},
         {"rss_kib_per_session", static_cast<double>(r.rss_after_kib - r.rss_before_kib) / n},
         {"threads_before", r.threads_before},
         {"threads", r.threads_after},
         {"fds_before", r.fds_before},
         {"fds", r.fds_after}};
  if (!r.failure.empty()) j["failure"] = r.failure;
  return j;
}

Bench::Bench(Params params, std::string hosts, testing::Cluster* cluster, std::string self)
    : p_(std::move(params)),
      hosts_(std::move(hosts)),
      cluster_(cluster),
      self_(std::move(self)),
      root_("/zkit-bench-" + std::to_string(getpid())),
      payload_(p_.payload_bytes, 'x') {}

Deadline Bench::deadline() const { return deadline_in(p_.phase_limit); }

int Bench::server_pid() const { return cluster_ ? cluster_->pid(1) : 0; }

bool Bench::check(const std::string& what, const std::string& failure) {
  if (failure.empty()) return true;
  failures_.push_back(what + ": " + failure);
  std::fprintf(stderr, "zkit-bench: %s: %s\n", what.c_str(), failure.c_str());
  return false;
}

const std::vector<std::string>& Bench::paths(const std::string& parent, std::size_t n) {
  auto& v = *path_sets_.emplace_back(std::make_unique<std::vector<std::string>>());
  v.reserve(n);
  char name[32];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(name, sizeof name, "/n%07zu", i);
    v.push_back(parent + name);
  }
  return v;
}

std::unique_ptr<Driver> Bench::connect(const std::string& client) {
  std::string error;
  Deadline limit = deadline_in(30s);
  auto d = client == "zkit" ? connect_zkit(hosts_, limit, error)
           : client == "raw" ? connect_raw(hosts_, limit, error)
                             : connect_c(hosts_, limit, error);
  if (!d) check("connect " + client, error);
  return d;
}

void Bench::create_tree(Driver& d, const std::vector<std::string>& nodes, std::string_view payload) {
  auto& kept = *path_sets_.emplace_back(std::make_unique<std::vector<std::string>>(nodes));
  Outcome o = d.pipelined(Op::create, kept, payload, 1, deadline());
  check("creating " + kept.front() + "...", o.failure);
}

json Bench::measure(Driver& d, Op op, const std::vector<std::string>& nodes, const std::string& what) {
  Meter m(server_pid());
  Outcome o = d.pipelined(op, nodes, payload_, p_.window, deadline());
  m.stop();
  check(what + " " + std::string(to_string(op)) + " (" + d.name() + ")", o.failure);
  return phase_json(o, m);
}

json Bench::run(const std::vector<std::string>& which) {
  auto want = [&](const char* w) { return which.empty() || std::find(which.begin(), which.end(), w) != which.end(); };
  json out;
  json& meta = out["meta"];
  meta["mode"] = p_.quick ? "quick" : "full";
  meta["started"] = utc_now();
  meta["cpus"] = std::thread::hardware_concurrency();
  meta["load_average_start"] = load_average();
  meta["zkit_version"] = ZKIT_BENCH_VERSION;
  meta["c_client_version"] = c_client_version();
  if (cluster_) {
    auto srvr = testing::four_letter_word(hosts_, "srvr", 5s);
    if (srvr) meta["server"] = srvr->substr(0, srvr->find('\n'));
  }
  meta["payload_bytes"] = p_.payload_bytes;
  meta["window"] = p_.window;
  // The price of one of zkit's metrics clock reads here (W1's rows multiply it by the reads).
  meta["clock_read_ns"] = clock_read_ns();

  bool rooted = false;
  if (auto d = connect("zkit")) {
    create_tree(*d, {root_});
    rooted = failures_.empty();
  }
  if (rooted) {
    if (want("w1")) out["w1"] = w1();
    if (want("w2")) out["w2"] = w2();
    if (want("w3")) out["w3"] = w3();
    if (want("w4")) out["w4"] = w4();
    if (want("w5")) out["w5"] = w5();
    if (want("w6")) out["w6"] = w6();
    if (want("bindings")) out["bindings"] = bindings();
  }
  // The wake-up, read and write counts need the executable's own wrappers to be the ones called
  // (syscalls.cpp); a build where they are not must not report zeros as figures.
  out["meta"]["syscall_counting"] = syscall_counting_active();
  if (!syscall_counting_active()) failures_.push_back("the system-call counters saw no call: wake-ups, reads and writes are not measured");
  out["meta"]["load_average_end"] = load_average();  // `meta` may have moved: out grew
  out["meta"]["finished"] = utc_now();
  out["failures"] = failures_;
  return out;
}

json Bench::w5() {
  std::string base = root_ + "/w5";
  auto d = connect("zkit");
  if (!d) return json{{"failure", "cannot connect"}};
  create_tree(*d, {base, base + "/zkit", base + "/curator", base + "/kazoo"});
  json j{{"zkit", w5_recipes(hosts_, base + "/zkit", p_.w5, p_.phase_limit)}};
  // The same measurements through Curator (Java) and kazoo (Python), each in a process of its
  // own, against the same server, one after the other.
  std::vector<std::string> common = {hosts_, "", std::to_string(p_.w5.lock_contenders), std::to_string(p_.w5.lock_handoffs),
                                     std::to_string(p_.w5.election_members), std::to_string(p_.w5.failovers),
                                     std::to_string(kW5SessionTimeoutMs)};
  auto with = [&](std::vector<std::string> head, const std::string& root) {
    std::vector<std::string> args = common;
    args[1] = root;
    head.insert(head.end(), args.begin(), args.end());
    return head;
  };
  std::vector<std::pair<std::string, std::vector<std::string>>> others = {
      {"curator", with({ZKIT_BENCH_JAVA, "-XX:+UseSerialGC", "-cp", ZKIT_BENCH_CURATOR_CLASSPATH, "CuratorW5"}, base + "/curator")},
      {"kazoo", with({ZKIT_BENCH_PYTHON, ZKIT_BENCH_KAZOO_W5}, base + "/kazoo")},
  };
  for (const auto& [client, args] : others) {
    ChildRun run = run_child(args, deadline_in(p_.phase_limit * 2));
    json r = json::parse(run.output, nullptr, false);
    if (!run.exited || r.is_discarded() || !r.is_object()) {
      std::string why = !run.started  ? "cannot start " + args[0]
                        : !run.exited ? "did not finish in time (killed)"
                                      : "exited with status " + std::to_string(run.status) + " and no result";
      r = json{{"failure", why}};
    }
    j[client] = r;
  }
  for (const char* client : {"zkit", "curator", "kazoo"})
    for (const char* part : {"lock", "election"}) {
      const json& x = j[client];
      std::string failure = x.contains("failure") ? x["failure"].get<std::string>()
                            : x.contains(part) && x[part].contains("failure") ? x[part]["failure"].get<std::string>()
                                                                              : "";
      if (!failure.empty()) check("W5 " + std::string(part) + " (" + client + ")", failure);
    }
  return j;
}

json Bench::bindings() {
  std::string base = root_ + "/bindings";
  auto d = connect("zkit");
  if (!d) return json{{"failure", "cannot connect"}};
  create_tree(*d, {base, base + "/zkit_python", base + "/zkit_python_native", base + "/kazoo", base + "/zkit_node",
                   base + "/nzc"});
  d.reset();
  return bindings_w1w2(hosts_, base, p_.bindings, p_.phase_limit,
                       [this](const std::string& what, const std::string& why) { check(what, why); });
}

json Bench::w6() {
  json j{{"ensemble", 3}, {"session_timeout_ms", p_.w6.session_timeout_ms}};
  if (!cluster_) return json{{"skipped", "needs servers this benchmark starts (not --connect)"}};
  // An ensemble of its own, with the servers' default settings but for the benchmark's JVM ones.
  testing::ClusterOptions o;
  o.size = 3;
  o.jvm_options = {"-Xmx768m", "-XX:TieredStopAtLevel=4", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"};
  auto started = testing::Cluster::start(o);
  if (!started) {
    check("W6 ensemble", started.error().message());
    return json{{"failure", "cannot start the ensemble: " + started.error().message()}};
  }
  auto& ensemble = *started.value();
  std::uint64_t fds = raise_fd_limit();
  HerdParams hp = p_.w6;
  int room = static_cast<int>(std::min<std::uint64_t>(fds, 1u << 30)) - 200;
  if (hp.zkit_sessions > room) {
    std::fprintf(stderr, "zkit-bench: W6: %d zkit sessions cut to %d by the open-files limit\n", hp.zkit_sessions, room);
    hp.zkit_sessions = room;
  }
  for (const char* client : {"zkit", "c"}) {
    // Member 1 back and the ensemble whole before each client's turn.
    auto serving = ensemble.wait_serving(std::chrono::seconds(60));
    if (!serving) {
      check("W6 ensemble", serving.error().message());
      break;
    }
    json r = herd(client, ensemble, "/zkit-bench-herd-" + std::string(client), hp, p_.phase_limit);
    if (r.contains("failure")) check(std::string("W6 herd (") + client + ")", r["failure"].get<std::string>());
    j[client] = std::move(r);
  }
  return j;
}

json Bench::w1() {
  json j{{"nodes", p_.w1_nodes}, {"window", p_.window}, {"payload_bytes", p_.payload_bytes}};
  auto z = connect("zkit");
  auto c = connect("c");
  auto r = connect("raw");
  if (!z || !c || !r) return j;
  share_idle(*c, *z, *r);
  Driver* drivers[] = {c.get(), z.get(), r.get()};
  constexpr int n = 3;
  std::string base = root_ + "/w1", warm = root_ + "/warm";
  std::vector<std::string> dirs = {base, warm};
  for (Driver* d : drivers) {
    dirs.push_back(base + "/" + d->name());
    dirs.push_back(warm + "/" + d->name());
  }
  create_tree(*z, dirs);

  // Warm-up (unmeasured): the server's JIT and the clients' caches.
  for (Driver* d : drivers) {
    const auto& nodes = paths(warm + "/" + d->name(), p_.warmup_nodes);
    for (Op op : kW1Ops) {
      Outcome o = d->pipelined(op, nodes, payload_, p_.window, deadline());
      check("W1 warm-up " + std::string(to_string(op)) + " (" + d->name() + ")", o.failure);
    }
  }

  const std::vector<std::string>* nodes[n];
  for (int i = 0; i < n; ++i) nodes[i] = &paths(base + "/" + drivers[i]->name(), p_.w1_nodes);
  // The clients take turns going first, so none always meets the server just after another.
  // A phase that failed ends that client's part: the next phases depend on it.
  int turn = 0;
  bool failed[n] = {false, false, false};
  for (Op op : kW1Ops) {
    json& phase = j["phases"][std::string(to_string(op))];
    for (int k = 0; k < n; ++k) {
      int i = (turn + k) % n;
      if (failed[i]) continue;
      json result = measure(*drivers[i], op, *nodes[i], "W1");
      failed[i] = result.contains("failure");
      phase[drivers[i]->name()] = std::move(result);
    }
    turn = (turn + 1) % n;
  }
  return j;
}

json Bench::w2() {
  json j{{"gets", p_.w2_gets}, {"warmup_gets", p_.w2_warmup_gets}, {"payload_bytes", p_.payload_bytes}};
  auto z = connect("zkit");
  auto c = connect("c");
  auto r = connect("raw");
  if (!z || !c || !r) return j;
  share_idle(*c, *z, *r);
  std::string node = root_ + "/w2";
  create_tree(*z, {node}, payload_);
  // In blocks, the clients taking turns (ABC, CBA, ...), so that a change in the load from other
  // jobs falls on all alike.
  Driver* drivers[] = {c.get(), z.get(), r.get()};
  constexpr int n = 3;
  std::vector<double> micros[n];
  bool failed[n] = {false, false, false};
  std::size_t blocks = std::max<std::size_t>(1, std::min<std::size_t>(10, p_.w2_gets / 250));
  for (std::size_t b = 0; b <= blocks; ++b) {
    for (int k = 0; k < n; ++k) {
      int i = b % 2 == 0 ? k : n - 1 - k;
      Driver* d = drivers[i];
      if (failed[i]) continue;
      std::string what = std::string("W2 gets (") + d->name() + ")";
      // Block 0 is the warm-up; the others share the measured gets.
      std::size_t count = b == 0 ? p_.w2_warmup_gets : p_.w2_gets / blocks + (b <= p_.w2_gets % blocks ? 1 : 0);
      Latencies l = d->sequential_gets(node, count, deadline());
      if (!check(what, l.failure)) {
        failed[i] = true;
        continue;
      }
      if (b > 0) micros[i].insert(micros[i].end(), l.micros.begin(), l.micros.end());
    }
  }
  for (int i = 0; i < n; ++i) {
    if (failed[i] || micros[i].empty()) continue;
    std::vector<double>& v = micros[i];
    double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    std::sort(v.begin(), v.end());
    j[drivers[i]->name()] = json{{"gets", v.size()},           {"p50_us", percentile(v, 50)},
                                 {"p90_us", percentile(v, 90)}, {"p99_us", percentile(v, 99)},
                                 {"p999_us", percentile(v, 99.9)}, {"mean_us", mean},
                                 {"max_us", v.back()}};
  }
  j["blocks"] = blocks;
  return j;
}

json Bench::w3() {
  json j{{"zkit", json::array()}, {"c", json::array()}};
  // Each count runs in a fresh process, so that its memory and threads are its own.
  std::uint64_t fds = raise_fd_limit();
  j["fd_limit"] = fds;
  for (int count : p_.w3_zkit_sessions) {
    // Room for the process's own descriptors besides one per session.
    int room = static_cast<int>(std::min<std::uint64_t>(fds, 1u << 30)) - 200;
    if (count > room) {
      std::fprintf(stderr, "zkit-bench: W3: %d zkit sessions cut to %d by the open-files limit\n", count, room);
      count = room;
    }
    j["zkit"].push_back(run_sessions_child("zkit", count));
  }
  j["c"].push_back(run_sessions_child("c", p_.w3_c_sessions));
  return j;
}

json Bench::run_sessions_child(const std::string& client, int count) {
  std::string what = "W3 " + std::to_string(count) + " sessions (" + client + ")";
  // The child bounds its own waits; this bounds the child.
  ChildRun run = run_child({self_, "--only", "w3-child", "--client", client, "--sessions", std::to_string(count),
                            "--connect", hosts_},
                           deadline_in(p_.phase_limit * 2));
  json result{{"client", client}, {"sessions", count}};
  json child = json::parse(run.output, nullptr, false);
  if (!run.started) {
    result["failure"] = "cannot start " + self_;
  } else if (!run.exited) {
    result["failure"] = "the child process did not finish in time (killed)";
  } else if (child.is_discarded() || !child.is_object()) {
    result["failure"] = "the child process exited with status " + std::to_string(run.status) + " and no result";
  } else {
    result = child;
  }
  if (result.contains("failure")) check(what, result["failure"].get<std::string>());
  return result;
}

json Bench::w4() {
  std::size_t n = p_.w4_watches;
  json j{{"watches", n}, {"window", p_.window}};
  auto z = connect("zkit");
  auto c = connect("c");
  if (!z || !c) return j;
  c->set_idle_hook([zp = z.get()] { zp->idle(); });
  std::string base = root_ + "/w4";
  create_tree(*z, {base, base + "/zkit", base + "/c"});
  const auto& znodes = paths(base + "/zkit", n);
  const auto& cnodes = paths(base + "/c", n);
  auto nodes_of = [&](Driver* d) -> const std::vector<std::string>& { return d == z.get() ? znodes : cnodes; };
  Driver* drivers[] = {c.get(), z.get()};

  // Set: exists with a watch on missing nodes.
  for (Driver* d : drivers) j["set"][d->name()] = measure(*d, Op::watch_exists, nodes_of(d), "W4 set");

  // Fire: create the nodes; done when every create was answered and every watch fired.
  for (Driver* d : drivers) {
    std::uint64_t before = d->watch_events();
    Meter m(server_pid());
    Outcome o = d->pipelined(Op::create, nodes_of(d), payload_, p_.window, deadline());
    bool all = d->wait_watch_events(before + n, deadline());
    m.stop();
    std::uint64_t fired = d->watch_events() - before;
    if (!all && o.failure.empty()) o.failure = std::to_string(fired) + " of " + std::to_string(n) + " watches fired";
    check(std::string("W4 fire (") + d->name() + ")", o.failure);
    json ph = phase_json(o, m);
    ph["events"] = fired;
    j["fire"][d->name()] = ph;
  }

  // Re-register after a server restart: data watches on every (now existing) node, kill the
  // server, restart it; each session reconnects, re-registers its watches and syncs. Then a set
  // on every node checks that every watch is still there.
  json& rw = j["rewatch"];
  if (!cluster_) {
    rw["skipped"] = "needs a server this benchmark started (not --connect)";
    return j;
  }
  std::size_t c_frame = c_set_watches_frame(cnodes);
  rw["c_set_watches_frame_bytes"] = c_frame;
  std::unique_ptr<Driver> c_kept = std::move(c);
  if (c_frame > kServerMaxFrame && !p_.c_rewatch_anyway) {
    rw["c"] = json{{"skipped", "the C client re-registers every watch in one SetWatches frame: " +
                                   std::to_string(c_frame) + " bytes here, over the server's " +
                                   std::to_string(kServerMaxFrame) + "-byte limit (jute.maxbuffer)"}};
    c_kept.reset();  // its session would only be refused again and again
  }
  std::vector<Driver*> rewatching = {z.get()};
  if (c_kept) rewatching.push_back(c_kept.get());
  for (Driver* d : rewatching) {
    Outcome o = d->pipelined(Op::watch_exists, nodes_of(d), payload_, p_.window, deadline());
    check(std::string("W4 arming (") + d->name() + ")", o.failure);
    d->sync_after_reconnect();
  }
  Meter restart;
  auto killed = cluster_->kill(1);
  auto restarted = killed ? cluster_->restart(1) : Result<void>(killed.error());
  restart.stop();
  rw["restart_seconds"] = restart.seconds();
  if (!restarted) {
    check("W4 server restart", restarted.error().message());
    return j;
  }
  for (Driver* d : rewatching) {
    std::string what = std::string("W4 re-registration (") + d->name() + ")";
    // A session that cannot re-register keeps being refused: a minute tells.
    Rewatch r = d->wait_reconnect_sync(std::min(deadline(), deadline_in(60s)));
    json& out = rw[d->name()];
    out["reconnect_to_sync_ms"] = r.reconnect_to_sync_ms;
    if (!check(what, r.failure)) {
      out["failure"] = r.failure;
      continue;
    }
    std::uint64_t before = d->watch_events();
    Outcome o = d->pipelined(Op::set, nodes_of(d), payload_, p_.window, deadline());
    d->wait_watch_events(before + n, deadline());
    std::uint64_t fired = d->watch_events() - before;
    out["events_after_restart"] = fired;
    if (o.failure.empty() && fired != n)
      o.failure = std::to_string(fired) + " of " + std::to_string(n) + " watches fired after the restart";
    if (!check(what, o.failure)) out["failure"] = o.failure;
  }
  return j;
}

json Bench::w1_get_only(const std::string& client, std::size_t n) {
  json j{{"client", client}, {"nodes", n}};
  auto d = connect(client);
  if (!d) return j;
  std::string base = root_ + "/w1";
  create_tree(*d, {root_, base});
  const auto& nodes = paths(base, n);
  Outcome o = d->pipelined(Op::create, nodes, payload_, p_.window, deadline());
  if (!check("W1 create (" + client + ")", o.failure)) return j;
  zero_instruction_counts();
  Meter m;
  o = d->pipelined(Op::get, nodes, payload_, p_.window, deadline());
  m.stop();
  dump_instruction_counts("w1-get");
  check("W1 get (" + client + ")", o.failure);
  j["get"] = phase_json(o, m);
  return j;
}

}  // namespace zkit::bench
