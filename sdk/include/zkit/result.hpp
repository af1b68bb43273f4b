// zkit::Result<T>: a value or a zkit::Error. Every zkit operation completes with one.
//
//   zkit::Result<zkit::Stat> r = client.exists("/a");
//   if (!r) return r.error();          // propagate
//   use(r->version);
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "zkit/error.hpp"

namespace zkit {

template <class T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit
  Result(Errc code, std::string message) : v_(std::in_place_index<1>, code, std::move(message)) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return *std::get_if<0>(&v_); }
  const T& value() const& { assert(ok()); return *std::get_if<0>(&v_); }
  T&& value() && { assert(ok()); return std::move(*std::get_if<0>(&v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { assert(!ok()); return *std::get_if<1>(&v_); }
  Error&& error() && { assert(!ok()); return std::move(*std::get_if<1>(&v_)); }
  // The code, Errc::ok for a value: handy in switch statements.
  Errc code() const noexcept { return ok() ? Errc::ok : std::get_if<1>(&v_)->code(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;

  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit
  Result(Errc code, std::string message) : error_(code, std::move(message)), failed_(true) {}

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& { assert(!ok()); return error_; }
  Error&& error() && { assert(!ok()); return std::move(error_); }
  Errc code() const noexcept { return failed_ ? error_.code() : Errc::ok; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace zkit
