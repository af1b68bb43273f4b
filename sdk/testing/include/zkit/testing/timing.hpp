// Test timing: every timeout in a test derives from one base value, scaled for slow machines.
//
// Set ZKIT_TEST_TIMEOUT_SCALE=3 on a loaded CI runner (or under sanitizers) and every wait
// written as scaled(...) grows threefold; nothing else in the test has to change.
//
//   using namespace std::chrono_literals;
//   auto cluster = zkit::testing::Cluster::start({.start_timeout = zkit::testing::scaled(20s)});
#pragma once

#include <chrono>

namespace zkit::testing {

// The factor from the environment variable ZKIT_TEST_TIMEOUT_SCALE (a positive decimal number,
// e.g. "2.5"); 1 when it is unset, empty or not a positive number. Read on every call, so a
// test may change it with setenv().
double timeout_scale() noexcept;

// `base` multiplied by timeout_scale(), rounded to the nearest millisecond.
std::chrono::milliseconds scaled(std::chrono::milliseconds base) noexcept;

}  // namespace zkit::testing
