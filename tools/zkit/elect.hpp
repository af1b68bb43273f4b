// The elect command: join a leader election (a zkit::recipes::LeaderLatch, in Curator's
// LeaderLatch layout) and report leadership, or run a command while leading.
#pragma once

#include <string>

#include "args.hpp"
#include "output.hpp"

namespace zkit::cli {

// Runs until SIGINT or SIGTERM (then 0), the session expires (1), or the command cannot be
// started (126, 127). Returns the exit status for zkit.
int run_elect(const Invocation& inv, const std::string& connect, Printer& out);

}  // namespace zkit::cli
