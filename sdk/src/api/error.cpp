#include <cstdio>
#include <cstdlib>

#include "zkit/error.hpp"
#include "zkit/result.hpp"

namespace zkit {

namespace detail {
void value_of_failed_result(const Error& error) noexcept {
  std::fprintf(stderr, "zkit: Result::value() called on an error: %s (%s)\n", error.message().c_str(),
               std::string(to_string(error.code())).c_str());
  std::abort();
}
void error_of_successful_result() noexcept {
  std::fputs("zkit: Result::error() called on a value\n", stderr);
  std::abort();
}
}  // namespace detail

std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::ok: return "ok";
    case Errc::runtime_inconsistency: return "runtime_inconsistency";
    case Errc::data_inconsistency: return "data_inconsistency";
    case Errc::connection_loss: return "connection_loss";
    case Errc::marshalling_error: return "marshalling_error";
    case Errc::unimplemented: return "unimplemented";
    case Errc::operation_timeout: return "operation_timeout";
    case Errc::bad_arguments: return "bad_arguments";
    case Errc::new_config_no_quorum: return "new_config_no_quorum";
    case Errc::reconfig_in_progress: return "reconfig_in_progress";
    case Errc::no_node: return "no_node";
    case Errc::no_auth: return "no_auth";
    case Errc::bad_version: return "bad_version";
    case Errc::no_children_for_ephemerals: return "no_children_for_ephemerals";
    case Errc::node_exists: return "node_exists";
    case Errc::not_empty: return "not_empty";
    case Errc::session_expired: return "session_expired";
    case Errc::invalid_callback: return "invalid_callback";
    case Errc::invalid_acl: return "invalid_acl";
    case Errc::auth_failed: return "auth_failed";
    case Errc::closing: return "closing";
    case Errc::nothing: return "nothing";
    case Errc::session_moved: return "session_moved";
    case Errc::not_read_only: return "not_read_only";
    case Errc::ephemeral_on_local_session: return "ephemeral_on_local_session";
    case Errc::no_watcher: return "no_watcher";
    case Errc::request_timeout: return "request_timeout";
    case Errc::reconfig_disabled: return "reconfig_disabled";
    case Errc::session_closed_requires_sasl_auth: return "session_closed_requires_sasl_auth";
    case Errc::quota_exceeded: return "quota_exceeded";
    case Errc::throttled_op: return "throttled_op";
  }
  return "unknown";
}

}  // namespace zkit
