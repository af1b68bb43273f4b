// zkit._zkit: the native core of the Python package. One Core is one session on a loop thread
// (zkit::bindings::Host). Blocking calls release the GIL while they wait; asynchronous calls,
// watchers and listeners hand their Python callable to the Dispatcher, whose Python thread runs
// them, so the loop thread never holds (or waits for) the GIL.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "../../core/host.hpp"
#include "dispatcher.hpp"
#include "kazoo_result.hpp"
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/locks/mutex.hpp"

namespace py = pybind11;
using zkit::python::Dispatcher;
using zkit::python::PyRef;

namespace {

PyObject* g_error = nullptr;  // zkit._zkit.ZkitError

[[noreturn]] void raise(const zkit::Error& e) {
  py::object args = py::make_tuple(static_cast<int>(e.code()), std::string(zkit::to_string(e.code())), e.message());
  PyErr_SetObject(g_error, args.ptr());
  throw py::error_already_set();
}

py::tuple stat_tuple(const zkit::Stat& s) {
  return py::make_tuple(s.czxid, s.mzxid, s.ctime, s.mtime, s.version, s.cversion, s.aversion, s.ephemeral_owner,
                        s.data_length, s.num_children, s.pzxid);
}

py::object error_tuple(const zkit::Error& e) {
  return py::make_tuple(static_cast<int>(e.code()), std::string(zkit::to_string(e.code())), e.message());
}

// Python values of each result type.
py::object to_py(const zkit::Created& c) { return py::make_tuple(c.path, stat_tuple(c.stat)); }
py::object to_py(const zkit::Stat& s) { return stat_tuple(s); }
py::object to_py(const std::optional<zkit::Stat>& s) { return s ? py::object(stat_tuple(*s)) : py::none(); }
// Null node data is None, as kazoo returns it; empty data is b"".
py::object data_or_none(const std::string& data, bool null) { return null ? py::none() : py::object(py::bytes(data)); }
py::object to_py(const zkit::Data& d) { return py::make_tuple(data_or_none(d.data, d.null), stat_tuple(d.stat)); }
py::object to_py(const zkit::Children& c) { return py::make_tuple(py::cast(c.names), stat_tuple(c.stat)); }
py::object to_py(const zkit::Acls& a) {
  py::list l;
  for (const auto& e : a.acl) l.append(py::make_tuple(e.perms, e.id.scheme, e.id.id));
  return py::make_tuple(l, stat_tuple(a.stat));
}
py::object to_py(const std::vector<std::string>& v) { return py::cast(v); }
py::object to_py(std::int32_t n) { return py::int_(n); }
py::object to_py(const std::vector<zkit::ClientInfo>& v) {
  py::list l;
  for (const auto& c : v) l.append(py::make_tuple(c.scheme, c.user));
  return l;
}
py::object to_py(const zkit::MultiResult& m) {
  py::list l;
  for (const auto& r : m.results)
    l.append(py::make_tuple(static_cast<int>(r.error), std::string(zkit::to_string(r.error)), r.path,
                            r.stat ? py::object(stat_tuple(*r.stat)) : py::none(), data_or_none(r.data, r.null_data),
                            py::cast(r.children)));
  return py::make_tuple(m.committed, l);
}

// A node's data from Python: bytes, or None for null data (nullopt).
std::optional<std::string> node_data(const py::object& data) {
  if (data.is_none()) return std::nullopt;
  if (!py::isinstance<py::bytes>(data)) throw py::type_error("data must be bytes or None");
  return std::string(data.cast<py::bytes>());
}

zkit::AclList acl_from(const py::object& acl) {
  if (acl.is_none()) return zkit::open_acl_unsafe();
  zkit::AclList out;
  for (auto item : acl) {
    auto t = item.cast<py::tuple>();
    out.push_back(zkit::Acl{t[0].cast<std::int32_t>(), zkit::Id{t[1].cast<std::string>(), t[2].cast<std::string>()}});
  }
  return out;
}

class Core;

// A persistent watch, removed on the loop thread.
class Watch {
 public:
  Watch(std::shared_ptr<zkit::bindings::Host> host, std::shared_ptr<zkit::WatchHandle> h)
      : host_(std::move(host)), handle_(std::move(h)) {}
  ~Watch() { remove(); }
  void remove() {
    if (!handle_) return;
    auto h = std::move(handle_);
    py::gil_scoped_release unlocked;
    if (!host_->run([&](zkit::Session&) { h->remove(); })) h->detach();
  }

