#include "hostile_frames.hpp"

#include <doctest/doctest.h>

#include "support.hpp"

namespace prototest {

using zkit::proto::Reader;

bool reply_header(Reader& r) {
  zkit::proto::ReplyHeader h;
  return decode(r, h);
}

bool request_header(Reader& r) {
  zkit::proto::RequestHeader h;
  return decode(r, h);
}

void check_every_prefix_fails(const Golden& g) {
  CAPTURE(g.name);
  const auto frame = unhex(g.frame);
  const auto body = body_of(frame);
  {
    ExactCopy whole(body);
    Reader r(whole.data(), whole.size());
    REQUIRE(g.decode_body(r));
    CHECK(r.at_end());
  }
  for (std::size_t n = 0; n < body.size(); ++n) {
    CAPTURE(n);
    ExactCopy part(body.substr(0, n));
    Reader r(part.data(), part.size());
    const bool decoded = g.decode_body(r);
    if (g.optional_last_byte && n == body.size() - 1) {
      CHECK(decoded);
      CHECK(r.ok());
      continue;
    }
    CHECK_FALSE(decoded);
    CHECK_FALSE(r.ok());
    CHECK(r.remaining() == 0);  // a failed reader is drained
  }
}

}  // namespace prototest
