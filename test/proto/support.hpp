// Helpers shared by the codec tests: hex conversion, exact-size copies for the sanitizers, and
// an allocation meter that proves a decoder did not reserve memory for a hostile count.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <doctest/doctest.h>

#include "zkit/types.hpp"

namespace prototest {

// "00ff" -> "\x00\xff". Test data only: a malformed literal is a bug in the test, so it throws.
std::string unhex(std::string_view hex);
// Lowercase hex of `bytes`, so that a byte mismatch shows up readably in a failed CHECK.
std::string hex(std::string_view bytes);

// A frame without its 4-byte length prefix: what a Reader gets from the frame splitter.
inline std::string_view body_of(std::string_view frame) { return frame.substr(4); }

// A heap copy of exactly `bytes.size()` bytes. std::string keeps slack after its end (SSO
// buffer or spare capacity) that AddressSanitizer cannot see; reading one byte past an exact
// allocation is reported.
class ExactCopy {
 public:
  explicit ExactCopy(std::string_view bytes);
  const char* data() const noexcept { return data_.get(); }
  std::size_t size() const noexcept { return size_; }
  std::string_view view() const noexcept { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_;
};

// Counts what the global operator new hands out on this thread while a meter is alive.
class AllocationMeter {
 public:
  AllocationMeter();
  ~AllocationMeter();
  AllocationMeter(const AllocationMeter&) = delete;
  AllocationMeter& operator=(const AllocationMeter&) = delete;

  std::size_t count() const noexcept;
  std::size_t largest() const noexcept;
  std::size_t total() const noexcept;
};

}  // namespace prototest

// Readable failure messages for the public value types the decoders fill in.
namespace doctest {
template <>
struct StringMaker<zkit::Stat> {
  static String convert(const zkit::Stat& s);
};
template <>
struct StringMaker<zkit::Acl> {
  static String convert(const zkit::Acl& a);
};
}  // namespace doctest
