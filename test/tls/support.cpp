#include "support.hpp"

#include <memory>

namespace zkit::test_tls {

zkit::testing::TlsCluster& tls_server() {
  static std::unique_ptr<zkit::testing::TlsCluster> server = [] {
    auto started = zkit::testing::TlsCluster::start({.cluster = {.tick_ms = 500}, .client_auth = "need"});
    REQUIRE_MESSAGE(started, started.error().message());
    return std::move(started).value();
  }();
  return *server;
}

Options tls_options(const std::string& connect, TlsOptions tls) {
  Options o = options_for(connect);
  o.tls = std::move(tls);
  return o;
}

std::string first_failure(Loop& loop, Options options) {
  auto s = Session::start(loop.get(), std::move(options));
  REQUIRE_MESSAGE(s, s.error().message());
  REQUIRE(loop.run_until([&] { return !s->last_failure().empty() || s->state() == SessionState::connected; }));
  CHECK(s->state() != SessionState::connected);
  std::string reason = s->last_failure();
  close(loop, *s);
  return reason;
}

}  // namespace zkit::test_tls
