// metrics::Recorder: where a session counts its figures (zkit/metrics.hpp) as they happen.
// Touched on the session's loop thread only, like the rest of the session, so it takes no
// locks; the hot path (a reply) adds to fixed counters and allocates nothing after the first
// reply of each opcode. snapshot() copies everything into a plain Metrics.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <uv.h>

#include "proto/opcodes.hpp"
#include "zkit/function.hpp"
#include "zkit/metrics.hpp"

namespace zkit::metrics {

// Monotonic nanoseconds (libuv's high-resolution clock).
inline std::uint64_t clock_ns() noexcept { return uv_hrtime(); }

// The name of an opcode as the exporters show it ("get_data", "set_watches2", ...).
std::string_view op_name(proto::Op op) noexcept;

class Recorder {
 public:
  // Told of each slow callback: its operation and how long it held the loop.
  using SlowReport = Function<void(std::string_view op, std::uint64_t ns)>;
  Recorder(std::chrono::milliseconds slow_threshold, SlowReport report)
      : slow_ns_(static_cast<std::uint64_t>(slow_threshold.count()) * 1000000), report_(std::move(report)) {}

  // A reply to a request of `op` submitted at `submitted_ns`, arrived at `now_ns`.
  void reply(proto::Op op, bool error, std::uint64_t submitted_ns, std::uint64_t now_ns) {
    OperationMetrics& o = slot(op);
    ++o.replies;
    o.errors += error;
    o.latency.add((now_ns - submitted_ns) / 1000);
  }
  // A user callback of `op` (a completion, or a watch) ran from `started_ns` until now.
  void callback_done(std::string_view op, std::uint64_t started_ns) {
    if (slow_ns_ == 0) return;
    std::uint64_t ns = clock_ns() - started_ns;
    if (ns >= slow_ns_) slow(op, ns);
  }
  bool checks_callbacks() const noexcept { return slow_ns_ != 0; }
  void requests_failed(std::uint64_t n) noexcept { m_.requests_failed += n; }
  void frame_in(std::size_t bytes) noexcept {
    ++m_.frames_in;
    m_.bytes_in += bytes + 4;  // with its length prefix
  }
  void bytes_out(std::size_t bytes) noexcept { m_.bytes_out += bytes; }
  void connected(bool after_loss) noexcept {
    ++m_.connections;
    m_.reconnects += after_loss;
  }
  void disconnected(DisconnectCause cause, const std::string& reason) {
    ++m_.disconnects[static_cast<std::size_t>(cause)];
    m_.last_disconnect = reason;
  }
  void state_changed(SessionState s) noexcept { ++m_.state_changes[static_cast<std::size_t>(s)]; }
  void set_watches(std::uint64_t frames, std::uint64_t paths, std::uint64_t bytes) noexcept;

  // The figures so far; the caller fills in the gauges it owns (id, state, outstanding, watches).
  Metrics snapshot() const;

 private:
  static constexpr std::size_t kSlots = 42;
  static std::size_t slot_index(proto::Op op) noexcept;
  OperationMetrics& slot(proto::Op op) {
    auto& s = ops_[slot_index(op)];
    if (!s) s = std::make_unique<OperationMetrics>(OperationMetrics{op_name(op)});
    return *s;
  }
  void slow(std::string_view op, std::uint64_t ns);

  std::uint64_t slow_ns_;
  SlowReport report_;
  Metrics m_;  // every figure but the operations and the gauges
  // Made on an opcode's first reply: a session uses a handful of the ~40 opcodes.
  std::array<std::unique_ptr<OperationMetrics>, kSlots> ops_;
};

}  // namespace zkit::metrics
