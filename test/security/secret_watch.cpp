#include "secret_watch.hpp"

#include <doctest/doctest.h>

namespace zkit::test_security {

namespace {

std::string hex(std::string_view b, const char* digits) {
  std::string out;
  for (unsigned char c : b) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string base64(std::string_view b) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    unsigned v = (unsigned char)b[i] << 16 | (unsigned char)b[i + 1] << 8 | (unsigned char)b[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += kDigits[(v >> s) & 63];
  }
  if (std::size_t left = b.size() - i) {
    unsigned v = (unsigned char)b[i] << 16 | (left == 2 ? (unsigned char)b[i + 1] << 8 : 0u);
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += left == 2 ? kDigits[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

void SecretWatch::attach(Options& o) {
  o.log_level = LogLevel::debug;
  o.logger = [this](LogLevel, std::string_view line) { saw("log", std::string(line)); };
}

void SecretWatch::secret(std::string name, std::string_view bytes) {
  REQUIRE_MESSAGE(bytes.size() >= 6, "secret " << name << " is too short to look for");
  std::string b64 = base64(bytes);
  std::string b64_bare = b64.substr(0, b64.find('='));
  std::lock_guard lock(mutex_);
  secrets_.push_back({std::move(name),
                      {std::string(bytes), hex(bytes, "0123456789abcdef"), hex(bytes, "0123456789ABCDEF"), b64, b64_bare}});
}

void SecretWatch::saw(std::string_view where, std::string text) {
  std::lock_guard lock(mutex_);
  seen_.push_back({std::string(where), std::move(text)});
}

std::vector<std::string> SecretWatch::leaks() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const Secret& s : secrets_)
    for (const Seen& seen : seen_)
      for (const std::string& spelling : s.spellings)
        if (seen.text.find(spelling) != std::string::npos) {
          out.push_back("secret " + s.name + " in " + seen.where);
          break;
        }
  return out;
}

std::size_t SecretWatch::texts(std::string_view part) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const Seen& seen : seen_) n += seen.text.find(part) != std::string::npos;
  return n;
}

}  // namespace zkit::test_security
