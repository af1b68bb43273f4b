// A session id as text: "0x" and its hex digits, as the server logs it ("0x100002432990000"). For the exporters and
// log records, where a 64-bit number would lose precision in JSON tools.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace zkit::metrics {

inline std::string hex_id(std::int64_t id) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
  return buf;
}

}  // namespace zkit::metrics
