#include "proto/sasl.hpp"

namespace zkit::proto {

void encode(Writer& w, const SaslToken& r) { w.bytes(r.token); }

bool decode(Reader& r, SaslToken& out) {
  out.token = r.bytes();
  return r.ok();
}

}  // namespace zkit::proto
