// Transactions: ops gathered on the caller's thread, committed all or nothing.
#include <vector>

#include "internal.hpp"

using zkit::c::fail;
using zkit::c::guarded;
using zkit::c::Payload;

struct zkit_txn {
  std::vector<zkit::TxnOp> ops;
};

namespace {
int add(zkit_txn* txn, const char* path, zkit::TxnOp op) {
  if (txn == nullptr || path == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "txn or path is NULL");
  txn->ops.push_back(std::move(op));
  return ZKIT_OK;
}
}  // namespace

extern "C" {

zkit_txn* zkit_txn_new(void) { return new (std::nothrow) zkit_txn(); }
void zkit_txn_free(zkit_txn* txn) { delete txn; }

int zkit_txn_create(zkit_txn* txn, const char* path, const char* data, size_t len, zkit_create_mode c_mode) {
  return guarded([&] {
    int mode = zkit::c::int_of(c_mode);
    if (mode < ZKIT_PERSISTENT || mode > ZKIT_CONTAINER)
      return fail(ZKIT_BAD_ARGUMENTS, "unknown create mode " + std::to_string(mode));
    zkit::CreateOptions o;
    o.mode = static_cast<zkit::CreateMode>(mode);
    Payload d;
    if (int rc = zkit::c::payload(data, len, d); rc) return rc;
    if (path == nullptr) return add(txn, path, {});
    return add(txn, path,
               d.null ? zkit::TxnOp::create(path, zkit::null_data, o) : zkit::TxnOp::create(path, std::move(d.bytes), o));
  });
}

int zkit_txn_delete(zkit_txn* txn, const char* path, int32_t version) {
  return guarded([&] { return add(txn, path, path ? zkit::TxnOp::remove(path, version) : zkit::TxnOp{}); });
}

int zkit_txn_set(zkit_txn* txn, const char* path, const char* data, size_t len, int32_t version) {
  return guarded([&] {
    Payload d;
    if (int rc = zkit::c::payload(data, len, d); rc) return rc;
    if (path == nullptr) return add(txn, path, {});
    return add(txn, path,
               d.null ? zkit::TxnOp::set(path, zkit::null_data, version) : zkit::TxnOp::set(path, std::move(d.bytes), version));
  });
}

int zkit_txn_check(zkit_txn* txn, const char* path, int32_t version) {
  return guarded([&] { return add(txn, path, path ? zkit::TxnOp::check(path, version) : zkit::TxnOp{}); });
}

int zkit_txn_commit(zkit_client* client, const zkit_txn* txn, int* results, size_t* failed_op) {
  return guarded([&] {
    if (client == nullptr || txn == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "client or txn is NULL");
    auto r = client->host->wait<zkit::MultiResult>([&](zkit::Session& s, zkit::Callback<zkit::MultiResult> done) {
      s.multi(txn->ops, std::move(done));
    });
    if (!r) return fail(r.error());
    for (size_t i = 0; results != nullptr && i < r->results.size(); ++i) results[i] = static_cast<int>(r->results[i].error);
    if (r->committed) return int(ZKIT_OK);
    const zkit::OpResult* first = r->first_failure();
    size_t index = first ? static_cast<size_t>(first - r->results.data()) : 0;
    if (failed_op != nullptr) *failed_op = index;
    int code = first ? static_cast<int>(first->error) : int(ZKIT_RUNTIME_INCONSISTENCY);
    return fail(code, "the transaction was not applied: op " + std::to_string(index) + " failed with " +
                          std::string(zkit_strerror(code)));
  });
}

}  // extern "C"
