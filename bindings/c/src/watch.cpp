// Persistent watches: a handle that owns one, removed on the loop thread.
#include "internal.hpp"

using zkit::c::fail;
using zkit::c::guarded;

struct zkit_watch {
  // Keeps the Host object (not its session) alive, so a handle may outlive zkit_close.
  std::shared_ptr<zkit::bindings::Host> host;
  zkit::WatchHandle handle;  // touched on the loop thread only
};

namespace {

// The checks both forms make before anything is sent.
int check_watch(zkit_client* client, const char* path, int mode, zkit_watcher_fn watcher) {
  if (int rc = zkit::c::check(client, path); rc) return rc;
  if (watcher == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "watcher is NULL");
  if (mode != ZKIT_WATCH_PERSISTENT && mode != ZKIT_WATCH_PERSISTENT_RECURSIVE)
    return fail(ZKIT_BAD_ARGUMENTS, "unknown watch mode " + std::to_string(mode));
  return ZKIT_OK;
}

zkit::WatchMode to_mode(int mode) {
  return mode == ZKIT_WATCH_PERSISTENT ? zkit::WatchMode::persistent : zkit::WatchMode::persistent_recursive;
}

}  // namespace

extern "C" {

int zkit_add_watch(zkit_client* client, const char* path, zkit_watch_mode c_mode, zkit_watcher_fn watcher,
                   void* closure, zkit_watch** out) {
  return guarded([&] {
    int mode = zkit::c::int_of(c_mode);
    if (int rc = check_watch(client, path, mode, watcher); rc) return rc;
    if (out == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "out is NULL");
    auto w = std::make_unique<zkit_watch>();
    w->host = client->host;
    std::string p = path;
    auto m = to_mode(mode);
    zkit_watch* target = w.get();
    // The handle is stored on the loop thread, where it lives.
    auto r = client->host->wait<void>([&](zkit::Session& s, zkit::Callback<void> done) {
      s.add_watch(p, m, zkit::c::to_watcher(watcher, closure),
                  [target, done = std::move(done)](zkit::Result<zkit::WatchHandle> h) mutable {
                    if (!h) return done(std::move(h).error());
                    target->handle = std::move(h).value();
                    done({});
                  });
    });
    if (!r) return fail(r.error());
    *out = w.release();
    return int(ZKIT_OK);
  });
}

int zkit_add_watch_async(zkit_client* client, const char* path, zkit_watch_mode c_mode, zkit_watcher_fn watcher,
                         void* closure, zkit_add_watch_cb done, void* done_closure) {
  return guarded([&] {
    int mode = zkit::c::int_of(c_mode);
    if (int rc = check_watch(client, path, mode, watcher); rc) return rc;
    if (done == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "callback is NULL");
    // The handle is made now (so that nothing can fail to allocate later, on the loop thread)
    // and handed to `done` once the server set the watch; on an error it is freed unseen.
    auto w = std::make_unique<zkit_watch>();
    w->host = client->host;
    bool posted = client->host->post([p = std::string(path), m = to_mode(mode), fn = zkit::c::to_watcher(watcher, closure),
                                      w = std::move(w), done, done_closure](zkit::Session& s) mutable {
      s.add_watch(p, m, std::move(fn),
                  [w = std::move(w), done, done_closure](zkit::Result<zkit::WatchHandle> h) mutable {
                    if (!h) return done(static_cast<int>(h.code()), h.error().message().c_str(), nullptr, done_closure);
                    w->handle = std::move(h).value();
                    done(ZKIT_OK, nullptr, w.release(), done_closure);
                  });
    });
    if (!posted) return fail(ZKIT_CLOSING, "the client is closed");
    return int(ZKIT_OK);
  });
}

void zkit_watch_remove(zkit_watch* watch) {
  if (watch == nullptr) return;
  bool ran = watch->host->run([watch](zkit::Session&) { watch->handle.remove(); });
  // The session is gone and took its watches with it: only let the handle go.
  if (!ran) watch->handle.detach();
  delete watch;
}

}  // extern "C"
