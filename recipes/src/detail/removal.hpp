// Deleting a recipe's own nodes once they are no longer wanted, without holding anyone up.
#pragma once

#include <string>

#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes::detail {

// guaranteed_remove in the background (nothing when `path` is empty or the session ended).
void remove_in_background(Session* s, std::string path);
// Deletes a node of ours that is no longer wanted: awaited while the session is connected (so
// it is gone when the caller returns), queued in the background otherwise (it then leaves
// first when the session reconnects, and a timeout is not held up by the reconnection).
Task<void> drop_node(Session* s, std::string path);

}  // namespace zkit::recipes::detail
