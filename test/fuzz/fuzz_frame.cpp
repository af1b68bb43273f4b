// Fuzz target: the frame splitter (proto::next_frame), fed one read's bytes as the link is.
// Every answer must be consistent with the input: a frame lies inside it and is as long as its
// prefix says; "need more" names a size beyond what is there; "malformed" says why.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/frame.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();  // an inconsistent answer is a bug even when nothing overflowed
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  // Two limits: the session's (1 MiB) and a small one, so both refusals are reached.
  for (std::size_t limit : {std::size_t{1} << 20, std::size_t{64}}) {
    std::string_view rest = in;
    while (true) {
      zkit::proto::FrameResult f = zkit::proto::next_frame(rest, limit);
      if (f.kind == zkit::proto::FrameResult::malformed) {
        check(!f.reason.empty());
        break;
      }
      if (f.kind == zkit::proto::FrameResult::need_more) {
        check(f.frame_size == 0 ? rest.size() < 4 : f.frame_size > rest.size());
        break;
      }
      check(f.consumed == 4 + f.body.size() && f.consumed <= rest.size() && f.body.size() <= limit);
      check(f.body.data() == rest.data() + 4);
      rest.remove_prefix(f.consumed);
    }
  }
  return 0;
}
