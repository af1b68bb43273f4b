// The recipes' own handles on their session (Session::borrow()), so the user's Session object
// may be moved while a recipe uses it: a recipe never keeps the address of the user's object.
#pragma once

#include <deque>

#include "zkit/session.hpp"

namespace zkit::recipes::detail {

class SessionHandles {
 public:
  // A handle on `s` that lives as long as this object. Earlier handles stay valid (a
  // coroutine of the session before a rebind keeps using that one).
  Session* bind(Session& s) { return &handles_.emplace_back(s.borrow()); }

 private:
  std::deque<Session> handles_;  // a deque: growing it moves no element
};

}  // namespace zkit::recipes::detail
