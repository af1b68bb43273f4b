// Session options from JSON: the same fields as zkit::Options, under the same names (durations
// in milliseconds, with an _ms suffix), so one file configures the C++ API, the CLI
// (`zkit --config FILE`) and later the bindings. Keys not given keep `base`'s values; an
// unknown key or a value of the wrong type is refused with an error that names the field.
//
//   auto o = zkit::options_from_json(R"({"connect":"127.0.0.1:2181","session_timeout_ms":4000})");
//   if (!o) std::puts(o.error().message().c_str());  // e.g. "session_timeout_ms: expected ..."
//
// Keys: connect (string), session_timeout_ms (> 0), request_timeout_ms (-1: the session
// timeout, 0: none), backoff_initial_ms, backoff_max_ms (>= 0), can_be_read_only,
// shuffle_hosts (booleans), max_frame, max_pending (>= 0), when_full ("wait" | "fail"),
// log_level ("debug" | "info" | "warning" | "error"), slow_callback_ms (>= 0, 0: off); SASL (zkit/sasl.hpp): sasl_mechanism
// ("digest-md5" | "gssapi" | "none"), sasl_user, sasl_password_file, sasl_service,
// sasl_server_host, sasl_keytab, sasl_credential_cache (strings). A sasl_password key is
// refused: the password goes in a file of its own.
#pragma once

#include <string>
#include <string_view>

#include "zkit/options.hpp"
#include "zkit/result.hpp"

namespace zkit {

// Parses a JSON object of options over `base`. Errors: bad_arguments ("<field>: expected ...",
// or "not a JSON object: ..." for text that is no JSON object).
Result<Options> options_from_json(std::string_view json_text, Options base = {});

// The same from a file. Errors: bad_arguments naming the file (unreadable) or the field.
Result<Options> options_from_json_file(const std::string& path, Options base = {});

}  // namespace zkit
