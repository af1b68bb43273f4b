// net::TlsContext: a session's TLS settings made into an OpenSSL SSL_CTX (trust anchors,
// client certificate and key, versions), shared by every connection of the session. The files
// it names are checked before each connection and read again when they changed, so rotated
// certificates and keys apply to new connections (zkit/tls.hpp). Thread-safe: a Client's loop
// thread and its caller may both hold it.
#pragma once

#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "zkit/options.hpp"
#include "zkit/result.hpp"  // and zkit/tls.hpp through options.hpp

typedef struct ssl_ctx_st SSL_CTX;

namespace zkit::net {

class TlsContext {
 public:
  // Loads everything now, so that bad settings fail Session::start with bad_arguments (the
  // message names the file or field, never a secret).
  static Result<std::shared_ptr<const TlsContext>> create(const TlsOptions& options);
  // Gives every host the context built from `options` when options.enabled; refuses TLS
  // fields set while TLS is off (a forgotten `enabled` must not fall back to plain text).
  static Result<void> attach(const TlsOptions& options, std::vector<HostPort>& hosts);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // The context for a new connection (a reference the caller frees with SSL_CTX_free),
  // rebuilt first when a file changed; null, with `error` set, when the changed files cannot
  // be loaded.
  SSL_CTX* acquire(std::string& error) const;
  // The name the server's certificate must carry when connecting to `host`.
  std::string expected_name(std::string_view host) const;
  bool verify_name() const noexcept { return options_.verify_server_name; }
  bool has_client_cert() const noexcept { return !options_.cert_file.empty() || !options_.cert_pem.empty(); }

 private:
  explicit TlsContext(const TlsOptions& options) : options_(options) {}

  struct FileStamp {
    std::time_t mtime = 0;
    long long size = -1;
    long mtime_ns = 0;
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
  };
  struct Stamps {
    FileStamp ca, cert, key;
    friend bool operator==(const Stamps&, const Stamps&) = default;
  };
  Stamps stamps() const;
  // Builds a fresh SSL_CTX from the options (files read now). Null with `error` on failure.
  SSL_CTX* build(std::string& error) const;

  TlsOptions options_;
  mutable std::mutex mu_;
  mutable SSL_CTX* ctx_ = nullptr;  // under mu_
  mutable Stamps loaded_{};         // under mu_: the files ctx_ was built from
};

}  // namespace zkit::net
