#include "session_stats.hpp"

#include <thread>

#include "admin_commands.hpp"

namespace zkit::cli {

using json = nlohmann::ordered_json;

json session_metrics_json(const Metrics& m) {
  json j = json::parse(to_json(m));
  j.erase("session_id");
  return j;
}

std::vector<std::string> session_metrics_lines(const Metrics& m) {
  std::vector<std::string> lines;
  auto put = [&](const std::string& key, const std::string& value) { lines.push_back("  " + key + " " + value); };
  auto num = [&](const std::string& key, std::uint64_t v) { put(key, std::to_string(v)); };
  num("requests_outstanding", m.requests_outstanding);
  num("requests_failed", m.requests_failed);
  num("watches_registered", m.watches_registered);
  num("connections", m.connections);
  num("reconnects", m.reconnects);
  for (std::size_t c = 0; c < kDisconnectCauses; ++c)
    if (m.disconnects[c] != 0) num("disconnects." + std::string(to_string(static_cast<DisconnectCause>(c))), m.disconnects[c]);
  if (!m.last_disconnect.empty()) put("last_disconnect", m.last_disconnect);
  num("bytes_in", m.bytes_in);
  num("bytes_out", m.bytes_out);
  num("set_watches_sent", m.set_watches_sent);
  num("slow_callbacks", m.slow_callbacks);
  for (const OperationMetrics& o : m.operations) {
    double mean_ms = o.latency.count ? static_cast<double>(o.latency.sum_us) / 1000.0 / static_cast<double>(o.latency.count) : 0;
    char mean[32];
    std::snprintf(mean, sizeof mean, "%.3f", mean_ms);
    put("op." + std::string(o.op), "replies " + std::to_string(o.replies) + " errors " + std::to_string(o.errors) +
                                       " mean_ms " + mean);
  }
  return lines;
}

Result<void> run_stats_command(Client& client, const Invocation& inv, Printer& out) {
  for (int shown = 0;;) {
    if (inv.prometheus) {
      auto m = client.metrics();
      if (!m) return std::move(m).error();
      std::string text = to_prometheus(*m);
      text.pop_back();  // line() adds the last newline back
      out.line(text);
    } else if (auto r = run_stats(client, inv.connect.value_or(""), out); !r) {
      return r;
    }
    ++shown;
    if (inv.refresh.count() == 0 || (inv.count != 0 && shown >= inv.count)) return {};
    // The refresh interval the user asked for (not a wait for an event).
    std::this_thread::sleep_for(inv.refresh);
    if (!out.is_json()) out.line("");
  }
}

}  // namespace zkit::cli
