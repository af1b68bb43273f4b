#include "dropped_call.hpp"

#include <string>

#include "sessions.hpp"

namespace zkit::test_support {

void expect_call_dropped(Loop& loop, Options options, const std::vector<std::string_view>& reason_parts) {
  std::vector<std::string> logged;
  options.log_level = LogLevel::warning;
  options.logger = [&](LogLevel, std::string_view m) { logged.emplace_back(m); };
  Session s = connect(loop, std::move(options));
  int calls = 0;
  Errc code = Errc::ok;
  s.get("/x", {}, [&](Result<Data> r) {
    ++calls;
    code = r.code();
  });
  REQUIRE(loop.run_until([&] { return calls > 0; }));
  for (const std::string& m : logged) note(m);
  CHECK(code == Errc::connection_loss);
  CHECK(s.state() == SessionState::suspended);
  std::string all;
  for (const std::string& m : logged) all += m + "\n";
  for (std::string_view part : reason_parts)
    CHECK_MESSAGE(all.find(part) != std::string::npos, "no log line mentions \"" << part << "\" in:\n" << all);
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(calls == 1);
}

}  // namespace zkit::test_support
