#include "net/tls_context.hpp"

#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace zkit::net {
namespace {

// OpenSSL's latest error as text (the queue is cleared). Never holds a passphrase: OpenSSL
// does not put them in its errors.
std::string openssl_error() {
  unsigned long e = ERR_get_error();
  unsigned long last = e;
  while (e != 0) {
    last = e;
    e = ERR_get_error();
  }
  if (last == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(last, buf, sizeof buf);
  return buf;
}

bool read_file(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

// The PEM of a file or in-memory field: `what` names it in errors.
bool pem_of(const std::string& file, const std::string& pem, std::string& out, std::string& error) {
  if (!file.empty()) return read_file(file, out, error);
  out = pem;
  return true;
}

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr memory_bio(const std::string& s) { return BioPtr(BIO_new_mem_buf(s.data(), static_cast<int>(s.size()))); }

int version_of(TlsVersion v) { return v == TlsVersion::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION; }

bool add_ca(SSL_CTX* ctx, const std::string& pem, const std::string& what, std::string& error) {
  BioPtr bio = memory_bio(pem);
  STACK_OF(X509_INFO)* infos = PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr);
  if (!infos) {
    error = what + " holds no PEM certificate (" + openssl_error() + ")";
    return false;
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int added = 0;
  for (int i = 0; i < sk_X509_INFO_num(infos); ++i) {
    X509_INFO* info = sk_X509_INFO_value(infos, i);
    if (info->x509 && X509_STORE_add_cert(store, info->x509) == 1) ++added;
  }
  sk_X509_INFO_pop_free(infos, X509_INFO_free);
  ERR_clear_error();
  if (added == 0) {
    error = what + " holds no PEM certificate";
    return false;
  }
  return true;
}

bool add_client_cert(SSL_CTX* ctx, const TlsOptions& o, std::string& error) {
  std::string what_cert = o.cert_file.empty() ? "tls.cert_pem" : o.cert_file;
  std::string what_key = o.key_file.empty() ? "tls.key_pem" : o.key_file;
  std::string cert, key;
  if (!pem_of(o.cert_file, o.cert_pem, cert, error) || !pem_of(o.key_file, o.key_pem, key, error)) return false;
  BioPtr cbio = memory_bio(cert);
  X509* leaf = PEM_read_bio_X509(cbio.get(), nullptr, nullptr, nullptr);
  if (!leaf) {
    error = what_cert + " holds no PEM certificate (" + openssl_error() + ")";
    return false;
  }
  int rc = SSL_CTX_use_certificate(ctx, leaf);
  X509_free(leaf);
  if (rc != 1) {
    error = "cannot use the certificate in " + what_cert + " (" + openssl_error() + ")";
    return false;
  }
  // Intermediates after the leaf travel with it.
  SSL_CTX_clear_chain_certs(ctx);
  while (X509* extra = PEM_read_bio_X509(cbio.get(), nullptr, nullptr, nullptr)) SSL_CTX_add0_chain_cert(ctx, extra);
  ERR_clear_error();
  BioPtr kbio = memory_bio(key);
  // The passphrase goes straight to OpenSSL; an empty one makes an encrypted key fail to load.
  void* pass = const_cast<char*>(o.key_passphrase.c_str());
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(kbio.get(), nullptr, nullptr, pass);
  if (!pkey) {
    bool encrypted = key.find("ENCRYPTED") != std::string::npos;
    ERR_clear_error();
    error = encrypted ? (o.key_passphrase.empty()
                             ? what_key + " is encrypted and no tls.key_passphrase is given"
                             : "cannot decrypt " + what_key + ": wrong tls.key_passphrase?")
                      : what_key + " holds no PEM private key";
    return false;
  }
  rc = SSL_CTX_use_PrivateKey(ctx, pkey);
  EVP_PKEY_free(pkey);
  if (rc != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    error = "the key in " + what_key + " does not belong to the certificate in " + what_cert;
    return false;
  }
  return true;
}

// Called when the server asks for a client certificate and none is configured: remembered
// on the connection so that its failure can say so (see tls_stream.cpp).
int no_client_cert(SSL* ssl, X509**, EVP_PKEY**);

}  // namespace

// Set by the client-certificate callback; read by TlsStream.
int tls_cert_requested_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

namespace {
int no_client_cert(SSL* ssl, X509**, EVP_PKEY**) {
  SSL_set_ex_data(ssl, tls_cert_requested_index(), reinterpret_cast<void*>(1));
  return 0;
}
}  // namespace

Result<std::shared_ptr<const TlsContext>> TlsContext::create(const TlsOptions& options) {
  if (!options.ca_file.empty() && !options.ca_pem.empty())
    return Error(Errc::bad_arguments, "tls: give ca_file or ca_pem, not both");
  if (!options.cert_file.empty() && !options.cert_pem.empty())
    return Error(Errc::bad_arguments, "tls: give cert_file or cert_pem, not both");
  if (!options.key_file.empty() && !options.key_pem.empty())
    return Error(Errc::bad_arguments, "tls: give key_file or key_pem, not both");
  bool cert = !options.cert_file.empty() || !options.cert_pem.empty();
  bool key = !options.key_file.empty() || !options.key_pem.empty();
  if (cert != key) return Error(Errc::bad_arguments, "tls: a client certificate needs its key and a key its certificate");
  if (options.min_version > options.max_version) return Error(Errc::bad_arguments, "tls: min_version is above max_version");
  std::shared_ptr<TlsContext> c(new TlsContext(options));
  std::string error;
  c->loaded_ = c->stamps();
  c->ctx_ = c->build(error);
  if (!c->ctx_) return Error(Errc::bad_arguments, "tls: " + error);
  return std::shared_ptr<const TlsContext>(std::move(c));
}

Result<void> TlsContext::attach(const TlsOptions& options, std::vector<HostPort>& hosts) {
  if (!options.enabled) {
    bool any = !options.ca_file.empty() || !options.ca_pem.empty() || !options.cert_file.empty() ||
               !options.cert_pem.empty() || !options.key_file.empty() || !options.key_pem.empty() ||
               !options.server_name.empty();
    if (any) return Error(Errc::bad_arguments, "tls settings are given but tls.enabled is false");
    return {};
  }
  auto context = create(options);
  if (!context) return std::move(context).error();
  for (HostPort& h : hosts) h.tls = context.value();
  return {};
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

TlsContext::Stamps TlsContext::stamps() const {
  auto of = [](const std::string& path) {
    FileStamp f;
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0) return f;
    f.mtime = st.st_mtim.tv_sec;
    f.mtime_ns = st.st_mtim.tv_nsec;
    f.size = static_cast<long long>(st.st_size);
    return f;
  };
  return {of(options_.ca_file), of(options_.cert_file), of(options_.key_file)};
}

SSL_CTX* TlsContext::build(std::string& error) const {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) {
    error = "cannot create an SSL context (" + openssl_error() + ")";
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx, version_of(options_.min_version));
  SSL_CTX_set_max_proto_version(ctx, version_of(options_.max_version));
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // A ZooKeeper server never renegotiates, and renegotiation has a record of attacks: a server
  // that asks gets the no_renegotiation alert, and TlsStream closes the connection.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
  bool ok = true;
  if (!options_.ca_file.empty() || !options_.ca_pem.empty()) {
    std::string pem;
    ok = pem_of(options_.ca_file, options_.ca_pem, pem, error) &&
         add_ca(ctx, pem, options_.ca_file.empty() ? "tls.ca_pem" : options_.ca_file, error);
  } else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
    error = "cannot load the system's trust store (" + openssl_error() + ")";
    ok = false;
  }
  if (ok && has_client_cert()) ok = add_client_cert(ctx, options_, error);
  if (ok && !has_client_cert()) SSL_CTX_set_client_cert_cb(ctx, no_client_cert);
  if (!ok) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  return ctx;
}

SSL_CTX* TlsContext::acquire(std::string& error) const {
  std::lock_guard lock(mu_);
  Stamps now = stamps();
  if (!(now == loaded_) || !ctx_) {
    SSL_CTX* fresh = build(error);
    if (!fresh) return nullptr;  // keep the old stamps: the next attempt tries again
    SSL_CTX_free(ctx_);
    ctx_ = fresh;
    loaded_ = now;
  }
  SSL_CTX_up_ref(ctx_);
  return ctx_;
}

std::string TlsContext::expected_name(std::string_view host) const {
  return options_.server_name.empty() ? std::string(host) : options_.server_name;
}

}  // namespace zkit::net
