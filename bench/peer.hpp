// A child process spoken to line by line: commands to its standard input, one JSON line back on
// its standard output per command. The bindings' workloads (bindings_workload.cpp) run each
// client this way, so that its CPU time is its own and the parent decides the order of turns.
// Every read waits until a deadline at most; a peer still running when destroyed is killed.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "measure.hpp"

namespace zkit::bench {

class Peer {
 public:
  // Starts args[0] with `args` and the environment plus `extra_env` ("NAME=value"); standard
  // error is inherited. Null, with `failure` set, when it cannot start.
  static std::unique_ptr<Peer> start(const std::vector<std::string>& args, const std::vector<std::string>& extra_env,
                                     std::string& failure);
  ~Peer();
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  // Sends `line` (a newline is added); false when the child has gone.
  bool send(const std::string& line);
  // The next line it writes, without the newline; false (and `failure` set) at end of output or
  // at the deadline.
  bool read_line(std::string& line, Deadline deadline, std::string& failure);
  // Closes its input and waits for it to exit until `deadline`, then kills it. Its exit status
  // (128 + signal when killed).
  int finish(Deadline deadline);

 private:
  Peer(pid_t pid, int in, int out) : pid_(pid), in_(in), out_(out) {}
  pid_t pid_;
  int in_;   // its standard input (our write end)
  int out_;  // its standard output (our read end)
  std::string buffered_;
  int status_ = -1;
};

}  // namespace zkit::bench
