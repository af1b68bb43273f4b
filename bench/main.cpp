// zkit-bench: the same workloads through zkit, a raw client of the benchmark's own, the official
// C client, (W5) Curator and kazoo and (bindings) kazoo and node-zookeeper-client beside zkit's
// Python and Node bindings, against throwaway servers started by the testing kit, in
// one run. Prints a table of the figures and their ratios; --json writes every figure. See
// docs/benchmarks.md.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "report.hpp"
#include "workloads.hpp"
#include "zkit/testing/cluster.hpp"

namespace zkit::bench {
namespace {

constexpr const char* kUsage = R"(usage: zkit-bench [--quick] [--json FILE] [--only LIST] [--connect HOST:PORT]

Starts throwaway ZooKeeper servers and runs the same workloads through zkit, the benchmark's
own raw client, the official C client (libzookeeper_mt, async API), for W5 Curator and kazoo,
and W1 and W2 through zkit's Python and Node bindings beside kazoo and node-zookeeper-client,
then prints every figure with zkit's ratio to each and issues 10's and 14's targets.

  --quick             small sizes (2,000 nodes, 500 gets, 50 sessions, 2,000 watches, a herd of
                      200): a smoke run
  --json FILE         write every figure (and the table) as JSON to FILE
  --only LIST         run only these workloads, comma-separated: w1,w2,w3,w4,w5,w6,bindings
  --connect HOST:PORT use this server instead of starting one (W4 then skips the restart)
  --report FILE       run nothing: recompute the table (targets and verdicts) of the results in
                      FILE with this build's rules, write it back into FILE and print it
  --c-rewatch-anyway  let the C client try re-registering its watches even when its single
                      SetWatches frame is over the server's 1 MiB limit (W4)

For callgrind (see bench/callgrind.py):
  --only w1-get --client zkit|c|raw [--n N]
                      creates N nodes (default 20,000), then gets each once between
                      CALLGRIND_ZERO_STATS and CALLGRIND_DUMP_STATS_AT("w1-get")
)";

struct Args {
  bool quick = false;
  std::string json_path;
  std::string only;
  std::string client;
  std::string connect;
  std::string report;
  std::size_t n = 0;
  int sessions = 0;
  bool c_rewatch_anyway = false;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "zkit-bench: %s\n\n%s", message.c_str(), kUsage);
  std::exit(2);
}

long long to_number(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v <= 0 || v > INT_MAX) usage_error(flag + " needs a positive number, not \"" + text + "\"");
  return v;
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--quick") a.quick = true;
    else if (arg == "--json") a.json_path = value();
    else if (arg == "--only") a.only = value();
    else if (arg == "--client") a.client = value();
    else if (arg == "--connect") a.connect = value();
    else if (arg == "--report") a.report = value();
    else if (arg == "--n") a.n = static_cast<std::size_t>(to_number(arg, value()));
    else if (arg == "--sessions") a.sessions = static_cast<int>(to_number(arg, value()));
    else if (arg == "--c-rewatch-anyway") a.c_rewatch_anyway = true;
    else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    } else usage_error("unknown argument " + arg);
  }
  if (!a.client.empty() && a.client != "zkit" && a.client != "c" && a.client != "raw")
    usage_error("--client is zkit, c or raw");
  return a;
}

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string w; std::getline(in, w, ',');)
    if (!w.empty()) out.push_back(w);
  return out;
}

bool write_json(const std::string& path, const json& j) {
  if (path.empty()) return true;
  std::ofstream f(path);
  f << j.dump(2) << "\n";
  f.close();
  if (!f) std::fprintf(stderr, "zkit-bench: cannot write %s\n", path.c_str());
  return static_cast<bool>(f);
}

std::string self_path() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

