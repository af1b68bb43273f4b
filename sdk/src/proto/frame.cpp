#include "proto/frame.hpp"

namespace zkit::proto {

FrameResult next_frame(std::string_view input, std::size_t max_body) {
  FrameResult r;
  if (input.size() < 4) return r;
  auto b = reinterpret_cast<const unsigned char*>(input.data());
  auto len = static_cast<std::int32_t>((std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                                       (std::uint32_t{b[2]} << 8) | std::uint32_t{b[3]});
  if (len < 0) {
    r.kind = FrameResult::malformed;
    r.reason = "negative frame length " + std::to_string(len);
    return r;
  }
  if (static_cast<std::size_t>(len) > max_body) {
    r.kind = FrameResult::malformed;
    r.reason = "frame of " + std::to_string(len) + " bytes exceeds the limit of " +
               std::to_string(max_body);
    return r;
  }
  if (input.size() - 4 < static_cast<std::size_t>(len)) {
    r.frame_size = 4 + static_cast<std::size_t>(len);
    return r;
  }
  r.kind = FrameResult::frame;
  r.body = input.substr(4, static_cast<std::size_t>(len));
  r.consumed = 4 + static_cast<std::size_t>(len);
  return r;
}

}  // namespace zkit::proto
