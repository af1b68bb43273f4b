#include "zkit/recipes/protected_create.hpp"

#include <chrono>
#include <cstdint>
#include <random>
#include <thread>

#include "detail/paths.hpp"
#include "detail/wake.hpp"

namespace zkit::recipes {

namespace {

std::mt19937_64& rng() {
  thread_local std::mt19937_64 gen([] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(),
                      static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count()),
                      static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id()))};
    return std::mt19937_64(seq);
  }());
  return gen;
}

bool is_hex(char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// 36 characters of 8-4-4-4-12 hex digits.
bool is_uuid(std::string_view s) noexcept {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

// Looks among the children of `parent` for one starting with `prefix`; nullopt if none.
Task<Result<std::optional<Created>>> find_protected(Session& s, std::string parent, std::string prefix) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    auto kids = co_await s.get_children(parent);
    if (!kids) {
      if (kids.code() == Errc::no_node) co_return std::optional<Created>();
      if (detail::retryable(kids.code())) continue;
      co_return kids.error();
    }
    std::string found;
    for (const auto& name : kids->names)
      if (name.starts_with(prefix)) found = name;
    if (found.empty()) co_return std::optional<Created>();
    std::string path = detail::child_path(parent, found);
    auto stat = co_await s.exists(path);
    if (!stat) {
      if (detail::retryable(stat.code())) continue;
      co_return stat.error();
    }
    if (!*stat) co_return std::optional<Created>();  // it was there and is gone again
    co_return std::optional<Created>(Created{path, **stat});
  }
  co_return Error(Errc::connection_loss, "could not list " + parent + " to find a protected node");
}

}  // namespace

std::string new_protected_id() {
  std::uint64_t hi = rng()(), lo = rng()();
  hi = (hi & ~0xf000ull) | 0x4000ull;                                  // version 4
  lo = (lo & 0x3fffffffffffffffull) | 0x8000000000000000ull;           // variant 10
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    std::uint64_t word = i < 16 ? hi : lo;
    int shift = (15 - (i % 16)) * 4;
    out.push_back(digits[(word >> shift) & 0xf]);
    if (i == 7 || i == 11 || i == 15 || i == 19) out.push_back('-');
  }
  return out;
}

std::string protected_prefix(std::string_view id) {
  std::string p(kProtectedPrefix);
  p += id;
  p += '-';
  return p;
}

bool is_protected_name(std::string_view name) noexcept {
  return name.size() >= kProtectedPrefix.size() + 37 && name.starts_with(kProtectedPrefix) &&
         is_uuid(name.substr(kProtectedPrefix.size(), 36)) && name[kProtectedPrefix.size() + 36] == '-';
}

std::string_view strip_protection(std::string_view name) noexcept {
  return is_protected_name(name) ? name.substr(kProtectedPrefix.size() + 37) : name;
}

namespace {
// Each missing ancestor of `path` below the root, top down, with `mode`.
Task<Result<void>> create_parents(Session& s, std::string path, AclList acl, CreateMode mode) {
  CreateOptions container;
  container.mode = mode;
  container.acl = acl;  // `acl` (a parameter) lives in this frame for the whole loop
  // Every ancestor of `path` below the root, top down.
  for (std::size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    std::string dir = path.substr(0, slash);
    for (int attempt = 0;; ++attempt) {
      auto there = co_await s.exists(dir);
      if (there && *there) break;
      if (there) {
        auto made = co_await s.create(dir, "", container);
        if (made || made.code() == Errc::node_exists) break;
        if (!detail::retryable(made.code()) || attempt >= 10) co_return made.error();
      } else if (!detail::retryable(there.code()) || attempt >= 10) {
        co_return there.error();
      }
    }
  }
  co_return Result<void>();
}
}  // namespace

Task<Result<void>> create_parent_containers(Session& s, std::string path, AclList acl) {
  return create_parents(s, std::move(path), std::move(acl), CreateMode::container);
}

Task<Result<void>> guaranteed_remove(Session& s, std::string path) {
  for (int attempt = 0;; ++attempt) {
    auto r = co_await s.remove(path);
    if (r || r.code() == Errc::no_node) co_return Result<void>();
    if (!detail::retryable(r.code()) || attempt >= 100) co_return r;
  }
}

Task<Result<Created>> protected_create(Session& s, std::string path, std::string data, ProtectedCreateOptions o) {
  auto slash = path.rfind('/');
  if (path.empty() || path[0] != '/' || slash == std::string::npos)
    co_return Error(Errc::bad_arguments, "a protected create needs an absolute path: \"" + path + "\"");
  std::string parent = slash == 0 ? "/" : path.substr(0, slash);
  std::string id = o.id.empty() ? new_protected_id() : o.id;
  std::string prefix = o.prefix.empty() ? protected_prefix(id) : o.prefix;
  std::string full = path.substr(0, slash + 1) + prefix + path.substr(slash + 1);
  CreateOptions options;
  options.mode = o.mode;
  options.acl = o.acl;
  int losses = 0, missing_parents = 0;
  for (;;) {
    auto r = co_await s.create(full, data, options);
    if (r) co_return r;
    Errc e = r.code();
    if (e == Errc::no_node && o.create_parents && parent != "/" && missing_parents++ < 5) {
      // A container parent may be reaped between our mkdirs and our create: make it again.
      auto made = co_await create_parents(s, full, o.acl, o.persistent_parents ? CreateMode::persistent : CreateMode::container);
      if (!made) co_return made.error();
      continue;
    }
    if (!detail::retryable(e) || ++losses >= o.max_attempts) co_return r;
    // The create may have been applied before the reply was lost: find it by its prefix.
    auto found = co_await find_protected(s, parent, prefix);
    if (!found) {
      if (detail::retryable(found.code())) continue;
      co_return found.error();
    }
    if (*found) co_return std::move(**found);
  }
}

}  // namespace zkit::recipes
