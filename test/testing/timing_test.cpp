#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "zkit/testing/timing.hpp"

using namespace std::chrono_literals;
using zkit::testing::scaled;

namespace {
// Restores the variable on scope exit, so the suite's own scale applies to the other tests.
struct ScaleEnv {
  explicit ScaleEnv(const char* value) {
    if (const char* old = std::getenv("ZKIT_TEST_TIMEOUT_SCALE")) saved = old, had = true;
    ::setenv("ZKIT_TEST_TIMEOUT_SCALE", value, 1);
  }
  ~ScaleEnv() {
    if (had) ::setenv("ZKIT_TEST_TIMEOUT_SCALE", saved.c_str(), 1);
    else ::unsetenv("ZKIT_TEST_TIMEOUT_SCALE");
  }
  std::string saved;
  bool had = false;
};
}  // namespace

TEST_CASE("scaled_multiplies_by_ZKIT_TEST_TIMEOUT_SCALE") {
  ScaleEnv env("2.5");
  CHECK(scaled(1000ms) == 2500ms);
  CHECK(scaled(3s) == 7500ms);
}

TEST_CASE("scaled_ignores_a_scale_that_is_not_a_positive_number") {
  for (const char* bad : {"", "abc", "0", "-2", "2x", "inf", "nan"}) {
    ScaleEnv env(bad);
    CAPTURE(bad);
    CHECK(scaled(1500ms) == 1500ms);
  }
}
