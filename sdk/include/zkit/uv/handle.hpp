// zkit::uv::Handle<T>: one libuv handle (uv_timer_t, uv_tcp_t, uv_async_t, ...) whose memory
// lives exactly as long as libuv needs it.
//
// libuv owns a handle from its uv_*_init call until its close callback has run; freeing it
// before that is a use-after-free, and forgetting to close it keeps the loop running. A Handle
// allocates the libuv struct on the heap; close() (or the destructor) hands it to uv_close and
// frees it in the close callback. So the object that owns a Handle may be destroyed at any
// time, from inside the handle's own callback too: after close(), none of the handle's own
// callbacks (timer, read, async, signal...) runs again. Requests made on a stream handle are
// the exception: libuv calls a pending write, connect or shutdown callback with UV_ECANCELED
// after uv_close and before the close callback, so an owner with requests in flight must stay
// alive until `closed` has run (keep it alive from there).
//
// This header is for code that drives libuv itself (zkit's own layers, its testing kit and
// tools, or an application's loop); a Session needs none of it.
//
//   zkit::uv::Handle<uv_timer_t> t(loop, uv_timer_init);
//   t->data = this;
//   uv_timer_start(t.get(), [](uv_timer_t* h) { static_cast<Me*>(h->data)->tick(); }, 100, 0);
//   t.close([] { /* the timer's memory is gone now */ });
#pragma once

#include <uv.h>

#include <utility>

#include "zkit/function.hpp"

namespace zkit::uv {

template <class T>
class Handle {
 public:
  Handle() noexcept = default;
  // Allocates a T and initialises it with `init(loop, handle, args...)`. If init fails, the
  // Handle is empty and error() says why (a libuv error code).
  template <class Init, class... Args>
  Handle(uv_loop_t* loop, Init init, Args&&... args) : box_(new Box) {
    if (int rc = init(loop, &box_->handle, std::forward<Args>(args)...); rc != 0) {
      delete box_;
      box_ = nullptr;
      error_ = rc;
    }
  }
  Handle(Handle&& o) noexcept : box_(std::exchange(o.box_, nullptr)), error_(o.error_) {}
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      close();
      box_ = std::exchange(o.box_, nullptr);
      error_ = o.error_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { close(); }

  // The libuv handle, or nullptr for an empty Handle.
  T* get() const noexcept { return box_ ? &box_->handle : nullptr; }
  // The libuv handle's members.
  T* operator->() const noexcept { return get(); }
  // The handle as a uv_handle_t, for libuv's generic calls.
  uv_handle_t* base() const noexcept { return reinterpret_cast<uv_handle_t*>(get()); }
  // Whether it holds a handle.
  explicit operator bool() const noexcept { return box_ != nullptr; }
  // The libuv error from initialising the handle (0: none).
  int error() const noexcept { return error_; }

  // Closes the handle (idempotent; the Handle is empty afterwards). `closed` runs from the
  // close callback, on the loop thread, once libuv is done with the handle and its requests.
  void close(Function<void()> closed = {}) {
    close_with([](T* h, uv_close_cb cb) {
      uv_close(reinterpret_cast<uv_handle_t*>(h), cb);
      return 0;
    }, std::move(closed));
  }

  // The same with another closing call of the shape `int(T*, uv_close_cb)`, such as
  // uv_tcp_close_reset; if it fails, the handle is closed with uv_close.
  template <class Closer>
  void close_with(Closer closer, Function<void()> closed = {}) {
    Box* box = std::exchange(box_, nullptr);
    if (!box) {
      if (closed) closed();
      return;
    }
    auto* h = reinterpret_cast<uv_handle_t*>(&box->handle);
    if (uv_is_closing(h)) {
      // Closed behind our back (a loop torn down with uv_walk): its close callback is not
      // ours, so the memory cannot be freed safely; leaking the few bytes is the safe choice.
      if (closed) closed();
      return;
    }
    // No callback but the close callback runs after this point, so `data` is ours again: it
    // points at the box, or at a Closing that also holds `closed` (made only when one is
    // given, so an open handle costs only its libuv struct).
    uv_close_cb done;
    if (closed) {
      h->data = new Closing{box, std::move(closed)};
      done = [](uv_handle_t* handle) {
        auto* c = static_cast<Closing*>(handle->data);
        Function<void()> f = std::move(c->closed);
        delete c->box;
        delete c;
        f();
      };
    } else {
      h->data = box;
      done = [](uv_handle_t* handle) { delete static_cast<Box*>(handle->data); };
    }
    if (closer(&box->handle, done) != 0) uv_close(h, done);
  }

 private:
  struct Box {
    T handle{};
  };
  struct Closing {
    Box* box;
    Function<void()> closed;
  };
  Box* box_ = nullptr;
  int error_ = 0;
};

}  // namespace zkit::uv
