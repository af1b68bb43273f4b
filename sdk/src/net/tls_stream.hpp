// TlsStream: TLS over a connected Stream (TCP), driven by the loop like the stream under it:
// OpenSSL reads and writes memory BIOs, and this class moves their bytes to and from the TCP
// stream, so no socket call blocks and no thread is added.
//
// The handshake starts with start(); writes made before it completes wait and leave once it
// has. When the handshake fails, on_stream_failed's reason names the cause in words a user
// can act on: unknown CA, name mismatch (expected name and the certificate's names), expired
// or not yet valid, the server demanding a client certificate, a plain-text server. After it,
// a server's request to renegotiate is refused and closes the connection, and a record that
// fails its integrity check (bad record MAC) is named as tampering or corruption.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "net/stream.hpp"
#include "net/tls_context.hpp"

typedef struct ssl_st SSL;
typedef struct bio_st BIO;
typedef struct x509_st X509;
typedef struct x509_store_ctx_st X509_STORE_CTX;

namespace zkit::net {

class TlsStream final : public Stream, private Stream::Events {
 public:
  // Wraps connected, not started `tcp` (taken: closed with this stream). `host` is the
  // connect string's host. Null, with `error` set and `tcp` closed, when the context cannot
  // be used (e.g. a rotated file is unreadable).
  static TlsStream* wrap(Stream* tcp, const TlsContext& context, std::string_view host, std::string& error);

  void start(Stream::Events* events) override;
  bool write(std::string& data) override;
  void close() override;

 private:
  TlsStream() = default;
  ~TlsStream();

  // Stream::Events of the TCP stream.
  void on_read(std::size_t n) override;
  void on_stream_failed(bool end_of_stream, std::string_view reason) override;
  char* read_buffer(std::size_t suggested, std::size_t& size) override;

  // Runs the handshake or reads application data after new ciphertext arrived.
  void pump();
  void read_plain();
  // Sends what OpenSSL wrote into the outgoing BIO. False when the TCP stream is broken.
  bool flush();
  bool write_plain(std::string& data);
  void fail(bool end_of_stream, std::string reason);
  std::string handshake_failure(int ssl_error);
  // Keeps the server's certificate for the error messages.
  static int on_verify(int ok, X509_STORE_CTX* store);
  // Notes a server's request to renegotiate (a HelloRequest after the handshake).
  static void on_message(int write_p, int version, int content_type, const void* buf, std::size_t len, SSL* ssl, void* arg);
  // Deletes this object once no callback of it is on the stack (close() may come from one).
  void release_if_done();

  Stream* tcp_ = nullptr;
  Stream::Events* events_ = nullptr;  // null before start() and after close()
  SSL* ssl_ = nullptr;
  BIO* network_in_ = nullptr;   // ciphertext from the server, owned by ssl_
  BIO* network_out_ = nullptr;  // ciphertext to the server, owned by ssl_
  X509* leaf_ = nullptr;        // the server's certificate, kept for error messages
  std::string expected_name_;
  bool name_is_address_ = false;
  bool handshaken_ = false;
  bool failed_ = false;    // unusable: a write or the handshake failed, or the TCP stream broke
  bool reported_ = false;  // the owner was told (on_stream_failed), once
  bool closed_ = false;
  bool got_bytes_ = false;  // any ciphertext arrived (tells "plain server closed" apart)
  bool renegotiation_asked_ = false;  // the server sent a HelloRequest: the connection is closed
  int depth_ = 0;           // callbacks of this object on the stack
  std::string pending_;     // plaintext written before the handshake completed
  std::string out_;         // ciphertext for the TCP stream
  char in_[16 * 1024];
};

}  // namespace zkit::net
