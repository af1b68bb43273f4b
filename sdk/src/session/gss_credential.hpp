// session::GssCredential: the client's Kerberos initiator credential for one GSSAPI exchange,
// acquired from the keytab and credential cache named in SaslOptions (MIT's credential store,
// gss_acquire_cred_from) rather than through the process-wide KRB5_CLIENT_KTNAME and
// KRB5CCNAME: sessions of one process may use different principals, and no other thread's
// getenv() races a setenv(). Cyrus SASL's GSSAPI plugin takes the handle (SASL_GSS_CREDS);
// it is released with this object.
#pragma once

#include <gssapi/gssapi.h>

#include "zkit/options.hpp"  // SaslOptions (zkit/sasl.hpp)
#include "zkit/result.hpp"

namespace zkit::session {

class GssCredential {
 public:
  // The credential for `o.keytab` / `o.credential_cache`, or the environment's default one
  // when both are empty. With a keytab and an empty cache, Kerberos fetches the
  // ticket-granting ticket now. Errors: auth_failed (the message names the keytab and cache and
  // gives Kerberos' reason).
  static Result<GssCredential> acquire(const SaslOptions& o);

  GssCredential() = default;
  GssCredential(GssCredential&& other) noexcept : cred_(other.cred_) { other.cred_ = GSS_C_NO_CREDENTIAL; }
  GssCredential& operator=(GssCredential&& other) noexcept;
  GssCredential(const GssCredential&) = delete;
  GssCredential& operator=(const GssCredential&) = delete;
  ~GssCredential() { release(); }

  // The handle (GSS_C_NO_CREDENTIAL only in a moved-from object); owned by this object.
  gss_cred_id_t get() const noexcept { return cred_; }

 private:
  void release() noexcept;
  gss_cred_id_t cred_ = GSS_C_NO_CREDENTIAL;
};

}  // namespace zkit::session
