#include "instrument.hpp"

// Debian's package `valgrind` ships the client-request header; without it the marks are no-ops.
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define ZKIT_BENCH_HAVE_CALLGRIND 1
#endif

namespace zkit::bench {

void zero_instruction_counts() {
#ifdef ZKIT_BENCH_HAVE_CALLGRIND
  CALLGRIND_ZERO_STATS;
#endif
}

void dump_instruction_counts([[maybe_unused]] const char* name) {
#ifdef ZKIT_BENCH_HAVE_CALLGRIND
  CALLGRIND_DUMP_STATS_AT(name);
#endif
}

}  // namespace zkit::bench
