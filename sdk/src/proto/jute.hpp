// Jute primitives: the big-endian encoding ZooKeeper uses for every record.
// Writer appends to a caller's buffer; Reader reads from a byte range and never past its end:
// a short or malformed input makes it fail (sticky), and every later read returns a zero value.
// The fixed-size primitives are defined here, inline: every request and reply goes through
// them a dozen times, and a call per field cost more than the field.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace zkit::proto {

class Writer {
 public:
  explicit Writer(std::string& out) noexcept : out_(out) {}

  void i32(std::int32_t v) {
    auto u = static_cast<std::uint32_t>(v);
    char b[4] = {static_cast<char>(u >> 24), static_cast<char>(u >> 16), static_cast<char>(u >> 8),
                 static_cast<char>(u)};
    out_.append(b, 4);
  }
  void i64(std::int64_t v) {
    auto u = static_cast<std::uint64_t>(v);
    char b[8];
    for (int k = 0; k < 8; ++k) b[k] = static_cast<char>(u >> (56 - 8 * k));
    out_.append(b, 8);
  }
  void boolean(bool v) { out_.push_back(v ? '\1' : '\0'); }
  // buffer and ustring share a layout: int length, then the bytes.
  void bytes(std::string_view v);
  void null_bytes() { i32(-1); }
  void raw(std::string_view v) { out_.append(v); }

  // Frames: reserve the 4-byte length, write the body, then fill the length in.
  std::size_t begin_frame();
  void end_frame(std::size_t start);

  std::size_t size() const noexcept { return out_.size(); }

 private:
  std::string& out_;
};

class Reader {
 public:
  Reader(const char* data, std::size_t size) noexcept
      : p_(reinterpret_cast<const unsigned char*>(data)), end_(p_ + size) {}
  explicit Reader(std::string_view s) noexcept : Reader(s.data(), s.size()) {}

  std::int32_t i32() noexcept {
    if (!need(4)) return 0;
    std::uint32_t u = load32(p_);
    p_ += 4;
    return static_cast<std::int32_t>(u);
  }
  std::int64_t i64() noexcept {
    if (!need(8)) return 0;
    std::uint64_t u = (std::uint64_t{load32(p_)} << 32) | load32(p_ + 4);
    p_ += 8;
    return static_cast<std::int64_t>(u);
  }
  bool boolean() noexcept {
    if (!need(1)) return false;
    return *p_++ != 0;
  }
  // A buffer or ustring as a view into the input; a null one (length -1) reads as empty and
  // sets `*is_null` when given.
  std::string_view bytes(bool* is_null = nullptr);
  // A vector's element count: -1 (null) reads as 0. Fails when the count cannot possibly fit
  // in the bytes left (each element takes at least `min_element_size` bytes), so a hostile
  // count never makes a caller reserve gigabytes.
  std::int32_t count(std::size_t min_element_size);

  bool ok() const noexcept { return ok_; }
  void fail() noexcept { ok_ = false; p_ = end_; }
  std::size_t remaining() const noexcept { return static_cast<std::size_t>(end_ - p_); }
  bool at_end() const noexcept { return p_ == end_; }

 private:
  static std::uint32_t load32(const unsigned char* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
  }
  bool need(std::size_t n) noexcept {
    if (ok_ && remaining() >= n) [[likely]] return true;
    fail();
    return false;
  }
  const unsigned char* p_;
  const unsigned char* end_;
  bool ok_ = true;
};

}  // namespace zkit::proto
