// Session's watch operations: persistent watches (addWatch), and removing and checking
// watches. The policy (which server watch each needs) is watch::Manager's; these validate,
// send, and report to it.
#include "api/completion.hpp"
#include "proto/admin.hpp"
#include "proto/records.hpp"
#include "zkit/session.hpp"

namespace zkit {

using namespace api;
using proto::Op;

void Session::add_watch(std::string_view path, WatchMode mode, Watcher watch, Callback<WatchHandle> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "add_watch", path, v.error());
  if (!watch) return fail_now(done, "add_watch", path, Error(Errc::bad_arguments, "the watcher is empty"));
  std::string scratch;
  std::string key(core_->chroot().server_path(path, scratch));
  if (auto have = core_->watches().persistent_mode(key); have && *have != mode)
    return fail_now(done, "add_watch", path,
                    Error(Errc::bad_arguments, "the path already has a persistent watch of the other mode"));
  if (Errc e = core_->refusal(); e != Errc::ok) return fail_now(done, "add_watch", path, Error(e));
  proto::AddWatchRequest req{key, mode == WatchMode::persistent ? proto::AddWatchMode::persistent
                                                                : proto::AddWatchMode::persistent_recursive};
  Core* core = core_.get();
  std::weak_ptr<Core> weak = core_;
  core_->watches().begin_add(key, mode);
  core_->submit(
      Op::add_watch, key, [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::add_watch, req); },
      [core, key,
       finish = complete<WatchHandle>("add_watch", core, std::move(done),
                                      [core, weak, key, mode, watch = std::move(watch)](Reply& r, WatchHandle& h) mutable {
                                        proto::ErrorResponse er;
                                        if (!proto::decode(r.body, er)) return false;
                                        std::uint64_t id = core->watches().add_persistent(std::move(key), mode, std::move(watch));
                                        h = WatchHandle([weak, id] {
                                          if (auto c = weak.lock()) c->watches().remove_persistent(id);
                                        });
                                        return true;
                                      })](Reply& r) mutable {
        core->watches().end_add(key);
        return finish(r);
      });
}

Async<WatchHandle> Session::add_watch(std::string_view path, WatchMode mode, Watcher watch) {
  return awaitable(*this, AddWatch(&Session::add_watch), path, mode, std::move(watch));
}

void Session::remove_watches(std::string_view path, WatcherKind kind, bool local, Callback<void> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "remove_watches", path, v.error());
  std::string scratch;
  std::string key(core_->chroot().server_path(path, scratch));
  if (Errc e = core_->refusal(); e != Errc::ok) return fail_now(done, "remove_watches", path, Error(e));
  if (!core_->watches().has(key, kind))
    return fail_now(done, "remove_watches", path, Error(Errc::no_watcher, "no watch of that kind on the path"));
  if (local || core_->watches().removal_stays_local(key, kind)) {
    core_->watches().fire_removed(key, kind);
    return done(Result<void>());
  }
  proto::WatchesRequest req{key, static_cast<proto::WatcherType>(kind)};
  Core* core = core_.get();
  core_->submit(
      Op::remove_watches, key,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::remove_watches, req); },
      complete<void>("remove_watches", core, std::move(done), [core, key, kind](Reply&) {
        core->watches().fire_removed(key, kind);
        return true;
      }));
}

Async<void> Session::remove_watches(std::string_view path, WatcherKind kind, bool local) {
  return awaitable(*this, &Session::remove_watches, path, kind, local);
}

void Session::check_watches(std::string_view path, WatcherKind kind, Callback<void> done) {
  if (auto v = validate_path(path); !v) return fail_now(done, "check_watches", path, v.error());
  std::string scratch;
  std::string key(core_->chroot().server_path(path, scratch));
  if (Errc e = core_->refusal(); e != Errc::ok) return fail_now(done, "check_watches", path, Error(e));
  if (!core_->watches().has(key, kind))
    return fail_now(done, "check_watches", path, Error(Errc::no_watcher, "no watch of that kind on the path"));
  proto::WatchesRequest req{key, static_cast<proto::WatcherType>(kind)};
  core_->submit(
      Op::check_watches, key,
      [&](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, Op::check_watches, req); },
      complete<void>("check_watches", core_.get(), std::move(done), [](Reply&) { return true; }));
}

Async<void> Session::check_watches(std::string_view path, WatcherKind kind) {
  return awaitable(*this, &Session::check_watches, path, kind);
}

}  // namespace zkit
