// Fuzz target: the TLS record path, net::TlsStream, fed by a hostile "server" from memory. The
// TlsStream wraps a net::Stream; here that stream is a memory one instead of TCP, so ciphertext
// goes in through the same on_read the TCP stream calls, with no socket.
//
// The input's first byte chooses the mode and a few knobs; the rest is either
//  - raw (bit 0 clear): bytes the server sends from its first byte on (its hello, certificate,
//    records), delivered in chunks, then optionally the end of the TCP stream; or
//  - scripted (bit 0 set): a real in-process OpenSSL server with a certificate made at start-up
//    completes the handshake, then commands follow (op byte, 2-byte length, payload): the server
//    sends application data, sends it with one byte flipped, sends raw bytes, updates its keys
//    (TLS 1.3) or renegotiates (TLS 1.2), closes with close_notify, reads what the client
//    writes, splits its next records into single bytes, the TCP stream fails, or it starts
//    refusing writes without a word (as TcpStream does when a write meets a reset socket).
//
// Checks: the plaintext the client delivers is always a prefix of what the server sent (nothing
// forged or reordered gets through), nothing arrives after a failure, every failure but a clean
// end says why, the client's own writes reach the server intact, and a write the TLS stream
// could not pass on is reported to its owner.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/stream.hpp"
#include "net/tls_context.hpp"
#include "net/tls_stream.hpp"

using namespace zkit;

namespace {

// The TCP stream's place: what the client writes is kept for the server; what the server sends
// is pushed through the TlsStream's read_buffer/on_read as the TCP stream does.
class MemoryStream final : public net::Stream {
 public:
  void start(Events* events) override { events_ = events; }
  bool write(std::string& data) override {
    if (refusing_writes_) refused_a_write = true;
    if (broken_ || closed_ || refusing_writes_) return false;
    to_server += data;
    data.clear();
    return true;
  }
  void close() override {
    closed_ = true;
    events_ = nullptr;
  }
  // Delivers `bytes` in chunks of at most `chunk`. False once the stream is closed.
  bool deliver(std::string_view bytes, std::size_t chunk) {
    while (!bytes.empty() && events_) {
      std::size_t size = 0;
      char* buf = events_->read_buffer(65536, size);
      std::size_t n = std::min({size, chunk, bytes.size()});
      std::memcpy(buf, bytes.data(), n);
      bytes.remove_prefix(n);
      events_->on_read(n);
    }
    return events_ != nullptr;
  }
  void fail(bool end_of_stream) {
    if (broken_ || refusing_writes_) return;  // reported once, and not after a refused write: as TcpStream does
    broken_ = true;
    if (events_) events_->on_stream_failed(end_of_stream, end_of_stream ? "" : "connection reset by peer");
  }
  // From now on writes fail at once and nothing is reported: what TcpStream does when
  // uv_try_write meets a reset socket (it returns false and says no more).
  void refuse_writes() { refusing_writes_ = true; }
  bool closed() const { return closed_; }

  std::string to_server;
  bool refused_a_write = false;

 private:
  Events* events_ = nullptr;
  bool broken_ = false;
  bool refusing_writes_ = false;
  bool closed_ = false;
};

// The Link's place: takes the plaintext, in reads as small as the knob says.
class Sink final : public net::Stream::Events {
 public:
  void on_read(std::size_t n) override {
    if (failed) std::abort();  // nothing after a failure
    received.append(buf_, n);
    if (received.size() > sent->size() || sent->compare(0, received.size(), received) != 0) std::abort();
  }
  void on_stream_failed(bool end_of_stream, std::string_view reason) override {
    if (failed) std::abort();  // reported once
    if (!end_of_stream && reason.empty()) std::abort();
    failed = true;
    if (close_on_failure && stream) {
      stream->close();  // from inside the callback, as an owner may
      stream = nullptr;
    }
  }
  char* read_buffer(std::size_t, std::size_t& size) override {
    size = read_size;
    return buf_;
  }

