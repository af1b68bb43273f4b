// The exit status of every zkit command, one number per class of failure, so that a script can
// tell "the node is not there" from "no server answered" without reading stderr. The numbers
// are part of the CLI's interface (docs/cli.md lists them): never renumber one.
#pragma once

#include "zkit/error.hpp"

namespace zkit::cli {

enum ExitCode : int {
  exit_ok = 0,
  exit_failed = 1,        // any other failure of the operation
  exit_usage = 2,         // bad command line (also a bad ZKIT_CONNECT or --config)
  exit_no_node = 3,       // no_node
  exit_node_exists = 4,   // node_exists
  exit_bad_version = 5,   // bad_version
  exit_not_empty = 6,     // not_empty
  exit_no_auth = 7,       // no_auth, auth_failed: the ACL or the server refused our identity
  exit_connection = 8,    // no server reached, the connection lost, a request unanswered
  exit_session_expired = 9,
  exit_interrupted = 130, // Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)
};

// The status for a failed operation, by the error's code alone (never its message). A failure
// to connect at all is exit_connection whatever code the library gave it, unless the code
// says more (auth_failed, session_expired, bad_arguments).
int exit_code_for(const Error& e, bool while_connecting = false) noexcept;

}  // namespace zkit::cli
