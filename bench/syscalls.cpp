// Interposes the socket system calls' libc wrappers (see syscalls.hpp). Deliberately includes
// none of the headers that declare them: these definitions are the executable's own, with C
// linkage, and only forward to the next definition (libc's) found by dlsym(RTLD_NEXT).
#include "syscalls.hpp"

#include <dlfcn.h>
#include <sys/types.h>

#include <atomic>
#include <cstddef>

struct pollfd;
struct epoll_event;
struct iovec;
struct msghdr;
struct sockaddr;
struct __sigset_t_opaque;

namespace {

std::atomic<std::uint64_t> g_wakeups{0}, g_reads{0}, g_writes{0}, g_connects{0};
std::atomic<bool> g_called{false};

template <class F>
F next(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

// Resolved on first use: a static local's initialisation is thread-safe.
#define ZKIT_NEXT(type, name) static const auto real = next<type>(name)

void count(std::atomic<std::uint64_t>& c) {
  c.fetch_add(1, std::memory_order_relaxed);
  g_called.store(true, std::memory_order_relaxed);
}

void count_wakeup(long n) {
  if (n > 0) count(g_wakeups);
}

}  // namespace

extern "C" {

ssize_t read(int fd, void* buf, std::size_t n) {
  ZKIT_NEXT(ssize_t (*)(int, void*, std::size_t), "read");
  count(g_reads);
  return real(fd, buf, n);
}
ssize_t readv(int fd, const iovec* v, int n) {
  ZKIT_NEXT(ssize_t (*)(int, const iovec*, int), "readv");
  count(g_reads);
  return real(fd, v, n);
}
ssize_t recv(int fd, void* buf, std::size_t n, int flags) {
  ZKIT_NEXT(ssize_t (*)(int, void*, std::size_t, int), "recv");
  count(g_reads);
  return real(fd, buf, n, flags);
}
ssize_t recvfrom(int fd, void* buf, std::size_t n, int flags, sockaddr* a, void* alen) {
  ZKIT_NEXT(ssize_t (*)(int, void*, std::size_t, int, sockaddr*, void*), "recvfrom");
  count(g_reads);
  return real(fd, buf, n, flags, a, alen);
}
ssize_t recvmsg(int fd, msghdr* m, int flags) {
  ZKIT_NEXT(ssize_t (*)(int, msghdr*, int), "recvmsg");
  count(g_reads);
  return real(fd, m, flags);
}
ssize_t write(int fd, const void* buf, std::size_t n) {
  ZKIT_NEXT(ssize_t (*)(int, const void*, std::size_t), "write");
  count(g_writes);
  return real(fd, buf, n);
}
ssize_t writev(int fd, const iovec* v, int n) {
  ZKIT_NEXT(ssize_t (*)(int, const iovec*, int), "writev");
  count(g_writes);
  return real(fd, v, n);
}
ssize_t send(int fd, const void* buf, std::size_t n, int flags) {
  ZKIT_NEXT(ssize_t (*)(int, const void*, std::size_t, int), "send");
  count(g_writes);
  return real(fd, buf, n, flags);
}
ssize_t sendto(int fd, const void* buf, std::size_t n, int flags, const sockaddr* a, unsigned alen) {
  ZKIT_NEXT(ssize_t (*)(int, const void*, std::size_t, int, const sockaddr*, unsigned), "sendto");
  count(g_writes);
  return real(fd, buf, n, flags, a, alen);
}
ssize_t sendmsg(int fd, const msghdr* m, int flags) {
  ZKIT_NEXT(ssize_t (*)(int, const msghdr*, int), "sendmsg");
  count(g_writes);
  return real(fd, m, flags);
}
int connect(int fd, const sockaddr* a, unsigned alen) {
  ZKIT_NEXT(int (*)(int, const sockaddr*, unsigned), "connect");
  count(g_connects);
  return real(fd, a, alen);
}
int poll(pollfd* fds, unsigned long n, int timeout) {
  ZKIT_NEXT(int (*)(pollfd*, unsigned long, int), "poll");
  int r = real(fds, n, timeout);
  count_wakeup(r);
  return r;
}
int epoll_wait(int ep, epoll_event* ev, int max, int timeout) {
  ZKIT_NEXT(int (*)(int, epoll_event*, int, int), "epoll_wait");
  int r = real(ep, ev, max, timeout);
  count_wakeup(r);
  return r;
}
int epoll_pwait(int ep, epoll_event* ev, int max, int timeout, const __sigset_t_opaque* mask) {
  ZKIT_NEXT(int (*)(int, epoll_event*, int, int, const __sigset_t_opaque*), "epoll_pwait");
  int r = real(ep, ev, max, timeout, mask);
  count_wakeup(r);
  return r;
}

}  // extern "C"

namespace zkit::bench {

SyscallCounts syscall_counts() {
  return SyscallCounts{g_wakeups.load(std::memory_order_relaxed), g_reads.load(std::memory_order_relaxed),
                       g_writes.load(std::memory_order_relaxed), g_connects.load(std::memory_order_relaxed)};
}

bool syscall_counting_active() { return g_called.load(std::memory_order_relaxed); }

}  // namespace zkit::bench
