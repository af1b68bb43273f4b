#include "kazoo_result.hpp"

#include <algorithm>
#include <chrono>
#include <string>

namespace py = pybind11;

namespace zkit::python {
namespace {

// Set once by zkit.kazoo (configure_kazoo): kazoo's "no value yet" sentinel and the function
// that makes kazoo's exception for a zkit error (code, name, message).
PyObject* g_none_yet = nullptr;
PyObject* g_exception_for = nullptr;
PyObject* g_queue_empty = nullptr;  // queue.Empty

py::list copy(const py::list& l) {
  return py::reinterpret_steal<py::list>(PyList_GetSlice(l.ptr(), 0, PY_SSIZE_T_MAX));
}

class KazooResult {
 public:
  KazooResult(py::object handler, py::object convert, std::shared_ptr<WorkQueue> queue);

  bool ready() const noexcept { return st_->ready.load(std::memory_order_acquire); }
  // These two do not build the value: a request that succeeded is successful (a value that
  // then failed to convert, a bug of zkit's, would show when it is read).
  bool successful() {
    if (!ready()) return false;
    return resolved_ ? !exception_ : !st_->error;
  }
  py::object exception() {
    if (!ready() || (!resolved_ && !st_->error)) return py::none();
    resolve();
    return exception_ ? exception_ : py::none();
  }
  py::object raw_exception() {  // kazoo's AsyncResult._exception: _NONE, None or the exception
    if (!ready()) return py::reinterpret_borrow<py::object>(g_none_yet);
    return exception();
  }
  py::object value() {
    resolve();
    return value_;
  }
  void set_value_attr(py::object v) { value_ = std::move(v); }
  py::object get(const py::object& self, bool block, const py::object& timeout);
  bool wait(const py::object& timeout) {
    if (!ready()) block_until_ready(timeout);
    return ready();
  }
  void rawlink(const py::object& self, const py::object& callback);
  void unlink(const py::object& callback);
  void settle_from_python(const py::object& self, py::object value, py::object exception);
  // The callbacks linked when the loop thread settled this result (the ones to run now).
  py::list settled_callbacks() const;
  const py::object& handler() const { return handler_; }
  const std::shared_ptr<Outcome>& outcome() const { return st_; }

  // For the garbage collector: what this result refers to.
  int traverse(visitproc visit, void* arg) const;
  void clear();

 private:
  void resolve();
  void block_until_ready(const py::object& timeout);

  std::shared_ptr<Outcome> st_;
  py::object handler_;
  py::object convert_;  // None: the native value as it is
  py::list callbacks_;
  py::object value_ = py::none();
  py::object exception_;  // null: none (or not resolved yet)
  bool resolved_ = false;
};

KazooResult::KazooResult(py::object handler, py::object convert, std::shared_ptr<WorkQueue> queue)
    : st_(std::make_shared<Outcome>()), handler_(std::move(handler)), convert_(std::move(convert)) {
  st_->queue = std::move(queue);
}


void KazooResult::resolve() {
  if (resolved_ || !ready()) return;
  Outcome& st = *st_;
  if (st.error) {
    const zkit::Error& e = *st.error;
    py::object exc = py::reinterpret_steal<py::object>(
        PyObject_CallFunction(g_exception_for, "iss", static_cast<int>(e.code()), std::string(zkit::to_string(e.code())).c_str(),
                              e.message().c_str()));
    if (!exc) throw py::error_already_set();
    if (!resolved_) exception_ = std::move(exc);
  } else {
    py::object v = st.value ? st.value() : py::none();
    if (!convert_.is_none()) {
      try {
        v = convert_(v);
      } catch (py::error_already_set& e) {
        if (!resolved_) exception_ = e.value();
        resolved_ = true;
        return;
      }
    }
    // Another thread may have resolved it while convert ran (it can yield the GIL): the first wins.
    if (!resolved_) value_ = std::move(v);
  }
  resolved_ = true;
}

void KazooResult::block_until_ready(const py::object& timeout) {
  // As threading.Condition.wait: None waits for good, a timeout <= 0 does not wait.
  double t = timeout.is_none() ? -1.0 : timeout.cast<double>();
  if (!timeout.is_none() && t <= 0) return;
  Outcome& st = *st_;
  py::gil_scoped_release unlocked;
  std::unique_lock lock(st.mu);
  ++st.waiters;
  auto done = [&] { return st.ready.load(std::memory_order_relaxed); };
  if (t < 0) st.cv.wait(lock, done);
  else st.cv.wait_for(lock, std::chrono::duration<double>(t), done);
  --st.waiters;
}

py::object KazooResult::get(const py::object& self, bool block, const py::object& timeout) {
  if (!ready() && block) block_until_ready(timeout);
  if (!ready()) {
    py::object timed_out = self.attr("_timeout_factory")();
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(timed_out.ptr())), timed_out.ptr());
    throw py::error_already_set();
  }
  resolve();
  if (exception_) {
    PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception_.ptr())), exception_.ptr());
    throw py::error_already_set();
  }
  return value_;
}

