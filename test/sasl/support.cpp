#include "support.hpp"

#include <memory>

namespace zkit::test_sasl {

zkit::testing::SaslCluster& digest_server() {
  static std::unique_ptr<zkit::testing::SaslCluster> server = [] {
    auto started = zkit::testing::SaslCluster::start(
        {.cluster = {.tick_ms = 500}, .users = {{"bob", kBobPassword}, {"carol", kCarolPassword}}});
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message()));
    return std::move(started).value();
  }();
  return *server;
}

void Journal::attach(Options& o) {
  o.log_level = LogLevel::debug;
  o.logger = [this](LogLevel, std::string_view line) {
    std::lock_guard lock(mutex);
    lines.emplace_back(line);
    if (verbose()) note(std::string(line));
  };
}

void Journal::listen(Session& s) {
  s.add_listener([this](SessionState st) {
    std::lock_guard lock(mutex);
    states.push_back(st);
  });
}

std::size_t Journal::count(const std::string& part) {
  std::lock_guard lock(mutex);
  std::size_t n = 0;
  for (const std::string& l : lines) n += l.find(part) != std::string::npos;
  return n;
}

}  // namespace zkit::test_sasl