// W3's child: one client's sessions in a fresh process.
int sessions_child(const Args& a) {
  if (a.connect.empty() || a.client.empty() || a.sessions <= 0)
    usage_error("--only w3-child needs --connect, --client and --sessions");
  Deadline limit = deadline_in(params_for(a.quick).phase_limit);
  SessionsResult r = a.client == "zkit" ? zkit_sessions(a.connect, a.sessions, limit)
                                        : c_sessions(a.connect, a.sessions, limit);
  json j = sessions_json(a.client, r);
  if (a.json_path.empty()) std::puts(j.dump(2).c_str());
  return write_json(a.json_path, j) && r.failure.empty() ? 0 : 1;
}

// --report: the table again from a results file, without running anything.
int report_only(const std::string& path) {
  std::ifstream in(path);
  json results = json::parse(in, nullptr, false);
  if (results.is_discarded() || !results.is_object()) {
    std::fprintf(stderr, "zkit-bench: %s holds no results\n", path.c_str());
    return 1;
  }
  results["table"] = table_rows(results);
  print_report(results, stdout);
  return write_json(path, results) ? 0 : 1;
}

int run(int argc, char** argv) {
  Args a = parse(argc, argv);
  if (!a.report.empty()) return report_only(a.report);
  // Before the server starts: it inherits the limit (W3 needs a descriptor per session on both
  // sides).
  raise_fd_limit();
  if (a.only == "w3-child") return sessions_child(a);
  bool get_only = a.only == "w1-get";
  std::vector<std::string> which = get_only ? std::vector<std::string>{} : split(a.only);
  for (const auto& w : which)
    if (w != "w1" && w != "w2" && w != "w3" && w != "w4" && w != "w5" && w != "w6" && w != "bindings")
      usage_error("unknown workload " + w);

  Params p = params_for(a.quick);
  p.c_rewatch_anyway = a.c_rewatch_anyway;

  std::unique_ptr<testing::Cluster> cluster;
  std::string hosts = a.connect;
  if (hosts.empty()) {
    testing::ClusterOptions o;
    o.jvm_options = {
        "-Xmx1g",                    // 100,000 nodes and watches, 10,000 sessions
        "-XX:TieredStopAtLevel=4",   // the full JIT (the kit stops at C1 for a quick start)
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",  // no line per connection
    };
    // No clientPortListenBacklog: W3 meets the server's default listen backlog (50), as a fleet
    // reconnecting to a stock server does.
    auto started = testing::Cluster::start(o);
    if (!started) {
      std::fprintf(stderr, "zkit-bench: cannot start ZooKeeper: %s\n", started.error().message().c_str());
      return 1;
    }
    cluster = std::move(started).value();
    hosts = cluster->connect_string();
    // The C client logs every failed reconnection while W4 restarts the server; keep that here.
    set_c_client_log(cluster->directory() + "/c-client.log");
    std::fprintf(stderr, "zkit-bench: ZooKeeper at %s (logs in %s)\n", hosts.c_str(), cluster->directory().c_str());
  }

  Bench bench(p, hosts, cluster.get(), self_path());
  json results;
  if (get_only) {
    std::string client = a.client.empty() ? "zkit" : a.client;
    results = bench.w1_get_only(client, a.n ? a.n : 20000);
    if (results.contains("get")) {
      const json& g = results["get"];
      std::printf("w1-get (%s): %llu gets in %.3f s: %.0f ops/s, client CPU %.1f us/op\n", client.c_str(),
                  g["ops"].get<unsigned long long>(), g["seconds"].get<double>(), g["ops_per_sec"].get<double>(),
                  g["cpu_us_per_op"].get<double>());
    }
  } else {
    results = bench.run(which);
    results["table"] = table_rows(results);
    print_report(results, stdout);
  }
  bool written = write_json(a.json_path, results);
  for (const auto& f : bench.failures()) std::fprintf(stderr, "zkit-bench: FAILED: %s\n", f.c_str());
  return bench.failures().empty() && written ? 0 : 1;
}

}  // namespace
}  // namespace zkit::bench

int main(int argc, char** argv) { return zkit::bench::run(argc, argv); }
