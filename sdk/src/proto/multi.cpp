#include "proto/multi.hpp"

#include "proto/records.hpp"

namespace zkit::proto {
namespace {

bool is_create(Op t) noexcept {
  return t == Op::create || t == Op::create2 || t == Op::create_container || t == Op::create_ttl;
}

// The request record of one op; false for a type whose record we do not know.
bool decode_op(Reader& r, MultiOp& op, std::vector<AclList>& acl_storage) {
  switch (op.type) {
    case Op::create:
    case Op::create2:
    case Op::create_container:
    case Op::create_ttl: {
      CreateRequest c;
      decode(r, c, acl_storage.emplace_back(), op.type == Op::create_ttl);
      op.path = c.path;
      op.data = c.data;
      op.null_data = c.null_data;
      op.flags = c.flags;
      op.ttl = c.ttl;
      return r.ok();
    }
    case Op::remove:
    case Op::check: {
      PathVersionRequest p;
      decode(r, p);
      op.path = p.path;
      op.version = p.version;
      return r.ok();
    }
    case Op::set_data: {
      SetDataRequest s;
      decode(r, s);
      op.path = s.path;
      op.data = s.data;
      op.null_data = s.null_data;
      op.version = s.version;
      return r.ok();
    }
    case Op::get_data:
    case Op::get_children: {
      PathWatchRequest p;  // the watch flag is ignored by the server, and dropped here
      decode(r, p);
      op.path = p.path;
      return r.ok();
    }
    default:
      return false;
  }
}

// The result record of one result; false for a type whose record we do not know.
bool decode_result(Reader& r, Op type, OpResult& out) {
  switch (type) {
    case Op::create:
      return decode_create_response(r, out.path);
    case Op::create2:
      return decode_create2_response(r, out.path, out.stat.emplace());
    case Op::remove:
    case Op::check:
      return r.ok();
    case Op::set_data:
      return decode(r, out.stat.emplace());
    case Op::get_data:
      return decode_get_data_response(r, out.data, out.stat.emplace(), &out.null_data);
    case Op::get_children:
      return decode_children(r, out.children);
    case Op::error:
      // The code is in the header too; like the Java client, trust the ErrorResponse.
      out.error = static_cast<Errc>(r.i32());
      return r.ok();
    default:
      return false;
  }
}

}  // namespace

void encode(Writer& w, const MultiHeader& h) {
  w.i32(h.type);
  w.boolean(h.done);
  w.i32(h.err);
}

bool decode(Reader& r, MultiHeader& out) {
  out.type = r.i32();
  out.done = r.boolean();
  out.err = r.i32();
  return r.ok();
}

void encode(Writer& w, const MultiOp& op) {
  switch (op.type) {
    case Op::create:
    case Op::create2:
    case Op::create_container:
    case Op::create_ttl:
      // records.hpp writes the ttl only when it is >= 0; here the opcode decides, so that
      // createTTL always has the field and the other creates never do.
      encode(w, CreateRequest{op.path, op.data, op.acl, op.flags, -1, op.null_data});
      if (op.type == Op::create_ttl) w.i64(op.ttl);
      break;
    case Op::remove:
    case Op::check:
      encode(w, PathVersionRequest{op.path, op.version});
      break;
    case Op::set_data:
      encode(w, SetDataRequest{op.path, op.data, op.version, op.null_data});
      break;
    case Op::get_data:
    case Op::get_children:
      encode(w, PathWatchRequest{op.path, false});
      break;
    default:
      break;
  }
}

void encode_multi(Writer& w, std::span<const MultiOp> ops) {
  for (const auto& op : ops) {
    encode(w, MultiHeader{static_cast<std::int32_t>(op.type), false, -1});
    encode(w, op);
  }
  encode(w, MultiHeader{-1, true, -1});
}

bool decode_multi(Reader& r, std::vector<MultiOp>& ops, std::vector<AclList>& acl_storage) {
  ops.clear();
  acl_storage.clear();
  for (;;) {
    MultiHeader h;
    if (!decode(r, h)) break;
    if (h.done) {
      // acl_storage has stopped growing: its lists can now be pointed at, in op order.
      auto acl = acl_storage.begin();
      for (auto& op : ops)
        if (is_create(op.type)) op.acl = *acl++;
      return true;
    }
    auto& op = ops.emplace_back();
    op.type = static_cast<Op>(h.type);
    if (!decode_op(r, op, acl_storage)) break;
  }
  r.fail();
  ops.clear();
  acl_storage.clear();
  return false;
}

bool decode_multi_response(Reader& r, std::vector<OpResult>& out, std::size_t max_results) {
  out.clear();
  for (;;) {
    MultiHeader h;
    if (!decode(r, h)) break;
    if (h.done) return true;
    if (out.size() >= max_results) break;
    // Success results carry err 0 in the header; the Java client ignores it, and so do we.
    if (!decode_result(r, static_cast<Op>(h.type), out.emplace_back())) break;
  }
  r.fail();
  out.clear();
  return false;
}

void encode_multi_response(Writer& w, std::span<const MultiResultView> results) {
  static const OpResult kEmpty;
  for (const auto& v : results) {
    const OpResult& res = v.result ? *v.result : kEmpty;
    const Stat stat = res.stat.value_or(Stat{});
    const bool error = v.type == Op::error;
    encode(w, MultiHeader{static_cast<std::int32_t>(v.type), false,
                          error ? static_cast<std::int32_t>(res.error) : 0});
    switch (v.type) {
      case Op::create:
        w.bytes(res.path);
        break;
      case Op::create2:
        w.bytes(res.path);
        encode(w, stat);
        break;
      case Op::set_data:
        encode(w, stat);
        break;
      case Op::get_data:
        if (res.null_data)
          w.null_bytes();
        else
          w.bytes(res.data);
        encode(w, stat);
        break;
      case Op::get_children:
        w.i32(static_cast<std::int32_t>(res.children.size()));
        for (const auto& c : res.children) w.bytes(c);
        break;
      case Op::error:
        w.i32(static_cast<std::int32_t>(res.error));
        break;
      default:  // delete, check: no record
        break;
    }
  }
  encode(w, MultiHeader{-1, true, -1});
}

}  // namespace zkit::proto
