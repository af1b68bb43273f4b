#include "report.hpp"

#include <optional>
#include <string>
#include <vector>

namespace zkit::bench {
namespace {

// One condition of a target: zkit's figure over another client's (`against` set), or zkit's own
// figure (`against` empty), compared with `bound`.
struct Check {
  std::string against;  // "raw", "c", "curator", "kazoo", or "" for zkit's own figure
  bool at_most;         // <= bound; else >= bound
  double bound;
};

struct Beside {
  std::string client;
  std::optional<double> value;
};

struct Row {
  std::string workload;
  std::string metric;
  std::optional<double> zkit;
  std::vector<Beside> beside;
  int decimals = 1;
  std::vector<Check> checks;
  std::string note;
};

// The number at `pointer` in `j`, unless it is missing or the object holding it says it failed.
std::optional<double> number(const json& j, const std::string& pointer) {
  json::json_pointer p(pointer);
  if (!j.contains(p) || !j.at(p).is_number()) return std::nullopt;
  if (j.contains(p.parent_pointer()) && j.at(p.parent_pointer()).contains("failure")) return std::nullopt;
  return j.at(p).get<double>();
}

std::string why_missing(const json& j, const std::string& object_pointer) {
  json::json_pointer p(object_pointer);
  if (!j.contains(p)) return "not run";
  const json& o = j.at(p);
  if (o.contains("skipped")) return o["skipped"].get<std::string>();
  if (o.contains("failure")) return "failed: " + o["failure"].get<std::string>();
  return "";
}

// The first reason among `objects` that a figure is missing, prefixed with whose it is.
std::string notes(const json& j, const std::vector<std::pair<std::string, std::string>>& objects) {
  for (const auto& [who, pointer] : objects) {
    std::string why = why_missing(j, pointer);
    if (!why.empty()) return who + ": " + why;
  }
  return "";
}

std::string with_commas(long long v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out = v < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string format(std::optional<double> v, int decimals) {
  if (!v) return "-";
  if (decimals == 0) return with_commas(static_cast<long long>(*v + (*v < 0 ? -0.5 : 0.5)));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}

const char* display(const std::string& client) {
  if (client == "c") return "C";
  if (client == "curator") return "Curator";
  if (client == "kazoo") return "kazoo";
  if (client == "raw") return "raw";
  if (client == "nzc") return "node-zookeeper-client";
  return "zkit";
}

std::string bound_text(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", b);
  return buf;
}

json row_json(const Row& r) {
  json beside = json::array();
  for (const Beside& b : r.beside) {
    std::optional<double> ratio;
    if (r.zkit && b.value && *b.value != 0) ratio = *r.zkit / *b.value;
    auto opt = [](std::optional<double> v) { return v ? json(*v) : json(nullptr); };
    beside.push_back(json{{"client", b.client}, {"value", opt(b.value)}, {"ratio", opt(ratio)}});
  }
  json checks = json::array();
  std::string target, verdict;
  bool missing = false, missed = false;
  for (const Check& c : r.checks) {
    checks.push_back(json{{"against", c.against}, {"op", c.at_most ? "<=" : ">="}, {"bound", c.bound}});
    if (!target.empty()) target += ", ";
    target += std::string(c.at_most ? "<= " : ">= ") + bound_text(c.bound) + (c.against.empty() ? "" : "x " + std::string(display(c.against)));
    // GCC 12 sees a std::optional reassigned in a loop as maybe uninitialized: a flag instead.
    bool have = c.against.empty() && r.zkit.has_value();
    double v = have ? *r.zkit : 0;
    for (const json& b : beside)
      if (!c.against.empty() && b["client"] == c.against && b["ratio"].is_number()) {
        have = true;
        v = b["ratio"].get<double>();
      }
    if (!have) missing = true;
    else if (c.at_most ? v > c.bound : v < c.bound) missed = true;
  }
  if (!r.checks.empty()) verdict = missed ? "MISSED" : missing ? "n/a" : "met";
  return json{{"workload", r.workload}, {"metric", r.metric}, {"zkit", r.zkit ? json(*r.zkit) : json(nullptr)},
              {"beside", beside}, {"checks", checks}, {"target", target}, {"verdict", verdict},
              {"note", r.note}, {"decimals", r.decimals}};
}

void w1_rows(const json& res, std::vector<Row>& rows) {
  std::string n = with_commas(res["w1"]["nodes"].get<long long>());
  for (const char* phase : {"create", "get", "set", "delete"}) {
    std::string base = std::string("/w1/phases/") + phase;
    std::string name = std::string("W1 ") + phase + " " + n;
    auto both = [&](const char* field) {
      return std::vector<Beside>{{"raw", number(res, base + "/raw/" + field)}, {"c", number(res, base + "/c/" + field)}};
    };
    auto z = [&](const char* field) { return number(res, base + "/zkit/" + field); };
    std::string note = notes(res, {{"zkit", base + "/zkit"}, {"raw", base + "/raw"}, {"C", base + "/c"}});
    rows.push_back({name, "ops/s", z("ops_per_sec"), both("ops_per_sec"), 0,
                    {{"raw", false, 0.95}, {"c", false, 1.15}}, note});
    rows.push_back({name, "client CPU us/op", z("cpu_us_per_op"), both("cpu_us_per_op"), 1, {{"raw", true, 1.25}}, ""});
    rows.push_back({name, "client wake-ups/op", z("wakeups_per_op"), both("wakeups_per_op"), 3, {}, ""});
    rows.push_back({name, "client reads/op", z("reads_per_op"), both("reads_per_op"), 3, {}, ""});
    rows.push_back({name, "client writes/op", z("writes_per_op"), both("writes_per_op"), 3, {}, ""});
    rows.push_back({name, "client ctx switches/op", z("context_switches_per_op"), both("context_switches_per_op"), 2, {}, ""});
    rows.push_back({name, "server CPU us/op", z("server_cpu_us_per_op"), both("server_cpu_us_per_op"), 1, {}, ""});
    // zkit's metrics read the clock when a request is queued and when it is answered: what
    // those reads cost, as a share of zkit's client CPU per operation (clock_reads.hpp).
    std::optional<double> reads = z("clock_reads_per_op"), cpu = z("cpu_us_per_op");
    std::optional<double> price = number(res, "/meta/clock_read_ns");
    rows.push_back({name, "metrics clock reads/op", reads, {}, 2, {}, ""});
    std::optional<double> share;
    if (reads && cpu && price && *cpu > 0) share = *reads * *price / (*cpu * 1000) * 100;
    rows.push_back({name, "metrics clock, % of client CPU", share, {}, 1, {},
                    price ? "one read " + format(price, 1) + " ns" : ""});
  }
}

// W1 and W2 through a binding (`zkit` is the binding's client in the JSON, `other` its peer):
// issue 14's bounds on the ratios of throughput, CPU per operation and W2's p50.
// Rows of one zkit face of a binding beside `other`; issue 14's bounds only when `targets`
// (the verdict is on one face per language; another face's rows are for reading beside it).
void binding_rows(const json& res, std::vector<Row>& rows, const std::string& language, const std::string& zkit,
                  const std::string& other, double throughput, double cpu, double p50, bool targets = true) {
  auto bound = [&](bool at_most, double b) { return targets ? std::vector<Check>{{other, at_most, b}} : std::vector<Check>{}; };
  const json& b = res["bindings"];
  std::string n = with_commas(b.value("nodes", 0LL));
  std::string zk = "/bindings/clients/" + zkit, them = "/bindings/clients/" + other;
  std::string setup = notes(res, {{"zkit", zk}, {display(other), them}});
  for (const char* phase : {"create", "get", "set", "delete"}) {
    std::string base = std::string("/bindings/w1/") + phase + "/";
    std::string name = language + " W1 " + phase + " " + n;
    auto z = [&](const char* f) { return number(res, base + zkit + "/" + f); };
    auto beside = [&](const char* f) { return std::vector<Beside>{{other, number(res, base + other + "/" + f)}}; };
    std::string note = setup.empty() ? notes(res, {{"zkit", base + zkit}, {display(other), base + other}}) : setup;
    rows.push_back({name, "ops/s", z("ops_per_sec"), beside("ops_per_sec"), 0, bound(false, throughput), note});
    rows.push_back({name, "client CPU us/op", z("cpu_us_per_op"), beside("cpu_us_per_op"), 1, bound(true, cpu), ""});
  }
  std::string name = language + " W2 " + with_commas(b.value("gets", 0LL)) + " sequential gets";
  auto z = [&](const char* f) { return number(res, "/bindings/w2/" + zkit + "/" + f); };
  auto beside = [&](const char* f) { return std::vector<Beside>{{other, number(res, "/bindings/w2/" + other + "/" + f)}}; };
  std::string note = setup;
  if (note.empty() && (!z("p50_us") || !beside("p50_us")[0].value)) note = "not measured: an earlier phase failed";
  rows.push_back({name, "p50 us", z("p50_us"), beside("p50_us"), 0, bound(true, p50), note});
  rows.push_back({name, "p99 us", z("p99_us"), beside("p99_us"), 0, {}, ""});
  rows.push_back({name, "mean us", z("mean_us"), beside("mean_us"), 0, {}, ""});
}

void w2_rows(const json& res, std::vector<Row>& rows) {
  std::string name = "W2 " + with_commas(res["w2"]["gets"].get<long long>()) + " sequential gets";
  auto both = [&](const char* field) {
    return std::vector<Beside>{{"raw", number(res, std::string("/w2/raw/") + field)},
                               {"c", number(res, std::string("/w2/c/") + field)}};
  };
  auto z = [&](const char* field) { return number(res, std::string("/w2/zkit/") + field); };
  std::string note = notes(res, {{"zkit", "/w2/zkit"}, {"raw", "/w2/raw"}, {"C", "/w2/c"}});
  rows.push_back({name, "p50 us", z("p50_us"), both("p50_us"), 0, {{"raw", true, 1.05}}, note});
  rows.push_back({name, "p99 us", z("p99_us"), both("p99_us"), 0, {{"raw", true, 1.05}}, ""});
  rows.push_back({name, "p99.9 us", z("p999_us"), both("p999_us"), 0, {}, ""});
  rows.push_back({name, "mean us", z("mean_us"), both("mean_us"), 0, {}, ""});
}

void w3_rows(const json& res, std::vector<Row>& rows) {
  const json& w3 = res["w3"];
  const json* c = w3["c"].empty() ? nullptr : &w3["c"][0];
  for (const json& z : w3["zkit"]) {
    int n = z.value("sessions", 0);
    bool paired = c && c->value("sessions", -1) == n;
    auto get = [](const json* o, const char* key) -> std::optional<double> {
      if (!o || o->contains("failure") || !o->contains(key) || !(*o)[key].is_number()) return std::nullopt;
      return (*o)[key].get<double>();
    };
    const json* cc = paired ? c : nullptr;
    auto beside = [&](const char* key) {
      return cc ? std::vector<Beside>{{"c", get(cc, key)}} : std::vector<Beside>{};
    };
    std::string name = "W3 " + with_commas(n) + " sessions, default backlog";
    std::string note;
    if (z.contains("failure")) note = "zkit failed: " + z["failure"].get<std::string>();
    else if (cc && cc->contains("failure")) note = "C failed: " + (*cc)["failure"].get<std::string>();
    else if (!cc) note = "zkit only: the C client runs 2 threads per session";
    std::vector<Check> connect_checks;
    if (n == 1000 && cc) connect_checks.push_back({"c", true, 1.0});
    if (n == 10000) connect_checks.push_back({"", true, 3.0});
    rows.push_back({name, "connect all, s", get(&z, "connect_seconds"), beside("connect_seconds"), 2, connect_checks, note});
    // A session's read timeout is 2/3 of its timeout (40 s here: 26.7 s). Sessions start before
    // the loop first runs, so one that waited a read timeout out can show a little less than
    // that; on loopback an attempt that is not stalled takes well under a second. A session
    // slower than half the read timeout is taken as one that waited a timeout out.
    rows.push_back({name, "slowest session, s", get(&z, "slowest_session_seconds"), beside("slowest_session_seconds"), 2,
                    {{"", true, 13.3}}, ""});
    rows.push_back({name, "listen overflows", get(&z, "listen_overflows"), beside("listen_overflows"), 0, {}, ""});
    rows.push_back({name, "RSS KiB/session", get(&z, "rss_kib_per_session"), beside("rss_kib_per_session"), 1,
                    cc ? std::vector<Check>{{"c", true, 0.25}} : std::vector<Check>{}, ""});
    rows.push_back({name, "threads", get(&z, "threads"), beside("threads"), 0, {}, cc ? "" : "one loop thread"});
    rows.push_back({name, "open fds", get(&z, "fds"), beside("fds"), 0, {}, ""});
  }
}

void w4_rows(const json& res, std::vector<Row>& rows) {
  const json& w4 = res["w4"];
  std::string n = with_commas(w4.value("watches", 0LL));
  for (const char* phase : {"set", "fire"}) {
    std::string base = std::string("/w4/") + phase;
    std::string name = std::string("W4 ") + phase + " " + n + " watches";
    std::string note = notes(res, {{"zkit", base + "/zkit"}, {"C", base + "/c"}});
    rows.push_back({name, "s", number(res, base + "/zkit/seconds"), {{"c", number(res, base + "/c/seconds")}}, 3, {}, note});
    rows.push_back({name, "client CPU us/watch", number(res, base + "/zkit/cpu_us_per_op"),
                    {{"c", number(res, base + "/c/cpu_us_per_op")}}, 1, {}, ""});
  }
  std::string name = "W4 re-register " + n + " watches";
  std::string note = notes(res, {{"zkit", "/w4/rewatch"}, {"zkit", "/w4/rewatch/zkit"}, {"C", "/w4/rewatch/c"}});
  rows.push_back({name, "reconnect -> sync ms", number(res, "/w4/rewatch/zkit/reconnect_to_sync_ms"),
                  {{"c", number(res, "/w4/rewatch/c/reconnect_to_sync_ms")}}, 1, {{"", true, 1000}}, note});
  rows.push_back({name, "watches firing after", number(res, "/w4/rewatch/zkit/events_after_restart"),
                  {{"c", number(res, "/w4/rewatch/c/events_after_restart")}}, 0, {}, ""});
}

void w5_rows(const json& res, std::vector<Row>& rows) {
  int contenders = res.value(json::json_pointer("/w5/zkit/lock/contenders"), 10);
  int members = res.value(json::json_pointer("/w5/zkit/election/members"), 3);
  auto z = [&](const std::string& p) { return number(res, "/w5/zkit/" + p); };
  auto others = [&](const std::string& p) {
    return std::vector<Beside>{{"curator", number(res, "/w5/curator/" + p)}, {"kazoo", number(res, "/w5/kazoo/" + p)}};
  };
  std::string lock = "W5 lock hand-off, " + std::to_string(contenders) + " contenders";
  std::string note = notes(res, {{"zkit", "/w5/zkit/lock"}, {"Curator", "/w5/curator"}, {"Curator", "/w5/curator/lock"},
                                 {"kazoo", "/w5/kazoo"}, {"kazoo", "/w5/kazoo/lock"}});
  std::vector<Check> lock_checks = {{"curator", true, 0.8}, {"kazoo", true, 0.8}};
  rows.push_back({lock, "p50 us", z("lock/handoff/p50_us"), others("lock/handoff/p50_us"), 0, lock_checks, note});
  rows.push_back({lock, "p99 us", z("lock/handoff/p99_us"), others("lock/handoff/p99_us"), 0, lock_checks, ""});
  std::string election = "W5 leader failover, " + std::to_string(members) + " members";
  note = notes(res, {{"zkit", "/w5/zkit/election"}, {"Curator", "/w5/curator/election"}, {"kazoo", "/w5/kazoo/election"}});
  rows.push_back({election, "p50 us", z("election/failover/p50_us"), others("election/failover/p50_us"), 0,
                  {{"curator", true, 1.0}}, note});
  rows.push_back({election, "p99 us", z("election/failover/p99_us"), others("election/failover/p99_us"), 0, {}, ""});
}

void w6_rows(const json& res, std::vector<Row>& rows) {
  if (res["w6"].contains("skipped")) return;
  int n = res.value(json::json_pointer("/w6/zkit/sessions"), 0);
  auto z = [&](const char* f) { return number(res, std::string("/w6/zkit/") + f); };
  auto c = [&](const char* f) { return std::vector<Beside>{{"c", number(res, std::string("/w6/c/") + f)}}; };
  std::string name = "W6 herd, " + with_commas(n) + " sessions x " +
                     std::to_string(res.value(json::json_pointer("/w6/zkit/watches_per_session"), 10)) + " watches";
  std::string note = notes(res, {{"zkit", "/w6/zkit"}, {"C", "/w6/c"}});
  if (note.empty())
    note = "C: " + with_commas(res.value(json::json_pointer("/w6/c/sessions"), 0LL)) + " sessions, " +
           with_commas(res.value(json::json_pointer("/w6/c/on_killed_member"), 0LL)) + " of them on the killed member";
  // Counts are read even from a failed run (the failure is about the outcome, the counts are
  // what happened); the times "all back" only from a run where all came back.
  auto counted = [&](const std::string& who, const char* f) -> std::optional<double> {
    json::json_pointer p("/w6/" + who + "/" + f);
    if (!res.contains(p) || !res.at(p).is_number()) return std::nullopt;
    return res.at(p).get<double>();
  };
  auto both = [&](const char* f) { return std::vector<Beside>{{"c", counted("c", f)}}; };
  rows.push_back({name, "sessions on the killed member", counted("zkit", "on_killed_member"), both("on_killed_member"), 0,
                  {}, note});
  rows.push_back({name, "all back and re-watched, s", z("all_rewatched_seconds"), c("all_rewatched_seconds"), 2,
                  {{"", true, 5.0}}, ""});
  rows.push_back({name, "all reconnected, s", z("all_reconnected_seconds"), c("all_reconnected_seconds"), 2, {}, ""});
  rows.push_back({name, "sessions re-watched", counted("zkit", "rewatched"), both("rewatched"), 0, {}, ""});
  rows.push_back({name, "sessions expired", counted("zkit", "expired"), both("expired"), 0, {{"", true, 0}}, ""});
  std::optional<double> missing_events;
  if (auto e = counted("zkit", "events_after"), w = counted("zkit", "watches"); e && w) missing_events = *w - *e;
  rows.push_back({name, "watches not firing after", missing_events, {}, 0, {{"", true, 0}}, ""});
  rows.push_back({name, "peak handshakes in flight", counted("zkit", "in_flight_handshakes_peak"),
                  both("in_flight_handshakes_peak"), 0, {}, ""});
  rows.push_back({name, "connect() calls", counted("zkit", "connect_calls"), both("connect_calls"), 0, {}, ""});
}

}  // namespace

json table_rows(const json& res) {
  std::vector<Row> rows;
  if (res.contains("w1") && res["w1"].contains("phases")) w1_rows(res, rows);
  if (res.contains("w2")) w2_rows(res, rows);
  if (res.contains("w3")) w3_rows(res, rows);
  if (res.contains("w4")) w4_rows(res, rows);
  if (res.contains(json::json_pointer("/w5/zkit"))) w5_rows(res, rows);
  if (res.contains("w6")) w6_rows(res, rows);
  if (res.contains(json::json_pointer("/bindings/clients"))) {
    binding_rows(res, rows, "Python", "zkit_python", "kazoo", 1.8, 0.25, 0.8);
    // zkit's own Python API (zkit.aio for W1, zkit.Client for W2) beside the same kazoo figures.
    binding_rows(res, rows, "Python native", "zkit_python_native", "kazoo", 1.8, 0.25, 0.8, false);
    binding_rows(res, rows, "Node", "zkit_node", "nzc", 1.2, 0.5, 0.8);
  }
  json out = json::array();
  for (const Row& r : rows) out.push_back(row_json(r));
  return out;
}

std::string beside_text(const json& row) {
  std::string out;
  int decimals = row.value("decimals", 1);
  for (const json& b : row["beside"]) {
    if (!out.empty()) out += "; ";
    out += std::string(display(b["client"].get<std::string>())) + " " +
           (b["value"].is_number() ? format(b["value"].get<double>(), decimals) : "-");
    if (b["ratio"].is_number()) out += " (" + format(b["ratio"].get<double>(), 2) + ")";
  }
  return out;
}

void print_report(const json& res, std::FILE* out) {
  const json& meta = res["meta"];
  std::fprintf(out, "zkit-bench (%s run): zkit %s beside the raw client, the C client %s, Curator, kazoo and node-zookeeper-client, against %s\n",
               meta.value("mode", "?").c_str(), meta.value("zkit_version", "?").c_str(),
               meta.value("c_client_version", "?").c_str(), meta.value("server", "a server").c_str());
  std::fprintf(out, "%u CPUs; load average %s at the start, %s at the end (other jobs run here too)\n\n",
               meta.value("cpus", 0u), meta.value("load_average_start", "?").c_str(),
               meta.value("load_average_end", "?").c_str());
  json rows = res.contains("table") ? res["table"] : table_rows(res);
  std::fprintf(out, "| workload | metric | zkit | beside (zkit / them) | target | verdict | note |\n");
  std::fprintf(out, "|---|---|---:|---|---|---|---|\n");
  for (const json& r : rows) {
    std::fprintf(out, "| %s | %s | %s | %s | %s | %s | %s |\n", r["workload"].get<std::string>().c_str(),
                 r["metric"].get<std::string>().c_str(),
                 r["zkit"].is_number() ? format(r["zkit"].get<double>(), r.value("decimals", 1)).c_str() : "-",
                 beside_text(r).c_str(), r["target"].get<std::string>().c_str(), r["verdict"].get<std::string>().c_str(),
                 r["note"].get<std::string>().c_str());
  }
  if (res.contains("failures") && !res["failures"].empty()) {
    std::fprintf(out, "\nFAILURES:\n");
    for (const json& f : res["failures"]) std::fprintf(out, "  %s\n", f.get<std::string>().c_str());
  }
}

}  // namespace zkit::bench
