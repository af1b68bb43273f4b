// ScriptedPeer: a TCP peer on 127.0.0.1 that speaks just enough ZooKeeper to complete (or
// spoil) the handshake and then misbehaves in one chosen way: the servers that turn a call
// into a hang (test/liveness) or send malformed frames (test/integration). A real ZooKeeper
// never behaves like this, so this peer is ours. It runs on the loop it is given (a test's
// loop, or zkit-scripted-peer's own).
#pragma once

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "zkit/function.hpp"
#include "zkit/timer.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::test_support {

enum class Misbehaviour {
  trickle,           // answers every request, one byte of the reply every `trickle_interval`
  pings_only,        // answers pings, never a request
  huge_timeout,      // grants a session timeout of 2^31-1 ms, then answers nothing at all
  bad_password,      // a ConnectResponse whose password length is `password_length`
  truncated,         // a ConnectResponse cut after 10 bytes
  garbage,           // 40 fixed pseudo-random bytes instead of a ConnectResponse
  drop_after_handshake,  // a valid handshake, then the connection is closed
  answers,           // answers every request (never a ping) with the bytes `reply(xid)` returns
  silent,            // accepts, reads, and never sends a byte: a stall inside the handshake
};

// What scripts are made of: a frame around `body`, and a reply header (zxid 1, no error).
std::string frame_of(std::string_view body);
std::string reply_header(std::int32_t xid);

// Parses "trickle", "pings-only", ... (the peer program's argument); nullopt if unknown.
std::optional<Misbehaviour> parse_misbehaviour(std::string_view name);

struct Script {
  Misbehaviour what = Misbehaviour::pings_only;
  std::chrono::milliseconds trickle_interval{500};
  std::int32_t password_length = -5;
  // Misbehaviour::answers: the session timeout the ConnectResponse grants (default: the one
  // asked), e.g. 0, negative or absurd.
  std::optional<std::int32_t> granted_timeout_ms;
  // Misbehaviour::answers: bytes sent right after the ConnectResponse (a flood, garbage).
  Function<std::string()> after_handshake;
  // Told of every request after the handshake (not pings): its xid.
  Function<void(std::int32_t xid)> on_request;
  // Misbehaviour::answers: what to send for request `xid` ("": nothing).
  Function<std::string(std::int32_t xid)> reply;
};

class ScriptedPeer {
 public:
  ScriptedPeer(uv_loop_t* loop, Script script);
  ~ScriptedPeer();
  ScriptedPeer(const ScriptedPeer&) = delete;
  ScriptedPeer& operator=(const ScriptedPeer&) = delete;

  int port() const noexcept { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // Connections accepted so far.
  int connections() const noexcept { return connections_; }

 private:
  struct Conn;
  void accept();
  void on_frame(Conn& c, std::string_view body);
  void drip(Conn& c);
  void send(Conn& c, std::string bytes);
  void close(Conn& c);

  uv_loop_t* loop_;
  Script script_;
  uv::Handle<uv_tcp_t> listener_;
  int port_ = 0;
  int connections_ = 0;
  std::set<std::shared_ptr<Conn>> conns_;
};

}  // namespace zkit::test_support
