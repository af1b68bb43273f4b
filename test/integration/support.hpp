// The integration tests' helpers are the suites' shared ones (test/support): a loop driven from
// the test's thread, the standalone server the binary shares, sessions, unique node names.
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sessions.hpp"
#include "tasks.hpp"

namespace zkit::test {
using namespace zkit::test_support;
}  // namespace zkit::test
