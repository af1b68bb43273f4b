// What the hostile-input tests (records, and multi/admin) share: a captured frame with the
// decoder that must accept exactly it, the header decoders in front of every body, and the
// check that every prefix of a frame fails without reading past it.
#pragma once

#include <functional>
#include <string_view>

#include "proto/records.hpp"

namespace prototest {

// Decodes one frame body (after the length prefix) the way the session would.
using Decoder = std::function<bool(zkit::proto::Reader&)>;

struct Golden {
  std::string_view name;
  std::string_view frame;
  Decoder decode_body;
  // Records whose last byte is optional: ConnectRequest/ConnectResponse without readOnly
  // (pre-3.3 peers) are valid one byte short.
  bool optional_last_byte = false;
};

bool reply_header(zkit::proto::Reader& r);
bool request_header(zkit::proto::Reader& r);

// A decoder for a request: its header, then one `Record`.
template <class Record>
Decoder request_with() {
  return [](zkit::proto::Reader& r) {
    Record rec;
    return request_header(r) && decode(r, rec);
  };
}

// The whole body decodes to its end; every shorter prefix (from exact-size copies) fails and
// leaves the reader drained.
void check_every_prefix_fails(const Golden& g);

}  // namespace prototest
