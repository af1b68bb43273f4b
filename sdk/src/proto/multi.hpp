// multi (14) and multiRead (22): several ops in one request (zookeeper-protocol.md section 7).
//
// Both directions are a list of MultiHeader + record pairs closed by a header with done = true;
// there is no count, so the decoders stop at that header or at the end of the input.
// As in records.hpp: requests are views, responses decode straight into zkit::OpResult.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "proto/jute.hpp"
#include "proto/opcodes.hpp"
#include "zkit/multi.hpp"
#include "zkit/types.hpp"

namespace zkit::proto {

// In front of every op and every result, and once more (type -1, done, err -1) at the end.
struct MultiHeader {
  std::int32_t type = -1;
  bool done = true;
  std::int32_t err = -1;
};
inline constexpr std::size_t kMultiHeaderSize = 9;

// One op of a MultiRequest. Which fields go on the wire depends on `type`:
//   create, create2, createContainer: path, data, acl, flags       CreateRequest
//   createTTL:                        path, data, acl, flags, ttl  CreateTTLRequest
//   delete, check:                    path, version                Delete/CheckVersionRequest
//   setData:                          path, data, version          SetDataRequest
//   getData, getChildren:             path, watch = false          (the server ignores watch)
struct MultiOp {
  Op type = Op::check;
  std::string_view path;
  std::string_view data;
  std::span<const Acl> acl;
  std::int32_t flags = 0;
  std::int64_t ttl = -1;
  std::int32_t version = -1;
  bool null_data = false;  // create, set: a null buffer instead of `data`
};

// The op types each request accepts; the server refuses any other (or a mix of reads and
// writes) with MarshallingError for the whole request. The encoder does not check: callers
// validate first, so that the error names the op.
constexpr bool allowed_in_multi(Op t) noexcept {
  return t == Op::create || t == Op::create2 || t == Op::create_container ||
         t == Op::create_ttl || t == Op::remove || t == Op::set_data || t == Op::check;
}
constexpr bool allowed_in_multi_read(Op t) noexcept {
  return t == Op::get_data || t == Op::get_children;
}

void encode(Writer& w, const MultiHeader& h);
bool decode(Reader& r, MultiHeader& out);

// The op's request record alone, without its MultiHeader. A type outside the two lists above
// writes nothing.
void encode(Writer& w, const MultiOp& op);

// The whole MultiRequest body: {type, false, -1} + record per op, then {-1, true, -1}.
void encode_multi(Writer& w, std::span<const MultiOp> ops);
// The same, so that write_request(out, xid, Op::multi, std::span<const MultiOp>(ops)) works.
inline void encode(Writer& w, std::span<const MultiOp> ops) { encode_multi(w, ops); }

// A MultiRequest decoded back, for tests and fuzzers: views into the reader's input. The ACLs
// of create ops live in `acl_storage` (one list per create op), which must outlive `ops`.
// Fails on an op type outside both lists (its record length is unknown).
bool decode_multi(Reader& r, std::vector<MultiOp>& ops, std::vector<AclList>& acl_storage);

// A MultiResponse, one OpResult per result until the closing header:
//   1 create: path · 15 create2/container/TTL: path, stat · 5 setData: stat · 2, 13: nothing
//   4 getData: data, stat · 8 getChildren: children · -1 error: error = ErrorResponse.err
// Paths are left as the server sent them (the session strips the chroot). Fails on an unknown
// result type, on input that ends before the closing header, and on more than `max_results`
// results (pass the number of ops sent: a server never answers more, and this bounds what a
// hostile reply can make us allocate). On failure `out` is empty.
bool decode_multi_response(Reader& r, std::vector<OpResult>& out,
                           std::size_t max_results = std::numeric_limits<std::size_t>::max());

// One result as a server writes it, for fake servers and round-trip tests: `type` selects the
// record as above; for Op::error the MultiHeader and the ErrorResponse both carry
// `result.error`, for the others the header's err is 0.
struct MultiResultView {
  Op type = Op::error;
  const OpResult* result = nullptr;
};
void encode_multi_response(Writer& w, std::span<const MultiResultView> results);

}  // namespace zkit::proto
