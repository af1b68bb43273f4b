#include "api/completion.hpp"

namespace zkit::api {

std::string error_message(const char* op, const Core& core, const Reply& r) {
  std::string message(op);
  if (!r.path.empty()) {
    message += ' ';
    message += core.chroot().client_path(r.path);
  }
  message += ": ";
  message += r.reason.empty() ? to_string(r.err) : r.reason;
  return message;
}

}  // namespace zkit::api