  std::string received;
  const std::string* sent = nullptr;  // what the server sent as application data
  std::size_t read_size = sizeof buf_;
  bool failed = false;
  bool close_on_failure = false;
  net::Stream* stream = nullptr;

 private:
  char buf_[4096];
};

struct Identity {
  EVP_PKEY* key = nullptr;
  X509* cert = nullptr;
  std::string cert_pem;
};

// A throwaway self-signed certificate for "localhost", made in memory once per process: the
// target needs no files, and no private key is committed.
const Identity& identity() {
  static Identity id = [] {
    Identity i;
    i.key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    i.cert = X509_new();
    X509_set_version(i.cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(i.cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(i.cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(i.cert), 3600L * 24 * 365);
    X509_NAME* name = X509_get_subject_name(i.cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(i.cert, name);
    X509_set_pubkey(i.cert, i.key);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, i.cert, i.cert, nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost"}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
      X509_add_ext(i.cert, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(i.cert, i.key, EVP_sha256());
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, i.cert);
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    i.cert_pem.assign(data, static_cast<std::size_t>(n));
    BIO_free(b);
    if (!i.key || i.cert_pem.empty()) std::abort();
    return i;
  }();
  return id;
}

const net::TlsContext& client_context(bool tls13) {
  auto make = [](TlsVersion v) {
    auto c = net::TlsContext::create(TlsOptions{.enabled = true, .ca_pem = identity().cert_pem, .min_version = v, .max_version = v});
    if (!c) std::abort();
    return std::move(c).value();
  };
  static auto v12 = make(TlsVersion::tls1_2);
  static auto v13 = make(TlsVersion::tls1_3);
  return tls13 ? *v13 : *v12;
}

SSL_CTX* server_context() {
  static SSL_CTX* ctx = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(c, identity().cert);
    SSL_CTX_use_PrivateKey(c, identity().key);
    SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
    return c;
  }();
  return ctx;
}

// The in-process server over memory BIOs.
class Server {
 public:
  Server() : ssl_(SSL_new(server_context())), in_(BIO_new(BIO_s_mem())), out_(BIO_new(BIO_s_mem())) {
    BIO_set_mem_eof_return(in_, -1);
    SSL_set_bio(ssl_, in_, out_);
    SSL_set_accept_state(ssl_);
  }
  ~Server() { SSL_free(ssl_); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Takes what the client wrote, runs the handshake or reads application data into `got`.
  void take(std::string& from_client) {
    BIO_write(in_, from_client.data(), static_cast<int>(from_client.size()));
    from_client.clear();
    if (!SSL_is_init_finished(ssl_)) SSL_do_handshake(ssl_);
    char buf[4096];
    int n = 0;
    while ((n = SSL_read(ssl_, buf, sizeof buf)) > 0) got.append(buf, static_cast<std::size_t>(n));
    ERR_clear_error();
  }
  bool write(std::string_view plain) {
    if (plain.empty()) return true;
    bool ok = SSL_write(ssl_, plain.data(), static_cast<int>(plain.size())) > 0;
    ERR_clear_error();
    return ok;
  }
  void refresh_keys() {
    if (SSL_version(ssl_) == TLS1_3_VERSION) SSL_key_update(ssl_, SSL_KEY_UPDATE_REQUESTED);
    else SSL_renegotiate(ssl_);
    SSL_do_handshake(ssl_);
    ERR_clear_error();
  }
  void shut_down() {
    SSL_shutdown(ssl_);
    ERR_clear_error();
  }
  bool established() const { return SSL_is_init_finished(ssl_); }
  // The ciphertext the server wrote since the last call.
  std::string drain() {
    std::string s;
    char buf[4096];
    int n = 0;
    while ((n = BIO_read(out_, buf, sizeof buf)) > 0) s.append(buf, static_cast<std::size_t>(n));
    return s;
  }

  std::string got;  // plaintext from the client

 private:
  SSL* ssl_;
  BIO* in_;   // owned by ssl_
  BIO* out_;  // owned by ssl_
};

constexpr std::size_t kChunks[] = {1, 5, 300, 1 << 20};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::uint8_t knobs = data[0];
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  bool scripted = knobs & 1;
  bool tls13 = knobs & 2;
  std::size_t chunk = kChunks[(knobs >> 2) & 3];

  std::string sent;  // application data the server sent, in order
  Sink sink;
  sink.sent = &sent;
  sink.read_size = (knobs & 0x10) ? 7 : 4096;
  sink.close_on_failure = knobs & 0x20;
  auto* tcp = new MemoryStream;  // owned here: TlsStream only closes it
  std::unique_ptr<MemoryStream> tcp_owner(tcp);
  std::string error;
  net::TlsStream* tls = net::TlsStream::wrap(tcp, client_context(tls13), "localhost", error);
  if (!tls) std::abort();
  sink.stream = tls;
  // Written before the handshake: it waits, and leaves once the handshake is done.
  std::string first = "first request";
  const std::string written = first;
  tls->start(&sink);
  if (!tls->write(first)) std::abort();

  if (!scripted) {
    tcp->deliver(in, chunk);
    if (knobs & 0x40) tcp->fail(knobs & 0x80);
  } else {
    Server server;
    for (int round = 0; round < 8 && !server.established() && !sink.failed; ++round) {
      server.take(tcp->to_server);
      tcp->deliver(server.drain(), chunk);
    }
    server.take(tcp->to_server);
    if (!sink.failed && server.got != written) std::abort();  // the pending write left intact
    std::string client_wrote = written;
    bool split_next = false;
    bool owner_refused = false;  // a write of the owner's returned false: it knows
    while (in.size() >= 3 && !sink.failed && !tcp->closed()) {
      std::uint8_t op = static_cast<std::uint8_t>(in[0]) % 9;
      std::size_t len = (static_cast<std::uint8_t>(in[1]) << 8) | static_cast<std::uint8_t>(in[2]);
      in.remove_prefix(3);
      std::string_view payload = in.substr(0, len);
      in.remove_prefix(payload.size());
      std::size_t now_chunk = split_next ? 1 : chunk;
      split_next = false;
      switch (op) {
        case 0:
          if (server.write(payload)) sent += payload;
          tcp->deliver(server.drain(), now_chunk);
          break;
        case 1: {
          // A record altered on the way: its plaintext must never come out.
          server.write(payload);
          std::string records = server.drain();
          if (!records.empty()) records[payload.size() % records.size()] ^= 0x20;
          tcp->deliver(records, now_chunk);
          break;
        }
        case 2: tcp->deliver(payload, now_chunk); break;
        case 3:
          server.refresh_keys();
          tcp->deliver(server.drain(), now_chunk);
          break;
        case 4:
          server.shut_down();
          tcp->deliver(server.drain(), now_chunk);
          break;
        case 5: {
          std::string w(payload);
          if (tls->write(w)) client_wrote += payload;
          else owner_refused = true;
          break;
        }
        case 6: split_next = true; break;
        case 7: tcp->fail(!payload.empty() && (payload[0] & 1)); break;
        case 8: tcp->refuse_writes(); break;
      }
      // The server answers what the client sent (handshake messages, data) before the next command.
      server.take(tcp->to_server);
      tcp->deliver(server.drain(), chunk);
      if (server.got.size() > client_wrote.size() || client_wrote.compare(0, server.got.size(), server.got) != 0)
        std::abort();
      // A write the TLS stream made on its own (an answer to a key update, a renegotiation) that
      // the TCP stream refused is a broken connection its owner must hear of.
      if (tcp->refused_a_write && !owner_refused && !sink.failed) std::abort();
    }
  }
  if (sink.stream) tls->close();
  if (!tcp->closed()) std::abort();  // closing the TLS stream closes the one under it
  return 0;
}
