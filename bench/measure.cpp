#include "measure.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "clock_reads.hpp"
#include "zkit/testing/timing.hpp"

namespace zkit::bench {
namespace {

double seconds_of(const rusage& u) {
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return tv(u.ru_utime) + tv(u.ru_stime);
}

// The value after "<key>:" in /proc/self/status, or -1.
std::int64_t status_field(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  std::size_t n = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':')
      return std::strtoll(line.c_str() + n + 1, nullptr, 10);
  }
  return -1;
}

}  // namespace

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

Deadline deadline_in(std::chrono::milliseconds limit) { return Clock::now() + zkit::testing::scaled(limit); }

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return seconds_of(u);
}

std::int64_t process_context_switches() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_nvcsw + u.ru_nivcsw;
}

double other_process_cpu_seconds(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  std::size_t close = all.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(all.substr(close + 2));
  std::string f;
  long utime = -1, stime = -1;
  // Fields 3.. follow; utime is field 14 and stime field 15, so the 12th and 13th here.
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stol(f);
    if (i == 15) stime = std::stol(f);
  }
  if (utime < 0 || stime < 0) return -1;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::int64_t rss_kib() { return status_field("VmRSS"); }

int thread_count() { return static_cast<int>(status_field("Threads")); }

int open_fds() {
  DIR* d = opendir("/proc/self/fd");
  if (!d) return -1;
  int n = 0;
  while (dirent* e = readdir(d))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n - 1;  // the descriptor opendir itself holds
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

std::int64_t listen_overflows() {
  // Pairs of lines: "TcpExt: <names...>" then "TcpExt: <values...>".
  std::ifstream in("/proc/net/netstat");
  std::string names, values;
  while (std::getline(in, names) && std::getline(in, values)) {
    if (names.compare(0, 7, "TcpExt:") != 0) continue;
    std::istringstream n(names), v(values);
    std::string name, value;
    while (n >> name && v >> value)
      if (name == "ListenOverflows") return std::strtoll(value.c_str(), nullptr, 10);
  }
  return -1;
}

std::uint64_t raise_fd_limit() {
  rlimit l{};
  if (getrlimit(RLIMIT_NOFILE, &l) != 0) return 0;
  if (l.rlim_cur < l.rlim_max) {
    l.rlim_cur = l.rlim_max;
    setrlimit(RLIMIT_NOFILE, &l);
    getrlimit(RLIMIT_NOFILE, &l);
  }
  return l.rlim_cur;
}

Meter::Meter(int server_pid)
    : server_pid_(server_pid),
      start_(Clock::now()),
      cpu_start_(process_cpu_seconds()),
      server_start_(other_process_cpu_seconds(server_pid)),
      switches_start_(process_context_switches()),
      syscalls_start_(syscall_counts()),
      clock_reads_start_(bench::clock_reads()) {}

void Meter::stop() {
  seconds_ = seconds_since(start_);
  cpu_ = process_cpu_seconds() - cpu_start_;
  switches_ = process_context_switches() - switches_start_;
  SyscallCounts now = syscall_counts();
  syscalls_ = SyscallCounts{now.wakeups - syscalls_start_.wakeups, now.reads - syscalls_start_.reads,
                            now.writes - syscalls_start_.writes, now.connects - syscalls_start_.connects};
  clock_reads_ = bench::clock_reads() - clock_reads_start_;
  double server = other_process_cpu_seconds(server_pid_);
  server_cpu_ = server_start_ >= 0 && server >= 0 ? server - server_start_ : -1;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  if (rank < 1) rank = 1;
  if (rank > sorted.size()) rank = sorted.size();
  return sorted[rank - 1];
}

}  // namespace zkit::bench
