// zkit::Metrics: a session's figures, built in and always on: per-operation latency
// histograms, requests outstanding, disconnects by cause, reconnects, state changes, watches,
// SetWatches sizes, bytes in and out, and slow callbacks. Session::metrics() and
// Client::metrics() return a snapshot (a plain struct, a copy); the exporters turn snapshots
// into a JSON object or Prometheus text (docs/observability.md lists every figure).
//
//   zkit::Metrics m = session.metrics();
//   std::printf("%llu bytes out\n%s", (unsigned long long)m.bytes_out,
//               zkit::to_prometheus(m).c_str());
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zkit/types.hpp"

namespace zkit {

// LatencyHistogram: counts of durations in fixed log-scale buckets. Bucket i (i < kBounds)
// holds durations d with bound(i-1) < d <= bound(i) microseconds, bound(i) = 16 << i (16 us to
// about 16.8 s); the last bucket holds longer ones. Counts are per bucket, not cumulative.
struct LatencyHistogram {
  static constexpr std::size_t kBounds = 21;  // bucket bounds: 16 us << 0 .. 16 us << 20
  static constexpr std::uint64_t bound_us(std::size_t i) noexcept { return std::uint64_t{16} << i; }  // the upper bound of bucket `i`, in microseconds
  // The bucket of a duration in microseconds.
  // bound(i) is 2^(i+4): the bucket is the bit width of us - 1, less 4 (no loop on the hot path).
  static constexpr std::size_t bucket_of(std::uint64_t us) noexcept {
    if (us <= bound_us(0)) return 0;
    std::size_t i = static_cast<std::size_t>(std::bit_width(us - 1)) - 4;
    return i < kBounds ? i : kBounds;
  }

  std::array<std::uint64_t, kBounds + 1> buckets{};  // counts per bucket; the last one is the overflow
  std::uint64_t count = 0;  // replies measured
  std::uint64_t sum_us = 0;  // their latencies added up, in microseconds

  // Counts one latency of `us` microseconds.
  void add(std::uint64_t us) noexcept {
    ++buckets[bucket_of(us)];
    ++count;
    sum_us += us;
  }
};

// Why a connection (or a connection attempt) ended.
enum class DisconnectCause {
  connect_failed,     // DNS, TCP connect or TLS failed before the handshake
  attempt_timeout,    // an attempt took longer than its connect timeout
  handshake_refused,  // the server refused the handshake, or answered it malformed
  closed_by_server,   // the server closed or reset an open connection
  read_timeout,       // nothing heard from the server for the read timeout
  protocol_error,     // a malformed or unexpected frame from the server
  moved,              // the session left the server on purpose (rebalance, read-write found)
  other,
};
inline constexpr std::size_t kDisconnectCauses = 8;
// "connect_failed", "attempt_timeout", ...: the names used by the exporters.
std::string_view to_string(DisconnectCause c) noexcept;

// OperationMetrics: the requests of one opcode answered by a server.
struct OperationMetrics {
  std::string_view op;           // "create", "get_data", "set_data", ... (see docs/observability.md)
  std::uint64_t replies = 0;     // answered by the server, with success or an error
  std::uint64_t errors = 0;      // of those, answered with an error (no_node, bad_version, ...)
  LatencyHistogram latency;      // from the call (request queued) to its reply, in microseconds
};

// Metrics: one snapshot of a session's figures. Counters only grow; gauges are as of the
// snapshot.
struct Metrics {
  std::int64_t session_id = 0;  // 0 before the first session is established
  SessionState state = SessionState::connecting;  // as of the snapshot
  // gauges
  std::uint64_t requests_outstanding = 0;  // sent and awaiting a reply, or queued unsent
  std::uint64_t watches_registered = 0;    // server watches the session holds (path and kind)
  // requests
  std::vector<OperationMetrics> operations;  // opcodes with at least one reply, by opcode
  std::uint64_t requests_failed = 0;  // ended without a reply (connection_loss, request_timeout, closing)
  // connections
  std::uint64_t connections = 0;  // handshakes completed (the first connection included)
  std::uint64_t reconnects = 0;   // handshakes completed after a connection was lost
  std::array<std::uint64_t, kDisconnectCauses> disconnects{};  // by DisconnectCause
  std::string last_disconnect;  // the reason of the last one, as logged ("" before any)
  std::array<std::uint64_t, 8> state_changes{};  // transitions into each SessionState, by its value
  // watches re-registered after reconnects
  std::uint64_t set_watches_sent = 0;   // SetWatches(2) frames
  std::uint64_t set_watches_paths = 0;  // paths they carried
  std::uint64_t set_watches_bytes = 0;  // their size
  std::uint64_t set_watches_max_bytes = 0;  // the largest one
  // traffic
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;  // bytes written to servers
  std::uint64_t frames_in = 0;  // frames read from servers
  // slow callbacks (Options::slow_callback)
  std::uint64_t slow_callbacks = 0;
  std::uint64_t slow_callback_max_us = 0;  // the slowest one's duration
  std::string slow_callback_max_op;  // the operation of the slowest one ("watch" for a watch)

  // The figures of one operation ("get_data"), or nullptr when none was answered.
  const OperationMetrics* operation(std::string_view op) const noexcept;
  // Disconnects with cause `c`.
  std::uint64_t disconnects_by(DisconnectCause c) const noexcept { return disconnects[static_cast<std::size_t>(c)]; }
  // Changes into state `s`.
  std::uint64_t state_changes_to(SessionState s) const noexcept { return state_changes[static_cast<std::size_t>(s)]; }
};

// A snapshot as one JSON object (text). 64-bit figures that can exceed 2^53 (the session id)
// are strings: "0x..." for the id; counters are numbers.
std::string to_json(const Metrics& m);
// Snapshots in the Prometheus text exposition format (version 0.0.4): one HELP and TYPE line
// per metric family, each sample labelled session="0x...", histograms with _bucket{le=...},
// _sum and _count, in seconds. Several sessions (one process's) go in one text.
std::string to_prometheus(std::span<const Metrics> sessions);
inline std::string to_prometheus(const Metrics& m) { return to_prometheus(std::span<const Metrics>(&m, 1)); }

}  // namespace zkit
