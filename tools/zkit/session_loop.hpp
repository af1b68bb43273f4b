// SessionLoop: what `zkit lock` and `zkit elect` run on. Recipes need a zkit::Session on a
// libuv loop (the blocking Client of the other commands cannot host them), so these commands
// drive a loop on the main thread with one Session, SIGINT and SIGTERM as loop events, and a
// deadline for the first connection.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "loop.hpp"
#include "security_flags.hpp"
#include "zkit/session.hpp"
#include "zkit/timer.hpp"
#include "zkit/uv/handle.hpp"

namespace zkit::cli {

class SessionLoop {
 public:
  SessionLoop() = default;
  // Runs the loop until every handle has closed (after shutdown()).
  ~SessionLoop();
  SessionLoop(const SessionLoop&) = delete;
  SessionLoop& operator=(const SessionLoop&) = delete;

  uv_loop_t* loop() noexcept { return loop_.get(); }

  // Starts the session and the signal watchers, and adds `auth` (--auth) to the session: sent
  // after the handshake, before anything the command asks. `on_signal` runs on the loop for
  // SIGINT and SIGTERM; `on_connected` once the session first connects; `on_no_server` when it
  // has not connected within its timeout (with the error the other commands report), or when
  // the server refuses a credential. Errors: bad_arguments (bad options).
  Result<void> start(Options options, const std::vector<SecurityFlags::Credential>& auth,
                     std::function<void(int signal)> on_signal, std::function<void()> on_connected,
                     std::function<void(const Error&)> on_no_server);
  Session& session() { return *session_; }
  // Closes the session (pending requests fail with closing) and this object's handles; then
  // calls `done` (on the loop), and run() returns once the caller's handles are closed too.
  void shutdown(std::function<void()> done = {});
  // Runs the loop until nothing is left on it.
  void run();

  // Milliseconds since start().
  std::int64_t elapsed_ms() const;

 private:
  tools::Loop loop_;  // first: every member below has a handle on it
  uv::Handle<uv_signal_t> sigint_, sigterm_;
  Timer deadline_{loop_.get()};  // for the first connection, then for the close
  std::function<void(int)> on_signal_;
  std::function<void()> on_connected_;
  std::function<void(const Error&)> on_no_server_;
  std::optional<Session> session_;  // destroyed first of those on loop_ (see ~SessionLoop)
  std::string connect_;
  std::chrono::milliseconds timeout_{};
  std::chrono::steady_clock::time_point started_{};
  bool handles_open_ = false;
  bool shutting_down_ = false;
};

}  // namespace zkit::cli
