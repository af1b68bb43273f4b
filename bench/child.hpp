// Runs another program (this benchmark again, or a Curator or kazoo workload) as a child
// process with its standard output in a file, bounded in time: past the deadline it is killed.
#pragma once

#include <string>
#include <vector>

#include "measure.hpp"

namespace zkit::bench {

struct ChildRun {
  bool started = false;
  bool exited = false;  // false: it was killed at the deadline (or never started)
  int status = -1;      // its exit status when it exited
  std::string output;   // what it wrote to its standard output
};

// args[0] is the program's path. Standard error is inherited.
ChildRun run_child(const std::vector<std::string>& args, Deadline limit);

}  // namespace zkit::bench
