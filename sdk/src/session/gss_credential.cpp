#include "session/gss_credential.hpp"

#include <gssapi/gssapi_ext.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace zkit::session {

namespace {

// Every message gss_display_status has for `code`, joined by "; ".
std::string status_text(OM_uint32 code, int type) {
  std::string out;
  OM_uint32 context = 0;
  do {
    OM_uint32 minor = 0;
    gss_buffer_desc text{};
    if (GSS_ERROR(gss_display_status(&minor, code, type, GSS_C_NO_OID, &context, &text))) break;
    if (!out.empty()) out += "; ";
    out.append(static_cast<const char*>(text.value), text.length);
    gss_release_buffer(&minor, &text);
  } while (context != 0);
  return out;
}

// Kerberos says "No credentials cache found" when the keytab is missing: name the file's
// problem when the keytab is a file (a plain path or FILE:path) that cannot be read.
std::string keytab_problem(const std::string& keytab) {
  std::string path = keytab.rfind("FILE:", 0) == 0 ? keytab.substr(5) : keytab;
  if (path.empty() || (path.find(':') != std::string::npos && path.front() != '/')) return "";
  if (::access(path.c_str(), R_OK) == 0) return "";
  return "; the keytab cannot be read (" + std::string(std::strerror(errno)) + ")";
}

}  // namespace

Result<GssCredential> GssCredential::acquire(const SaslOptions& o) {
  GssCredential c;
  // MIT's credential store keys ("Credential store extensions" in its GSSAPI docs). With
  // neither, an empty store: the environment's defaults, acquired here all the same, because
  // the plugin never releases a credential it acquired itself (cyrus-sasl issue 843).
  std::vector<gss_key_value_element_desc> store;
  if (!o.keytab.empty()) store.push_back({"client_keytab", o.keytab.c_str()});
  if (!o.credential_cache.empty()) store.push_back({"ccache", o.credential_cache.c_str()});
  gss_key_value_set_desc set{static_cast<OM_uint32>(store.size()), store.data()};
  OM_uint32 minor = 0;
  // No name: the principal is the cache's, or else the keytab's first.
  OM_uint32 major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET, GSS_C_INITIATE,
                                          &set, &c.cred_, nullptr, nullptr);
  if (GSS_ERROR(major)) {
    std::string where;
    if (!o.keytab.empty()) where = "keytab " + o.keytab;
    if (!o.credential_cache.empty()) where += (where.empty() ? "" : ", ") + ("credential cache " + o.credential_cache);
    if (where.empty()) where = "the environment's defaults: KRB5CCNAME, KRB5_CLIENT_KTNAME";
    std::string why = status_text(major, GSS_C_GSS_CODE);
    if (std::string mech = status_text(minor, GSS_C_MECH_CODE); !mech.empty()) why += ": " + mech;
    if (!o.keytab.empty()) why += keytab_problem(o.keytab);
    return Error(Errc::auth_failed, "could not get the client's Kerberos credentials (" + where + "): " + why);
  }
  return c;
}

GssCredential& GssCredential::operator=(GssCredential&& other) noexcept {
  if (this != &other) {
    release();
    cred_ = other.cred_;
    other.cred_ = GSS_C_NO_CREDENTIAL;
  }
  return *this;
}

void GssCredential::release() noexcept {
  if (cred_ == GSS_C_NO_CREDENTIAL) return;
  OM_uint32 minor = 0;
  gss_release_cred(&minor, &cred_);
}

}  // namespace zkit::session
