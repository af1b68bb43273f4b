#include "worker_context.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>

#include "records.hpp"

namespace zkit::proof {

using namespace std::chrono_literals;

Result<WorkerArgs> parse_args(int argc, char** argv) {
  WorkerArgs a;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto eq = arg.find('=');
    if (!arg.starts_with("--") || eq == std::string_view::npos)
      return Error(Errc::bad_arguments, "expected --name=value, got " + std::string(arg));
    std::string_view name = arg.substr(2, eq - 2), value = arg.substr(eq + 1);
    auto number = [&](auto& out) -> bool {
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
      return ec == std::errc() && p == value.data() + value.size();
    };
    long long ms = 0;
    bool ok = true;
    if (name == "mode") a.mode = value;
    else if (name == "connect") a.connect = value;
    else if (name == "log") a.log_path = value;
    else if (name == "path") a.path = value;
    else if (name == "fence") a.fence_path = value;
    else if (name == "worker") ok = number(a.worker);
    else if (name == "members") ok = number(a.members);
    else if (name == "rounds") ok = number(a.rounds);
    else if (name == "shards") ok = number(a.shards);
    else if (name == "parent") ok = number(a.parent);
    else if (name == "session-timeout-ms") {
      ok = number(ms);
      a.session_timeout = std::chrono::milliseconds(ms);
    } else if (name == "max-run-s") {
      ok = number(ms);
      a.max_run = std::chrono::seconds(ms);
    } else
      return Error(Errc::bad_arguments, "unknown argument --" + std::string(name));
    if (!ok) return Error(Errc::bad_arguments, "--" + std::string(name) + " needs a number");
  }
  if (a.mode.empty() || a.connect.empty() || a.log_path.empty() || a.path.empty())
    return Error(Errc::bad_arguments, "--mode, --connect, --log and --path are required");
  return a;
}

// --- Signal --------------------------------------------------------------------------------

Signal::Signal(uv_loop_t* loop) : wake_(loop), deadline_(loop) {}

void Signal::notify() {
  wake_.start(0ms, [this] { resume(); });
}

void Signal::arm_deadline(std::chrono::milliseconds d) {
  deadline_.start(d, [this] {
    expired_ = true;
    resume();
  });
}

void Signal::resume() {
  if (auto h = std::exchange(waiter_, nullptr)) h.resume();
}

Task<void> sleep_for(uv_loop_t* loop, std::chrono::milliseconds d) {
  Signal s(loop);
  s.arm_deadline(d);
  while (!s.expired()) co_await s.wait();
}

bool alive(const Session& s) noexcept {
  auto st = s.state();
  return st != SessionState::expired && st != SessionState::closed && st != SessionState::auth_failed;
}

// --- WorkerContext -------------------------------------------------------------------------

WorkerContext::WorkerContext(uv_loop_t* loop, WorkerArgs args) : loop_(loop), args_(std::move(args)) {
  log_fd_ = ::open(args_.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd_ < 0) std::fprintf(stderr, "worker %d: cannot open %s\n", args_.worker, args_.log_path.c_str());
}

WorkerContext::~WorkerContext() {
  if (log_fd_ >= 0) ::close(log_fd_);
}

namespace {
void write_all(int fd, const std::string& s) {
  std::size_t done = 0;
  for (int tries = 0; done < s.size() && tries < 100; ++tries) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n > 0) done += static_cast<std::size_t>(n);
    else if (n < 0 && errno != EINTR) return;
  }
}
}  // namespace

void WorkerContext::record(const std::string& line) { write_all(log_fd_, line); }

void WorkerContext::announce(const std::string& line) { write_all(STDOUT_FILENO, line + "\n"); }

void WorkerContext::request_stop() {
  if (stopping_) return;
  stopping_ = true;
  stop_.cancel();
  for (Signal* s : std::vector<Signal*>(stop_watchers_)) s->notify();
}

void WorkerContext::watch_stop(Signal* s) { stop_watchers_.push_back(s); }
void WorkerContext::unwatch_stop(Signal* s) { std::erase(stop_watchers_, s); }

Task<std::optional<Session>> WorkerContext::new_session() {
  if (stopping_) co_return std::nullopt;
  Options o;
  o.connect = args_.connect;
  o.session_timeout = args_.session_timeout;
  o.backoff_initial = 20ms;
  o.backoff_max = 200ms;
  o.log_level = LogLevel::error;
  auto started = Session::start(loop_, std::move(o));
  if (!started) {
    std::fprintf(stderr, "worker %d: %s\n", args_.worker, started.error().message().c_str());
    co_return std::nullopt;
  }
  std::optional<Session> s(std::move(started).value());
  Signal changed(loop_);
  auto id = s->add_listener([&changed](SessionState) { changed.notify(); });
  watch_stop(&changed);
  // Long enough to outlast a stall of this worker's proxies and a leader election.
  changed.arm_deadline(30s);
  while (s->state() == SessionState::connecting && !stopping_ && !changed.expired()) co_await changed.wait();
  unwatch_stop(&changed);
  s->remove_listener(id);
  if (s->state() != SessionState::connected) {
    co_await close_session(*s);
    co_return std::nullopt;
  }
  std::string password = s->session_password(), hex;
  for (unsigned char c : password) {
    char two[3];
    std::snprintf(two, sizeof two, "%02x", c);
    hex += two;
  }
  announce("session " + std::to_string(s->session_id()) + " " + hex);
  record(session_line(args_.worker, s->session_id(), now_ns()));
  co_return s;
}

Task<void> WorkerContext::close_session(Session& s) {
  if (s.state() == SessionState::closed) co_return;
  Result<void> closed = co_await s.close();
  (void)closed;  // the worker is done with it either way
}

Task<void> WorkerContext::until_ended(Session& s, std::chrono::milliseconds limit) {
  Signal changed(loop_);
  auto id = s.add_listener([&changed](SessionState) { changed.notify(); });
  watch_stop(&changed);
  changed.arm_deadline(limit);
  while (alive(s) && !stopping_ && !changed.expired()) co_await changed.wait();
  unwatch_stop(&changed);
  s.remove_listener(id);
}

}  // namespace zkit::proof
