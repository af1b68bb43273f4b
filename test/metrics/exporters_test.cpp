// The histogram, the exporters and the log record helpers, on snapshots built by hand.
#include <doctest/doctest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "prometheus_format.hpp"
#include "zkit/log.hpp"
#include "zkit/metrics.hpp"
#include "zkit/options_json.hpp"

using namespace zkit;
using zkit::test::check_prometheus;
using zkit::test::prom_value;
using zkit::test::PromSample;

namespace {

Metrics sample_metrics(std::int64_t id) {
  Metrics m;
  m.session_id = id;
  m.state = SessionState::connected;
  OperationMetrics get{"get_data"};
  for (std::uint64_t us : {10u, 16u, 17u, 900u, 40000000u}) get.latency.add(us);
  get.replies = 5;
  get.errors = 1;
  m.operations.push_back(get);
  m.disconnects[static_cast<std::size_t>(DisconnectCause::read_timeout)] = 2;
  m.bytes_in = 1234;
  return m;
}

}  // namespace

TEST_CASE("latency buckets: bound i holds durations up to 16 << i microseconds, longer ones overflow") {
  CHECK(LatencyHistogram::bucket_of(0) == 0);
  CHECK(LatencyHistogram::bucket_of(16) == 0);
  CHECK(LatencyHistogram::bucket_of(17) == 1);
  CHECK(LatencyHistogram::bucket_of(32) == 1);
  CHECK(LatencyHistogram::bucket_of(33) == 2);
  CHECK(LatencyHistogram::bucket_of(LatencyHistogram::bound_us(LatencyHistogram::kBounds - 1)) == LatencyHistogram::kBounds - 1);
  CHECK(LatencyHistogram::bucket_of(UINT64_MAX) == LatencyHistogram::kBounds);
  // Against the definition, around every bound.
  for (std::size_t b = 0; b < LatencyHistogram::kBounds; ++b)
    for (std::uint64_t us : {LatencyHistogram::bound_us(b) - 1, LatencyHistogram::bound_us(b), LatencyHistogram::bound_us(b) + 1}) {
      std::size_t want = 0;
      while (want < LatencyHistogram::kBounds && us > LatencyHistogram::bound_us(want)) ++want;
      CHECK(LatencyHistogram::bucket_of(us) == want);
    }
  LatencyHistogram h;
  h.add(5);
  h.add(5000);
  CHECK(h.count == 2);
  CHECK(h.sum_us == 5005);
  CHECK(h.buckets[0] == 1);
  CHECK(h.buckets[LatencyHistogram::bucket_of(5000)] == 1);
}

TEST_CASE("prometheus text of two sessions parses, with one HELP and TYPE per family") {
  Metrics both[] = {sample_metrics(0x1234567890abcdefLL), sample_metrics(2)};
  std::string text = to_prometheus(both);
  std::vector<PromSample> samples;
  std::string problems = check_prometheus(text, samples);
  CHECK_MESSAGE(problems.empty(), (problems + text));
  for (const PromSample& s : samples) CHECK(s.name.starts_with("zkit_"));
  std::map<std::string, std::string> first{{"session", "0x1234567890abcdef"}, {"op", "get_data"}};
  CHECK(prom_value(samples, "zkit_request_duration_seconds_count", first) == 5);
  CHECK(prom_value(samples, "zkit_request_duration_seconds_bucket",
                   {{"session", "0x1234567890abcdef"}, {"op", "get_data"}, {"le", "+Inf"}}) == 5);
  // 10 and 16 us in the first bucket (16 us = 1.6e-05 s), 17 us in the second.
  CHECK(prom_value(samples, "zkit_request_duration_seconds_bucket",
                   {{"session", "0x1234567890abcdef"}, {"le", "1.6e-05"}}) == 2);
  CHECK(prom_value(samples, "zkit_reply_errors_total", first) == 1);
  CHECK(prom_value(samples, "zkit_disconnects_total", {{"session", "0x2"}, {"cause", "read_timeout"}}) == 2);
  CHECK(prom_value(samples, "zkit_session_state", {{"session", "0x2"}, {"state", "connected"}}) == 1);
  CHECK(prom_value(samples, "zkit_session_state", {{"session", "0x2"}, {"state", "suspended"}}) == 0);
  CHECK(prom_value(samples, "zkit_received_bytes_total", {{"session", "0x2"}}) == 1234);
}

TEST_CASE("the format checker refuses what Prometheus would") {
  std::vector<PromSample> s;
  CHECK(!check_prometheus("zkit_x 1\n", s).empty());                                          // no TYPE
  CHECK(!check_prometheus("# HELP a b\n# TYPE a gauge\na{x=1} 1\n", s).empty());              // unquoted label
  CHECK(!check_prometheus("# HELP a b\n# TYPE a gauge\na 1x\n", s).empty());                  // bad value
  CHECK(!check_prometheus("# HELP h b\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n", s)
             .empty());  // not cumulative
  CHECK(check_prometheus("# HELP a b\n# TYPE a gauge\na{x=\"1\"} 1\n", s).empty());
}

TEST_CASE("the JSON snapshot carries the session id as a string and counters as numbers") {
  auto doc = nlohmann::json::parse(to_json(sample_metrics(-2)));  // ids are unsigned on the wire
  CHECK(doc["session_id"] == "0xfffffffffffffffe");
  CHECK(doc["state"] == "connected");
  CHECK(doc["bytes_in"].is_number_unsigned());
  CHECK(doc["bytes_in"] == 1234);
  CHECK(doc["disconnects"]["read_timeout"] == 2);
  auto& get = doc["operations"]["get_data"];
  CHECK(get["replies"] == 5);
  CHECK(get["latency"]["count"] == 5);
  CHECK(get["latency"]["sum_us"] == 40000000u + 10 + 16 + 17 + 900);
  CHECK(get["latency"]["buckets"].size() == LatencyHistogram::kBounds + 1);
  CHECK(get["latency"]["buckets"].back()["le_us"].is_null());
  CHECK(get["latency"]["buckets"].back()["count"] == 1);
}

TEST_CASE("a log record formats as message and key=value pairs, quoting values with spaces") {
  LogField fields[] = {{"host", "127.0.0.1:2181"}, {"cause", "read timeout"}, {"empty", ""}};
  LogRecord r{LogLevel::warning, "lost", 0x10, fields};
  CHECK(format(r) == "lost host=127.0.0.1:2181 cause=\"read timeout\" empty=\"\"");
  CHECK(r.field("cause") == "read timeout");
  CHECK(r.field("op").empty());
  CHECK(r.session_id_hex() == "0x10");
  CHECK(to_string(LogLevel::warning) == "warning");
}

TEST_CASE("slow_callback_ms loads from JSON and a bad value names the field") {
  auto o = options_from_json(R"({"slow_callback_ms": 25})");
  REQUIRE(o.ok());
  CHECK(o->slow_callback == std::chrono::milliseconds(25));
  auto bad = options_from_json(R"({"slow_callback_ms": -3})");
  REQUIRE(!bad.ok());
  CHECK(bad.error().code() == Errc::bad_arguments);
  CHECK(bad.error().message().starts_with("slow_callback_ms: expected an integer >= 0"));
}
