// The serve command: a throwaway local ZooKeeper that runs until SIGINT or SIGTERM.
#pragma once

#include "args.hpp"
#include "output.hpp"

namespace zkit::cli {

// Starts the servers, prints the connection string (and writes --ready-file), waits for a
// signal, then stops the servers and removes their files and the ready file.
Result<void> run_serve(const Invocation& inv, Printer& out);

}  // namespace zkit::cli
