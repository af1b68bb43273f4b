#include "bindings_workload.hpp"

#include <unistd.h>

#include <algorithm>
#include <memory>
#include <numeric>
#include <vector>

#include "measure.hpp"
#include "peer.hpp"

namespace zkit::bench {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::ordered_json;

constexpr const char* kW1Phases[] = {"create", "get", "set", "delete"};

struct Client {
  std::string name;      // "zkit_python", "zkit_python_native", "kazoo", "zkit_node", "nzc"
  std::string language;  // "Python" or "Node"
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string needs;    // a file of the build tree it loads, checked first
  std::string skipped;  // why it does not run (a binding this build left out)
  std::unique_ptr<Peer> peer;
  std::string failure;  // set once it failed: it takes no more turns
};

std::vector<Client> clients(const std::string& hosts, const BindingParams& p) {
  std::string window = std::to_string(p.window), payload = std::to_string(p.payload_bytes);
  std::vector<Client> out;
  auto python = [&](const char* name, const char* face, std::vector<std::string> env, std::string needs) {
    out.push_back(Client{name, "Python", {ZKIT_BENCH_PYTHON, ZKIT_BENCH_PYTHON_W1W2, "--serve", face, hosts, window, payload},
                         std::move(env), std::move(needs), "", nullptr, ""});
  };
  auto node = [&](const char* name, const char* face, std::vector<std::string> env, std::string needs) {
    out.push_back(Client{name, "Node", {ZKIT_BENCH_NODE, ZKIT_BENCH_NODE_W1W2, "--serve", face, hosts, window, payload},
                         std::move(env), std::move(needs), "", nullptr, ""});
  };
  python("zkit_python", "zkit", {"PYTHONPATH=" ZKIT_BENCH_PYTHONPATH}, ZKIT_BENCH_PYTHONPATH "/zkit/kazoo/__init__.py");
  python("zkit_python_native", "zkit-native", {"PYTHONPATH=" ZKIT_BENCH_PYTHONPATH}, ZKIT_BENCH_PYTHONPATH "/zkit/aio.py");
  python("kazoo", "kazoo", {}, "");
  node("zkit_node", "zkit", {"ZKIT_NODE=" ZKIT_BENCH_NODE_MODULE}, ZKIT_BENCH_NODE_MODULE "/zkit.node");
  node("nzc", "nzc", {}, "");
  for (Client& c : out) {
    if (!ZKIT_BENCH_WITH_PYTHON && c.name.starts_with("zkit_python")) c.skipped = "zkit-bench was built with -Dpython=false";
    if (!ZKIT_BENCH_WITH_NODE && c.name == "zkit_node") c.skipped = "zkit-bench was built with -Dnode=false";
  }
  return out;
}

bool active(const Client& c) { return c.peer != nullptr && c.failure.empty(); }

// One command and its answer; a client that does not answer in time is stopped for good.
json ask(Client& c, const std::string& command, std::chrono::milliseconds limit) {
  std::string line, why;
  if (!c.peer->send(command)) why = "it exited (its input is closed)";
  else if (!c.peer->read_line(line, deadline_in(limit), why)) why = "\"" + command + "\": " + why;
  json answer = why.empty() ? json::parse(line, nullptr, false) : json();
  if (why.empty() && (answer.is_discarded() || !answer.is_object())) why = "answered \"" + line + "\", not a JSON object";
  if (why.empty()) return answer;
  c.peer->finish(Clock::now());  // kills it
  return json{{"failure", why}};
}

json w1_phase(const json& answer) {
  if (answer.contains("failure") && !answer.contains("ops")) return answer;
  double ops = answer.value("ops", 0.0), seconds = answer.value("seconds", 0.0), cpu = answer.value("cpu_seconds", 0.0);
  json j{{"ops", answer.value("ops", 0)},
         {"errors", answer.value("errors", 0)},
         {"seconds", seconds},
         {"ops_per_sec", seconds > 0 ? ops / seconds : 0.0},
         {"cpu_seconds", cpu},
         {"cpu_us_per_op", ops > 0 ? cpu * 1e6 / ops : 0.0}};
  if (answer.contains("failure")) j["failure"] = answer["failure"];
  return j;
}

json latency_summary(std::vector<double> v) {
  double mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  std::sort(v.begin(), v.end());
  return json{{"gets", v.size()},           {"p50_us", percentile(v, 50)},    {"p90_us", percentile(v, 90)},
              {"p99_us", percentile(v, 99)}, {"p999_us", percentile(v, 99.9)}, {"mean_us", mean},
              {"max_us", v.back()}};
}

}  // namespace

