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
  milliseconds attempt;  // one connection attempt (DNS, TCP connect, handshake) may take this long
  milliseconds expiry;   // no server heard for this long: the session is expired locally
  milliseconds tick;     // how often the session checks the above
};

// The deadline of one connection attempt when Options::connect_timeout is left at 0: a tenth
// of the session timeout, kept within 2-4 s. Short, because an attempt whose SYN was dropped
// (a full listen queue) is better retried than waited out; not under 2 s, so that one SYN
// retransmission (Linux sends the first after 1 s) still fits.
inline milliseconds default_connect_timeout(milliseconds session_timeout) {
  return std::clamp(session_timeout / 10, milliseconds(2000), milliseconds(4000));
}

// `negotiated` is the server's grant (the asked value before the first connection);
// `connect_timeout` is Options::connect_timeout (0: default_connect_timeout(negotiated)).
inline Timeouts timeouts_for(milliseconds negotiated, std::size_t hosts, milliseconds connect_timeout = milliseconds(0)) {
  Timeouts t;
  t.read = negotiated * 2 / 3;
  t.ping = negotiated / 3;
  milliseconds connect = connect_timeout.count() > 0 ? connect_timeout : default_connect_timeout(negotiated);
  // Never longer than the read timeout of an open connection; and, like the Java client, the
  // session timeout is shared among the hosts, so that a dead host does not use up the time
  // in which another could still save the session.
  t.attempt = std::min({connect, t.read, negotiated / static_cast<long>(std::max<std::size_t>(hosts, 1))});
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
