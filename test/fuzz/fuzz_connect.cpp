// Fuzz target: the server's answer to the handshake (session::judge_connect_response, which
// decodes the ConnectResponse), for a new session and for a resumed one. Whatever the bytes, an
// accepted grant is one the session can run on: a positive timeout no longer than asked and a
// password of the protocol's size; every other outcome says why.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proto/frame.hpp"
#include "session/handshake.hpp"

using namespace std::chrono_literals;
using zkit::session::Handshake;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  zkit::proto::FrameResult f = zkit::proto::next_frame(in, std::size_t{1} << 20);
  std::string_view frame = f.kind == zkit::proto::FrameResult::frame ? f.body : in;
  for (std::int64_t resumed : {std::int64_t{0}, std::int64_t{0x01000036ba500000}}) {
    Handshake h = zkit::session::judge_connect_response(frame, 30000ms, resumed);
    switch (h.outcome) {
      case Handshake::Outcome::accepted:
        if (h.response.timeout_ms <= 0 || h.response.timeout_ms > 30000) std::abort();
        if (h.response.password.size() != zkit::proto::kPasswordSize) std::abort();
        break;
      case Handshake::Outcome::malformed:
      case Handshake::Outcome::refused:
        if (h.reason.empty()) std::abort();
        break;
      case Handshake::Outcome::expired: break;
    }
  }
  return 0;
}