 private:
  std::shared_ptr<zkit::bindings::Host> host_;
  std::shared_ptr<zkit::WatchHandle> handle_;
};

class Core {
 public:
  Core(const std::string& connect, std::int64_t session_timeout_ms, std::int64_t request_timeout_ms, bool read_only)
      : dispatcher_(std::make_shared<Dispatcher>()) {
    zkit::Options o;
    o.connect = connect;
    o.session_timeout = std::chrono::milliseconds(session_timeout_ms);
    o.request_timeout = std::chrono::milliseconds(request_timeout_ms);
    o.can_be_read_only = read_only;
    zkit::Result<std::shared_ptr<zkit::bindings::Host>> h = zkit::Error(zkit::Errc::closing);
    {
      py::gil_scoped_release unlocked;
      h = zkit::bindings::Host::open(std::move(o));
    }
    if (!h) raise(h.error());
    host_ = std::move(h).value();
    handoff_ = std::make_shared<zkit::python::Handoff>(host_, dispatcher_);
  }
  ~Core() {
    py::gil_scoped_release unlocked;
    if (host_) host_->close();
    dispatcher_->stop();
  }

  void run_dispatcher(const py::object& after_batch) { dispatcher_->run(after_batch.ptr()); }
  void stop_dispatcher() { dispatcher_->stop(); }

  void close() {
    py::gil_scoped_release unlocked;
    host_->close();
  }

  std::string state() const { return std::string(zkit::to_string(host_->state())); }
  std::int64_t session_id() const { return host_->session_id(); }
  py::bytes session_password() const { return py::bytes(host_->session_password()); }
  std::int64_t negotiated_timeout() const { return host_->negotiated_timeout().count(); }

  // A Python callable as a watcher: run on the dispatcher thread with (type, state, path).
  zkit::Watcher watcher(const py::object& fn) {
    if (fn.is_none()) return {};
    auto ref = std::make_shared<PyRef>(dispatcher_, fn.ptr());
    auto d = dispatcher_;
    return [d, ref](const zkit::WatchEvent& e) {
      d->push([ref, type = static_cast<int>(e.type), state = std::string(zkit::to_string(e.state)), path = e.path] {
        guard_call(ref->get(), py::make_tuple(type, state, path));
      });
    };
  }

  std::uint64_t add_listener(const py::object& fn) {
    auto ref = std::make_shared<PyRef>(dispatcher_, fn.ptr());
    auto d = dispatcher_;
    zkit::ListenerId id = 0;
    py::gil_scoped_release unlocked;
    bool ran = host_->run([&](zkit::Session& s) {
      id = s.add_listener([d, ref](zkit::SessionState st) {
        d->push([ref, state = std::string(zkit::to_string(st))] { guard_call(ref->get(), py::make_tuple(state)); });
      });
    });
    if (!ran) {
      py::gil_scoped_acquire locked;
      raise(zkit::Error(zkit::Errc::closing, "the client is closed"));
    }
    return id;
  }

  void remove_listener(std::uint64_t id) {
    py::gil_scoped_release unlocked;
    (void)host_->run([&](zkit::Session& s) { s.remove_listener(id); });
  }

