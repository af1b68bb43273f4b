// LineReader: a pipe read line by line on a libuv loop: how the orchestrator hears a node's
// events (its stdout) and how a node hears the ledger's verdicts (its stdin).
#pragma once

#include <uv.h>

#include <functional>
#include <string>

#include "zkit/uv/handle.hpp"

namespace zkit::demo {

class LineReader {
 public:
  // Each complete line, without its '\n'.
  using LineHandler = std::function<void(const std::string& line)>;
  // Once, when the writer closed its end (or reading failed).
  using EndHandler = std::function<void()>;

  LineReader() = default;
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // Starts reading `fd` (the pipe owns it once this succeeds). False when libuv refuses it.
  // Neither handler runs after close() or the destructor. A handler may close() the reader;
  // only on_end may also destroy it.
  bool open(uv_loop_t* loop, int fd, LineHandler on_line, EndHandler on_end);
  // Stops reading and closes the pipe (the loop can then finish). Idempotent.
  void close() { pipe_.close(); }

 private:
  void on_read(ssize_t n, const uv_buf_t* buf);

  uv::Handle<uv_pipe_t> pipe_;
  std::string buffer_;  // bytes after the last '\n'
  LineHandler on_line_;
  EndHandler on_end_;
};

}  // namespace zkit::demo
