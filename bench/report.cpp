#include "report.hpp"

#include <optional>
#include <string>

namespace zkit::bench {
namespace {

enum class Target {
  none,
  ratio_at_least,  // zkit / C >= bound
  ratio_at_most,   // zkit / C <= bound
  zkit_at_most,    // zkit's own figure <= bound
  zkit_ok,         // zkit's figure exists and its run did not fail
};

struct Row {
  std::string workload;
  std::string metric;
  std::optional<double> zkit;
  std::optional<double> c;
  int decimals = 1;
  Target target = Target::none;
  double bound = 0;
  std::string target_text;
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

json row_json(const Row& r) {
  std::optional<double> ratio;
  if (r.zkit && r.c && *r.c != 0) ratio = *r.zkit / *r.c;
  std::string verdict;
  switch (r.target) {
    case Target::none: break;
    case Target::ratio_at_least:
      if (ratio) verdict = *ratio >= r.bound ? "met" : "MISSED";
      break;
    case Target::ratio_at_most:
      if (ratio) verdict = *ratio <= r.bound ? "met" : "MISSED";
      break;
    case Target::zkit_at_most:
      if (r.zkit) verdict = *r.zkit <= r.bound ? "met" : "MISSED";
      break;
    case Target::zkit_ok: verdict = r.zkit ? "met" : "MISSED"; break;
  }
  if (r.target != Target::none && verdict.empty()) verdict = "n/a";
  auto opt = [](std::optional<double> v) { return v ? json(*v) : json(nullptr); };
  return json{{"workload", r.workload}, {"metric", r.metric},   {"zkit", opt(r.zkit)},
              {"c", opt(r.c)},           {"ratio", opt(ratio)},  {"target", r.target_text},
              {"verdict", verdict},      {"note", r.note},       {"decimals", r.decimals}};
}

}  // namespace

json table_rows(const json& res) {
  std::vector<Row> rows;

  if (res.contains("w1") && res["w1"].contains("phases")) {
    std::string n = with_commas(res["w1"]["nodes"].get<long long>());
    for (const char* phase : {"create", "get", "set", "delete"}) {
      std::string base = std::string("/w1/phases/") + phase;
      std::string name = std::string("W1 ") + phase + " " + n;
      std::string note = why_missing(res, base + "/zkit");
      if (note.empty()) note = why_missing(res, base + "/c");
      rows.push_back({name, "ops/s", number(res, base + "/zkit/ops_per_sec"), number(res, base + "/c/ops_per_sec"),
                      0, Target::ratio_at_least, 1.1, ">= 1.1x", note});
      rows.push_back({name, "client CPU us/op", number(res, base + "/zkit/cpu_us_per_op"),
                      number(res, base + "/c/cpu_us_per_op"), 1, Target::ratio_at_most, 0.125, "<= 0.125x", ""});
      rows.push_back({name, "client ctx switches/op", number(res, base + "/zkit/context_switches_per_op"),
                      number(res, base + "/c/context_switches_per_op"), 2, Target::none, 0, "", ""});
      rows.push_back({name, "server CPU us/op", number(res, base + "/zkit/server_cpu_us_per_op"),
                      number(res, base + "/c/server_cpu_us_per_op"), 1, Target::none, 0, "", ""});
    }
  }

  if (res.contains("w2")) {
    std::string name = "W2 " + with_commas(res["w2"]["gets"].get<long long>()) + " sequential gets";
    std::string note = why_missing(res, "/w2/zkit");
    if (note.empty()) note = why_missing(res, "/w2/c");
    rows.push_back({name, "p50 us", number(res, "/w2/zkit/p50_us"), number(res, "/w2/c/p50_us"), 0,
                    Target::ratio_at_most, 0.8, "<= 0.8x", note});
    rows.push_back({name, "p99 us", number(res, "/w2/zkit/p99_us"), number(res, "/w2/c/p99_us"), 0,
                    Target::ratio_at_most, 0.8, "<= 0.8x", ""});
    rows.push_back({name, "p99.9 us", number(res, "/w2/zkit/p999_us"), number(res, "/w2/c/p999_us"), 0,
                    Target::none, 0, "", ""});
    rows.push_back({name, "mean us", number(res, "/w2/zkit/mean_us"), number(res, "/w2/c/mean_us"), 0,
                    Target::none, 0, "", ""});
  }

  if (res.contains("w3")) {
    const json& w3 = res["w3"];
    const json* c = w3["c"].empty() ? nullptr : &w3["c"][0];
    for (const json& z : w3["zkit"]) {
      int n = z.value("sessions", 0);
      bool paired = c && c->value("sessions", -1) == n;
      auto get = [](const json* o, const char* key) -> std::optional<double> {
        if (!o || o->contains("failure") || !o->contains(key)) return std::nullopt;
        return (*o)[key].get<double>();
      };
      const json* cc = paired ? c : nullptr;
      std::string name = "W3 " + with_commas(n) + " sessions";
      std::string note;
      if (z.contains("failure")) note = "zkit failed: " + z["failure"].get<std::string>();
      else if (cc && cc->contains("failure")) note = "C failed: " + (*cc)["failure"].get<std::string>();
      else if (!cc) note = "zkit only: the C client runs 2 threads per session";
      rows.push_back({name, "connect all, s", get(&z, "connect_seconds"), get(cc, "connect_seconds"), 2,
                      Target::none, 0, "", note});
      rows.push_back({name, "RSS KiB/session", get(&z, "rss_kib_per_session"), get(cc, "rss_kib_per_session"), 1,
                      cc ? Target::ratio_at_most : Target::none, 0.25, cc ? "<= 0.25x" : "", ""});
      rows.push_back({name, "threads", get(&z, "threads"), get(cc, "threads"), 0,
                      cc ? Target::none : Target::zkit_ok, 0, cc ? "" : "one loop thread", ""});
      rows.push_back({name, "open fds", get(&z, "fds"), get(cc, "fds"), 0, Target::none, 0, "", ""});
    }
  }

  if (res.contains("w4")) {
    const json& w4 = res["w4"];
    std::string n = with_commas(w4.value("watches", 0LL));
    for (const char* phase : {"set", "fire"}) {
      std::string base = std::string("/w4/") + phase;
      std::string name = std::string("W4 ") + phase + " " + n + " watches";
      std::string note = why_missing(res, base + "/zkit");
      if (note.empty()) note = why_missing(res, base + "/c");
      rows.push_back({name, "s", number(res, base + "/zkit/seconds"), number(res, base + "/c/seconds"), 3,
                      Target::none, 0, "", note});
      rows.push_back({name, "client CPU us/watch", number(res, base + "/zkit/cpu_us_per_op"),
                      number(res, base + "/c/cpu_us_per_op"), 1, Target::none, 0, "", ""});
    }
    std::string name = "W4 re-register " + n + " watches";
    std::string note = why_missing(res, "/w4/rewatch");
    if (note.empty()) note = why_missing(res, "/w4/rewatch/zkit");
    if (note.empty()) note = why_missing(res, "/w4/rewatch/c");
    if (!note.empty()) note = "C: " + note;
    rows.push_back({name, "reconnect -> sync ms", number(res, "/w4/rewatch/zkit/reconnect_to_sync_ms"),
                    number(res, "/w4/rewatch/c/reconnect_to_sync_ms"), 1, Target::zkit_at_most, 1000, "<= 1000 ms",
                    note});
    rows.push_back({name, "watches firing after", number(res, "/w4/rewatch/zkit/events_after_restart"),
                    number(res, "/w4/rewatch/c/events_after_restart"), 0, Target::none, 0, "", ""});
  }

  if (res.contains(json::json_pointer("/w5/lock")) && res.contains(json::json_pointer("/w5/election"))) {
    std::string lock = "W5 lock, " + std::to_string(res["/w5/lock/contenders"_json_pointer].get<int>()) + " contenders";
    std::string note = why_missing(res, "/w5/lock");
    rows.push_back({lock, "hand-off p50 us", number(res, "/w5/lock/handoff/p50_us"), std::nullopt, 0, Target::none, 0,
                    "", note.empty() ? "zkit only: Debian's C client ships no recipes" : note});
    rows.push_back({lock, "hand-off p99 us", number(res, "/w5/lock/handoff/p99_us"), std::nullopt, 0, Target::none, 0, "", ""});
    std::string election = "W5 leader failover, " + std::to_string(res["/w5/election/members"_json_pointer].get<int>()) + " members";
    rows.push_back({election, "failover p50 us", number(res, "/w5/election/failover/p50_us"), std::nullopt, 0,
                    Target::none, 0, "", why_missing(res, "/w5/election")});
    rows.push_back({election, "failover p99 us", number(res, "/w5/election/failover/p99_us"), std::nullopt, 0,
                    Target::none, 0, "", ""});
  }

  json out = json::array();
  for (const Row& r : rows) out.push_back(row_json(r));
  return out;
}

void print_report(const json& res, std::FILE* out) {
  const json& meta = res["meta"];
  std::fprintf(out, "zkit-bench (%s run): zkit %s vs the C client %s, against %s\n",
               meta.value("mode", "?").c_str(), meta.value("zkit_version", "?").c_str(),
               meta.value("c_client_version", "?").c_str(), meta.value("server", "a server").c_str());
  std::fprintf(out, "%u CPUs; load average %s at the start, %s at the end (other jobs run here too)\n\n",
               meta.value("cpus", 0u), meta.value("load_average_start", "?").c_str(),
               meta.value("load_average_end", "?").c_str());
  json rows = res.contains("table") ? res["table"] : table_rows(res);
  std::fprintf(out, "| %-30s | %-22s | %12s | %12s | %7s | %-14s | %-7s | %s |\n", "workload", "metric", "zkit",
               "C client", "zkit/C", "target", "verdict", "note");
  std::fprintf(out, "|---|---|---:|---:|---:|---|---|---|\n");
  for (const json& r : rows) {
    int decimals = r.value("decimals", 1);
    auto v = [&](const char* key, int d) {
      return r[key].is_number() ? format(r[key].get<double>(), d) : std::string("-");
    };
    std::fprintf(out, "| %-30s | %-22s | %12s | %12s | %7s | %-14s | %-7s | %s |\n",
                 r["workload"].get<std::string>().c_str(), r["metric"].get<std::string>().c_str(),
                 v("zkit", decimals).c_str(), v("c", decimals).c_str(), v("ratio", 2).c_str(),
                 r["target"].get<std::string>().c_str(), r["verdict"].get<std::string>().c_str(),
                 r["note"].get<std::string>().c_str());
  }
  if (res.contains("failures") && !res["failures"].empty()) {
    std::fprintf(out, "\nFAILURES:\n");
    for (const json& f : res["failures"]) std::fprintf(out, "  %s\n", f.get<std::string>().c_str());
  }
}

}  // namespace zkit::bench
