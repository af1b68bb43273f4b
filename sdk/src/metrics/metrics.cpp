// The snapshot's own helpers (zkit/metrics.hpp).
#include "zkit/metrics.hpp"

namespace zkit {

std::string_view to_string(DisconnectCause c) noexcept {
  switch (c) {
    case DisconnectCause::connect_failed: return "connect_failed";
    case DisconnectCause::attempt_timeout: return "attempt_timeout";
    case DisconnectCause::handshake_refused: return "handshake_refused";
    case DisconnectCause::closed_by_server: return "closed_by_server";
    case DisconnectCause::read_timeout: return "read_timeout";
    case DisconnectCause::protocol_error: return "protocol_error";
    case DisconnectCause::moved: return "moved";
    case DisconnectCause::other: return "other";
  }
  return "other";
}

const OperationMetrics* Metrics::operation(std::string_view op) const noexcept {
  for (const OperationMetrics& o : operations)
    if (o.op == op) return &o;
  return nullptr;
}

}  // namespace zkit
