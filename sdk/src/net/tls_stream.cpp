#include "net/tls_stream.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <utility>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace zkit::net {

int tls_cert_requested_index();  // tls_context.cpp

namespace {

bool is_address(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::string time_text(const ASN1_TIME* t) {
  BIO* b = BIO_new(BIO_s_mem());
  ASN1_TIME_print(b, t);
  char* data = nullptr;
  long n = BIO_get_mem_data(b, &data);
  std::string s(data, static_cast<std::size_t>(n));
  BIO_free(b);
  return s;
}

std::string subject_of(X509* cert, bool issuer = false) {
  char buf[512];
  X509_NAME_oneline(issuer ? X509_get_issuer_name(cert) : X509_get_subject_name(cert), buf, sizeof buf);
  return buf;
}

// "DNS:localhost, IP:127.0.0.1" (or the subject's CN when there is no SAN).
std::string names_of(X509* cert) {
  std::string out;
  auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans, i);
    std::string one;
    if (n->type == GEN_DNS) {
      one = "DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                                 static_cast<std::size_t>(ASN1_STRING_length(n->d.dNSName)));
    } else if (n->type == GEN_IPADD) {
      const unsigned char* a = ASN1_STRING_get0_data(n->d.iPAddress);
      int len = ASN1_STRING_length(n->d.iPAddress);
      char text[INET6_ADDRSTRLEN] = "?";
      if (len == 4) inet_ntop(AF_INET, a, text, sizeof text);
      if (len == 16) inet_ntop(AF_INET6, a, text, sizeof text);
      one = std::string("IP:") + text;
    }
    if (one.empty()) continue;
    if (!out.empty()) out += ", ";
    out += one;
  }
  GENERAL_NAMES_free(sans);
  if (out.empty()) out = "no subjectAltName; subject " + subject_of(cert);
  return out;
}

// A write the stream made on its own (handshake, an answer to the server) that TCP refused; TCP
// reports nothing more after that (TcpStream::write), so this is the owner's only word of it.
constexpr const char* kCannotWrite = "cannot write to the TLS connection (the TCP connection broke)";

constexpr const char* kPlainServer =
    "the server does not speak TLS (is this its plain-text clientPort rather than its secureClientPort?)";

constexpr const char* kRenegotiation =
    "TLS renegotiation refused: the server asked to renegotiate (a TLS 1.2 HelloRequest), which zkit never "
    "allows; it answered with the no_renegotiation alert and closed the connection";

// What OpenSSL's reason for a failed record means, in words a user can act on; null for the
// reasons that have no better words than OpenSSL's own.
const char* record_failure(int reason) {
  switch (reason) {
    case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
    case SSL_R_DECRYPTION_FAILED:
      return "a TLS record from the server failed its integrity check (bad record MAC): the connection was "
             "tampered with or corrupted on the way";
    case SSL_R_SSLV3_ALERT_BAD_RECORD_MAC:
    case SSL_R_TLSV1_ALERT_DECRYPTION_FAILED:
      return "the server says a TLS record from us failed its integrity check (bad_record_mac alert): the "
             "connection was tampered with or corrupted on the way";
    default: return nullptr;
  }
}

}  // namespace

TlsStream* TlsStream::wrap(Stream* tcp, const TlsContext& context, std::string_view host, std::string& error) {
  SSL_CTX* ctx = context.acquire(error);
  if (!ctx) {
    tcp->close();
    return nullptr;
  }
  auto* t = new TlsStream;
  t->tcp_ = tcp;
  t->ssl_ = SSL_new(ctx);
  SSL_CTX_free(ctx);  // the SSL holds its own reference
  t->expected_name_ = context.expected_name(host);
  t->name_is_address_ = is_address(t->expected_name_);
  t->network_in_ = BIO_new(BIO_s_mem());
  t->network_out_ = BIO_new(BIO_s_mem());
  if (!t->ssl_ || !t->network_in_ || !t->network_out_) {
    BIO_free(t->network_in_);
    BIO_free(t->network_out_);
    t->network_in_ = t->network_out_ = nullptr;
    error = "cannot create a TLS connection (out of memory)";
    t->close();
    return nullptr;
  }
  BIO_set_mem_eof_return(t->network_in_, -1);  // empty means "wait for more", not end of stream
  SSL_set_bio(t->ssl_, t->network_in_, t->network_out_);
  SSL_set_app_data(t->ssl_, t);
  SSL_set_msg_callback(t->ssl_, &TlsStream::on_message);
  SSL_set_verify(t->ssl_, SSL_VERIFY_PEER, &TlsStream::on_verify);
  SSL_set_connect_state(t->ssl_);
  if (!t->name_is_address_) SSL_set_tlsext_host_name(t->ssl_, t->expected_name_.c_str());
  if (context.verify_name()) {
    X509_VERIFY_PARAM* param = SSL_get0_param(t->ssl_);
    if (t->name_is_address_) {
      X509_VERIFY_PARAM_set1_ip_asc(param, t->expected_name_.c_str());
    } else {
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, t->expected_name_.c_str(), 0);
    }
  }
  return t;
}

