#include <doctest/doctest.h>

#include "session/timeouts.hpp"

using namespace std::chrono_literals;
using zkit::session::backoff_delay;
using zkit::session::timeouts_for;

TEST_CASE("every timer derives from the negotiated timeout") {
  auto t = timeouts_for(6000ms, 1);
  CHECK(t.read == 4000ms);
  CHECK(t.ping == 2000ms);
  CHECK(t.expiry == 6000ms);
  CHECK(t.attempt == 2000ms);  // the default connect timeout's floor, under the read timeout
  CHECK(timeouts_for(30000ms, 1).attempt == 3000ms);  // a tenth of the session timeout
  CHECK(timeouts_for(90000ms, 1).attempt == 4000ms);  // never more than 4 s by default
  CHECK(timeouts_for(30000ms, 20).attempt == 1500ms);  // shared among the hosts
  CHECK(timeouts_for(6000ms, 1, 500ms).attempt == 500ms);  // Options::connect_timeout
  CHECK(timeouts_for(6000ms, 1, 60000ms).attempt == 4000ms);  // never past the read timeout
  CHECK(t.tick < t.ping);
  CHECK(timeouts_for(100ms, 1).tick >= 10ms);
}

TEST_CASE("backoff doubles per failure up to the cap, jittered between half and all of the step") {
  CHECK(backoff_delay(0, 50ms, 1000ms, 0.0) == 25ms);
  CHECK(backoff_delay(0, 50ms, 1000ms, 0.999) >= 49ms);
  CHECK(backoff_delay(1, 50ms, 1000ms, 0.0) == 50ms);
  CHECK(backoff_delay(3, 50ms, 1000ms, 0.0) == 200ms);
  CHECK(backoff_delay(10, 50ms, 1000ms, 0.0) == 500ms);
  CHECK(backoff_delay(60, 50ms, 1000ms, 0.999) <= 1000ms);
}
