// Byte helpers for printing node data: is it valid UTF-8, and its base64 form when it is not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zkit::cli {

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool is_utf8(std::string_view s) noexcept;

// Standard base64 (RFC 4648, with padding).
std::string base64(std::string_view bytes);

// An id (zxid, session id) as people read it in ZooKeeper's logs: 0x1a2b.
std::string hex(std::int64_t v);

// The bytes of standard padded base64 text; nullopt when it is not that.
std::optional<std::string> from_base64(std::string_view text);

}  // namespace zkit::cli
