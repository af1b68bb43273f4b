// zkit::recipes::blocking::DoubleBarrier: N threads or processes start a computation together
// and finish it together, from thread-based code over a zkit::Client. It is the coroutine
// DoubleBarrier (zkit/recipes/barriers/double_barrier.hpp) run on the client's thread: same
// znodes (Curator's DistributedDoubleBarrier).
//
//   zkit::recipes::blocking::DoubleBarrier round(client, "/compaction/round-42", 3);
//   if (auto in = round.enter(std::chrono::minutes(1)); !in) return fail(in.error());
//   compact_my_share();
//   if (auto out = round.leave(std::chrono::minutes(1)); !out) return fail(out.error());
//
// Thread-safe: each call blocks until it is done; bad_arguments when made on the client's own
// thread, closing when the client is closed (also while a call waits). The Client must
// outlive the barrier.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "zkit/client.hpp"
#include "zkit/recipes/barriers/double_barrier.hpp"
#include "zkit/result.hpp"

namespace zkit::recipes::blocking {

class DoubleBarrier {
 public:
  // A barrier at `path` for `member_count` members, as recipes::DoubleBarrier.
  DoubleBarrier(Client& client, std::string path, int member_count);
  DoubleBarrier(const DoubleBarrier&) = delete;
  DoubleBarrier& operator=(const DoubleBarrier&) = delete;
  ~DoubleBarrier();

  // Enters and waits until member_count members have entered, up to `timeout` or as long as
  // it takes. Errors: as recipes::DoubleBarrier::enter() (request_timeout when the time ran
  // out: our node is deleted again).
  Result<void> enter(std::chrono::milliseconds timeout);
  Result<void> enter();
  // Leaves and waits until every member has left. Errors: as recipes::DoubleBarrier::leave().
  Result<void> leave(std::chrono::milliseconds timeout);
  Result<void> leave();

  // Our member node: "<path>/<uuid>".
  std::string node_path();

 private:
  Client* client_;
  // Shared with the call running on the client's thread, which an interrupt() leaves running.
  std::shared_ptr<recipes::DoubleBarrier> barrier_;
};

}  // namespace zkit::recipes::blocking
