// Shared by the testing kit's tests.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "zkit/testing/cluster.hpp"

// Fails the test with the Error's message when `expr` (a zkit::Result) is not ok.
#define REQUIRE_OK(expr)                                       \
  do {                                                         \
    const auto& require_ok_result_ = (expr);                   \
    REQUIRE_MESSAGE(require_ok_result_.ok(),                   \
                    require_ok_result_.error().message());     \
  } while (false)

namespace zkit::testing::test {

// Starts a cluster or fails the test with the kit's message (log tail included).
inline std::unique_ptr<Cluster> start_or_fail(ClusterOptions options = {}) {
  auto started = Cluster::start(std::move(options));
  REQUIRE_MESSAGE(started.ok(), started.error().message());
  return std::move(started).value();
}

// The Mode: line of a member's srvr answer ("" when it does not answer).
inline std::string mode(const std::string& address) {
  using namespace std::chrono_literals;
  auto answer = four_letter_word(address, "srvr", scaled(2s));
  if (!answer) return {};
  auto at = answer->find("Mode: ");
  if (at == std::string::npos) return {};
  return answer->substr(at + 6, answer->find('\n', at) - at - 6);
}

}  // namespace zkit::testing::test
