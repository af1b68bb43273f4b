// What the benchmark measures with: wall and CPU clocks, the process's memory, threads and file
// descriptors, another process's CPU time, and percentiles. Linux only (getrusage, /proc).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "syscalls.hpp"

namespace zkit::bench {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// Seconds since `t`.
double seconds_since(Clock::time_point t);
// A deadline `limit` from now, scaled by ZKIT_TEST_TIMEOUT_SCALE like the testing kit's waits.
Deadline deadline_in(std::chrono::milliseconds limit);

// CPU time (user + system) of the whole process, every thread.
double process_cpu_seconds();
// Context switches of the whole process so far, voluntary (waits for I/O or a lock) and not.
std::int64_t process_context_switches();
// CPU time of another process (from /proc/<pid>/stat), -1 when it cannot be read.
double other_process_cpu_seconds(int pid);

// From /proc/self/status: resident memory in KiB (VmRSS) and the number of threads.
std::int64_t rss_kib();
int thread_count();
// Entries in /proc/self/fd.
int open_fds();
// /proc/loadavg's first three fields, e.g. "1.20 0.95 0.80".
std::string load_average();

// TcpExt's ListenOverflows from /proc/net/netstat (this network namespace, every listener): SYNs
// or connections dropped because a listen queue was full. -1 when it cannot be read.
std::int64_t listen_overflows();

// Raises the soft limit on open files to the hard limit; returns the new soft limit.
std::uint64_t raise_fd_limit();

// A span of work: wall time, this process's CPU time, and optionally a server's CPU time.
class Meter {
 public:
  explicit Meter(int server_pid = 0);
  void stop();
  double seconds() const { return seconds_; }
  double cpu_seconds() const { return cpu_; }
  double server_cpu_seconds() const { return server_cpu_; }  // -1 if unknown
  std::int64_t context_switches() const { return switches_; }
  // Wake-ups, reads and writes of the whole process during the span (see syscalls.hpp).
  const SyscallCounts& syscalls() const { return syscalls_; }
  // uv_hrtime calls during the span: zkit's metrics' clock reads (see clock_reads.hpp).
  std::uint64_t clock_reads() const { return clock_reads_; }

 private:
  int server_pid_;
  Clock::time_point start_;
  double cpu_start_;
  double server_start_;
  std::int64_t switches_start_;
  SyscallCounts syscalls_start_;
  SyscallCounts syscalls_{};
  std::uint64_t clock_reads_start_;
  std::uint64_t clock_reads_ = 0;
  double seconds_ = 0, cpu_ = 0, server_cpu_ = -1;
  std::int64_t switches_ = 0;
};

// Nearest-rank percentile (0 < p <= 100) of `sorted`; 0 for an empty vector.
double percentile(const std::vector<double>& sorted, double p);

}  // namespace zkit::bench
