// zkit::Result<T>: a value or a zkit::Error. Every zkit operation completes with one.
//
//   zkit::Result<zkit::Stat> r = client.exists("/a");
//   if (!r) return r.error();          // propagate
//   use(r->version);
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

#include "zkit/error.hpp"

namespace zkit {

namespace detail {
// Taking the value of a failed Result, or the error of a successful one, is a bug in the
// caller: in every build type (asserts on or off) it prints what was taken and the Result's
// error to stderr and aborts, instead of reading a variant member that is not there.
[[noreturn]] void value_of_failed_result(const Error& error) noexcept;
[[noreturn]] void error_of_successful_result() noexcept;
}  // namespace detail

template <class T>
class [[nodiscard]] Result {
 public:
  // The type of the value.
  using value_type = T;

  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit
  // An error made from a code and a message.
  Result(Errc code, std::string message) : v_(std::in_place_index<1>, code, std::move(message)) {}

  // Whether it holds a value.
  bool ok() const noexcept { return v_.index() == 0; }
  // Whether it holds a value: `if (r) ...`.
  explicit operator bool() const noexcept { return ok(); }

  // The value; on an error, aborts the process with the error's message (every build type).
  T& value() & { check_value(); return *std::get_if<0>(&v_); }
  const T& value() const& { check_value(); return *std::get_if<0>(&v_); }
  T&& value() && { check_value(); return std::move(*std::get_if<0>(&v_)); }
  // The value's members; on an error, aborts as value() does.
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // The value; on an error, aborts as value() does.
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; on a value, aborts the process (every build type).
  const Error& error() const& { check_error(); return *std::get_if<1>(&v_); }
  Error&& error() && { check_error(); return std::move(*std::get_if<1>(&v_)); }
  // The code, Errc::ok for a value: handy in switch statements.
  Errc code() const noexcept { return ok() ? Errc::ok : std::get_if<1>(&v_)->code(); }

 private:
  void check_value() const noexcept {
    if (!ok()) [[unlikely]] detail::value_of_failed_result(*std::get_if<1>(&v_));
  }
  void check_error() const noexcept {
    if (ok()) [[unlikely]] detail::error_of_successful_result();
  }
  std::variant<T, Error> v_;
};

// Result<void>: success, or a zkit::Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  // No value.
  using value_type = void;

  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit
  // An error made from a code and a message.
  Result(Errc code, std::string message) : error_(code, std::move(message)), failed_(true) {}

  // Whether it succeeded.
  bool ok() const noexcept { return !failed_; }
  // Whether it succeeded: `if (r) ...`.
  explicit operator bool() const noexcept { return ok(); }
  // The error; on success, aborts the process (every build type).
  const Error& error() const& {
    if (!failed_) [[unlikely]] detail::error_of_successful_result();
    return error_;
  }
  Error&& error() && {
    if (!failed_) [[unlikely]] detail::error_of_successful_result();
    return std::move(error_);
  }
  // The error's code; Errc::ok on success.
  Errc code() const noexcept { return failed_ ? error_.code() : Errc::ok; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace zkit
