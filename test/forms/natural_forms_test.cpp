// The forms a user writes without thinking about the compiler: aggregates built in place and
// capturing lambdas inside the co_await expression. GCC 12 destroyed such temporaries twice;
// built with AddressSanitizer, this binary fails on the first double free.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

#include "sessions.hpp"
#include "tasks.hpp"
#include "zkit/recipes/discovery/service_registry.hpp"
#include "zkit/zkit.hpp"

// As zkit::detail::co_await_destroys_temporaries_twice, for the preprocessor.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#define ZKIT_GCC12 1
#else
#define ZKIT_GCC12 0
#endif

namespace zkit::test_support {
namespace {

// Longer than any small-string buffer, so a double free of it is a heap error.
const std::string kPayload(200, 'x');

Task<std::optional<Result<Created>>> create_with_inline_options(Session& s, std::string path) {
  co_return co_await s.create(path, kPayload, {.mode = CreateMode::ephemeral});
}

TEST_CASE("create with options built inside co_await makes the node with that mode") {
  Loop loop;
  Session s = connect(loop);
  std::string path = unique_path("forms-create");
  auto r = run(loop, create_with_inline_options(s, path));
  REQUIRE(r.has_value());
  REQUIRE_MESSAGE(r->ok(), r->error().message());
  auto st = await(loop, s.exists(path));
  REQUIRE(st.ok());
  REQUIRE(st->has_value());
  CHECK((*st)->ephemeral_owner == s.session_id());
  close(loop, s);
}

Task<Result<void>> register_in_place(recipes::ServiceRegistry& registry, std::string id) {
  co_return co_await registry.register_instance({.name = "forms", .id = id, .address = std::string(100, 'a'),
                                                 .port = 9000, .payload = "{\"k\":\"" + kPayload + "\"}"});
}

TEST_CASE("register_instance with the instance built inside co_await registers it") {
  Loop loop;
  Session s = connect(loop);
  std::string base = unique_path("forms-registry");
  recipes::ServiceRegistry registry(s, base);
  auto r = run(loop, register_in_place(registry, "i-1"));
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  auto d = await(loop, s.get(registry.instance_path("forms", "i-1")));
  REQUIRE(d.ok());
  CHECK(d->data.find(kPayload) != std::string::npos);
  run(loop, registry.close());
  close(loop, s);
}

// With GCC 12 a lambda that captures by value cannot be built inside the co_await (a
// static_assert refuses it: test/forms/refused_forms.py); these are the forms that compile
// there: captures by reference in place, and a by-value watcher named first.
Task<std::optional<Result<std::optional<Stat>>>> exists_with_reference_capture(Session& s, std::string path,
                                                                                std::string& seen) {
  // `seen` outlives the watch (the test holds it); a reference to a local here would not.
  co_return co_await s.exists(path, [&seen](const WatchEvent& e) { seen = kPayload + e.path; });
}

Task<std::optional<Result<std::optional<Stat>>>> exists_with_named_watcher(Session& s, std::string path,
                                                                            std::shared_ptr<std::string> seen) {
  std::string tag = kPayload;
  Watcher w = [seen, tag](const WatchEvent& e) { *seen = tag + e.path; };
  co_return co_await s.exists(path, std::move(w));
}

#if !ZKIT_GCC12
// Where the compiler handles it (clang, newer GCC), the by-value capture in place works too.
Task<std::optional<Result<std::optional<Stat>>>> exists_with_value_capture(Session& s, std::string path,
                                                                           std::shared_ptr<std::string> seen) {
  std::string tag = kPayload;
  co_return co_await s.exists(path, [seen, tag](const WatchEvent& e) { *seen = tag + e.path; });
}
#endif

// Sets the watch through `form`, creates the node and checks the watcher saw it, once.
template <class Form>
void watch_fires_on_create(Form form) {
  Loop loop;
  Session s = connect(loop);
  std::string path = unique_path("forms-exists");
  auto seen = std::make_shared<std::string>();
  auto r = run(loop, form(s, path, seen));
  REQUIRE(r.has_value());
  REQUIRE(r->ok());
  CHECK(!r->value().has_value());
  REQUIRE(await(loop, s.create(path, "")).ok());
  REQUIRE(loop.run_until([&] { return !seen->empty(); }));
  CHECK(*seen == kPayload + path);
  close(loop, s);
}

TEST_CASE("exists with a reference-capturing lambda inside co_await sets a watch that fires") {
  watch_fires_on_create([](Session& s, std::string path, std::shared_ptr<std::string> seen) {
    return exists_with_reference_capture(s, std::move(path), *seen);
  });
}

TEST_CASE("exists with a by-value watcher named before co_await sets a watch that fires") {
  watch_fires_on_create(exists_with_named_watcher);
}

#if !ZKIT_GCC12
TEST_CASE("exists with a by-value capturing lambda inside co_await sets a watch that fires") {
  watch_fires_on_create(exists_with_value_capture);
}
#endif

}  // namespace
}  // namespace zkit::test_support
