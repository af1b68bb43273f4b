// zkit::Options: how a session connects. A plain struct with defaults; fill what you need:
//
//   zkit::Options o{.connect = "10.0.0.1:2181,10.0.0.2:2181/storage",
//                   .session_timeout = std::chrono::seconds(10)};
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "zkit/function.hpp"
#include "zkit/log.hpp"
#include "zkit/result.hpp"
#include "zkit/sasl.hpp"
#include "zkit/tls.hpp"

namespace zkit {
namespace net {
class TlsContext;  // the session's loaded TLS settings (private)
}

// What a request does when max_pending requests are already outstanding.
enum class WhenFull {
  wait,  // it is held, unsent, in call order, and goes out as replies free room
  fail,  // it fails at once with throttled_op if max_pending are outstanding (nothing sent)
};

struct Options {
  // "host:port,host:port[/chroot]". IPv6 hosts in brackets: "[::1]:2181". Port defaults to 2181.
  std::string connect = "127.0.0.1:2181";
  // Asked of the server, which clamps it to [2, 20] ticks. All client timers follow the
  // negotiated value (see docs/sessions.md).
  std::chrono::milliseconds session_timeout{10000};
  // Accept a read-only server when no read-write one is reachable.
  bool can_be_read_only = false;
  // Largest reply frame accepted, in bytes. The default is the server's own request limit
  // (jute.maxbuffer, 1 MiB - 1) plus room for a reply's header and Stat, so that reading the
  // largest node the server lets anyone write still works.
  std::size_t max_frame = 0xfffff + 4096;
  // Reconnect backoff. After an open connection breaks, the first retry waits a random 0-100%
  // of `backoff_initial`; each attempt that fails before the session is re-established waits
  // longer, doubling up to `backoff_max`, jittered (a random 50-100% of the step) so a fleet
  // does not reconnect in step.
  std::chrono::milliseconds backoff_initial{50};
  std::chrono::milliseconds backoff_max{1000};  // the longest wait between attempts
  // A request not answered within this time fails with request_timeout, so no call waits
  // forever whatever a server does. The default (-1) is the session timeout asked; 0 means no
  // deadline. The session stays up: the late reply is recognised and dropped. Like
  // connection_loss, request_timeout means the request may or may not have been applied; one
  // that had not been sent yet is dropped instead of sent late. (A session that reaches no
  // server expires first: its requests then fail with session_expired.)
  std::chrono::milliseconds request_timeout{-1};
  // At most this many requests on the wire awaiting replies (0: no limit). With
  // when_full = fail, requests beyond it fail at once, so a flood cannot grow memory; with
  // wait, they are held unsent in call order, and what bounds memory is the caller awaiting
  // its requests (coroutines) or blocking (zkit::Client).
  std::size_t max_pending = 0;
  WhenFull when_full = WhenFull::wait;  // what a request beyond max_pending does: wait unsent, or fail at once
  // Connection attempts (docs/sessions.md#connection-attempts). One attempt (DNS, TCP
  // connect, handshake) is given up after `connect_timeout`; 0 derives it: a tenth of the
  // session timeout, kept within 2-4 s. Either way it is at most the read timeout (2/3 of the
  // session timeout) and the session timeout divided by the number of hosts.
  std::chrono::milliseconds connect_timeout{0};
  // Follow the ensemble's dynamic configuration (/zookeeper/config), as Curator's
  // EnsembleTracker does: after a reconfig adds or removes members, the server list is
  // replaced and sessions rebalance onto the new list (docs/sessions.md#growing-and-shrinking-ensembles).
  // Only when every host of `connect` is a member's client address in that configuration
  // (not through a proxy or an alias).
  bool follow_ensemble = true;
  // Shuffle the host list once at start (spreads a fleet over the ensemble).
  bool shuffle_hosts = true;
  // Where log lines go; empty = warnings and errors to stderr.
  Logger logger{};
  // Lowest level passed to the logger.
  LogLevel log_level = LogLevel::warning;
  // Where log records go, with their fields (zkit/log.hpp). When set, it receives every line
  // at or above log_level; the string logger (if set too) receives the same lines.
  RecordLogger record_logger{};
  // A user callback (completion or watch) that holds the loop thread this long or longer is
  // reported: a warning record (op, duration_ms) and Metrics::slow_callbacks. 0: not checked.
  std::chrono::milliseconds slow_callback{0};
  // TLS to the servers' secure client port (zkit/tls.hpp). Off by default.
  TlsOptions tls{};
  // SASL authentication after every handshake (zkit/sasl.hpp). Off by default.
  SaslOptions sasl{};
};

// HostPort: one entry of a connection string.
struct HostPort {
  std::string host;  // a name or an address (IPv6 without brackets)
  std::uint16_t port = 2181;  // the client port
  // Set by the session when it speaks TLS; leave it empty.
  std::shared_ptr<const net::TlsContext> tls{};
  friend bool operator==(const HostPort&, const HostPort&) = default;
};

// ConnectString: a parsed connection string.
struct ConnectString {
  std::vector<HostPort> hosts;  // in the order given
  std::string chroot;  // "" for none, else a valid path other than "/"
};

// Parses "host:port,...[/chroot]"; the error names what is wrong.
Result<ConnectString> parse_connect_string(std::string_view s);

// Checks a path by the server's rules (leading '/', no trailing '/', no empty, "." or ".."
// segment, no control or non-BMP characters). `sequential` allows a trailing '/'.
Result<void> validate_path(std::string_view path, bool sequential = false);

}  // namespace zkit