  // Runs `op(session, callback)`: blocking when `callback` is None (returns the value, raises
  // ZkitError), else posts it and calls callback(error_tuple_or_None, value) on the dispatcher.
  template <class T, class Op>
  py::object call(const py::object& callback, Op op) {
    if (callback.is_none()) {
      zkit::Result<T> r = zkit::Error(zkit::Errc::closing);
      {
        py::gil_scoped_release unlocked;
        r = host_->wait<T>(op);
      }
      if (!r) raise(r.error());
      if constexpr (std::is_void_v<T>) return py::none();
      else return to_py(*r);
    }
    if (auto st = zkit::python::outcome_of(callback)) {
      // zkit.kazoo's result: the loop thread settles it itself (see kazoo_result.hpp).
      st->handoff = handoff_;
      bool posted = host_->post([op = std::move(op), st = std::move(st)](zkit::Session& s) mutable {
        op(s, zkit::Callback<T>([st = std::move(st)](zkit::Result<T> r) {
          if (!r) return st->settle(std::move(r).error(), nullptr);
          if constexpr (std::is_void_v<T>) st->settle(std::nullopt, nullptr);
          else st->settle(std::nullopt, [v = std::move(r).value()] { return to_py(v); });
        }));
      });
      if (!posted) raise(zkit::Error(zkit::Errc::closing, "the client is closed"));
      return py::none();
    }
    auto ref = std::make_shared<PyRef>(dispatcher_, callback.ptr());
    auto d = dispatcher_;
    bool posted = host_->post([op = std::move(op), ref, d](zkit::Session& s) mutable {
      op(s, zkit::Callback<T>([ref, d](zkit::Result<T> r) {
        d->push([ref, r = std::move(r)] {
          if (!r) return guard_call(ref->get(), py::make_tuple(error_tuple(r.error()), py::none()));
          if constexpr (std::is_void_v<T>) guard_call(ref->get(), py::make_tuple(py::none(), py::none()));
          else guard_call(ref->get(), py::make_tuple(py::none(), to_py(*r)));
        });
      }));
    });
    if (!posted) raise(zkit::Error(zkit::Errc::closing, "the client is closed"));
    return py::none();
  }

