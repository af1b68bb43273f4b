// The recipe tests' helpers are the suites' shared ones (test/support): the standalone server
// the binary shares, a loop the test thread drives, sessions, running coroutines to completion.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "sessions.hpp"
#include "tasks.hpp"
#include "zkit/recipes/fencing.hpp"

namespace zkit::recipes::test {
using namespace zkit::test_support;
}  // namespace zkit::recipes::test
