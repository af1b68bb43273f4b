#include "support.hpp"

#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

namespace prototest {
namespace {

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::invalid_argument(std::string("not a hex digit: ") + c);
}

// The meter's state. Thread-local so that nothing another thread does is counted; plain
// integers because operator new must not allocate while it counts.
thread_local int meters_alive = 0;
thread_local std::size_t alloc_count = 0;
thread_local std::size_t alloc_largest = 0;
thread_local std::size_t alloc_total = 0;

void note_allocation(std::size_t n) noexcept {
  if (meters_alive == 0) return;
  ++alloc_count;
  alloc_total += n;
  if (n > alloc_largest) alloc_largest = n;
}

}  // namespace

std::string unhex(std::string_view hex) {
  if (hex.size() % 2 != 0) throw std::invalid_argument("odd number of hex digits");
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2)
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto u = static_cast<unsigned char>(c);
    out.push_back(digits[u >> 4]);
    out.push_back(digits[u & 0xf]);
  }
  return out;
}

ExactCopy::ExactCopy(std::string_view bytes)
    : data_(new char[bytes.size()]), size_(bytes.size()) {
  if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
}

AllocationMeter::AllocationMeter() {
  if (meters_alive++ == 0) alloc_count = alloc_largest = alloc_total = 0;
}
AllocationMeter::~AllocationMeter() { --meters_alive; }
std::size_t AllocationMeter::count() const noexcept { return alloc_count; }
std::size_t AllocationMeter::largest() const noexcept { return alloc_largest; }
std::size_t AllocationMeter::total() const noexcept { return alloc_total; }

}  // namespace prototest

doctest::String doctest::StringMaker<zkit::Stat>::convert(const zkit::Stat& s) {
  std::string out = "Stat{czxid " + std::to_string(s.czxid) + ", mzxid " + std::to_string(s.mzxid) +
                    ", ctime " + std::to_string(s.ctime) + ", mtime " + std::to_string(s.mtime) +
                    ", version " + std::to_string(s.version) + ", cversion " +
                    std::to_string(s.cversion) + ", aversion " + std::to_string(s.aversion) +
                    ", ephemeralOwner " + std::to_string(s.ephemeral_owner) + ", dataLength " +
                    std::to_string(s.data_length) + ", numChildren " +
                    std::to_string(s.num_children) + ", pzxid " + std::to_string(s.pzxid) + "}";
  return out.c_str();
}

doctest::String doctest::StringMaker<zkit::Acl>::convert(const zkit::Acl& a) {
  std::string out = "Acl{" + std::to_string(a.perms) + ", " + a.id.scheme + ":" + a.id.id + "}";
  return out.c_str();
}

// Replacements of the global allocation functions, so the meter sees every allocation made by
// the codec (which lives in libzkit: the executable's definitions win symbol resolution).
// They use malloc/free, which AddressSanitizer still intercepts and checks. The nothrow and
// aligned forms keep their library definitions, which forward to these or pair among
// themselves.
void* operator new(std::size_t n) {
  prototest::note_allocation(n);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  prototest::note_allocation(n);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
