// The session's figures and slow-callback reports (zkit/metrics.hpp, Options::slow_callback):
// kept apart from the state machine in core.cpp, which only counts into recorder_.
#include <cstdio>

#include "session/core.hpp"

namespace zkit::session {

Metrics Core::metrics() const {
  Metrics m = recorder_.snapshot();
  m.session_id = session_id_;
  m.state = state_;
  m.requests_outstanding = pipeline_.pending();
  m.watches_registered = watches_.server_watches();
  m.bytes_out = link_.bytes_sent();
  return m;
}

void Core::report_slow_callback(std::string_view op, std::uint64_t ns) {
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", static_cast<double>(ns) / 1e6);
  log(LogLevel::warning,
      "a callback of " + std::string(op) + " held the loop thread for " + ms + " ms (slow_callback is " +
          std::to_string(options_.slow_callback.count()) + " ms)",
      {{"event", "slow_callback"}, {"op", op}, {"duration_ms", ms}});
}

}  // namespace zkit::session
