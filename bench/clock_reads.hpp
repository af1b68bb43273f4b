// What zkit's per-session metrics cost in clock reads: the SDK reads the clock (uv_hrtime) when
// a request is queued and when its reply arrives, and nowhere else. clock_reads.cpp defines
// uv_hrtime in the executable, which takes precedence over libuv's for zkit (the executable
// exports its symbols), counts each call and forwards to libuv's. A Meter reads the count, so
// each zkit phase says how many clock reads an operation made; clock_read_ns() prices one.
#pragma once

#include <cstdint>

namespace zkit::bench {

// uv_hrtime calls so far, by any library of this process (only zkit's metrics call it).
std::uint64_t clock_reads();

// The mean cost of one uv_hrtime call in nanoseconds, measured over `calls` calls of libuv's.
double clock_read_ns(std::uint64_t calls = 2'000'000);

}  // namespace zkit::bench
