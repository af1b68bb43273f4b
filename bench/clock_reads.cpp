// Deliberately includes no libuv header: this uv_hrtime is the executable's own, with C
// linkage, and forwards to the next definition (libuv's) found by dlsym(RTLD_NEXT).
#include "clock_reads.hpp"

#include <dlfcn.h>

#include <atomic>
#include <chrono>

namespace {

using HrTime = std::uint64_t (*)();

HrTime libuv_hrtime() {
  static const auto real = reinterpret_cast<HrTime>(dlsym(RTLD_NEXT, "uv_hrtime"));
  return real;
}

// A load and a store, not an atomic increment: zkit reads the clock on its loop thread only,
// and a locked increment would add to the very cost being measured.
std::atomic<std::uint64_t> g_reads{0};

}  // namespace

extern "C" std::uint64_t uv_hrtime() {
  g_reads.store(g_reads.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return libuv_hrtime()();
}

namespace zkit::bench {

std::uint64_t clock_reads() { return g_reads.load(std::memory_order_relaxed); }

double clock_read_ns(std::uint64_t calls) {
  HrTime real = libuv_hrtime();
  if (!real || calls == 0) return 0;
  std::uint64_t sink = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < calls; ++i) sink += real();
  auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  // Keeps the calls: their sum is used.
  asm volatile("" : : "r"(sink));
  return ns / static_cast<double>(calls);
}

}  // namespace zkit::bench
