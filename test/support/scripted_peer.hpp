// ScriptedPeer: a TCP peer on 127.0.0.1 that speaks just enough ZooKeeper to complete (or
// spoil) the handshake and then misbehaves in one chosen way: the servers that turn a call
// into a hang (test/liveness) or send malformed frames (test/integration); over TLS, one that
// asks to renegotiate or sends a tampered record (test/tls). A real ZooKeeper
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

typedef struct ssl_ctx_st SSL_CTX;

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

// What a peer serving TLS does at the TLS level, at the first request after the handshake
// (Misbehaviour::answers).
enum class TlsMisbehaviour {
  none,                // nothing: plain TLS
  renegotiate,         // asks to renegotiate (a HelloRequest) instead of answering
  tampered_record,     // answers, with the last byte of the reply's record flipped (its MAC fails)
};

// Serving TLS 1.2 (the version in which a server can ask to renegotiate) with a certificate
// and key from PEM files, e.g. a zkit::testing::TlsFiles' server_cert and server_pem.
struct TlsScript {
  std::string cert_file;  // the server's certificate (chain)
  std::string key_file;   // its private key (a file holding the key first, then the certificate, will do)
  TlsMisbehaviour what = TlsMisbehaviour::none;
};

// What scripts are made of: a frame around `body`, and a reply header (zxid 1, no error).
std::string frame_of(std::string_view body);
std::string reply_header(std::int32_t xid);
// A whole GetData reply frame: data "x" and a zero Stat (trickle's answer to every request).
std::string data_reply(std::int32_t xid);

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
  // Serve TLS instead of plain TCP.
  std::optional<TlsScript> tls;
};

class ScriptedPeer {
 public:
  // Throws std::runtime_error when script.tls names a certificate or key that cannot be used.
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
  void on_bytes(Conn& c, std::string_view bytes);
  void on_frame(Conn& c, std::string_view body);
  // Serving TLS: runs the handshake or decrypts into c.in, and sends what OpenSSL wrote.
  // False when the client broke the TLS connection (it is closed).
  bool on_ciphertext(Conn& c, std::string_view bytes);
  void flush_tls(Conn& c);
  void write_raw(Conn& c, std::string bytes);
  void drip(Conn& c);
  void send(Conn& c, std::string bytes);
  void close(Conn& c);

  uv_loop_t* loop_;
  Script script_;
  SSL_CTX* tls_ = nullptr;  // script_.tls: the server context every connection's SSL comes from
  uv::Handle<uv_tcp_t> listener_;
  int port_ = 0;
  int connections_ = 0;
  std::set<std::shared_ptr<Conn>> conns_;
};

}  // namespace zkit::test_support
