// NodeChannel: a storage node's line to the orchestrator (see protocol.hpp): events and
// ledger writes out on stdout, the ledger's verdicts in on stdin.
#pragma once

#include <uv.h>

#include <coroutine>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "line_reader.hpp"

namespace zkit::demo {

class NodeChannel {
 public:
  NodeChannel(uv_loop_t* loop, std::string node_id);
  NodeChannel(const NodeChannel&) = delete;
  NodeChannel& operator=(const NodeChannel&) = delete;

  // One event line; `fields` is a JSON object and gets "kind", "node" and "t" added.
  void report(const std::string& kind, nlohmann::json fields = nlohmann::json::object());

  // Awaiting it sends a write to the fenced ledger and yields whether the ledger accepted it.
  struct LedgerWrite {
    NodeChannel* channel;
    std::int64_t token;
    std::string record;
    std::uint64_t seq = 0;
    bool accepted = false;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h);
    bool await_resume() const noexcept { return accepted; }
    std::coroutine_handle<> handle_{};
  };
  LedgerWrite write_ledger(std::int64_t token, std::string record) {
    return LedgerWrite{this, token, std::move(record)};
  }

  // Stops reading stdin (the loop can then finish).
  void close() { in_.close(); }

 private:
  void on_line(const std::string& line);

  std::string id_;
  LineReader in_;  // stdin
  std::uint64_t next_seq_ = 1;
  std::map<std::uint64_t, LedgerWrite*> waiting_;  // by seq; each resumes its coroutine
};

}  // namespace zkit::demo
