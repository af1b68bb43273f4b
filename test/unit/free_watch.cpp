#include "free_watch.hpp"

#include <cstdlib>
#include <new>

namespace {

thread_local const void* g_watched = nullptr;
thread_local bool g_freed = false;

void note_free(void* p) noexcept {
  if (p && p == g_watched) g_freed = true;
}

}  // namespace

namespace zkit::unit {

void watch_free(const void* p) {
  g_watched = p;
  g_freed = false;
}

bool freed() { return g_freed; }

}  // namespace zkit::unit

// In a file of their own, so no caller sees them inlined against another allocator.
void* operator new(std::size_t n) {
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  note_free(p);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  note_free(p);
  std::free(p);
}
