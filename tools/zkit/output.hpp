// Printing results for people (text) or programs (--json: one JSON object per line).
// Every method writes whole lines to standard output and flushes them, so a reader of a pipe
// or file sees each line as soon as it happens (that is what `watch` and `serve` rely on).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "zkit/types.hpp"

namespace zkit::cli {

// ElectionEvent: what `zkit elect` reports, one per line.
struct ElectionEvent {
  enum class Kind { joined, leader, lost, command_started, command_exited } kind;
  std::string path, id;
  std::int64_t token = 0;   // leader: the term's fencing token
  std::string reason{};     // lost: why (a phrase), command_exited: what ended it
  int pid = 0;              // command_started
  int status = 0;           // command_exited: shell-style status
};

class Printer {
 public:
  explicit Printer(bool json) : json_(json) {}

  void children(std::string_view path, const Children& c);  // ls
  // get: the bytes as they are, with a newline after them only on a terminal (and not --raw),
  // so `zkit get /a > file` stores exactly the node's bytes.
  void data(std::string_view path, const Data& d, bool raw = false);
  void stat(std::string_view path, const Stat& s);          // stat
  void created(const Created& c);                           // create
  void updated(std::string_view path, const Stat& s);       // set
  void deleted(std::string_view path);                      // delete

  // watch: the current value (or that the node does not exist), then each event.
  void watched_data(std::string_view path, const Data& d);
  void watched_children(std::string_view path, const Children& c);
  void watched_missing(std::string_view path);
  void event(const WatchEvent& e);

  void serving(std::string_view connect);  // serve: the first line
  void election(const ElectionEvent& e);   // elect

  // For the commands that shape their own output: one line of text, or one JSON document.
  bool is_json() const noexcept { return json_; }
  void line(const std::string& s);
  void object(const nlohmann::ordered_json& j);

 private:
  bool json_;
};

}  // namespace zkit::cli