TlsStream::~TlsStream() {
  if (ssl_) SSL_free(ssl_);  // frees both BIOs
  X509_free(leaf_);
}

int TlsStream::on_verify(int ok, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = static_cast<TlsStream*>(SSL_get_app_data(ssl));
  if (self && !self->leaf_) {
    if (X509* leaf = X509_STORE_CTX_get0_cert(store)) {
      X509_up_ref(leaf);
      self->leaf_ = leaf;
    }
  }
  return ok;
}

void TlsStream::on_message(int write_p, int, int content_type, const void* buf, std::size_t len, SSL* ssl, void*) {
  auto* self = static_cast<TlsStream*>(SSL_get_app_data(ssl));
  if (!self || write_p || content_type != SSL3_RT_HANDSHAKE || len < 1 || !self->handshaken_) return;
  // OpenSSL answers it itself (SSL_OP_NO_RENEGOTIATION); read_plain closes the connection.
  if (static_cast<const unsigned char*>(buf)[0] == SSL3_MT_HELLO_REQUEST) self->renegotiation_asked_ = true;
}

void TlsStream::start(Stream::Events* events) {
  events_ = events;
  tcp_->start(this);
  ++depth_;
  pump();
  --depth_;
}

bool TlsStream::write(std::string& data) {
  if (failed_ || closed_) return false;
  if (!handshaken_) {
    pending_ += data;
    data.clear();
    return true;
  }
  return write_plain(data);
}

bool TlsStream::write_plain(std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    int n = SSL_write(ssl_, data.data() + off, static_cast<int>(std::min<std::size_t>(data.size() - off, 1 << 30)));
    if (n <= 0) {
      ERR_clear_error();
      failed_ = true;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  data.clear();
  return flush();
}

bool TlsStream::flush() {
  while (std::size_t pending = BIO_ctrl_pending(network_out_)) {
    std::size_t old = out_.size();
    out_.resize(old + pending);
    int n = BIO_read(network_out_, out_.data() + old, static_cast<int>(pending));
    out_.resize(old + static_cast<std::size_t>(n > 0 ? n : 0));
  }
  if (out_.empty()) return true;
  if (tcp_->write(out_)) return true;
  failed_ = true;
  return false;
}

char* TlsStream::read_buffer(std::size_t, std::size_t& size) {
  size = sizeof in_;
  return in_;
}

void TlsStream::on_read(std::size_t n) {
  ++depth_;
  got_bytes_ = true;
  BIO_write(network_in_, in_, static_cast<int>(n));
  pump();
  --depth_;
  release_if_done();
}

void TlsStream::on_stream_failed(bool end_of_stream, std::string_view reason) {
  ++depth_;
  if (handshaken_) {
    fail(end_of_stream, std::string(reason));
  } else if (SSL_get_ex_data(ssl_, tls_cert_requested_index())) {
    fail(false, "the server demands a client certificate (mutual TLS, ssl.clientAuth=need) and none is "
                "configured: set tls.cert_file and tls.key_file; the server closed the connection");
  } else if (!got_bytes_) {
    fail(false, std::string(kPlainServer) + "; it closed the connection during the TLS handshake (" +
                    std::string(end_of_stream ? "end of stream" : reason) + ")");
  } else {
    fail(false, "the connection broke during the TLS handshake: " +
                    std::string(end_of_stream ? "end of stream" : reason));
  }
  --depth_;
  release_if_done();
}

void TlsStream::pump() {
  if (failed_ || closed_) return;
  if (!handshaken_) {
    int rc = SSL_do_handshake(ssl_);
    if (rc != 1) {
      int e = SSL_get_error(ssl_, rc);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        if (!flush()) fail(false, kCannotWrite);
        return;
      }
      flush();  // an alert for the server, when OpenSSL wrote one
      fail(false, handshake_failure(e));
      return;
    }
    handshaken_ = true;
    if (!flush()) return fail(false, kCannotWrite);
    if (!pending_.empty()) {
      std::string first = std::move(pending_);
      pending_.clear();
      if (!write_plain(first)) return fail(false, kCannotWrite);
    }
  }
  read_plain();
}

