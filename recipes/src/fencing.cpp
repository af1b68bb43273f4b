#include "zkit/recipes/fencing.hpp"

#include <cstdio>

namespace zkit::recipes {

std::string to_string(FencingToken t) {
  if (!t) return "none";
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(t.zxid));
  return buf;
}

bool FenceGuard::admit(FencingToken t) noexcept {
  if (!t) return false;
  std::int64_t seen = highest_.load(std::memory_order_acquire);
  while (true) {
    if (t.zxid < seen) return false;
    if (t.zxid == seen) return true;
    if (highest_.compare_exchange_weak(seen, t.zxid, std::memory_order_acq_rel, std::memory_order_acquire))
      return true;
  }
}

Result<void> FenceGuard::check(FencingToken t) {
  if (admit(t)) return {};
  return Error(Errc::bad_version, "stale fencing token " + to_string(t) + ": " + to_string(highest()) +
                                      " was admitted already");
}

}  // namespace zkit::recipes
