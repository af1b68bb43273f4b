// The recipes behind the C ABI: zkit's coroutine recipes, each object living on the client's
// loop thread, each call a Task run there to completion (Host::run_task) while the caller
// waits. (When zkit::Client grows blocking recipe faces, these can sit on them instead.)
#include "internal.hpp"
#include "zkit/recipes/barriers/double_barrier.hpp"
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/locks/mutex.hpp"

using zkit::c::close_object;
using zkit::c::fail;
using zkit::c::guarded;
using zkit::recipes::FencingToken;

namespace {

// A recipe object made, used and destroyed on the loop thread; the Host stays alive with it.
template <class R>
struct Recipe {
  std::shared_ptr<zkit::bindings::Host> host;
  std::unique_ptr<R> object;
};

template <class Outer, class Make>
int make(zkit_client* client, const char* path, Outer** out, Make&& construct) {
  if (int rc = zkit::c::check(client, path); rc) return rc;
  if (out == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "out is NULL");
  auto r = std::make_unique<Outer>();
  r->host = client->host;
  if (!client->host->run([&](zkit::Session& s) { r->object = construct(s); }))
    return fail(ZKIT_CLOSING, "the client is closed");
  *out = r.release();
  return ZKIT_OK;
}

// Closes (Task<void>) and destroys the object on the loop thread; if the session is gone,
// the object goes with nothing left to close.
template <bool CloseFirst, class Outer>
void destroy(Outer* r) {
  if (r == nullptr) return;
  if constexpr (CloseFirst) {
    auto* object = r->object.get();
    auto closed = r->host->template run_task<void>([object](zkit::Session&) { return close_object(object); });
    (void)closed;  // closing or not, the object is freed
  }
  if (!r->host->run([r](zkit::Session&) { r->object.reset(); })) {
    // zkit_close came first (against the rules): the object still refers to the session that
    // is gone, so destroying it would touch freed memory. It is let go instead.
    (void)r->object.release();
  }
  delete r;
}

std::chrono::milliseconds ms(int64_t v) { return std::chrono::milliseconds(v); }

}  // namespace

struct zkit_mutex : Recipe<zkit::recipes::Mutex> {};
struct zkit_leader_latch : Recipe<zkit::recipes::LeaderLatch> {};
struct zkit_double_barrier : Recipe<zkit::recipes::DoubleBarrier> {};

extern "C" {

int zkit_mutex_new(zkit_client* client, const char* path, zkit_mutex** out) {
  return guarded([&] {
    zkit_mutex* r = nullptr;
    int rc = make(client, path, &r, [&](zkit::Session& s) {
      return std::make_unique<zkit::recipes::Mutex>(s, std::string(path));
    });
    if (rc == ZKIT_OK) *out = r;
    return rc;
  });
}

int zkit_mutex_acquire(zkit_mutex* m, int64_t timeout_ms, int64_t* token) {
  return guarded([&] {
    if (m == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "mutex is NULL");
    auto* lock = m->object.get();
    auto r = m->host->run_task<FencingToken>([lock, timeout_ms](zkit::Session&) {
      return timeout_ms < 0 ? lock->acquire() : lock->acquire(ms(timeout_ms));
    });
    if (!r) return fail(r.error());
    if (token != nullptr) *token = r->zxid;
    return int(ZKIT_OK);
  });
}

int zkit_mutex_release(zkit_mutex* m) {
  return guarded([&] {
    if (m == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "mutex is NULL");
    auto* lock = m->object.get();
    auto r = m->host->run_task<void>([lock](zkit::Session&) { return lock->release(); });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

void zkit_mutex_free(zkit_mutex* m) { destroy<true>(m); }

int zkit_leader_latch_new(zkit_client* client, const char* path, const char* id, zkit_leader_latch** out) {
  return guarded([&] {
    zkit_leader_latch* r = nullptr;
    int rc = make(client, path, &r, [&](zkit::Session& s) {
      return std::make_unique<zkit::recipes::LeaderLatch>(s, std::string(path), std::string(id ? id : ""));
    });
    if (rc != ZKIT_OK) return rc;
    auto* latch = r->object.get();
    auto started = r->host->run_task<void>([latch](zkit::Session&) { return latch->start(); });
    if (!started) {
      destroy<true>(r);
      return fail(started.error());
    }
    *out = r;
    return int(ZKIT_OK);
  });
}

int zkit_leader_latch_await(zkit_leader_latch* l, int64_t timeout_ms, int64_t* token) {
  return guarded([&] {
    if (l == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "latch is NULL");
    auto* latch = l->object.get();
    auto r = l->host->run_task<FencingToken>([latch, timeout_ms](zkit::Session&) {
      return timeout_ms < 0 ? latch->await_leadership() : latch->await_leadership(ms(timeout_ms));
    });
    if (!r) return fail(r.error());
    if (token != nullptr) *token = r->zxid;
    return int(ZKIT_OK);
  });
}

int zkit_leader_latch_has_leadership(const zkit_leader_latch* l) {
  if (l == nullptr) return 0;
  bool leads = false;
  auto* latch = l->object.get();
  bool ran = l->host->run([&](zkit::Session&) { leads = latch->has_leadership(); });
  return ran && leads ? 1 : 0;
}

void zkit_leader_latch_free(zkit_leader_latch* l) { destroy<true>(l); }

int zkit_double_barrier_new(zkit_client* client, const char* path, int members, zkit_double_barrier** out) {
  return guarded([&] {
    zkit_double_barrier* r = nullptr;
    int rc = make(client, path, &r, [&](zkit::Session& s) {
      return std::make_unique<zkit::recipes::DoubleBarrier>(s, std::string(path), members);
    });
    if (rc == ZKIT_OK) *out = r;
    return rc;
  });
}

int zkit_double_barrier_enter(zkit_double_barrier* b, int64_t timeout_ms) {
  return guarded([&] {
    if (b == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "barrier is NULL");
    auto* barrier = b->object.get();
    auto r = b->host->run_task<void>([barrier, timeout_ms](zkit::Session&) {
      return timeout_ms < 0 ? barrier->enter() : barrier->enter(ms(timeout_ms));
    });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

int zkit_double_barrier_leave(zkit_double_barrier* b, int64_t timeout_ms) {
  return guarded([&] {
    if (b == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "barrier is NULL");
    auto* barrier = b->object.get();
    auto r = b->host->run_task<void>([barrier, timeout_ms](zkit::Session&) {
      return timeout_ms < 0 ? barrier->leave() : barrier->leave(ms(timeout_ms));
    });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

// A DoubleBarrier has nothing to close: its node goes with leave() or the session.
void zkit_double_barrier_free(zkit_double_barrier* b) { destroy<false>(b); }

}  // extern "C"
