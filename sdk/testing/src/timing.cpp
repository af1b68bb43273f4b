#include "zkit/testing/timing.hpp"

#include <cmath>
#include <cstdlib>

namespace zkit::testing {

double timeout_scale() noexcept {
  const char* s = std::getenv("ZKIT_TEST_TIMEOUT_SCALE");
  if (s == nullptr || *s == '\0') return 1.0;
  char* end = nullptr;
  double v = std::strtod(s, &end);
  // A typo must not turn every timeout into zero or infinity: ignore what is not a sane factor.
  if (end == s || *end != '\0' || !std::isfinite(v) || v <= 0.0) return 1.0;
  return v;
}

std::chrono::milliseconds scaled(std::chrono::milliseconds base) noexcept {
  return std::chrono::milliseconds(
      std::llround(static_cast<double>(base.count()) * timeout_scale()));
}

}  // namespace zkit::testing
