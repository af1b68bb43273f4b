// zkit::python::KazooResult: the native half of zkit.kazoo's IAsyncResult (the Python class
// zkit.kazoo._result.Result derives from it and from kazoo's threading AsyncResult).
//
// The loop thread settles it without the GIL: it stores the C++ result in the shared Outcome,
// wakes the threads blocked in get()/wait() itself, and, when callbacks are linked, moves the
// result into the handler's WorkQueue, whose worker runs them. No other thread stands between
// (zkit's dispatcher is only the fallback when the handler's queue is not a WorkQueue or has
// stopped). The Python value is built from the C++ one when first read, under the GIL: a
// caller that only asks successful() never pays for it.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "../../core/host.hpp"
#include "dispatcher.hpp"
#include "work_queue.hpp"
#include "zkit/error.hpp"
#include "zkit/function.hpp"

namespace zkit::python {

// How settled results with callbacks leave the loop thread: gathered while the loop thread
// works through what one read brought, then put on their queues in one go when that is done
// (one wake-up of the worker per batch, not per reply, so the worker runs a batch of callbacks
// at a time, as kazoo's caller-visible batching expects). Loop thread only: the flush is the
// host's deferred work of that loop turn.
class Handoff : public std::enable_shared_from_this<Handoff> {
 public:
  Handoff(std::weak_ptr<zkit::bindings::Host> host, std::shared_ptr<Dispatcher> dispatcher)
      : host_(std::move(host)), dispatcher_(std::move(dispatcher)) {}
  // `result` (owned) goes to `queue` (nullptr: through the dispatcher) at the next flush.
  void add(std::shared_ptr<WorkQueue> queue, PyObject* result);

 private:
  void flush();
  std::weak_ptr<zkit::bindings::Host> host_;
  std::shared_ptr<Dispatcher> dispatcher_;
  std::vector<std::pair<std::shared_ptr<WorkQueue>, PyObject*>> staged_;
};

// What a pending result and the loop thread's completion share.
struct Outcome {
  // Loop thread: the request's error, or a maker of its native Python value (called under the
  // GIL, maybe more than once). Wakes waiters and hands a linked result on.
  void settle(std::optional<zkit::Error> error, Function<pybind11::object()> value);

  std::mutex mu;
  std::condition_variable cv;
  std::atomic<bool> ready{false};  // stored (release) after error/value, under mu
  int waiters = 0;                 // under mu
  std::size_t linked_count = 0;    // under mu: callbacks linked; at settling, how many to run
  PyObject* linked = nullptr;      // under mu: the Python result (owned) while callbacks wait on it
  std::optional<zkit::Error> error;
  Function<pybind11::object()> value;
  std::shared_ptr<WorkQueue> queue;        // the handler's queue when it is a WorkQueue
  std::shared_ptr<Handoff> handoff;  // set by the call
};

// The Outcome of a KazooResult instance; nullptr when `o` is not one.
std::shared_ptr<Outcome> outcome_of(pybind11::handle o);

// Registers KazooResult, WorkQueue and configure_kazoo() in the module.
void bind_kazoo_results(pybind11::module_& m);

}  // namespace zkit::python
