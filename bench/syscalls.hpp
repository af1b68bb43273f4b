// Counts of the system calls a client makes for its sockets, for the whole process: wake-ups
// (a poll, epoll_wait or epoll_pwait that returned with at least one event), reads (read,
// readv, recv, recvfrom, recvmsg), writes (write, writev, send, sendto, sendmsg) and connect()
// calls.
//
// syscalls.cpp defines those libc functions in the executable itself, where they take
// precedence over libc's for every library (libuv, zkit, the C client) and forward to libc's.
// The same count thus applies to zkit, the C client and the raw client alike. A few reads of
// /proc by the Meter fall in too (a handful per phase).
#pragma once

#include <cstdint>

namespace zkit::bench {

struct SyscallCounts {
  std::uint64_t wakeups = 0;
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t connects = 0;  // connect() calls: connection attempts
};

SyscallCounts syscall_counts();

// True when the counting wrappers are the ones the process calls (the executable exports them).
bool syscall_counting_active();

}  // namespace zkit::bench
