// Jute primitives: byte layouts from zookeeper-protocol.md section 2, and the Reader's
// contract (never past the end, sticky failure, zero values after a failure).
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "proto/jute.hpp"
#include "support.hpp"

using namespace zkit::proto;
using prototest::hex;
using prototest::unhex;

TEST_CASE("integers are written big-endian two's complement") {
  std::string out;
  Writer w(out);
  w.i32(0x01020304);
  w.i32(-1);
  w.i32(std::numeric_limits<std::int32_t>::min());
  w.i64(0x0102030405060708);
  w.i64(-2);
  w.i64(std::numeric_limits<std::int64_t>::min());
  CHECK(hex(out) ==
        "01020304"
        "ffffffff"
        "80000000"
        "0102030405060708"
        "fffffffffffffffe"
        "8000000000000000");
  CHECK(w.size() == out.size());
}

TEST_CASE("booleans are one byte, buffers an int length then the bytes, null is length -1") {
  std::string out;
  Writer w(out);
  w.boolean(true);
  w.boolean(false);
  w.bytes("ab");
  w.bytes("");
  w.null_bytes();
  w.bytes(std::string_view("\0\xff", 2));
  CHECK(hex(out) ==
        "01"
        "00"
        "000000026162"
        "00000000"
        "ffffffff"
        "0000000200ff");
}

TEST_CASE("begin_frame/end_frame fill in the length of what was written in between") {
  std::string out = "xy";  // frames are appended after whatever the buffer holds
  Writer w(out);
  auto start = w.begin_frame();
  CHECK(start == 2);
  w.i32(7);
  w.raw("abc");
  w.end_frame(start);
  CHECK(hex(out) == hex("xy") + "00000007" + "00000007" + hex("abc"));

  auto empty = w.begin_frame();
  w.end_frame(empty);
  CHECK(hex(out).ends_with("00000000"));
}

TEST_CASE("the reader reads back what the writer wrote") {
  std::string out;
  Writer w(out);
  w.i32(-123456);
  w.i64(std::numeric_limits<std::int64_t>::max());
  w.boolean(true);
  w.bytes("hello");
  w.null_bytes();
  w.bytes("");
  prototest::ExactCopy in(out);
  Reader r(in.data(), in.size());
  CHECK(r.i32() == -123456);
  CHECK(r.i64() == std::numeric_limits<std::int64_t>::max());
  CHECK(r.boolean());
  bool is_null = true;
  CHECK(r.bytes(&is_null) == "hello");
  CHECK_FALSE(is_null);
  CHECK(r.bytes(&is_null).empty());
  CHECK(is_null);
  CHECK(r.bytes(&is_null).empty());
  CHECK_FALSE(is_null);  // an empty buffer is not a null one
  CHECK(r.ok());
  CHECK(r.at_end());
  CHECK(r.remaining() == 0);
}

TEST_CASE("any non-zero boolean byte reads as true") {
  auto bytes = unhex("0201ff00");
  Reader r(bytes);
  CHECK(r.boolean());
  CHECK(r.boolean());
  CHECK(r.boolean());
  CHECK_FALSE(r.boolean());
  CHECK(r.ok());
}

TEST_CASE("a short read fails, and the failure is sticky with zero values afterwards") {
  auto bytes = unhex("000000010203");
  prototest::ExactCopy in(bytes);
  Reader r(in.data(), in.size());
  CHECK(r.i32() == 1);
  CHECK(r.i32() == 0);  // only 2 bytes left
  CHECK_FALSE(r.ok());
  CHECK(r.remaining() == 0);
  // Nothing reads anything any more, even though the failed read consumed nothing useful.
  CHECK(r.i64() == 0);
  CHECK_FALSE(r.boolean());
  CHECK(r.bytes().empty());
  CHECK(r.count(1) == 0);
  CHECK_FALSE(r.ok());
}

TEST_CASE("fail() empties the reader") {
  auto bytes = unhex("00000001");
  Reader r(bytes);
  r.fail();
  CHECK_FALSE(r.ok());
  CHECK(r.at_end());
  CHECK(r.i32() == 0);
}

TEST_CASE("a buffer longer than the input fails instead of reading past the end") {
  auto bytes = unhex("00000005616263");  // says 5, has 3
  prototest::ExactCopy in(bytes);
  Reader r(in.data(), in.size());
  CHECK(r.bytes().empty());
  CHECK_FALSE(r.ok());
}

TEST_CASE("a negative buffer length other than -1 is malformed") {
  for (auto len : {"fffffffe", "80000000"}) {
    auto bytes = unhex(std::string(len) + "61626364");
    Reader r(bytes);
    bool is_null = true;
    CHECK(r.bytes(&is_null).empty());
    CHECK_FALSE(r.ok());
    CHECK_FALSE(is_null);
  }
}

TEST_CASE("a truncated buffer length fails and is not reported as null") {
  auto bytes = unhex("ffff");
  Reader r(bytes);
  bool is_null = true;
  CHECK(r.bytes(&is_null).empty());
  CHECK_FALSE(is_null);
  CHECK_FALSE(r.ok());
}

TEST_CASE("vector counts: -1 is an empty (null) vector, and a count must fit the bytes left") {
  SUBCASE("null") {
    auto bytes = unhex("ffffffff");
    Reader r(bytes);
    CHECK(r.count(4) == 0);
    CHECK(r.ok());
  }
  SUBCASE("exactly fits") {
    auto bytes = unhex("00000002" "0000000000000000");
    Reader r(bytes);
    CHECK(r.count(4) == 2);
    CHECK(r.ok());
  }
  SUBCASE("one element too many for the bytes left") {
    auto bytes = unhex("00000003" "0000000000000000");
    Reader r(bytes);
    CHECK(r.count(4) == 0);
    CHECK_FALSE(r.ok());
  }
  SUBCASE("negative") {
    auto bytes = unhex("fffffffe");
    Reader r(bytes);
    CHECK(r.count(4) == 0);
    CHECK_FALSE(r.ok());
  }
  SUBCASE("the largest count with a huge element size does not overflow the size check") {
    auto bytes = unhex("7fffffff" "00");
    Reader r(bytes);
    CHECK(r.count(std::numeric_limits<std::uint32_t>::max()) == 0);
    CHECK_FALSE(r.ok());
  }
}