  py::object create(const std::string& path, const py::object& data, int mode, const py::object& acl,
                    std::int64_t ttl_ms, const py::object& cb) {
    // CreateOptions only refers to its ACL: the list travels in the lambda, which outlives the call.
    return call<zkit::Created>(cb, [p = path, d = node_data(data), mode, a = acl_from(acl), ttl_ms](zkit::Session& s, auto done) {
      zkit::CreateOptions o{.mode = static_cast<zkit::CreateMode>(mode), .acl = a, .ttl = std::chrono::milliseconds(ttl_ms)};
      if (d)
        s.create(p, *d, o, std::move(done));
      else
        s.create(p, zkit::null_data, o, std::move(done));
    });
  }
  py::object remove(const std::string& path, int version, const py::object& cb) {
    return call<void>(cb, [p = path, version](zkit::Session& s, auto done) { s.remove(p, version, std::move(done)); });
  }
  py::object exists(const std::string& path, const py::object& watch, const py::object& cb) {
    return call<std::optional<zkit::Stat>>(cb, [p = path, w = std::make_shared<zkit::Watcher>(watcher(watch))](
                                                   zkit::Session& s, auto done) {
      s.exists(p, std::move(*w), std::move(done));
    });
  }
  py::object get(const std::string& path, const py::object& watch, const py::object& cb) {
    return call<zkit::Data>(cb, [p = path, w = std::make_shared<zkit::Watcher>(watcher(watch))](zkit::Session& s,
                                                                                               auto done) {
      s.get(p, std::move(*w), std::move(done));
    });
  }
  py::object set(const std::string& path, const py::object& data, int version, const py::object& cb) {
    return call<zkit::Stat>(cb, [p = path, d = node_data(data), version](zkit::Session& s, auto done) {
      if (d)
        s.set(p, *d, version, std::move(done));
      else
        s.set(p, zkit::null_data, version, std::move(done));
    });
  }
  py::object get_children(const std::string& path, const py::object& watch, const py::object& cb) {
    return call<zkit::Children>(cb, [p = path, w = std::make_shared<zkit::Watcher>(watcher(watch))](
                                        zkit::Session& s, auto done) {
      s.get_children(p, std::move(*w), std::move(done));
    });
  }
  py::object sync(const std::string& path, const py::object& cb) {
    return call<void>(cb, [p = path](zkit::Session& s, auto done) { s.sync(p, std::move(done)); });
  }
  py::object get_acl(const std::string& path, const py::object& cb) {
    return call<zkit::Acls>(cb, [p = path](zkit::Session& s, auto done) { s.get_acl(p, std::move(done)); });
  }
  py::object set_acl(const std::string& path, const py::object& acl, int version, const py::object& cb) {
    return call<zkit::Stat>(cb, [p = path, a = acl_from(acl), version](zkit::Session& s, auto done) {
      s.set_acl(p, a, version, std::move(done));
    });
  }
  py::object add_auth(const std::string& scheme, const std::string& cred, const py::object& cb) {
    return call<void>(cb, [scheme, cred](zkit::Session& s, auto done) { s.add_auth(scheme, cred, std::move(done)); });
  }
  // ops: tuples ("create", path, data, mode, acl) ("delete", path, version) ("set", path, data,
  // version) ("check", path, version) ("get", path) ("get_children", path); data None: null data.
  py::object multi(const py::list& ops, const py::object& cb) {
    std::vector<zkit::TxnOp> txn;
    for (auto item : ops) {
      auto t = item.cast<py::tuple>();
      auto kind = t[0].cast<std::string>();
      auto path = t[1].cast<std::string>();
      if (kind == "create") {
        zkit::CreateOptions o;
        o.mode = static_cast<zkit::CreateMode>(t[3].cast<int>());
        zkit::AclList acl = acl_from(t[4]);  // TxnOp::create copies it
        o.acl = acl;
        auto data = node_data(t[2]);
        txn.push_back(data ? zkit::TxnOp::create(path, std::move(*data), o) : zkit::TxnOp::create(path, zkit::null_data, o));
      } else if (kind == "delete") txn.push_back(zkit::TxnOp::remove(path, t[2].cast<int>()));
      else if (kind == "set") {
        auto data = node_data(t[2]);
        int version = t[3].cast<int>();
        txn.push_back(data ? zkit::TxnOp::set(path, std::move(*data), version) : zkit::TxnOp::set(path, zkit::null_data, version));
      } else if (kind == "check") txn.push_back(zkit::TxnOp::check(path, t[2].cast<int>()));
      else if (kind == "get") txn.push_back(zkit::TxnOp::get(path));
      else if (kind == "get_children") txn.push_back(zkit::TxnOp::get_children(path));
      else throw py::value_error("unknown multi op " + kind);
    }
    return call<zkit::MultiResult>(cb, [txn = std::move(txn)](zkit::Session& s, auto done) { s.multi(txn, std::move(done)); });
  }
  // None for an argument leaves it out of the request (ZooKeeper's null string).
  py::object reconfig(const py::object& joining, const py::object& leaving, const py::object& new_members,
                      std::int64_t from_config, const py::object& cb) {
    auto text = [](const py::object& o) {
      return o.is_none() ? std::optional<std::string>() : std::optional<std::string>(o.cast<std::string>());
    };
    zkit::Reconfig change{.joining = text(joining), .leaving = text(leaving), .new_members = text(new_members),
                          .from_config = from_config};
    return call<zkit::Data>(cb, [change = std::move(change)](zkit::Session& s, auto done) {
      s.reconfig(change, std::move(done));
    });
  }
  std::unique_ptr<Watch> add_watch(const std::string& path, bool recursive, const py::object& fn) {
    auto handle = std::make_shared<zkit::WatchHandle>();
    auto w = std::make_shared<zkit::Watcher>(watcher(fn));
    auto mode = recursive ? zkit::WatchMode::persistent_recursive : zkit::WatchMode::persistent;
    zkit::Result<void> r;
    {
      py::gil_scoped_release unlocked;
      r = host_->wait<void>([&](zkit::Session& s, zkit::Callback<void> done) {
        s.add_watch(path, mode, std::move(*w), [handle, done = std::move(done)](zkit::Result<zkit::WatchHandle> h) mutable {
          if (!h) return done(std::move(h).error());
          *handle = std::move(h).value();
          done({});
        });
      });
    }
    if (!r) raise(r.error());
    return std::make_unique<Watch>(host_, handle);
  }
  py::object remove_watches(const std::string& path, int kind, bool local, const py::object& cb) {
    return call<void>(cb, [p = path, kind, local](zkit::Session& s, auto done) {
      s.remove_watches(p, static_cast<zkit::WatcherKind>(kind), local, std::move(done));
    });
  }
  py::object who_am_i(const py::object& cb) {
    return call<std::vector<zkit::ClientInfo>>(cb, [](zkit::Session& s, auto done) { s.who_am_i(std::move(done)); });
  }
  py::object get_ephemerals(const std::string& prefix, const py::object& cb) {
    return call<std::vector<std::string>>(cb, [p = prefix](zkit::Session& s, auto done) {
      s.get_ephemerals(p, std::move(done));
    });
  }
  py::object get_all_children_number(const std::string& path, const py::object& cb) {
    return call<std::int32_t>(cb, [p = path](zkit::Session& s, auto done) {
      s.get_all_children_number(p, std::move(done));
    });
  }

