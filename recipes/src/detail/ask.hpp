// One request raced against a Wake: the two ways a recipe coroutine waits for a single reply.
#pragma once

#include <memory>

#include "detail/wake.hpp"
#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes::detail {

// Sends one request (`send` gets the completion to hand to the Session) and waits for its
// reply on `w`, however `w` is woken meanwhile: nothing the request does goes unnoticed (a
// create that lands is known). For loops that must account for every request they sent.
template <class T, class Send>
Task<Result<T>> ask_until_reply(std::shared_ptr<Wake> w, Send send) {
  auto got = make_slot<T>();
  send(w->fill(got));
  while (!*got) co_await w->next();
  co_return std::move(**got);
}

// Sends one request and waits for its reply on `w`, giving up when `w` says to abandon (it was
// stopped, or timed out while disconnected): then returns w's error and the reply, when it
// comes, is dropped. A request failing with a retryable error is sent again while the session
// lives and `w` has not ended. For waits bounded by a timeout or a cancel token.
template <class T, class Send>
Task<Result<T>> ask(const Session& s, std::shared_ptr<Wake> w, Send send) {
  for (int attempt = 0;; ++attempt) {
    auto got = make_slot<T>();
    send(w->fill(got));
    while (!*got && !w->abandon(s)) co_await w->next();
    if (!*got) co_return *w->ended();
    Result<T> r = std::move(**got);
    if (!r && retryable(r.code()) && session_alive(s) && !w->ended() && attempt < 100) continue;
    co_return r;
  }
}

}  // namespace zkit::recipes::detail
