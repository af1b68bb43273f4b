// Persistent watches: a handle that owns one, removed on the loop thread.
#include "internal.hpp"

using zkit::c::fail;
using zkit::c::guarded;

struct zkit_watch {
  // Keeps the Host object (not its session) alive, so a handle may outlive zkit_close.
  std::shared_ptr<zkit::bindings::Host> host;
  zkit::WatchHandle handle;  // touched on the loop thread only
};

extern "C" {

int zkit_add_watch(zkit_client* client, const char* path, zkit_watch_mode c_mode, zkit_watcher_fn watcher,
                   void* closure, zkit_watch** out) {
  return guarded([&] {
    int mode = zkit::c::int_of(c_mode);
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (watcher == nullptr || out == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "watcher or out is NULL");
    if (mode != ZKIT_WATCH_PERSISTENT && mode != ZKIT_WATCH_PERSISTENT_RECURSIVE)
      return fail(ZKIT_BAD_ARGUMENTS, "unknown watch mode " + std::to_string(mode));
    auto w = std::make_unique<zkit_watch>();
    w->host = client->host;
    std::string p = path;
    auto m = mode == ZKIT_WATCH_PERSISTENT ? zkit::WatchMode::persistent : zkit::WatchMode::persistent_recursive;
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

void zkit_watch_remove(zkit_watch* watch) {
  if (watch == nullptr) return;
  bool ran = watch->host->run([watch](zkit::Session&) { watch->handle.remove(); });
  // The session is gone and took its watches with it: only let the handle go.
  if (!ran) watch->handle.detach();
  delete watch;
}

}  // extern "C"
