// zkit::node::Deliveries: the calls from zkit into JavaScript of one loop turn, made together.
//
// zkit calls back from Node's loop with no JavaScript on the stack (replies read, a timer
// fired). Calling JavaScript at once from each callback would open a callback scope per call,
// and Node drains its microtask queue as each scope closes: a read of a thousand replies would
// be a thousand drains. Instead the calls are queued and made from a uv_check handle in the same
// loop turn (check runs right after the poll phase that read the replies), inside one callback
// scope: promise continuations and nextTicks run once, after the batch, as after one Node I/O
// callback. An idle handle runs while calls wait, so that calls queued outside the poll phase
// (from a timer, or from JavaScript itself) do not wait for the poll to block first.
//
// One per Node environment; calls are made in the order they were queued, across the clients
// of the environment (a watch event stays before the replies that followed it).
#pragma once

#include <napi.h>
#include <uv.h>

#include <vector>

#include "zkit/function.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::node {

class Deliveries {
 public:
  // A call into JavaScript, made inside the batch's handle and callback scopes. Room for a
  // reply's Result (getData's data and Stat) in place: a queued reply costs no allocation.
  using Call = Function<void(Napi::Env), 20 * sizeof(void*)>;

  explicit Deliveries(Napi::Env env);
  Deliveries(const Deliveries&) = delete;
  Deliveries& operator=(const Deliveries&) = delete;

  // Queues `call` for the end of this loop turn's poll phase. Dropped once the environment is
  // torn down.
  void push(Call call);
  // The environment is going away: no call is made any more, the handles are closed.
  void shut_down();

 private:
  void flush();

  Napi::Env env_;
  Napi::AsyncContext async_;  // what async_hooks see the batches as
  uv::Handle<uv_check_t> check_;
  uv::Handle<uv_idle_t> idle_;
  std::vector<Call> queue_;
  std::vector<Call> running_;  // the batch being made; kept to reuse its capacity
  bool alive_ = true;
};

// Throws (as a JavaScript exception) what a call left pending: it becomes the process's
// uncaught exception, as from any other Node callback, and the batch goes on.
void report_pending_exception(Napi::Env env);

}  // namespace zkit::node
