// The one-shot commands (ls, get, set, create, delete, stat): one call on a connected client,
// its result printed.
#pragma once

#include "args.hpp"
#include "output.hpp"
#include "zkit/client.hpp"

namespace zkit::cli {

// Runs inv.verb; the error, if any, is the operation's (or reading DATA from stdin failed).
Result<void> run_operation(Client& client, const Invocation& inv, Printer& out);

}  // namespace zkit::cli
