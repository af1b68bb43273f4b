// zkit::python::WorkQueue: a FIFO of Python callables for a kazoo handler's worker thread (the
// `completion_queue` of kazoo's SequentialThreadingHandler), fed both by Python threads and by
// zkit's loop thread. Its consumer waits in C++ with the GIL released, so a completion from the
// loop thread reaches the worker with one wake-up and no Python thread in between (the loop
// thread never takes the GIL: it only moves a reference it already owns into the queue).
#pragma once

#include <Python.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <vector>

namespace zkit::python {

class WorkQueue {
 public:
  // `last` (borrowed, kept alive by the Python wrapper): the item after which the queue's
  // consumer stops, so the queue refuses push() once it has handed it out.
  explicit WorkQueue(PyObject* last) : last_(last) {}
  // Moves an owned reference into the queue. Any thread, no GIL needed. False once the
  // consumer took `last`: the reference is then still the caller's.
  bool push(PyObject* owned);
  // push() for several, in order, with one wake-up; all or none.
  bool push_all(const std::vector<PyObject*>& owned);
  // The next item (an owned reference), waiting with the GIL released when there is none; GIL
  // held on entry. `timeout` < 0 waits for good; nullptr when it ran out.
  PyObject* pop(bool block, double timeout);
  std::size_t size();
  // Takes everything queued and refuses later pushes (the wrapper drops them under the GIL).
  std::deque<PyObject*> close();

 private:
  PyObject* const last_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<PyObject*> items_;  // under mu_
  int waiting_ = 0;              // under mu_: consumers asleep in pop(), the only ones to wake
  bool closed_ = false;          // under mu_
};

}  // namespace zkit::python
