#include "zkit/recipes/ownership.hpp"

namespace zkit::recipes {

std::string_view to_string(OwnershipEvent e) noexcept {
  switch (e) {
    case OwnershipEvent::acquired: return "acquired";
    case OwnershipEvent::suspended: return "suspended";
    case OwnershipEvent::reconnected: return "reconnected";
    case OwnershipEvent::lost: return "lost";
  }
  return "unknown";
}

std::string_view to_string(RecipeState s) noexcept {
  switch (s) {
    case RecipeState::suspended: return "suspended";
    case RecipeState::reconnected: return "reconnected";
    case RecipeState::lost: return "lost";
  }
  return "unknown";
}

}  // namespace zkit::recipes
