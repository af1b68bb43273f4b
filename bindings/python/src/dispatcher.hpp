// zkit::python::Dispatcher: where the loop thread hands Python work, and the Python thread
// that runs it. The loop thread never takes the GIL: it queues closures, and one Python thread
// (started by the zkit package) runs them in order with the GIL held. A Python object that a
// closure owns is released only under the GIL (PyRef), even when the closure is dropped unrun
// on the loop thread.
#pragma once

#include <Python.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "zkit/function.hpp"

namespace zkit::python {

class Dispatcher {
 public:
  // Queues `f` to run on the dispatcher thread with the GIL held. Any thread.
  void push(Function<void()> f);
  // Queues a reference to drop under the GIL. Any thread.
  void release_later(PyObject* o);
  // The dispatcher thread's body: runs queued work until stop() and the queue is empty.
  // Called with the GIL held; releases it while waiting. `after_batch` (a Python callable, or
  // None) runs after each batch of work: a face that gathers what the batch completed hands it
  // on there in one go (one queue put, one wake-up) instead of once per completion.
  void run(PyObject* after_batch);
  // Ends run() once the queue is drained. Any thread.
  void stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Function<void()>> items_;
  std::vector<PyObject*> releases_;
  bool stopping_ = false;
};

// An owned reference to a Python object that is safe to destroy on any thread.
class PyRef {
 public:
  PyRef() = default;
  // Takes a new reference; call with the GIL held.
  PyRef(std::shared_ptr<Dispatcher> d, PyObject* o) : d_(std::move(d)), o_(o) { Py_XINCREF(o_); }
  PyRef(PyRef&& other) noexcept : d_(std::move(other.d_)), o_(other.o_) { other.o_ = nullptr; }
  PyRef& operator=(PyRef&& other) noexcept {
    if (this != &other) {
      reset();
      d_ = std::move(other.d_);
      o_ = other.o_;
      other.o_ = nullptr;
    }
    return *this;
  }
  PyRef(const PyRef&) = delete;
  ~PyRef() { reset(); }
  PyObject* get() const noexcept { return o_; }
  explicit operator bool() const noexcept { return o_ != nullptr; }

 private:
  void reset() {
    if (o_ == nullptr) return;
    if (PyGILState_Check()) Py_DECREF(o_);
    else if (d_) d_->release_later(o_);
    o_ = nullptr;
  }
  std::shared_ptr<Dispatcher> d_;
  PyObject* o_ = nullptr;
};

}  // namespace zkit::python
