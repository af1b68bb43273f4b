// The one-shot commands: one command on a connected client, its result printed. The
// subtree commands live in tree_commands.*, the session and ensemble ones in admin_commands.*.
#pragma once

#include "args.hpp"
#include "output.hpp"
#include "zkit/client.hpp"

namespace zkit::cli {

// Runs inv.verb (inv.connect: the servers in use, for stats); the error, if any, is the operation's (or reading DATA from stdin failed).
Result<void> run_operation(Client& client, const Invocation& inv, Printer& out);

}  // namespace zkit::cli
