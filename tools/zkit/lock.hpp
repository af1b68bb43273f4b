// The lock command: run a command while holding a ZooKeeper lock (a zkit::recipes::Mutex, in
// Curator's InterProcessMutex layout), and stop it if the lock is lost.
#pragma once

#include <chrono>
#include <string>

#include "args.hpp"
#include "zkit/options.hpp"

namespace zkit::cli {

// Exit statuses of `zkit lock` besides the command's own (documented in docs/cli.md).
inline constexpr int kLockLost = 75;         // ownership lost while CMD ran (sysexits' EX_TEMPFAIL)
inline constexpr int kLockTimedOut = 124;    // not acquired within --timeout (as timeout(1))
inline constexpr int kCannotExecute = 126;   // CMD found but not executable (as the shell)
inline constexpr int kNotFound = 127;        // CMD not found (as the shell)

// How long a command told to stop (SIGTERM) gets before SIGKILL (also for `zkit elect`).
inline constexpr std::chrono::seconds kCommandStopGrace{5};

// Acquires inv.path, runs inv.command with ZKIT_LOCK_PATH and ZKIT_FENCING_TOKEN, releases when
// it exits; returns the exit status for zkit.
// `options` are the session's (TLS, SASL, --config and the timeouts applied); --auth's
// credentials come from inv.
int run_lock(const Invocation& inv, Options options);

}  // namespace zkit::cli
