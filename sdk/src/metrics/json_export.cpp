// to_json(Metrics): the snapshot as one JSON object (docs/observability.md#json).
#include <cstdio>

#include <nlohmann/json.hpp>

#include "metrics/hex_id.hpp"
#include "zkit/metrics.hpp"

namespace zkit {

std::string to_json(const Metrics& m) {
  using json = nlohmann::ordered_json;  // keys in the documented order
  json ops = json::object();
  for (const OperationMetrics& o : m.operations) {
    json buckets = json::array();
    for (std::size_t i = 0; i < o.latency.buckets.size(); ++i) {
      // Bounds in microseconds; the overflow bucket's is null (+Inf).
      json le = i < LatencyHistogram::kBounds ? json(LatencyHistogram::bound_us(i)) : json(nullptr);
      buckets.push_back({{"le_us", le}, {"count", o.latency.buckets[i]}});
    }
    ops[std::string(o.op)] = {{"replies", o.replies},
                              {"errors", o.errors},
                              {"latency", {{"count", o.latency.count}, {"sum_us", o.latency.sum_us}, {"buckets", buckets}}}};
  }
  json disconnects = json::object();
  for (std::size_t i = 0; i < kDisconnectCauses; ++i)
    disconnects[std::string(to_string(static_cast<DisconnectCause>(i)))] = m.disconnects[i];
  json states = json::object();
  for (std::size_t i = 0; i < m.state_changes.size(); ++i)
    states[std::string(to_string(static_cast<SessionState>(i)))] = m.state_changes[i];
  json doc = {
      // A 64-bit id does not survive JSON tools that read numbers as doubles: a string.
      {"session_id", metrics::hex_id(m.session_id)},
      {"state", std::string(to_string(m.state))},
      {"requests_outstanding", m.requests_outstanding},
      {"watches_registered", m.watches_registered},
      {"requests_failed", m.requests_failed},
      {"operations", ops},
      {"connections", m.connections},
      {"reconnects", m.reconnects},
      {"disconnects", disconnects},
      {"last_disconnect", m.last_disconnect},
      {"state_changes", states},
      {"set_watches", {{"sent", m.set_watches_sent}, {"paths", m.set_watches_paths}, {"bytes", m.set_watches_bytes},
                       {"max_bytes", m.set_watches_max_bytes}}},
      {"bytes_in", m.bytes_in},
      {"bytes_out", m.bytes_out},
      {"frames_in", m.frames_in},
      {"slow_callbacks", {{"count", m.slow_callbacks}, {"max_us", m.slow_callback_max_us}, {"max_op", m.slow_callback_max_op}}},
  };
  return doc.dump();
}

}  // namespace zkit