  // "host:port" of the server the session is connected to; "" while disconnected.
  std::string connected_host() {
    std::string where;
    py::gil_scoped_release unlocked;
    (void)host_->run([&](zkit::Session& s) { where = s.connected_host(); });
    return where;
  }

  void update_servers(const std::string& hosts) {
    zkit::Result<void> r;
    {
      py::gil_scoped_release unlocked;
      if (!host_->run([&](zkit::Session& s) { r = s.update_servers(hosts); }))
        r = zkit::Error(zkit::Errc::closing, "the client is closed");
    }
    if (!r) raise(r.error());
  }

  const std::shared_ptr<zkit::bindings::Host>& host() const { return host_; }

  // fn(*args) on the dispatcher; an exception it raises is reported as unraisable.
  static void guard_call(PyObject* fn, const py::tuple& args) {
    PyObject* r = PyObject_Call(fn, args.ptr(), nullptr);  // without pybind11's re-packing of *args
    if (r == nullptr) py::error_already_set().discard_as_unraisable("zkit callback");
    Py_XDECREF(r);
  }

 private:
  std::shared_ptr<Dispatcher> dispatcher_;
  std::shared_ptr<zkit::bindings::Host> host_;
  std::shared_ptr<zkit::python::Handoff> handoff_;  // loop thread only, after the constructor
};

// zkit's Mutex on a Core's loop thread; each call releases the GIL while it waits.
class Mutex {
 public:
  Mutex(Core& core, const std::string& path) : host_(core.host()) {
    py::gil_scoped_release unlocked;
    if (!host_->run([&](zkit::Session& s) { m_ = std::make_unique<zkit::recipes::Mutex>(s, path); })) {
      py::gil_scoped_acquire locked;
      raise(zkit::Error(zkit::Errc::closing, "the client is closed"));
    }
  }
  ~Mutex() { close(); }
  std::int64_t acquire(double timeout) {
    auto* m = m_.get();
    zkit::Result<zkit::recipes::FencingToken> r = zkit::Error(zkit::Errc::closing);
    {
      py::gil_scoped_release unlocked;
      r = host_->run_task<zkit::recipes::FencingToken>([m, timeout](zkit::Session&) {
        return timeout < 0 ? m->acquire() : m->acquire(std::chrono::milliseconds(static_cast<std::int64_t>(timeout * 1000)));
      });
    }
    if (!r) raise(r.error());
    return r->zxid;
  }
  void release() {
    auto* m = m_.get();
    zkit::Result<void> r;
    {
      py::gil_scoped_release unlocked;
      r = host_->run_task<void>([m](zkit::Session&) { return m->release(); });
    }
    if (!r) raise(r.error());
  }
  void close() {
    if (!m_) return;
    auto* m = m_.get();
    py::gil_scoped_release unlocked;
    (void)host_->run_task<void>([m](zkit::Session&) { return closed(m); });
    if (!host_->run([&](zkit::Session&) { m_.reset(); })) (void)m_.release();  // session gone: let go
  }