void KazooResult::rawlink(const py::object& self, const py::object& callback) {
  // The list is only touched under the GIL; the loop thread reads only linked_count, under mu.
  // Comparing callbacks may run Python code, so it happens before mu is taken (a Python thread
  // never waits for mu while another needs the GIL to let go of it).
  if (!callbacks_.contains(callback)) callbacks_.append(callback);
  bool was_ready;
  {
    std::lock_guard lock(st_->mu);
    was_ready = st_->ready.load(std::memory_order_relaxed);
    if (!was_ready) {
      st_->linked_count = callbacks_.size();
      if (st_->linked == nullptr) {
        st_->linked = self.ptr();
        Py_INCREF(st_->linked);
      }
    }
  }
  // As kazoo's: linking to a ready result dispatches its callbacks now.
  if (was_ready) self.attr("_hand_on")(copy(callbacks_));
}

void KazooResult::unlink(const py::object& callback) {
  if (ready()) return;
  if (!callbacks_.contains(callback)) return;
  callbacks_.attr("remove")(callback);
  PyObject* drop = nullptr;
  {
    std::lock_guard lock(st_->mu);
    if (st_->ready.load(std::memory_order_relaxed)) return;
    st_->linked_count = callbacks_.size();
    if (st_->linked_count == 0) std::swap(drop, st_->linked);
  }
  Py_XDECREF(drop);
}

void KazooResult::settle_from_python(const py::object& self, py::object value, py::object exception) {
  value_ = std::move(value);
  exception_ = std::move(exception);
  resolved_ = true;
  PyObject* linked = nullptr;
  {
    std::lock_guard lock(st_->mu);
    st_->ready.store(true, std::memory_order_release);
    std::swap(linked, st_->linked);
    if (st_->waiters > 0) st_->cv.notify_all();
  }
  Py_XDECREF(linked);
  if (callbacks_.size() > 0) self.attr("_hand_on")(copy(callbacks_));
}

py::list KazooResult::settled_callbacks() const {
  py::list out;
  std::size_t n;
  {
    std::lock_guard lock(st_->mu);
    n = st_->linked_count;
  }
  for (std::size_t i = 0; i < n && i < callbacks_.size(); ++i) out.append(callbacks_[i]);
  return out;
}

int KazooResult::traverse(visitproc visit, void* arg) const {
  Py_VISIT(handler_.ptr());
  Py_VISIT(convert_.ptr());
  Py_VISIT(callbacks_.ptr());
  Py_VISIT(value_.ptr());
  Py_VISIT(exception_.ptr());
  return 0;
}

void KazooResult::clear() {
  handler_ = py::none();
  convert_ = py::none();
  callbacks_ = py::list();
  value_ = py::none();
  exception_ = py::object();
}

// The Python face of WorkQueue: what kazoo's worker and kazoo's code call on a queue.Queue.
class WorkQueueHandle {
 public:
  explicit WorkQueueHandle(py::object last) : last_(std::move(last)), q_(std::make_shared<WorkQueue>(last_.ptr())) {}
  ~WorkQueueHandle() {
    for (PyObject* o : q_->close()) Py_DECREF(o);
  }
  void put(const py::object& item) {
    Py_INCREF(item.ptr());
    if (!q_->push(item.ptr())) Py_DECREF(item.ptr());  // after the stop item: as kazoo's, never run
  }
  py::object get(bool block, const py::object& timeout) {
    PyObject* item = q_->pop(block, timeout.is_none() ? -1.0 : std::max(timeout.cast<double>(), 0.0));
    if (item == nullptr) {
      PyErr_SetNone(g_queue_empty);
      throw py::error_already_set();
    }
    return py::reinterpret_steal<py::object>(item);
  }
  std::size_t qsize() { return q_->size(); }
  const std::shared_ptr<WorkQueue>& queue() const { return q_; }

 private:
  py::object last_;  // kept alive: the queue compares items with it
  std::shared_ptr<WorkQueue> q_;
};

}  // namespace

void Outcome::settle(std::optional<zkit::Error> e, Function<py::object()> v) {
  error = std::move(e);
  value = std::move(v);
  PyObject* hand_on = nullptr;
  {
    std::lock_guard lock(mu);
    ready.store(true, std::memory_order_release);
    std::swap(hand_on, linked);
    if (waiters > 0) cv.notify_all();
  }
  if (hand_on != nullptr) handoff->add(queue, hand_on);
}

void Handoff::add(std::shared_ptr<WorkQueue> queue, PyObject* result) {
  staged_.emplace_back(std::move(queue), result);
  if (staged_.size() > 1) return;  // a flush is on its way
  // At the end of this loop turn, after the callbacks of the current read; at once when the
  // host is gone or closed.
  if (auto host = host_.lock()) host->defer([self = shared_from_this()] { self->flush(); });
  else flush();
}

