// Joining and splitting znode paths, the one way every recipe does it.
#pragma once

#include <string>
#include <string_view>

namespace zkit::recipes::detail {

// "<parent>/<name>"; with "/" as parent, "/<name>".
inline std::string child_path(std::string_view parent, std::string_view name) {
  std::string out(parent);
  if (out != "/") out += '/';
  out += name;
  return out;
}

// What every descendant of `path` starts with: "<path>/", or "/" for the root.
inline std::string descendant_prefix(std::string_view path) { return child_path(path, ""); }

// Whether `s` can name one node: not empty, no '/' or NUL, not "." or "..".
inline bool is_node_name(std::string_view s) noexcept {
  return !s.empty() && s.find('/') == std::string_view::npos && s.find('\0') == std::string_view::npos && s != "." &&
         s != "..";
}

// "/a/b/c" -> "c"
inline std::string node_name(std::string_view path) {
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace zkit::recipes::detail
