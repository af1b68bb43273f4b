// Marks for callgrind around a measured span, so that its instruction counts cover that span
// only: `valgrind --tool=callgrind zkit-bench --only w1-get ...` (see bench/callgrind.py).
// Outside valgrind, and where valgrind's headers are missing, they do nothing.
#pragma once

namespace zkit::bench {

// Sets the counts of every thread to zero.
void zero_instruction_counts();
// Writes the counts so far to a dump named `name` (callgrind.out.<pid>.<n>).
void dump_instruction_counts(const char* name);

}  // namespace zkit::bench
