#include "exit_codes.hpp"

namespace zkit::cli {

int exit_code_for(const Error& e, bool while_connecting) noexcept {
  switch (e.code()) {
    case Errc::ok: return exit_ok;
    case Errc::bad_arguments: return while_connecting ? exit_usage : exit_failed;
    case Errc::no_node: return exit_no_node;
    case Errc::node_exists: return exit_node_exists;
    case Errc::bad_version: return exit_bad_version;
    case Errc::not_empty: return exit_not_empty;
    case Errc::no_auth:
    case Errc::auth_failed:
    case Errc::session_closed_requires_sasl_auth: return exit_no_auth;
    case Errc::session_expired: return exit_session_expired;
    case Errc::connection_loss:
    case Errc::request_timeout:
    case Errc::operation_timeout:
    case Errc::session_moved: return exit_connection;
    default: return while_connecting ? exit_connection : exit_failed;
  }
}

}  // namespace zkit::cli