 private:
  static zkit::Task<zkit::Result<void>> closed(zkit::recipes::Mutex* m) {
    co_await m->close();
    co_return zkit::Result<void>();
  }
  std::shared_ptr<zkit::bindings::Host> host_;
  std::unique_ptr<zkit::recipes::Mutex> m_;
};

// zkit's LeaderLatch on a Core's loop thread, started when made; each call releases the GIL
// while it waits.
class LeaderLatch {
 public:
  LeaderLatch(Core& core, const std::string& path, const std::string& id) : host_(core.host()) {
    py::gil_scoped_release unlocked;
    if (!host_->run([&](zkit::Session& s) { l_ = std::make_unique<zkit::recipes::LeaderLatch>(s, path, id); })) {
      py::gil_scoped_acquire locked;
      raise(zkit::Error(zkit::Errc::closing, "the client is closed"));
    }
    auto* l = l_.get();
    auto started = host_->run_task<void>([l](zkit::Session&) { return l->start(); });
    if (!started) {
      close_unlocked();
      py::gil_scoped_acquire locked;
      raise(started.error());
    }
  }
  ~LeaderLatch() { close(); }
  std::int64_t await_leadership(double timeout) {
    auto* l = l_.get();
    if (l == nullptr) raise(zkit::Error(zkit::Errc::closing, "the latch is closed"));
    zkit::Result<zkit::recipes::FencingToken> r = zkit::Error(zkit::Errc::closing);
    {
      py::gil_scoped_release unlocked;
      r = host_->run_task<zkit::recipes::FencingToken>([l, timeout](zkit::Session&) {
        return timeout < 0 ? l->await_leadership()
                           : l->await_leadership(std::chrono::milliseconds(static_cast<std::int64_t>(timeout * 1000)));
      });
    }
    if (!r) raise(r.error());
    return r->zxid;
  }
  bool has_leadership() {
    auto* l = l_.get();
    bool leads = false;
    if (l == nullptr) return false;
    py::gil_scoped_release unlocked;
    (void)host_->run([&](zkit::Session&) { leads = l->has_leadership(); });
    return leads;
  }
  // Leaves the election (deletes our node). Idempotent.
  void close() {
    py::gil_scoped_release unlocked;
    close_unlocked();
  }

 private:
  void close_unlocked() {
    if (!l_) return;
    auto* l = l_.get();
    (void)host_->run_task<void>([l](zkit::Session&) { return closed(l); });
    if (!host_->run([&](zkit::Session&) { l_.reset(); })) (void)l_.release();  // session gone: let go
  }
  static zkit::Task<zkit::Result<void>> closed(zkit::recipes::LeaderLatch* l) {
    co_await l->close();
    co_return zkit::Result<void>();
  }
  std::shared_ptr<zkit::bindings::Host> host_;
  std::unique_ptr<zkit::recipes::LeaderLatch> l_;
};

}  // namespace

