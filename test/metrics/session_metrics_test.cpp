// A session's figures and log records, against the real ZooKeeper the testing kit starts.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include <nlohmann/json.hpp>

#include "prometheus_format.hpp"
#include "sessions.hpp"
#include "tasks.hpp"
#include "zkit/testing/fault_proxy.hpp"

using namespace zkit;
using namespace zkit::test_support;
using zkit::testing::Cluster;
using zkit::testing::FaultProxy;
using std::chrono::milliseconds;

namespace {

std::uint64_t replies(const Metrics& m, std::string_view op) {
  const OperationMetrics* o = m.operation(op);
  return o ? o->replies : 0;
}
std::uint64_t errors(const Metrics& m, std::string_view op) {
  const OperationMetrics* o = m.operation(op);
  return o ? o->errors : 0;
}

// The behaviour under test is a callback that keeps the loop thread busy: it computes (reads
// the clock) until `d` has passed. Bounded by `d` itself.
void hold_the_loop(milliseconds d) {
  auto until = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < until) {
  }
}

// What a record logger saw, copied out (the record's views end with the call).
struct Seen {
  LogLevel level;
  std::string message;
  std::int64_t session_id;
  std::map<std::string, std::string> fields;
};

RecordLogger keep_records(std::vector<Seen>& out) {
  return [&out](const LogRecord& r) {
    Seen s{r.level, std::string(r.message), r.session_id, {}};
    for (const LogField& f : r.fields) s.fields[std::string(f.key)] = std::string(f.value);
    out.push_back(std::move(s));
  };
}

