// zkit::Errc and zkit::Error: what went wrong, as a value.
//
// Codes that a ZooKeeper server sends keep the server's numbers (KeeperException.Code), so a
// code read in a server log or in another client's docs means the same here. Each code says
// what a caller should do about it:
//   retry the call      - the same request may succeed later (connection_loss needs care: see it)
//   retry the recipe    - state has changed under you; re-read and decide again
//   do not retry        - the request itself is wrong, or the session is gone for good
//
//   if (auto r = co_await session.get("/a"); !r) std::puts(r.error().message().c_str());
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace zkit {

// Errc: zkit's error codes: the server's (KeeperException.Code) and zkit's own; each says whether to retry.
enum class Errc : std::int32_t {
  ok = 0,
  // Server-side failures.
  runtime_inconsistency = -2,  // an op after the failing op of a multi; do not retry alone
  data_inconsistency = -3,     // server detected corrupt state; do not retry
  // The connection broke while the request was outstanding. The request may or may not have
  // been applied: retry only idempotent requests, or check first (protected creates do).
  connection_loss = -4,
  marshalling_error = -5,      // the server could not decode the request; do not retry
  unimplemented = -6,          // the server does not know the operation (or TTLs are off)
  operation_timeout = -7,      // (the C client's code; zkit reports deadlines as request_timeout)
  bad_arguments = -8,          // invalid path, flags, TTL, ACL or size; fix the call
  new_config_no_quorum = -13,  // reconfig would leave no quorum
  reconfig_in_progress = -14,  // retry the call later
  no_node = -101,              // the node does not exist; retry the recipe
  no_auth = -102,              // the ACL denies this session; do not retry
  bad_version = -103,          // version check failed: someone else wrote; retry the recipe
  no_children_for_ephemerals = -108,  // ephemeral nodes cannot have children
  node_exists = -110,          // retry the recipe
  not_empty = -111,            // delete of a node with children; retry the recipe
  session_expired = -112,      // the session is gone with its ephemerals and watches; start anew
  invalid_callback = -113,
  invalid_acl = -114,          // empty ACL or malformed id; fix the call
  auth_failed = -115,          // credentials refused; the session cannot be used
  closing = -116,              // the session was closed by its owner; do not retry
  nothing = -117,
  session_moved = -118,        // another connection took over the session
  not_read_only = -119,        // a write reached a read-only server; retry when connected read-write
  ephemeral_on_local_session = -120,
  no_watcher = -121,           // removeWatches/checkWatches found no such watch
  // No reply within Options::request_timeout. Like connection_loss: the request may or may
  // not have been applied (a request that timed out before it was ever sent is dropped).
  request_timeout = -122,
  reconfig_disabled = -123,
  session_closed_requires_sasl_auth = -124,
  quota_exceeded = -125,
  // Not run: the server is overloaded, or zkit refused it because Options::max_pending
  // requests were outstanding (when_full = fail). Retry later.
  throttled_op = -127,
};

// The code's name, e.g. "no_node"; "unknown" for numbers zkit does not know.
std::string_view to_string(Errc code) noexcept;

// Error: a code and a message that says what happened in words, with the path or value
// involved where there is one.
class Error {
 public:
  Error() = default;
  // An error with its message.
  Error(Errc code, std::string message) : code_(code), message_(std::move(message)) {}
  // An error whose message is the code's name.
  explicit Error(Errc code) : code_(code), message_(to_string(code)) {}

  // The code.
  Errc code() const noexcept { return code_; }
  // The message, naming the path or value involved.
  const std::string& message() const noexcept { return message_; }

  // Whether the error has code `c`.
  friend bool operator==(const Error& e, Errc c) noexcept { return e.code_ == c; }

 private:
  Errc code_ = Errc::ok;
  std::string message_;
};

}  // namespace zkit
