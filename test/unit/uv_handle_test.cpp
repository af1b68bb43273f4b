// zkit::uv::Handle: memory freed only from the close callback, `closed` run once, an owner
// destroyed from inside the handle's own callback, moves.
#include <doctest/doctest.h>

#include "free_watch.hpp"
#include "own_loop.hpp"
#include "zkit/uv/handle.hpp"

using zkit::unit::freed;
using zkit::unit::watch_free;
using zkit::uv::Handle;
using zkit::unit::OwnLoop;

// A Handle's libuv struct is the first member of what it allocates, so the handle's address is
// the allocation's: watch_free(handle) tells when the Handle frees it.

TEST_CASE("a closed handle is freed from its close callback, not by close()") {
  OwnLoop loop;
  Handle<uv_timer_t> t(loop.get(), uv_timer_init);
  REQUIRE(t);
  uv_handle_t* h = t.base();
  watch_free(h);
  bool freed_when_closed_ran = false;
  int closed = 0;
  t.close([&] {
    ++closed;
    freed_when_closed_ran = freed();
  });
  CHECK(!t);
  CHECK_FALSE(freed());  // libuv still owns it: the close callback has not run
  CHECK(closed == 0);
  CHECK(uv_is_closing(h));  // still readable, and closing
  loop.run();
  CHECK(closed == 1);
  CHECK(freed_when_closed_ran);  // freed before `closed` runs, so the owner may go there
  CHECK(freed());
}

TEST_CASE("a handle destroyed without close() is closed and freed the same way") {
  OwnLoop loop;
  {
    Handle<uv_async_t> a(loop.get(), uv_async_init, [](uv_async_t*) {});
    REQUIRE(a);
    watch_free(a.get());
  }
  CHECK_FALSE(freed());
  loop.run();
  CHECK(freed());
}

TEST_CASE("`closed` runs once, however often the handle is closed") {
  OwnLoop loop;
  int first = 0, second = 0;
  {
    Handle<uv_timer_t> t(loop.get(), uv_timer_init);
    t.close([&] { ++first; });
    t.close([&] { ++second; });  // already closed: runs at once, and the first is untouched
    CHECK(second == 1);
    CHECK(first == 0);
  }  // the destructor of a closed Handle closes nothing
  loop.run();
  CHECK(first == 1);
  CHECK(second == 1);
}

TEST_CASE("close_with falls back to uv_close when the closing call fails") {
  OwnLoop loop;
  Handle<uv_tcp_t> tcp(loop.get(), uv_tcp_init);
  REQUIRE(tcp);
  int closed = 0;
  // No socket yet: uv_tcp_close_reset refuses (EINVAL), so the Handle closes it plainly.
  tcp.close_with(uv_tcp_close_reset, [&] { ++closed; });
  loop.run();
  CHECK(closed == 1);
}

TEST_CASE("an init that fails leaves an empty handle with libuv's error") {
  OwnLoop loop;
  Handle<uv_timer_t> t(loop.get(), [](uv_loop_t*, uv_timer_t*) { return UV_EINVAL; });
  CHECK(!t);
  CHECK(t.get() == nullptr);
  CHECK(t.error() == UV_EINVAL);
  int closed = 0;
  t.close([&] { ++closed; });
  CHECK(closed == 1);
}

TEST_CASE("the owner of a handle may destroy it from inside the handle's own callback") {
  OwnLoop loop;
  struct Owner {
    Handle<uv_timer_t> timer;
    int* fired;
  };
  int fired = 0;
  auto* owner = new Owner{Handle<uv_timer_t>(loop.get(), uv_timer_init), &fired};
  owner->timer->data = owner;
  watch_free(owner->timer.get());
  // Repeating: were the handle not closed, it would fire again and touch the freed Owner.
  uv_timer_start(owner->timer.get(), [](uv_timer_t* t) {
    auto* o = static_cast<Owner*>(t->data);
    ++*o->fired;
    delete o;
  }, 0, 1);
  loop.run();  // returns only once the timer has closed
  CHECK(fired == 1);
  CHECK(freed());
}

TEST_CASE("a moved handle keeps its libuv struct; a handle moved over is closed first") {
  OwnLoop loop;
  Handle<uv_timer_t> a(loop.get(), uv_timer_init);
  uv_timer_t* raw = a.get();
  Handle<uv_timer_t> b(std::move(a));
  CHECK(!a);
  CHECK(a.get() == nullptr);
  CHECK(b.get() == raw);

  Handle<uv_timer_t> c(loop.get(), uv_timer_init);
  watch_free(c.get());
  c = std::move(b);  // c's own timer is closed (freed once its close callback has run)
  CHECK(c.get() == raw);
  CHECK_FALSE(freed());

  int fired = 0;
  c->data = &fired;
  uv_timer_start(c.get(), [](uv_timer_t* t) { ++*static_cast<int*>(t->data); }, 0, 0);
  loop.run();
  CHECK(fired == 1);  // the moved-from Handles closed nothing of it
  CHECK(freed());
}
