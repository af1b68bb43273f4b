#include "scripted_peer.hpp"

#include <cstring>
#include <deque>
#include <stdexcept>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "proto/frame.hpp"
#include "proto/records.hpp"

namespace zkit::test_support {

std::optional<Misbehaviour> parse_misbehaviour(std::string_view name) {
  if (name == "trickle") return Misbehaviour::trickle;
  if (name == "pings-only") return Misbehaviour::pings_only;
  if (name == "huge-timeout") return Misbehaviour::huge_timeout;
  if (name == "bad-password") return Misbehaviour::bad_password;
  if (name == "truncated") return Misbehaviour::truncated;
  if (name == "garbage") return Misbehaviour::garbage;
  if (name == "drop-after-handshake") return Misbehaviour::drop_after_handshake;
  if (name == "silent") return Misbehaviour::silent;
  return std::nullopt;
}

struct ScriptedPeer::Conn {
  ~Conn() {
    if (ssl) SSL_free(ssl);  // and its memory BIOs
  }
  uv::Handle<uv_tcp_t> tcp;
  std::string in;  // plaintext from the client, not yet split into frames
  bool handshaken = false;
  std::deque<char> trickling;  // bytes still to send one at a time
  std::unique_ptr<Timer> drip;
  ScriptedPeer* peer = nullptr;
  SSL* ssl = nullptr;          // serving TLS
  bool tls_trick_due = false;  // the TlsMisbehaviour is still to come, at the first request
  bool tamper_next = false;    // the next record sent gets its last byte flipped
};

namespace {


// A ConnectResponse body (unframed).
std::string connect_response(std::int32_t timeout_ms, std::int32_t password_length) {
  std::string body;
  proto::Writer w(body);
  w.i32(0);
  w.i32(timeout_ms);
  w.i64(0x5eed);
  w.i32(password_length);
  w.raw(std::string(16, 'p'));
  w.boolean(false);
  return body;
}

}  // namespace

std::string data_reply(std::int32_t xid) {
  std::string body = reply_header(xid);
  proto::Writer w(body);
  w.bytes("x");
  proto::encode(w, zkit::Stat{});
  return frame_of(body);
}

std::string frame_of(std::string_view body) {
  std::string out;
  proto::Writer w(out);
  std::size_t start = w.begin_frame();
  w.raw(body);
  w.end_frame(start);
  return out;
}

std::string reply_header(std::int32_t xid) {
  std::string body;
  proto::Writer w(body);
  proto::encode(w, proto::ReplyHeader{xid, 1, 0});
  return body;
}

ScriptedPeer::ScriptedPeer(uv_loop_t* loop, Script script)
    : loop_(loop), script_(std::move(script)), listener_(loop, uv_tcp_init) {
  if (script_.tls) {
    tls_ = SSL_CTX_new(TLS_server_method());
    bool ok = tls_ && SSL_CTX_set_min_proto_version(tls_, TLS1_2_VERSION) == 1 &&
              SSL_CTX_set_max_proto_version(tls_, TLS1_2_VERSION) == 1 &&
              SSL_CTX_use_certificate_chain_file(tls_, script_.tls->cert_file.c_str()) == 1 &&
              SSL_CTX_use_PrivateKey_file(tls_, script_.tls->key_file.c_str(), SSL_FILETYPE_PEM) == 1;
    ERR_clear_error();
    if (!ok) {
      SSL_CTX_free(tls_);
      throw std::runtime_error("ScriptedPeer: cannot serve TLS with " + script_.tls->cert_file + " and " +
                               script_.tls->key_file);
    }
  }
  listener_->data = this;
  sockaddr_in addr{};
  uv_ip4_addr("127.0.0.1", 0, &addr);
  uv_tcp_bind(listener_.get(), reinterpret_cast<const sockaddr*>(&addr), 0);
  uv_listen(reinterpret_cast<uv_stream_t*>(listener_.get()), 64,
            [](uv_stream_t* s, int status) {
              if (status == 0) static_cast<ScriptedPeer*>(s->data)->accept();
            });
  sockaddr_storage bound{};
  int len = sizeof bound;
  uv_tcp_getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

ScriptedPeer::~ScriptedPeer() {
  for (auto c : std::set<std::shared_ptr<Conn>>(conns_)) close(*c);
  SSL_CTX_free(tls_);  // each connection's SSL holds a reference of its own
}

void ScriptedPeer::accept() {
  auto c = std::make_shared<Conn>();
  c->peer = this;
  c->tcp = uv::Handle<uv_tcp_t>(loop_, uv_tcp_init);
  c->tcp->data = c.get();
  if (uv_accept(reinterpret_cast<uv_stream_t*>(listener_.get()), reinterpret_cast<uv_stream_t*>(c->tcp.get())) != 0)
    return;
  ++connections_;
  conns_.insert(c);
  if (tls_) {
    c->ssl = SSL_new(tls_);
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(in, -1);  // empty: wait for more
    SSL_set_bio(c->ssl, in, out);
    SSL_set_accept_state(c->ssl);
    c->tls_trick_due = script_.tls->what != TlsMisbehaviour::none;
  }
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(c->tcp.get()),
      [](uv_handle_t*, std::size_t, uv_buf_t* b) {
        static char buf[65536];
        *b = uv_buf_init(buf, sizeof buf);
      },
      [](uv_stream_t* s, ssize_t n, const uv_buf_t* b) {
        auto* c = static_cast<Conn*>(s->data);
        if (n < 0) return c->peer->close(*c);
        c->peer->on_bytes(*c, std::string_view(b->base, static_cast<std::size_t>(n)));
      });
}

void ScriptedPeer::on_bytes(Conn& c, std::string_view bytes) {
  if (!c.ssl) c.in.append(bytes);
  else if (!on_ciphertext(c, bytes)) return;
  while (true) {
    auto f = proto::next_frame(c.in, 1 << 20);
    if (f.kind != proto::FrameResult::frame) break;
    std::string body(f.body);
    c.in.erase(0, f.consumed);
    on_frame(c, body);
    if (!c.tcp) return;  // closed inside
  }
}

bool ScriptedPeer::on_ciphertext(Conn& c, std::string_view bytes) {
  BIO_write(SSL_get_rbio(c.ssl), bytes.data(), static_cast<int>(bytes.size()));
  char buf[16 * 1024];
  int n = SSL_is_init_finished(c.ssl) ? 1 : SSL_do_handshake(c.ssl);
  if (n == 1)
    while ((n = SSL_read(c.ssl, buf, sizeof buf)) > 0) c.in.append(buf, static_cast<std::size_t>(n));
  int e = SSL_get_error(c.ssl, n);
  ERR_clear_error();
  flush_tls(c);  // the handshake's next flight, or an alert
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return true;
  close(c);  // the client ended TLS or broke it (e.g. refused to renegotiate)
  return false;
}

void ScriptedPeer::flush_tls(Conn& c) {
  std::string out;
  char buf[16 * 1024];
  int n = 0;
  while ((n = BIO_read(SSL_get_wbio(c.ssl), buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  if (out.empty()) return;
  if (c.tamper_next) {
    c.tamper_next = false;
    out.back() ^= 0x01;  // the end of an AEAD record is its tag: the client's integrity check fails
  }
  write_raw(c, std::move(out));
}

void ScriptedPeer::on_frame(Conn& c, std::string_view body) {
  if (script_.what == Misbehaviour::silent) return;
  if (!c.handshaken) {
    c.handshaken = true;
    switch (script_.what) {
      case Misbehaviour::bad_password: return send(c, frame_of(connect_response(4000, script_.password_length)));
      case Misbehaviour::truncated: return send(c, frame_of(connect_response(4000, 16).substr(0, 10)));
      case Misbehaviour::garbage: {
        std::string junk(40, '\0');
        for (std::size_t i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 151 + 7) & 0xff);
        junk.replace(0, 4, std::string("\0\0\0\x24", 4));  // a plausible length, then nonsense
        return send(c, junk);
      }
      case Misbehaviour::huge_timeout: return send(c, frame_of(connect_response(INT32_MAX, 16)));
      case Misbehaviour::drop_after_handshake:
        send(c, frame_of(connect_response(4000, 16)));
        return close(c);
      default: {
        // Grant what was asked, like a server whose bounds include it.
        proto::Reader r(body);
        r.i32();
        r.i64();
        std::int32_t asked = r.i32();
        send(c, frame_of(connect_response(script_.granted_timeout_ms.value_or(asked > 0 ? asked : 4000), 16)));
        if (script_.after_handshake) send(c, script_.after_handshake());
        return;
      }
    }
  }
  proto::Reader r(body);
  proto::RequestHeader h;
  proto::decode(r, h);
  if (h.xid != proto::kPingXid && script_.on_request) script_.on_request(h.xid);
  switch (script_.what) {
    case Misbehaviour::huge_timeout: return;  // a stall: nothing, not even pings
    case Misbehaviour::pings_only:
      if (h.xid == proto::kPingXid) send(c, frame_of(reply_header(h.xid)));
      return;
    case Misbehaviour::answers:
      if (h.xid > 0 && c.tls_trick_due) {
        c.tls_trick_due = false;
        if (script_.tls->what == TlsMisbehaviour::renegotiate) {
          SSL_renegotiate(c.ssl);
          SSL_do_handshake(c.ssl);  // writes the HelloRequest
          ERR_clear_error();
          return flush_tls(c);
        }
        c.tamper_next = true;  // tampered_record: the reply's record
      }
      if (h.xid > 0 && script_.reply)
        if (std::string out = script_.reply(h.xid); !out.empty()) send(c, std::move(out));
      return;
    case Misbehaviour::trickle: {
      std::string reply = h.xid == proto::kPingXid ? frame_of(reply_header(h.xid)) : data_reply(h.xid);
      c.trickling.insert(c.trickling.end(), reply.begin(), reply.end());
      if (!c.drip) {  // else this reply follows the one in progress
        c.drip = std::make_unique<Timer>(loop_);
        c.drip->start(script_.trickle_interval, [this, &c] { drip(c); });
      }
      return;
    }
    default: return;
  }
}

void ScriptedPeer::drip(Conn& c) {
  if (c.trickling.empty()) return c.drip.reset();  // a Timer may go inside its own callback
  std::string one(1, c.trickling.front());
  c.trickling.pop_front();
  send(c, one);
  c.drip->start(script_.trickle_interval, [this, &c] { drip(c); });
}

void ScriptedPeer::send(Conn& c, std::string bytes) {
  if (!c.tcp) return;
  if (!c.ssl) return write_raw(c, std::move(bytes));
  SSL_write(c.ssl, bytes.data(), static_cast<int>(bytes.size()));
  ERR_clear_error();
  flush_tls(c);
}

void ScriptedPeer::write_raw(Conn& c, std::string bytes) {
  if (!c.tcp) return;
  struct Write {
    uv_write_t req;
    std::string data;
  };
  auto* w = new Write{{}, std::move(bytes)};
  uv_buf_t b = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
  if (uv_write(&w->req, reinterpret_cast<uv_stream_t*>(c.tcp.get()), &b, 1,
               [](uv_write_t* req, int) { delete reinterpret_cast<Write*>(req); }) != 0)
    delete w;
}

void ScriptedPeer::close(Conn& c) {
  c.drip.reset();
  c.trickling.clear();
  // The Conn stays alive until its socket has closed: pending writes are cancelled first.
  std::shared_ptr<Conn> keep;
  for (auto& p : conns_)
    if (p.get() == &c) keep = p;
  conns_.erase(keep);
  if (keep) keep->tcp.close([keep] {});
}

}  // namespace zkit::test_support