PYBIND11_MODULE(_zkit, m) {
  m.doc() = "zkit's native core (use the zkit package, not this module)";
  g_error = PyErr_NewException("zkit._zkit.ZkitError", PyExc_Exception, nullptr);
  m.attr("ZkitError") = py::handle(g_error);
  py::none none;

  zkit::python::bind_kazoo_results(m);
  py::class_<Watch>(m, "Watch").def("remove", &Watch::remove);
  py::class_<Core>(m, "Core")
      .def(py::init<const std::string&, std::int64_t, std::int64_t, bool>(), py::arg("connect"),
           py::arg("session_timeout_ms") = 10000, py::arg("request_timeout_ms") = -1, py::arg("read_only") = false)
      .def("run_dispatcher", &Core::run_dispatcher, py::arg("after_batch") = none)
      .def("stop_dispatcher", &Core::stop_dispatcher)
      .def("close", &Core::close)
      .def_property_readonly("state", &Core::state)
      .def_property_readonly("session_id", &Core::session_id)
      .def_property_readonly("session_password", &Core::session_password)
      .def_property_readonly("negotiated_timeout_ms", &Core::negotiated_timeout)
      .def("add_listener", &Core::add_listener)
      .def("remove_listener", &Core::remove_listener)
      .def("create", &Core::create, py::arg("path"), py::arg("data"), py::arg("mode") = 0, py::arg("acl") = none,
           py::arg("ttl_ms") = 0, py::arg("callback") = none)
      .def("delete", &Core::remove, py::arg("path"), py::arg("version") = -1, py::arg("callback") = none)
      .def("exists", &Core::exists, py::arg("path"), py::arg("watch") = none, py::arg("callback") = none)
      .def("get", &Core::get, py::arg("path"), py::arg("watch") = none, py::arg("callback") = none)
      .def("set", &Core::set, py::arg("path"), py::arg("data"), py::arg("version") = -1, py::arg("callback") = none)
      .def("get_children", &Core::get_children, py::arg("path"), py::arg("watch") = none, py::arg("callback") = none)
      .def("sync", &Core::sync, py::arg("path"), py::arg("callback") = none)
      .def("get_acl", &Core::get_acl, py::arg("path"), py::arg("callback") = none)
      .def("set_acl", &Core::set_acl, py::arg("path"), py::arg("acl"), py::arg("version") = -1,
           py::arg("callback") = none)
      .def("add_auth", &Core::add_auth, py::arg("scheme"), py::arg("credentials"), py::arg("callback") = none)
      .def("multi", &Core::multi, py::arg("ops"), py::arg("callback") = none)
      .def("reconfig", &Core::reconfig, py::arg("joining"), py::arg("leaving"), py::arg("new_members"),
           py::arg("from_config") = -1, py::arg("callback") = none)
      .def("add_watch", &Core::add_watch, py::arg("path"), py::arg("recursive"), py::arg("watcher"))
      .def("remove_watches", &Core::remove_watches, py::arg("path"), py::arg("kind"), py::arg("local") = false,
           py::arg("callback") = none)
      .def("update_servers", &Core::update_servers, py::arg("hosts"))
      .def_property_readonly("connected_host", &Core::connected_host)
      .def("who_am_i", &Core::who_am_i, py::arg("callback") = none)
      .def("get_ephemerals", &Core::get_ephemerals, py::arg("prefix") = "/", py::arg("callback") = none)
      .def("get_all_children_number", &Core::get_all_children_number, py::arg("path"), py::arg("callback") = none);
  py::class_<Mutex>(m, "Mutex")
      .def(py::init<Core&, const std::string&>(), py::keep_alive<1, 2>())
      .def("acquire", &Mutex::acquire, py::arg("timeout") = -1.0)
      .def("release", &Mutex::release)
      .def("close", &Mutex::close);
  py::class_<LeaderLatch>(m, "LeaderLatch")
      .def(py::init<Core&, const std::string&, const std::string&>(), py::keep_alive<1, 2>())
      .def("await_leadership", &LeaderLatch::await_leadership, py::arg("timeout") = -1.0)
      .def("has_leadership", &LeaderLatch::has_leadership)
      .def("close", &LeaderLatch::close);
}