void Handoff::flush() {
  auto staged = std::move(staged_);
  staged_.clear();
  std::shared_ptr<WorkQueue> run_of;  // consecutive results for one queue go in one push_all
  std::vector<PyObject*> items;
  auto send = [&] {
    if (items.empty()) return;
    if (!run_of || !run_of->push_all(items)) {
      // The handler's queue is not ours or has stopped: zkit's dispatcher hands each result
      // on as kazoo's results do (its completion queue, or at once when the handler is
      // stopped). A dispatcher that has already stopped drops this unrun (the references
      // then leak, no more).
      for (PyObject* r : items)
        dispatcher_->push([r] {
          py::handle h(r);
          try {
            h.attr("_hand_on")(h.cast<KazooResult&>().settled_callbacks());
          } catch (py::error_already_set& e) {
            e.discard_as_unraisable("zkit.kazoo result");
          }
          Py_DECREF(r);
        });
    }
    items.clear();
  };
  for (auto& [q, r] : staged) {
    if (q != run_of) {
      send();
      run_of = q;
    }
    items.push_back(r);
  }
  send();
}

std::shared_ptr<Outcome> outcome_of(py::handle o) {
  if (!py::isinstance<KazooResult>(o)) return nullptr;
  return o.cast<KazooResult&>().outcome();
}

void bind_kazoo_results(py::module_& m) {
  py::none none;
  m.def("configure_kazoo", [](py::object none_yet, py::object exception_for, py::object queue_empty) {
    // Kept for the module's life.
    g_none_yet = none_yet.release().ptr();
    g_exception_for = exception_for.release().ptr();
    g_queue_empty = queue_empty.release().ptr();
  });
  py::class_<WorkQueueHandle>(m, "WorkQueue")
      .def(py::init<py::object>(), py::arg("last"))
      .def("put", [](WorkQueueHandle& q, const py::object& item, bool, const py::object&) { q.put(item); },
           py::arg("item"), py::arg("block") = true, py::arg("timeout") = none)
      .def("put_nowait", &WorkQueueHandle::put)
      .def("get", &WorkQueueHandle::get, py::arg("block") = true, py::arg("timeout") = none)
      .def("get_nowait", [](WorkQueueHandle& q) { return q.get(false, py::none()); })
      .def("task_done", [](WorkQueueHandle&) {})
      .def("qsize", &WorkQueueHandle::qsize)
      .def("empty", [](WorkQueueHandle& q) { return q.qsize() == 0; });
  py::class_<KazooResult>(m, "KazooResult", py::custom_type_setup([](PyHeapTypeObject* heap) {
                            auto* type = &heap->ht_type;
                            type->tp_flags |= Py_TPFLAGS_HAVE_GC;
                            type->tp_traverse = [](PyObject* self, visitproc visit, void* arg) {
                              auto& r = py::cast<KazooResult&>(py::handle(self));
                              return r.traverse(visit, arg);
                            };
                            type->tp_clear = [](PyObject* self) {
                              py::cast<KazooResult&>(py::handle(self)).clear();
                              return 0;
                            };
                          }))
      .def(py::init([](py::object handler, py::object convert, const py::object& queue) {
             // Any other queue (kazoo's queue.Queue): the dispatcher hands the result on.
             std::shared_ptr<WorkQueue> q;
             if (!queue.is_none() && py::isinstance<WorkQueueHandle>(queue)) q = queue.cast<WorkQueueHandle&>().queue();
             return new KazooResult(std::move(handler), std::move(convert), std::move(q));
           }),
           py::arg("handler"), py::arg("convert") = none, py::arg("queue") = none)
      .def("ready", &KazooResult::ready)
      .def("successful", &KazooResult::successful)
      .def_property_readonly("exception", &KazooResult::exception)
      .def_property_readonly("_exception", &KazooResult::raw_exception)
      .def_property("value", &KazooResult::value, &KazooResult::set_value_attr)
      .def_property_readonly("_handler", &KazooResult::handler)
      .def("get", [](py::object self, bool block, const py::object& timeout) {
             return self.cast<KazooResult&>().get(self, block, timeout);
           }, py::arg("block") = true, py::arg("timeout") = none)
      .def("get_nowait", [](py::object self) { return self.cast<KazooResult&>().get(self, false, py::none()); })
      .def("wait", &KazooResult::wait, py::arg("timeout") = none)
      .def("rawlink", [](py::object self, const py::object& cb) { self.cast<KazooResult&>().rawlink(self, cb); },
           py::arg("callback"))
      .def("unlink", &KazooResult::unlink, py::arg("callback"))
      .def("set", [](py::object self, py::object value) {
             self.cast<KazooResult&>().settle_from_python(self, std::move(value), py::object());
           }, py::arg("value") = none)
      .def("set_exception", [](py::object self, py::object exception) {
             self.cast<KazooResult&>().settle_from_python(self, py::none(), std::move(exception));
           }, py::arg("exception"))
      .def("_settled_callbacks", &KazooResult::settled_callbacks);
}

}  // namespace zkit::python
