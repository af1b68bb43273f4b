// Transactions (multi) and multi-reads: several operations in one request.
//
// A transaction of create / remove / set / check ops is applied all or nothing. A multi-read
// of get / get_children ops answers each op on its own.
//
//   std::vector<zkit::TxnOp> ops = {
//       zkit::TxnOp::check("/config", 3),
//       zkit::TxnOp::set("/config", "v4", 3),
//       zkit::TxnOp::create("/config/history-", "v4", {.mode = zkit::CreateMode::persistent_sequential}),
//   };
//   auto r = co_await session.multi(ops);
//   if (r && !r->committed) { /* r->results[i].error says which op failed and why */ }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zkit/error.hpp"
#include "zkit/types.hpp"

namespace zkit {

// TxnOp: one operation of a transaction or multi-read.
struct TxnOp {
  // What the op does.
  enum class Kind { create, remove, set, check, get, get_children };
  Kind kind = Kind::check;  // which operation
  std::string path;  // the node it acts on
  std::string data;            // create, set
  CreateOptions create_options;  // create: mode and ttl (its acl is left unset, see `acl`)
  std::int32_t version = -1;   // remove, set, check (-1: any)
  // create: the op's own copy of the ACL asked, since CreateOptions only refers to a list and
  // an op is often built long before the multi that sends it.
  AclList acl;
  bool null_data = false;  // create, set: `data` is ignored and a null buffer goes out (Data::null)

  // Creates `path` (its ACL is copied into the op).
  static TxnOp create(std::string path, std::string data, CreateOptions options = {}) {
    AclList acl = options.acl.list();
    options.acl = {};
    return {Kind::create, std::move(path), std::move(data), options, -1, std::move(acl)};
  }
  // Creates `path` with null data (`TxnOp::create(p, zkit::null_data)`).
  static TxnOp create(std::string path, NullData, CreateOptions options = {}) {
    TxnOp op = create(std::move(path), std::string(), options);
    op.null_data = true;
    return op;
  }
  // Deletes `path` if its version matches (-1: any).
  static TxnOp remove(std::string path, std::int32_t version = -1) {
    return {Kind::remove, std::move(path), {}, {}, version, {}};
  }
  // Replaces `path`'s data if its version matches (-1: any).
  static TxnOp set(std::string path, std::string data, std::int32_t version = -1) {
    return {Kind::set, std::move(path), std::move(data), {}, version, {}};
  }
  // Replaces `path`'s data with null data if its version matches (-1: any).
  static TxnOp set(std::string path, NullData, std::int32_t version = -1) {
    TxnOp op = set(std::move(path), std::string(), version);
    op.null_data = true;
    return op;
  }
  // Succeeds only if the node exists with this version (-1: exists at all).
  static TxnOp check(std::string path, std::int32_t version) {
    return {Kind::check, std::move(path), {}, {}, version, {}};
  }
  // Reads `path`'s data (a multi-read).
  static TxnOp get(std::string path) { return {Kind::get, std::move(path), {}, {}, -1, {}}; }
  // Lists `path`'s children (a multi-read).
  static TxnOp get_children(std::string path) { return {Kind::get_children, std::move(path), {}, {}, -1, {}}; }
};

// OpResult: what one op of a multi produced. `error` is ok or the server's code for this op:
// in a failed transaction, ops before the failing one report ok, the failing one its own code
// and the ones after it runtime_inconsistency (nothing was applied).
struct OpResult {
  Errc error = Errc::ok;  // ok, or this op's code
  std::string path;             // create: the created path (with sequence suffix)
  std::optional<Stat> stat;     // create (container/TTL/create2), set, get
  std::string data;             // get
  std::vector<std::string> children;  // get_children
  bool null_data = false;       // get: the server sent null data (see Data::null)
};

// MultiResult: a result per op, in op order.
struct MultiResult {
  bool committed = false;  // transaction: all ops applied. multi-read: every op succeeded
  std::vector<OpResult> results;  // one per op, in op order
  // The first op that failed, or nullptr.
  const OpResult* first_failure() const noexcept {
    for (const auto& r : results)
      if (r.error != Errc::ok && r.error != Errc::runtime_inconsistency) return &r;
    return nullptr;
  }
};

}  // namespace zkit
