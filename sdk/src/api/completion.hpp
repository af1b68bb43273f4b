// Private to the API layer: how a session::Reply becomes the user's Result<T>, and the one
// template behind every coroutine face. Every public operation completes through these, so
// callbacks, coroutines and the blocking Client share one completion path.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "api/callback_value.hpp"
#include "session/core.hpp"
#include "zkit/async.hpp"
#include "zkit/session.hpp"

namespace zkit::api {

using session::Completion;
using session::Core;
using session::Reply;

// The message of a failed request, built only when it fails: "get /a: no node". The path is
// the request's own (Reply::path), shown as the caller named it (without the chroot).
std::string error_message(const char* op, const Core& core, const Reply& r);

// The message of an argument refused before anything was sent: "get a/b: <why>".
template <class T>
void fail_now(Callback<T>& done, const char* op, std::string_view what, const Error& e) {
  std::string m(op);
  m += ' ';
  m += what;
  m += ": ";
  m += e.message();
  done(Error(e.code(), std::move(m)));
}

// Makes the completion that turns a Reply into the user's Result<T>. `decode` reads the body
// into a T and returns false on malformed input (then the reply comes back once more with
// connection_loss, so nothing else happens here). `op` names the operation in error messages.
// It holds no string of its own, so for the common operations it fits Completion's inline
// buffer and a request allocates nothing for it.
// `rides`: the request rides on a persistent watch (watch::Manager::arm); the manager is told
// once its reply is handled, whatever the outcome, after the decoder registered the watcher
// and after the error message was made (telling it may send a request).
template <class T, class Decode>
auto complete(const char* op, Core* core, Callback<T> done, Decode decode, bool rides = false) {
  return [op, core, rides, done = std::move(done), decode = std::move(decode)](Reply& r) mutable -> bool {
    if (r.err != Errc::ok) {
      Error e(r.err, error_message(op, *core, r));
      if (rides) core->watches().read_done(r.path);
      done(std::move(e));
      return true;
    }
    if constexpr (std::is_void_v<T>) {
      if (!decode(r)) return false;
      if (rides) core->watches().read_done(r.path);
      done(Result<void>());
    } else {
      T value{};
      if (!decode(r, value)) return false;
      if (rides) core->watches().read_done(r.path);
      done(std::move(value));
    }
    return true;
  };
}

// A completion that must not allocate: the hot operations' closures.
template <class F>
Completion inline_completion(F&& f) {
  static_assert(Completion::stores_inline<std::decay_t<F>>, "this operation's completion no longer fits in place");
  return Completion(std::forward<F>(f));
}

// The coroutine face of an operation: its callback form (the overload whose last parameter is
// a Callback<T>), called with the callback of a fresh Async<T>. (Operations with template
// overloads pass a typed member pointer: see api::WatchedRead.)
template <class... P, class... A>
auto awaitable(Session& s, void (Session::*op)(P...), A&&... args) {
  using T = last_callback_value_t<P...>;
  auto [a, cb] = Async<T>::make();
  (s.*op)(std::forward<A>(args)..., std::move(cb));
  return std::move(a);
}

}  // namespace zkit::api