void TlsStream::read_plain() {
  while (events_ && !failed_) {
    std::size_t size = 0;
    char* buf = events_->read_buffer(sizeof in_, size);
    if (!buf || size == 0) return;
    int n = SSL_read(ssl_, buf, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
    if (n > 0) {
      events_->on_read(static_cast<std::size_t>(n));
      continue;
    }
    int e = SSL_get_error(ssl_, n);
    if (e == SSL_ERROR_WANT_READ) break;
    if (e == SSL_ERROR_ZERO_RETURN) return fail(true, "");
    // The last error is the SSL layer's reason; the first is often a lower layer's (a failed
    // AEAD decryption shows as "Provider routines::cipher operation failed").
    unsigned long err = ERR_peek_last_error();
    char text[256];
    ERR_error_string_n(err, text, sizeof text);
    ERR_clear_error();
    if (const char* meaning = record_failure(ERR_GET_REASON(err))) return fail(false, std::string(meaning) + " (" + text + ")");
    return fail(false, std::string("TLS error: ") + text);
  }
  // Post-handshake messages may need an answer (a key update; the refusal of a renegotiation).
  if (!failed_ && !closed_ && !flush()) return fail(false, kCannotWrite);
  if (renegotiation_asked_ && !failed_ && !closed_) fail(false, kRenegotiation);
}

std::string TlsStream::handshake_failure(int ssl_error) {
  unsigned long err = ERR_peek_last_error();
  int reason = ERR_GET_REASON(err);
  char text[256] = "";
  if (err != 0) ERR_error_string_n(err, text, sizeof text);
  ERR_clear_error();
  std::string prefix = "TLS handshake failed: ";
  long verify = SSL_get_verify_result(ssl_);
  if (verify != X509_V_OK && leaf_) {
    std::string cert = "the server's certificate (subject " + subject_of(leaf_) + ")";
    switch (verify) {
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return prefix + "unknown CA: " + cert + " is issued by " + subject_of(leaf_, true) +
               ", which the trusted CAs (tls.ca_file / tls.ca_pem, or the system's store) do not include";
      case X509_V_ERR_HOSTNAME_MISMATCH:
      case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return prefix + "name mismatch: expected \"" + expected_name_ + "\" but the certificate names " +
               names_of(leaf_) + " (set tls.server_name when connecting by another name)";
      case X509_V_ERR_CERT_HAS_EXPIRED:
        return prefix + "expired certificate: " + cert + " expired on " + time_text(X509_get0_notAfter(leaf_));
      case X509_V_ERR_CERT_NOT_YET_VALID:
        return prefix + "certificate not yet valid: " + cert + " is valid from " +
               time_text(X509_get0_notBefore(leaf_)) + " (check the clocks)";
      default:
        return prefix + cert + " was refused: " + X509_verify_cert_error_string(verify);
    }
  }
  bool cert_requested = SSL_get_ex_data(ssl_, tls_cert_requested_index()) != nullptr;
  switch (reason) {
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
      if (cert_requested)
        return prefix + "the server demands a client certificate (mutual TLS, ssl.clientAuth=need) and none "
                        "is configured: set tls.cert_file and tls.key_file";
      if (reason != SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE)
        return prefix + "the server refused our client certificate (is it signed by a CA in the server's "
                        "ssl.trustStore?): " + text;
      break;
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_UNKNOWN_PROTOCOL:
    case SSL_R_RECORD_LENGTH_MISMATCH:
      return prefix + kPlainServer;
    case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
    case SSL_R_DECRYPTION_FAILED:
    case SSL_R_SSLV3_ALERT_BAD_RECORD_MAC:
    case SSL_R_TLSV1_ALERT_DECRYPTION_FAILED:
      return prefix + record_failure(reason) + " (" + text + ")";
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
      return prefix + "no TLS version in common with the server (tls.min_version / tls.max_version; "
                      "the server's ssl.protocol and ssl.enabledProtocols)";
    default: break;
  }
  if (ssl_error == SSL_ERROR_SYSCALL && !*text) return prefix + "the connection ended";
  return prefix + (*text ? text : "unknown error");
}

void TlsStream::fail(bool end_of_stream, std::string reason) {
  // Not failed_: a refused write sets that first, and the owner must still hear of it.
  if (reported_) return;
  reported_ = true;
  failed_ = true;
  if (events_) events_->on_stream_failed(end_of_stream, reason);
}

void TlsStream::close() {
  if (closed_) return;
  closed_ = true;
  events_ = nullptr;
  if (tcp_) {
    tcp_->close();
    tcp_ = nullptr;
  }
  release_if_done();
}

void TlsStream::release_if_done() {
  if (closed_ && depth_ == 0) delete this;
}

}  // namespace zkit::net