const Seen* find_event(const std::vector<Seen>& seen, std::string_view event) {
  for (const Seen& s : seen) {
    auto it = s.fields.find("event");
    if (it != s.fields.end() && it->second == event) return &s;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("metrics count the operations done, with their errors, latency and bytes") {
  Loop loop;
  Session s = connect(loop);
  std::string p = unique_path("metrics-count");
  Metrics before = s.metrics();
  REQUIRE(await(loop, s.create(p, "x")).ok());
  for (int i = 0; i < 3; ++i) REQUIRE(await(loop, s.create(p + "/c" + std::to_string(i), "")).ok());
  for (int i = 0; i < 7; ++i) REQUIRE(await(loop, s.get(p)).ok());
  CHECK(await(loop, s.get(p + "/missing")).code() == Errc::no_node);
  REQUIRE(await(loop, s.set(p, "y")).ok());

  Metrics m = s.metrics();
  CHECK(m.session_id == s.session_id());
  CHECK(m.state == SessionState::connected);
  CHECK(replies(m, "create2") - replies(before, "create2") == 4);
  CHECK(errors(m, "create2") == errors(before, "create2"));
  CHECK(replies(m, "get_data") - replies(before, "get_data") == 8);
  CHECK(errors(m, "get_data") - errors(before, "get_data") == 1);
  CHECK(replies(m, "set_data") - replies(before, "set_data") == 1);
  for (const OperationMetrics& o : m.operations) {
    std::uint64_t in_buckets = 0;
    for (std::uint64_t b : o.latency.buckets) in_buckets += b;
    CHECK(in_buckets == o.latency.count);
    CHECK(o.latency.count == o.replies);
    CHECK(o.latency.sum_us > 0);
  }
  CHECK(m.requests_outstanding == 0);
  CHECK(m.frames_in - before.frames_in >= 13);
  CHECK(m.bytes_in > before.bytes_in);
  CHECK(m.bytes_out > before.bytes_out);
  CHECK(m.connections == 1);
  CHECK(m.reconnects == 0);
  CHECK(m.state_changes_to(SessionState::connected) == 1);

  // Requests outstanding: submitted and not answered yet.
  int answered = 0;
  for (int i = 0; i < 5; ++i) s.get(p, {}, [&](Result<Data>) { ++answered; });
  CHECK(s.metrics().requests_outstanding == 5);
  REQUIRE(loop.run_until([&] { return answered == 5; }));
  CHECK(s.metrics().requests_outstanding == 0);

  // Watches: one server watch per path and kind.
  CHECK(s.metrics().watches_registered == 0);
  REQUIRE(await(loop, s.get(p, [](const WatchEvent&) {})).ok());
  REQUIRE(await(loop, s.exists(p + "/none", [](const WatchEvent&) {})).ok());
  CHECK(s.metrics().watches_registered == 2);
  close(loop, s);
}

TEST_CASE("a dropped connection is counted with its cause, logged with fields, and its SetWatches measured") {
  Loop loop;
  auto proxy_r = FaultProxy::start(shared_server().address(1));
  REQUIRE(proxy_r.ok());
  auto proxy = std::move(proxy_r).value();
  std::vector<Seen> records;
  std::vector<std::string> lines;
  Options o = options_for(proxy->address());
  o.log_level = LogLevel::info;
  o.record_logger = keep_records(records);
  o.logger = [&](LogLevel, std::string_view line) { lines.emplace_back(line); };
  Session s = connect(loop, std::move(o));
  std::string p = unique_path("metrics-drop");
  REQUIRE(await(loop, s.create(p, "")).ok());
  REQUIRE(await(loop, s.get(p, [](const WatchEvent&) {})).ok());
  REQUIRE(await(loop, s.exists(p + "/none", [](const WatchEvent&) {})).ok());

  proxy->drop_connections();
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::reconnected; }));
  Metrics m = s.metrics();
  CHECK(m.disconnects_by(DisconnectCause::closed_by_server) == 1);
  CHECK(m.reconnects == 1);
  CHECK(m.connections == 2);
  CHECK(m.last_disconnect.find(proxy->address()) != std::string::npos);
  CHECK(m.state_changes_to(SessionState::suspended) == 1);
  CHECK(m.state_changes_to(SessionState::reconnected) == 1);
  CHECK(m.set_watches_sent == 1);
  CHECK(m.set_watches_paths == 2);
  CHECK(m.set_watches_bytes > 2 * p.size());
  CHECK(m.set_watches_max_bytes == m.set_watches_bytes);
  CHECK(m.watches_registered == 2);

  const Seen* lost = find_event(records, "disconnected");
  REQUIRE(lost != nullptr);
  CHECK(lost->level == LogLevel::warning);
  CHECK(lost->fields.at("cause") == "closed_by_server");
  CHECK(lost->fields.at("host") == proxy->address());
  CHECK(lost->session_id == s.session_id());
  const Seen* connected = find_event(records, "connected");
  REQUIRE(connected != nullptr);
  CHECK(connected->fields.at("host") == proxy->address());
  CHECK(std::atoi(connected->fields.at("timeout_ms").c_str()) > 0);
  // The string logger, set too, gets the same lines.
  CHECK(std::find(lines.begin(), lines.end(), lost->message) != lines.end());
  close(loop, s);
}

TEST_CASE("a server restart is counted as a disconnect, failed attempts while it is down, and one reconnect") {
  auto zk_r = Cluster::start({.size = 1, .tick_ms = 500});
  REQUIRE_MESSAGE(zk_r.ok(), (zk_r.ok() ? "" : zk_r.error().message()));
  auto zk = std::move(zk_r).value();
  Loop loop;
  Session s = connect(loop, options_for(zk->connect_string(), 10000ms));
  REQUIRE(zk->kill(1).ok());
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::suspended; }));
  // Attempts fail while the server is down: at least one, counted before it comes back.
  REQUIRE(loop.run_until([&] { return s.metrics().disconnects_by(DisconnectCause::connect_failed) >= 1; }));
  REQUIRE(zk->restart(1).ok());
  REQUIRE(loop.run_until([&] { return s.state() == SessionState::reconnected; }));
  Metrics m = s.metrics();
  CHECK(m.disconnects_by(DisconnectCause::closed_by_server) == 1);
  CHECK(m.disconnects_by(DisconnectCause::connect_failed) >= 1);
  CHECK(m.reconnects == 1);
  CHECK(m.state_changes_to(SessionState::suspended) == 1);
  close(loop, s);
}

