#include "proto/jute.hpp"

#include <algorithm>

namespace zkit::proto {

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
