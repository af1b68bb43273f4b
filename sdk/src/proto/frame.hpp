// Frame splitting: the transport feeds bytes, the session asks for whole frames.
// Three answers, as types: a frame, "need more bytes", or "malformed" (with the reason).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zkit::proto {

struct FrameResult {
  enum Kind { frame, need_more, malformed } kind = need_more;
  std::string_view body;  // kind == frame: the bytes after the length prefix
  std::size_t consumed = 0;  // kind == frame: prefix + body
  // kind == need_more: the whole frame's size (prefix + body) once its prefix has arrived, so
  // a reader can make room for it; 0 while the prefix is incomplete.
  std::size_t frame_size = 0;
  std::string reason;        // kind == malformed
};

// Looks at the start of `input` for one frame whose body is at most `max_body` bytes.
FrameResult next_frame(std::string_view input, std::size_t max_body);

}  // namespace zkit::proto
