// Fuzz target: a whole server frame after the handshake, through every decoder the session
// and the operations use on a reply body (sdk/src/proto): the reply header, watch events, each
// response record, multi results, the admin ops' answers. Any of them may meet any bytes: a
// hostile server chooses what follows a header, so every decoder gets every input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "proto/admin.hpp"
#include "proto/frame.hpp"
#include "proto/multi.hpp"
#include "proto/records.hpp"

using namespace zkit;

namespace {

// Runs `decode` on a fresh reader over `body`: whatever it answers, the reader never claims
// more bytes than it had, and a failure leaves it failed.
template <typename Decode>
void run(std::string_view body, Decode decode) {
  proto::Reader r(body);
  bool ok = decode(r);
  if (r.remaining() > body.size()) std::abort();
  if (!ok && r.ok()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  proto::FrameResult f = proto::next_frame(in, std::size_t{1} << 20);
  // Seeds are whole frames; the fuzzer's mutations that break the prefix still exercise the
  // decoders on the raw bytes.
  std::string_view frame = f.kind == proto::FrameResult::frame ? f.body : in;
  proto::Reader header_reader(frame);
  proto::ReplyHeader h;
  if (!proto::decode(header_reader, h)) return 0;
  std::string_view body = frame.substr(proto::kReplyHeaderSize);

  run(body, [](proto::Reader& r) { proto::WatcherEvent e; return proto::decode(r, e); });
  run(body, [](proto::Reader& r) { Stat s; return proto::decode(r, s); });
  run(body, [](proto::Reader& r) { AclList a; return proto::decode(r, a); });
  run(body, [](proto::Reader& r) { std::string p; return proto::decode_create_response(r, p); });
  run(body, [](proto::Reader& r) { std::string p; Stat s; return proto::decode_create2_response(r, p, s); });
  run(body, [](proto::Reader& r) { std::string d; Stat s; return proto::decode_get_data_response(r, d, s); });
  run(body, [](proto::Reader& r) { std::vector<std::string> n; return proto::decode_children(r, n); });
  run(body, [](proto::Reader& r) { std::vector<std::string> n; Stat s; return proto::decode_children2(r, n, s); });
  run(body, [](proto::Reader& r) { AclList a; Stat s; return proto::decode_get_acl_response(r, a, s); });
  run(body, [](proto::Reader& r) { std::string p; return proto::decode_path(r, p); });
  run(body, [](proto::Reader& r) { proto::ErrorResponse e; return proto::decode(r, e); });
  run(body, [](proto::Reader& r) { std::vector<std::string> p; return proto::decode_get_ephemerals_response(r, p); });
  run(body, [](proto::Reader& r) { std::int32_t n = 0; return proto::decode_get_all_children_number_response(r, n); });
  run(body, [](proto::Reader& r) { std::vector<ClientInfo> c; return proto::decode_who_am_i_response(r, c); });
  // Multi results: unbounded, and bounded by a small number of ops sent as the session does.
  for (std::size_t max : {std::size_t{4}, std::numeric_limits<std::size_t>::max()}) {
    run(body, [max](proto::Reader& r) {
      std::vector<OpResult> out;
      bool ok = proto::decode_multi_response(r, out, max);
      if (ok ? out.size() > max : !out.empty()) std::abort();  // as multi.hpp promises
      return ok;
    });
  }
  return 0;
}
