// The elect command: join a leader election (a zkit::recipes::LeaderLatch, in Curator's
// LeaderLatch layout) and report leadership, or run a command while leading.
#pragma once

#include <string>

#include "args.hpp"
#include "output.hpp"
#include "zkit/options.hpp"

namespace zkit::cli {

// Runs until SIGINT or SIGTERM (then 0), the session expires (1), or the command cannot be
// started (126, 127). Returns the exit status for zkit. `options` are the session's (TLS, SASL,
// --config and the timeouts applied); --auth's credentials come from inv.
int run_elect(const Invocation& inv, Options options, Printer& out);

}  // namespace zkit::cli
