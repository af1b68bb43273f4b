#include "zkit/recipes/values/atomic_long.hpp"

#include "detail/wake.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes {

std::string encode_long(std::int64_t v) {
  auto u = static_cast<std::uint64_t>(v);
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((u >> (56 - 8 * i)) & 0xff);
  return out;
}

std::optional<std::int64_t> decode_long(std::string_view bytes) noexcept {
  if (bytes.empty()) return 0;
  if (bytes.size() != 8) return std::nullopt;
  std::uint64_t u = 0;
  for (char c : bytes) u = (u << 8) | static_cast<unsigned char>(c);
  return static_cast<std::int64_t>(u);
}

namespace {

// The value and the version to write against (nullopt version: no node).
struct Read {
  std::int64_t value = 0;
  std::optional<std::int32_t> version;
};

Task<Result<Read>> read(Session* s, std::string path) {
  for (int attempt = 0;; ++attempt) {
    auto r = co_await s->get(path);
    if (r) {
      auto v = decode_long(r->data);
      if (!v)
        co_return Error(Errc::bad_arguments, "the atomic long " + path + " holds " + std::to_string(r->data.size()) +
                                                 " bytes, not 8");
      co_return Read{*v, r->stat.version};
    }
    if (r.code() == Errc::no_node) co_return Read{};
    if (!detail::retryable(r.code()) || attempt >= 10) co_return r.error();
  }
}

// One write of `value` against `seen`: true if it landed, false if someone changed the node
// first. A write whose connection broke may or may not have landed, and no read can tell it
// from another writer's equal write: it is reported (connection_loss), never tried again.
Task<Result<bool>> write(Session* s, const std::string& path, const Read& seen, std::int64_t value) {
  if (seen.version) {
    auto r = co_await s->set(path, encode_long(value), *seen.version);
    if (r) co_return true;
    if (r.code() == Errc::bad_version || r.code() == Errc::no_node) co_return false;
    co_return r.error();
  }
  for (int attempt = 0;; ++attempt) {
    CreateOptions persistent;
    auto made = co_await s->create(path, encode_long(value), persistent);
    if (made) co_return true;
    if (made.code() == Errc::node_exists) co_return false;
    if (made.code() != Errc::no_node || attempt >= 5) co_return made.error();
    auto parents = co_await create_parent_containers(*s, path, open_acl_unsafe());
    if (!parents) co_return parents.error();
  }
}

enum class Change { add, set };

Task<Result<AtomicResult>> change(std::shared_ptr<Session> held, std::string path, int max_attempts, Change how, std::int64_t operand) {
  Session* s = held.get();
  AtomicResult out;
  for (int attempt = 0; attempt < std::max(1, max_attempts); ++attempt) {
    auto seen = co_await read(s, path);
    if (!seen) co_return seen.error();
    std::int64_t next = how == Change::add ? static_cast<std::int64_t>(static_cast<std::uint64_t>(seen->value) +
                                                                       static_cast<std::uint64_t>(operand))
                                           : operand;
    out.pre_value = out.post_value = seen->value;
    ++out.attempts;
    auto landed = co_await write(s, path, *seen, next);
    if (!landed) co_return landed.error();
    if (*landed) {
      out.succeeded = true;
      out.post_value = next;
      co_return out;
    }
  }
  co_return out;
}

Task<Result<AtomicResult>> cas(std::shared_ptr<Session> held, std::string path, std::int64_t expected, std::int64_t value) {
  Session* s = held.get();
  AtomicResult out;
  auto seen = co_await read(s, path);
  if (!seen) co_return seen.error();
  out.pre_value = out.post_value = seen->value;
  if (seen->value != expected) co_return out;
  out.attempts = 1;
  auto landed = co_await write(s, path, *seen, value);
  if (!landed) co_return landed.error();
  if (*landed) {
    out.succeeded = true;
    out.post_value = value;
  }
  co_return out;
}

Task<Result<std::int64_t>> get_impl(std::shared_ptr<Session> held, std::string path) {
  Session* s = held.get();
  auto r = co_await read(s, path);
  if (!r) co_return r.error();
  co_return r->value;
}

Task<Result<void>> force_impl(std::shared_ptr<Session> held, std::string path, std::int64_t value) {
  Session* s = held.get();
  for (int attempt = 0;; ++attempt) {
    auto r = co_await s->set(path, encode_long(value));
    if (r) co_return Result<void>();
    if (r.code() == Errc::no_node && attempt < 5) {
      Read none;
      auto landed = co_await write(s, path, none, value);
      if (!landed) co_return landed.error();
      if (*landed) co_return Result<void>();
      continue;  // created by someone else meanwhile: overwrite it
    }
    if (!detail::retryable(r.code()) || attempt >= 10) co_return r.error();
  }
}

}  // namespace

AtomicLong::AtomicLong(Session& session, std::string path, int max_attempts)
    : session_(std::make_shared<Session>(session.borrow())), path_(std::move(path)), max_attempts_(max_attempts) {}

Task<Result<std::int64_t>> AtomicLong::get() { return get_impl(session_, path_); }
Task<Result<AtomicResult>> AtomicLong::compare_and_set(std::int64_t expected, std::int64_t value) {
  return cas(session_, path_, expected, value);
}
Task<Result<AtomicResult>> AtomicLong::try_set(std::int64_t value) {
  return change(session_, path_, max_attempts_, Change::set, value);
}
Task<Result<void>> AtomicLong::force_set(std::int64_t value) { return force_impl(session_, path_, value); }
Task<Result<AtomicResult>> AtomicLong::add(std::int64_t delta) {
  return change(session_, path_, max_attempts_, Change::add, delta);
}
Task<Result<AtomicResult>> AtomicLong::subtract(std::int64_t delta) {
  return add(static_cast<std::int64_t>(0ull - static_cast<std::uint64_t>(delta)));
}
Task<Result<AtomicResult>> AtomicLong::increment() { return add(1); }
Task<Result<AtomicResult>> AtomicLong::decrement() { return add(-1); }

}  // namespace zkit::recipes
