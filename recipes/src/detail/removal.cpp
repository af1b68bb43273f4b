#include "detail/removal.hpp"

#include "detail/wake.hpp"
#include "zkit/recipes/protected_create.hpp"

namespace zkit::recipes::detail {

namespace {

// Takes its own handle: it may outlive the recipe that asked for it.
Task<void> remove_quietly(Session s, std::string path) {
  auto r = co_await guaranteed_remove(s, path);
  (void)r;
}

}  // namespace

void remove_in_background(Session* s, std::string path) {
  if (!path.empty() && session_alive(*s)) spawn(remove_quietly(s->borrow(), std::move(path)));
}

Task<void> drop_node(Session* s, std::string path) {
  if (path.empty() || !session_alive(*s)) co_return;
  if (!session_connected(*s)) {
    remove_in_background(s, std::move(path));
    co_return;
  }
  auto r = co_await guaranteed_remove(*s, path);
  (void)r;
}

}  // namespace zkit::recipes::detail
