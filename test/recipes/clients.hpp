// The blocking tests' Client on the binary's shared server.
#pragma once

#include <doctest/doctest.h>

#include <utility>

#include "support.hpp"
#include "zkit/client.hpp"

namespace zkit::recipes::test {

inline Client open_client() {
  auto c = Client::open(options_for(shared_server().connect_string()));
  REQUIRE_MESSAGE(c.ok(), c.error().message());
  return std::move(c).value();
}

}  // namespace zkit::recipes::test