TEST_CASE("a callback that holds the loop past slow_callback is reported with its operation and duration") {
  Loop loop;
  std::vector<Seen> records;
  Options o = options_for(shared_server().connect_string());
  o.slow_callback = 50ms;
  o.log_level = LogLevel::warning;
  o.record_logger = keep_records(records);
  Session s = connect(loop, std::move(o));
  Session writer = connect(loop);
  std::string p = unique_path("metrics-slow");
  REQUIRE(await(loop, s.create(p, "")).ok());
  REQUIRE(await(loop, s.get(p)).ok());
  CHECK(s.metrics().slow_callbacks == 0);  // quick callbacks are not reported
  CHECK(find_event(records, "slow_callback") == nullptr);

  bool done = false;
  s.get(p, {}, [&](Result<Data>) {
    hold_the_loop(120ms);
    done = true;
  });
  REQUIRE(loop.run_until([&] { return done; }));
  Metrics m = s.metrics();
  CHECK(m.slow_callbacks == 1);
  CHECK(m.slow_callback_max_op == "get_data");
  CHECK(m.slow_callback_max_us >= 120000);
  const Seen* slow = find_event(records, "slow_callback");
  REQUIRE(slow != nullptr);
  CHECK(slow->level == LogLevel::warning);
  CHECK(slow->fields.at("op") == "get_data");
  CHECK(std::atof(slow->fields.at("duration_ms").c_str()) >= 120.0);

  // A watcher is a callback too.
  bool fired = false;
  REQUIRE(await(loop, s.get(p, [&](const WatchEvent&) {
                  hold_the_loop(60ms);
                  fired = true;
                })).ok());
  REQUIRE(await(loop, writer.set(p, "changed")).ok());
  REQUIRE(loop.run_until([&] { return fired; }));
  CHECK(s.metrics().slow_callbacks == 2);
  CHECK(records.back().fields.at("op") == "watch");
  close(loop, s);
  close(loop, writer);
}

TEST_CASE("a live session's Prometheus text parses and its JSON names the session id as a string") {
  Loop loop;
  Session s = connect(loop);
  std::string p = unique_path("metrics-export");
  REQUIRE(await(loop, s.create(p, "")).ok());
  REQUIRE(await(loop, s.get(p)).ok());
  Metrics m = s.metrics();

  std::vector<zkit::test::PromSample> samples;
  std::string text = to_prometheus(m);
  std::string problems = zkit::test::check_prometheus(text, samples);
  CHECK_MESSAGE(problems.empty(), (problems + text));
  char id[24];
  std::snprintf(id, sizeof id, "0x%llx", static_cast<unsigned long long>(s.session_id()));
  CHECK(zkit::test::prom_value(samples, "zkit_replies_total", {{"session", id}, {"op", "get_data"}}) ==
        static_cast<double>(replies(m, "get_data")));
  CHECK(zkit::test::prom_value(samples, "zkit_requests_outstanding", {{"session", id}}) == 0);

  auto doc = nlohmann::json::parse(to_json(m));
  CHECK(doc["session_id"].is_string());
  CHECK(doc["session_id"] == id);
  CHECK(doc["operations"]["get_data"]["replies"] == replies(m, "get_data"));
  CHECK(doc["connections"] == 1);
  close(loop, s);
}

TEST_CASE("Client::metrics gives another thread a copy of the session's figures") {
  auto c = Client::open(options_for(shared_server().connect_string()));
  REQUIRE(c.ok());
  std::string p = unique_path("metrics-client");
  REQUIRE(c->create(p, "").ok());
  REQUIRE(c->get(p).ok());
  std::optional<Result<Metrics>> got;
  std::thread reader([&] { got.emplace(c->metrics()); });
  reader.join();
  REQUIRE(got->ok());
  CHECK((*got)->session_id == c->session_id());
  CHECK(replies(**got, "create2") == 1);
  CHECK(replies(**got, "get_data") == 1);
  c->close();
  CHECK(c->metrics().code() == Errc::closing);
}
