#include "proto/jute.hpp"

#include <algorithm>

namespace zkit::proto {

void Writer::i32(std::int32_t v) {
  auto u = static_cast<std::uint32_t>(v);
  char b[4] = {static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
               static_cast<char>(u)};
  out_.append(b, 4);
}

void Writer::i64(std::int64_t v) {
  auto u = static_cast<std::uint64_t>(v);
  i32(static_cast<std::int32_t>(u >> 32));
  i32(static_cast<std::int32_t>(u & 0xffffffffu));
}

void Writer::bytes(std::string_view v) {
  i32(static_cast<std::int32_t>(v.size()));
  out_.append(v);
}

std::size_t Writer::begin_frame() {
  std::size_t start = out_.size();
  out_.append(4, '\0');
  return start;
}

void Writer::end_frame(std::size_t start) {
  auto len = static_cast<std::uint32_t>(out_.size() - start - 4);
  out_[start] = static_cast<char>(len >> 24);
  out_[start + 1] = static_cast<char>(len >> 16);
  out_[start + 2] = static_cast<char>(len >> 8);
  out_[start + 3] = static_cast<char>(len);
}

bool Reader::need(std::size_t n) noexcept {
  if (!ok_ || remaining() < n) {
    fail();
    return false;
  }
  return true;
}

std::int32_t Reader::i32() {
  if (!need(4)) return 0;
  std::uint32_t u = (std::uint32_t{p_[0]} << 24) | (std::uint32_t{p_[1]} << 16) |
                    (std::uint32_t{p_[2]} << 8) | std::uint32_t{p_[3]};
  p_ += 4;
  return static_cast<std::int32_t>(u);
}

std::int64_t Reader::i64() {
  auto hi = static_cast<std::uint32_t>(i32());
  auto lo = static_cast<std::uint32_t>(i32());
  return static_cast<std::int64_t>((std::uint64_t{hi} << 32) | lo);
}

bool Reader::boolean() {
  if (!need(1)) return false;
  return *p_++ != 0;
}

std::string_view Reader::bytes(bool* is_null) {
  std::int32_t n = i32();
  if (is_null) *is_null = (n == -1 && ok_);
  if (n == -1) return {};
  if (n < 0 || !need(static_cast<std::size_t>(n))) {
    fail();
    return {};
  }
  std::string_view v(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
  p_ += n;
  return v;
}

std::int32_t Reader::count(std::size_t min_element_size) {
  std::int32_t n = i32();
  if (n == -1) return 0;
  // Every element takes at least one byte, whatever the caller says.
  if (n < 0 || static_cast<std::size_t>(n) * std::max<std::size_t>(min_element_size, 1) > remaining()) {
    fail();
    return 0;
  }
  return n;
}

}  // namespace zkit::proto
