// Every session timer derives from the negotiated timeout here, in one place.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>

namespace zkit::session {

using std::chrono::milliseconds;

struct Timeouts {
  milliseconds read;     // nothing received for this long: the connection is lost
  milliseconds ping;     // nothing sent for this long: send a ping
  milliseconds attempt;  // one connection attempt (TCP + handshake) may take this long
  milliseconds expiry;   // no server heard for this long: the session is expired locally
  milliseconds tick;     // how often the session checks the above
};

// `negotiated` is the server's grant (the asked value before the first connection).
inline Timeouts timeouts_for(milliseconds negotiated, std::size_t hosts) {
  Timeouts t;
  t.read = negotiated * 2 / 3;
  t.ping = negotiated / 3;
  // Like the Java client, share the session timeout among the hosts, so that a dead host
  // does not use up the time in which another could still save the session.
  t.attempt = std::min(t.read, negotiated / static_cast<long>(std::max<std::size_t>(hosts, 1)));
  t.expiry = negotiated;
  t.tick = std::clamp(negotiated / 20, milliseconds(10), milliseconds(500));
  return t;
}

// Jittered exponential backoff before reconnect attempt `failures` (0 = the first retry):
// a random 50-100% of min(max, initial * 2^failures). `unit_random` is in [0, 1).
inline milliseconds backoff_delay(unsigned failures, milliseconds initial, milliseconds max,
                                  double unit_random) {
  milliseconds step = initial;
  for (unsigned i = 0; i < failures && step < max; ++i) step *= 2;
  step = std::min(step, max);
  return milliseconds(static_cast<long>(static_cast<double>(step.count()) * (0.5 + unit_random / 2)));
}

}  // namespace zkit::session
