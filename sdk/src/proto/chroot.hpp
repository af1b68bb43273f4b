// proto::Chroot: the translation between the paths a user names and the paths on the wire.
// A connect string's chroot ("host:2181/app") is prepended to every path sent and removed from
// every path received (replies, watch events), so the server only ever sees server paths.
#pragma once

#include <string>
#include <string_view>

namespace zkit::proto {

class Chroot {
 public:
  Chroot() = default;
  explicit Chroot(std::string root) : root_(std::move(root)) {}

  const std::string& root() const noexcept { return root_; }
  bool empty() const noexcept { return root_.empty(); }

  // Server path for a client path. `scratch` holds it when one has to be built.
  std::string_view server_path(std::string_view client_path, std::string& scratch) const {
    if (root_.empty()) return client_path;
    scratch = root_;
    if (client_path != "/") scratch += client_path;
    return scratch;
  }

  // Client path for a server path; a path outside the chroot is returned as it is.
  std::string client_path(std::string_view server_path) const {
    if (root_.empty() || server_path.substr(0, root_.size()) != root_) return std::string(server_path);
    std::string_view rest = server_path.substr(root_.size());
    if (rest.empty()) return "/";
    if (rest.front() != '/') return std::string(server_path);
    return std::string(rest);
  }

  // The same, in place: a path decoded from a reply becomes the caller's without a copy.
  void strip(std::string& path) const {
    if (root_.empty() || path.compare(0, root_.size(), root_) != 0) return;
    if (path.size() == root_.size()) path = "/";
    else if (path[root_.size()] == '/') path.erase(0, root_.size());
  }

 private:
  std::string root_;
};

}  // namespace zkit::proto