json bindings_w1w2(const std::string& hosts, const std::string& root, const BindingParams& p,
                   std::chrono::milliseconds limit, const FailureReport& failed) {
  json j{{"nodes", p.nodes}, {"window", p.window}, {"payload_bytes", p.payload_bytes},
         {"warmup_nodes", p.warmup_nodes}, {"gets", p.gets}, {"warmup_gets", p.warmup_gets}};
  std::vector<Client> all = clients(hosts, p);
  auto fail = [&](Client& c, const std::string& what, const std::string& why) {
    if (c.failure.empty()) c.failure = what + ": " + why;
    failed(c.language + " " + what + " (" + c.name + ")", why);
  };
  for (Client& c : all) {
    if (!c.skipped.empty()) continue;
    std::string why;
    if (!c.needs.empty() && access(c.needs.c_str(), R_OK) != 0) {
      fail(c, "start", c.needs + " is missing: build the binding first (ninja -C <build>, or meson test, which builds it)");
      continue;
    }
    c.peer = Peer::start(c.args, c.env, why);
    if (!c.peer) {
      fail(c, "start", why);
      continue;
    }
    std::string line;
    if (!c.peer->read_line(line, deadline_in(std::min<std::chrono::milliseconds>(limit, 60s)), why))
      fail(c, "connect", why);
    else if (json ready = json::parse(line, nullptr, false); ready.is_discarded() || !ready.value("ready", false))
      fail(c, "connect", "answered \"" + line + "\"");
  }
  std::string w1_dir = "/w1", warm_dir = "/warm";
  auto dir = [&](const Client& c, const std::string& which) { return root + "/" + c.name + which; };

  // Warm-up (unmeasured): the server's JIT for these sessions, the clients' own (Node's JIT).
  for (Client& c : all)
    for (const char* phase : kW1Phases) {
      if (!active(c)) break;
      json a = ask(c, "w1 " + std::string(phase) + " " + dir(c, warm_dir) + " " + std::to_string(p.warmup_nodes), limit);
      if (a.contains("failure")) fail(c, std::string("W1 warm-up ") + phase, a["failure"].get<std::string>());
    }

  // W1: the clients take turns going first, as in the C++ W1.
  const std::size_t n = all.size();
  std::size_t turn = 0;
  for (const char* phase : kW1Phases) {
    json& results = j["w1"][phase];
    for (std::size_t k = 0; k < n; ++k) {
      Client& c = all[(turn + k) % n];
      if (!active(c)) continue;
      json r = w1_phase(ask(c, "w1 " + std::string(phase) + " " + dir(c, w1_dir) + " " + std::to_string(p.nodes), limit));
      if (r.contains("failure")) fail(c, std::string("W1 ") + phase, r["failure"].get<std::string>());
      results[c.name] = std::move(r);
    }
    turn = (turn + 1) % n;
  }

  // W2: in blocks, the clients taking turns ABCDE, EDCBA, ..., as the C++ W2; block 0 is the
  // warm-up.
  std::vector<std::vector<double>> micros(n);
  std::size_t blocks = std::max<std::size_t>(1, std::min<std::size_t>(10, p.gets / 250));
  for (std::size_t b = 0; b <= blocks; ++b)
    for (std::size_t k = 0; k < n; ++k) {
      Client& c = all[b % 2 == 0 ? k : n - 1 - k];
      if (!active(c)) continue;
      std::size_t count = b == 0 ? p.warmup_gets : p.gets / blocks + (b <= p.gets % blocks ? 1 : 0);
      json a = ask(c, "w2 " + dir(c, "/w2") + " " + std::to_string(count), limit);
      if (!a.contains("micros") || !a["micros"].is_array() || a["micros"].size() != count) {
        fail(c, "W2 gets", a.value("failure", std::string("no latencies in the answer")));
        continue;
      }
      if (b > 0)
        for (const json& m : a["micros"]) micros[&c - all.data()].push_back(m.get<double>());
    }
  j["blocks"] = blocks;

  for (std::size_t i = 0; i < n; ++i) {
    Client& c = all[i];
    json& info = j["clients"][c.name];
    info["language"] = c.language;
    if (!c.skipped.empty()) {
      info["skipped"] = c.skipped;
      continue;
    }
    if (c.peer && c.failure.empty()) {
      c.peer->send("quit");
      int status = c.peer->finish(deadline_in(30s));
      if (status != 0) fail(c, "exit", "exit status " + std::to_string(status));
    }
    if (!c.failure.empty()) info["failure"] = c.failure;
    else if (!micros[i].empty()) j["w2"][c.name] = latency_summary(std::move(micros[i]));
  }
  return j;
}

}  // namespace zkit::bench
