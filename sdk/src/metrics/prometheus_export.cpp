// to_prometheus(): snapshots in the Prometheus text exposition format 0.0.4
// (docs/observability.md#prometheus). Families are written once each, with every session's
// samples under them, as the format requires.
#include <charconv>

#include "metrics/hex_id.hpp"
#include "zkit/metrics.hpp"

namespace zkit {

namespace {

// The shortest text that reads back as `v` ("1.6e-05", not "1.6000000000000001e-05").
std::string shortest(double v) {
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

class Text {
 public:
  void family(const char* name, const char* type, const char* help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  // name{session="...",extra} value. `extra` is `key="value"` pairs, already escaped.
  void sample(const char* name, const std::string& session, std::string_view extra, double value) {
    sample_text(name, session, extra, shortest(value));
  }
  void sample(const char* name, const std::string& session, std::string_view extra, std::uint64_t value) {
    sample_text(name, session, extra, std::to_string(value));
  }
  std::string take() { return std::move(out_); }

 private:
  void sample_text(const char* name, const std::string& session, std::string_view extra, std::string_view value) {
    out_ += name;
    out_ += "{session=\"";
    out_ += session;
    out_ += '"';
    if (!extra.empty()) {
      out_ += ',';
      out_ += extra;
    }
    out_ += "} ";
    out_ += value;
    out_ += '\n';
  }
  std::string out_;
};

// A label pair; label values here are fixed words (op names, causes, states): nothing to escape.
std::string label(std::string_view key, std::string_view value) {
  return std::string(key) + "=\"" + std::string(value) + "\"";
}

}  // namespace

std::string to_prometheus(std::span<const Metrics> sessions) {
  Text t;
  std::vector<std::string> ids;
  for (const Metrics& m : sessions) ids.push_back(metrics::hex_id(m.session_id));
  // One family per figure read straight off the snapshot.
  auto each = [&](const char* name, const char* type, const char* help, auto value) {
    t.family(name, type, help);
    for (std::size_t i = 0; i < sessions.size(); ++i) t.sample(name, ids[i], {}, std::uint64_t{value(sessions[i])});
  };

  t.family("zkit_session_state", "gauge", "1 for the state the session is in, 0 for the others.");
  for (std::size_t i = 0; i < sessions.size(); ++i)
    for (std::size_t s = 0; s < sessions[i].state_changes.size(); ++s)
      t.sample("zkit_session_state", ids[i], label("state", to_string(static_cast<SessionState>(s))),
               std::uint64_t{static_cast<std::size_t>(sessions[i].state) == s});
  each("zkit_requests_outstanding", "gauge", "Requests sent and awaiting a reply, or queued unsent.",
       [](const Metrics& m) { return m.requests_outstanding; });
  each("zkit_watches_registered", "gauge", "Server watches the session holds (one per path and kind).",
       [](const Metrics& m) { return m.watches_registered; });
  each("zkit_requests_failed_total", "counter",
       "Requests ended without a reply: connection_loss, request_timeout or closing.",
       [](const Metrics& m) { return m.requests_failed; });

  t.family("zkit_replies_total", "counter", "Replies from the servers, by operation.");
  for (std::size_t i = 0; i < sessions.size(); ++i)
    for (const OperationMetrics& o : sessions[i].operations) t.sample("zkit_replies_total", ids[i], label("op", o.op), o.replies);
  t.family("zkit_reply_errors_total", "counter", "Replies that carried a server error (no_node, bad_version, ...), by operation.");
  for (std::size_t i = 0; i < sessions.size(); ++i)
    for (const OperationMetrics& o : sessions[i].operations)
      t.sample("zkit_reply_errors_total", ids[i], label("op", o.op), o.errors);
  t.family("zkit_request_duration_seconds", "histogram", "Time from the call to the reply, by operation.");
  for (std::size_t i = 0; i < sessions.size(); ++i)
    for (const OperationMetrics& o : sessions[i].operations) {
      std::string op = label("op", o.op);
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b < o.latency.buckets.size(); ++b) {
        cumulative += o.latency.buckets[b];
        std::string le = b < LatencyHistogram::kBounds
                             ? shortest(static_cast<double>(LatencyHistogram::bound_us(b)) / 1e6)
                             : std::string("+Inf");
        t.sample("zkit_request_duration_seconds_bucket", ids[i], op + "," + label("le", le), cumulative);
      }
      t.sample("zkit_request_duration_seconds_sum", ids[i], op, static_cast<double>(o.latency.sum_us) / 1e6);
      t.sample("zkit_request_duration_seconds_count", ids[i], op, o.latency.count);
    }

  each("zkit_connections_total", "counter", "Handshakes completed, the first connection included.",
       [](const Metrics& m) { return m.connections; });
  each("zkit_reconnects_total", "counter", "Handshakes completed after a connection was lost.",
       [](const Metrics& m) { return m.reconnects; });
  t.family("zkit_disconnects_total", "counter", "Connections and connection attempts that ended, by cause.");
  for (std::size_t i = 0; i < sessions.size(); ++i)
    for (std::size_t c = 0; c < kDisconnectCauses; ++c)
      t.sample("zkit_disconnects_total", ids[i], label("cause", to_string(static_cast<DisconnectCause>(c))),
               sessions[i].disconnects[c]);
  t.family("zkit_state_changes_total", "counter", "Transitions into each session state.");
  for (std::size_t i = 0; i < sessions.size(); ++i)
    for (std::size_t s = 0; s < sessions[i].state_changes.size(); ++s)
      t.sample("zkit_state_changes_total", ids[i], label("state", to_string(static_cast<SessionState>(s))),
               sessions[i].state_changes[s]);

  each("zkit_set_watches_frames_total", "counter", "SetWatches frames sent to re-register watches after a reconnect.",
       [](const Metrics& m) { return m.set_watches_sent; });
  each("zkit_set_watches_paths_total", "counter", "Paths carried by those SetWatches frames.",
       [](const Metrics& m) { return m.set_watches_paths; });
  each("zkit_set_watches_bytes_total", "counter", "Bytes of those SetWatches frames.",
       [](const Metrics& m) { return m.set_watches_bytes; });
  each("zkit_set_watches_max_bytes", "gauge", "The largest SetWatches frame sent, in bytes.",
       [](const Metrics& m) { return m.set_watches_max_bytes; });
  each("zkit_received_bytes_total", "counter", "Bytes received from the servers.", [](const Metrics& m) { return m.bytes_in; });
  each("zkit_sent_bytes_total", "counter", "Bytes sent to the servers.", [](const Metrics& m) { return m.bytes_out; });
  each("zkit_received_frames_total", "counter", "Frames received from the servers.", [](const Metrics& m) { return m.frames_in; });
  each("zkit_slow_callbacks_total", "counter", "User callbacks that held the loop for Options::slow_callback or longer.",
       [](const Metrics& m) { return m.slow_callbacks; });
  t.family("zkit_slow_callback_max_seconds", "gauge", "The longest slow callback so far.");
  for (std::size_t i = 0; i < sessions.size(); ++i)
    t.sample("zkit_slow_callback_max_seconds", ids[i], {}, static_cast<double>(sessions[i].slow_callback_max_us) / 1e6);
  return t.take();
}

}  // namespace zkit
