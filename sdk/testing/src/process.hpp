// Child processes for the testing kit: start one with its output in a log file, watch it, end
// it. Every function takes a pid the caller started itself and has not reaped: until it is
// reaped the kernel cannot give that pid to another process, so signalling it is always safe.
// Private to the kit.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "zkit/result.hpp"

namespace zkit::testing::detail {

struct SpawnRequest {
  std::string program;            // absolute path
  std::vector<std::string> argv;  // argv[0] included
  std::string directory;          // working directory of the child
  std::string log_path;           // stdout and stderr, appended
};

// Starts the program. The child gets stdin from /dev/null, no other inherited descriptors,
// default signal handling, and PR_SET_PDEATHSIG=SIGKILL so it dies with the forking thread.
// Errors: bad_arguments (the log cannot be opened, fork fails).
Result<pid_t> spawn(const SpawnRequest& request);

// Whether `pid` has exited, without reaping it (so the pid stays ours).
bool has_exited(pid_t pid) noexcept;

// Reaps `pid`, waiting up to `timeout` for it to exit. Returns true and its wait status in
// *status once reaped, false while it still runs.
bool reap(pid_t pid, std::chrono::milliseconds timeout, int* status) noexcept;

// Sends `signal` to `pid` and reaps it; SIGKILL after `grace` if it is still there.
// Returns the wait status.
int end_process(pid_t pid, int signal, std::chrono::milliseconds grace) noexcept;

// "exited with status 1", "killed by signal 9".
std::string describe_status(int status);

// The absolute path of `name` (as is when it contains a '/', else searched in PATH) if it is
// an executable file; "" otherwise.
std::string find_program(const std::string& name);

// The last `lines` lines of the file at `path`, or a note that it cannot be read.
std::string tail_of_file(const std::string& path, int lines);

}  // namespace zkit::testing::detail
