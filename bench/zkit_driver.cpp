// The benchmark's work through zkit: one Session on a private libuv loop, callback form. The
// loop runs on the calling thread only while a call waits (and in idle()).
#include <uv.h>

#include <algorithm>
#include <optional>

#include "driver.hpp"
#include "loop.hpp"
#include "zkit/session.hpp"

namespace zkit::bench {
namespace {

using namespace std::chrono_literals;

Options session_options(const std::string& hosts) {
  return Options{.connect = hosts, .session_timeout = std::chrono::milliseconds(kSessionTimeoutMs),
                 .log_level = LogLevel::error};
}

bool terminal(SessionState s) {
  return s == SessionState::expired || s == SessionState::auth_failed || s == SessionState::closed;
}

class ZkitDriver;

// One pipelined batch. `credit` is the room in the window; pump() spends it iteratively, so a
// request refused at once (its callback runs inside the call) cannot recurse.
struct Batch {
  ZkitDriver* driver;
  Session* session;
  Op op;
  const std::vector<std::string>* paths;
  std::string_view payload;
  CreateOptions create_options{};  // persistent, open ACL
  std::size_t next = 0;
  std::size_t credit = 0;
  bool pumping = false;
  bool stopped = false;  // given up on (deadline): late completions only count
  Outcome out;

  void pump() {
    if (pumping) return;
    pumping = true;
    while (!stopped && credit > 0 && next < paths->size()) {
      --credit;
      issue((*paths)[next++]);
    }
    pumping = false;
  }

  void finished(const Error* e, const char* what = nullptr) {
    ++out.ops;
    if (e || what) {
      if (out.errors++ == 0) out.failure = std::string(to_string(op)) + ": " + (e ? e->message() : what);
    }
    ++credit;
    pump();
  }

  void issue(const std::string& path);
};

// Sequential gets: each sent from the previous one's callback.
struct Sequence {
  Session* session;
  std::string path;
  std::size_t count;
  Clock::time_point sent{};
  bool finished = false;
  Latencies out;

  void issue() {
    sent = Clock::now();
    session->get(path, {}, [this](Result<Data> r) {
      double us = std::chrono::duration<double, std::micro>(Clock::now() - sent).count();
      if (!r) {
        out.failure = "get: " + r.error().message();
        finished = true;
        return;
      }
      out.micros.push_back(us);
      if (out.micros.size() >= count) finished = true;
      if (!finished) issue();
    });
  }
};

class ZkitDriver final : public Driver {
 public:
  ~ZkitDriver() override {
    if (session_) {
      bool closed = false;
      session_->close([&closed] { closed = true; });
      loop_.run_until([&] { return closed; }, deadline_in(30s));
      session_.reset();
    }
  }

  const char* name() const override { return "zkit"; }

  bool connect(const std::string& hosts, Deadline deadline, std::string& error) {
    auto s = Session::start(loop_.get(), session_options(hosts));
    if (!s) {
      error = s.error().message();
      return false;
    }
    session_.emplace(std::move(s).value());
    session_->add_listener([this](SessionState st) { on_state(st); });
    if (!loop_.run_until([&] { return state_ == SessionState::connected || terminal(state_); }, deadline) ||
        state_ != SessionState::connected) {
      error = "zkit session not connected to " + hosts + " (state " + std::string(to_string(state_)) + ")";
      return false;
    }
    return true;
  }

  Outcome pipelined(Op op, const std::vector<std::string>& paths, std::string_view payload,
                    std::size_t window, Deadline deadline) override {
    auto& b = *batches_.emplace_back(std::make_unique<Batch>());
    b.driver = this;
    b.session = &*session_;
    b.op = op;
    b.paths = &paths;
    b.payload = payload;
    b.credit = window;
    b.pump();
    if (!loop_.run_until([&] { return b.out.ops == paths.size(); }, deadline)) {
      b.stopped = true;
      if (b.out.failure.empty())
        b.out.failure = std::string(to_string(op)) + ": " + std::to_string(b.out.ops) + " of " +
                        std::to_string(paths.size()) + " done before the deadline";
    }
    return b.out;
  }

  Latencies sequential_gets(const std::string& path, std::size_t count, Deadline deadline) override {
    auto& s = *sequences_.emplace_back(std::make_unique<Sequence>());
    s.session = &*session_;
    s.path = path;
    s.count = count;
    s.out.micros.reserve(count);
    s.issue();
    if (!loop_.run_until([&] { return s.finished; }, deadline)) {
      s.finished = true;
      if (s.out.failure.empty()) s.out.failure = "gets: not done before the deadline";
    }
    return s.out;
  }

  std::uint64_t watch_events() override { return events_; }

  bool wait_watch_events(std::uint64_t count, Deadline deadline) override {
    return loop_.run_until([&] { return events_ >= count; }, deadline);
  }

  void sync_after_reconnect() override {
    sync_armed_ = true;
    rewatch_ = Rewatch{};
    sync_done_ = false;
  }

  Rewatch wait_reconnect_sync(Deadline deadline) override {
    if (!loop_.run_until([&] { return sync_done_; }, deadline) && rewatch_.failure.empty())
      rewatch_.failure = "no reconnection and sync before the deadline (state " + std::string(to_string(state_)) + ")";
    return rewatch_;
  }

  void idle() override { loop_.poll(); }

  Watcher watcher() {
    return [this](const WatchEvent& e) {
      if (e.type == EventType::node_created || e.type == EventType::node_data_changed) ++events_;
    };
  }

 private:
  void on_state(SessionState st) {
    state_ = st;
    if (st == SessionState::reconnected && sync_armed_) {
      sync_armed_ = false;
      reconnected_at_ = Clock::now();
      // The re-registered watches were queued when the handshake completed, ahead of this.
      session_->sync("/", [this](Result<void> r) {
        rewatch_.reconnect_to_sync_ms =
            std::chrono::duration<double, std::milli>(Clock::now() - reconnected_at_).count();
        if (!r) rewatch_.failure = "sync: " + r.error().message();
        sync_done_ = true;
      });
    } else if (terminal(st) && sync_armed_) {
      rewatch_.failure = "session ended: " + std::string(to_string(st));
      sync_done_ = true;
    }
  }

  // Member order matters for destruction: the loop outlives the session (closed in the
  // destructor's body) and the batches whose callbacks the session may still run.
  Loop loop_;
  std::vector<std::unique_ptr<Batch>> batches_;
  std::vector<std::unique_ptr<Sequence>> sequences_;
  std::optional<Session> session_;
  SessionState state_ = SessionState::connecting;
  std::uint64_t events_ = 0;
  bool sync_armed_ = false;
  bool sync_done_ = false;
  Clock::time_point reconnected_at_{};
  Rewatch rewatch_;
};

void Batch::issue(const std::string& path) {
  switch (op) {
    case Op::create:
      session->create(path, payload, create_options,
                      [this](Result<Created> r) { finished(r ? nullptr : &r.error()); });
      break;
    case Op::get:
      session->get(path, {}, [this](Result<Data> r) {
        if (r && r->data.size() != payload.size()) return finished(nullptr, "reply of unexpected length");
        finished(r ? nullptr : &r.error());
      });
      break;
    case Op::set:
      session->set(path, payload, -1, [this](Result<Stat> r) { finished(r ? nullptr : &r.error()); });
      break;
    case Op::remove:
      session->remove(path, -1, [this](Result<void> r) { finished(r ? nullptr : &r.error()); });
      break;
    case Op::watch_exists:
      session->exists(path, driver->watcher(),
                      [this](Result<std::optional<Stat>> r) { finished(r ? nullptr : &r.error()); });
      break;
  }
}

}  // namespace

std::unique_ptr<Driver> connect_zkit(const std::string& hosts, Deadline deadline, std::string& error) {
  auto d = std::make_unique<ZkitDriver>();
  if (!d->connect(hosts, deadline, error)) return nullptr;
  return d;
}

SessionsResult zkit_sessions(const std::string& hosts, int count, Deadline deadline) {
  SessionsResult r;
  r.sessions = count;
  Loop loop;
  std::vector<Session> sessions;
  sessions.reserve(static_cast<std::size_t>(count));
  int connected = 0, ended = 0;
  r.rss_before_kib = rss_kib();
  r.threads_before = thread_count();
  r.fds_before = open_fds();
  double cpu = process_cpu_seconds();
  std::int64_t overflows = listen_overflows();
  auto start = Clock::now();
  double slowest = 0;
  for (int i = 0; i < count; ++i) {
    auto started = Clock::now();
    auto s = Session::start(loop.get(), session_options(hosts));
    if (!s) {
      r.failure = "session " + std::to_string(i) + ": " + s.error().message();
      break;
    }
    s->add_listener([&, started](SessionState st) {
      if (st == SessionState::connected) {
        ++connected;
        slowest = std::max(slowest, seconds_since(started));
      } else if (terminal(st)) {
        ++ended;
      }
    });
    sessions.push_back(std::move(s).value());
  }
  if (!loop.run_until([&] { return connected + ended >= count; }, deadline) && r.failure.empty())
    r.failure = std::to_string(connected) + " of " + std::to_string(count) + " sessions connected before the deadline";
  if (ended > 0 && r.failure.empty()) r.failure = std::to_string(ended) + " sessions ended before connecting";
  r.connect_seconds = seconds_since(start);
  r.slowest_session_seconds = slowest;
  if (overflows >= 0) r.listen_overflows = listen_overflows() - overflows;
  r.cpu_seconds = process_cpu_seconds() - cpu;
  r.rss_after_kib = rss_kib();
  r.threads_after = thread_count();
  r.fds_after = open_fds();

  std::size_t closed = 0;
  for (Session& s : sessions) s.close([&closed] { ++closed; });
  if (!loop.run_until([&] { return closed == sessions.size(); }, deadline_in(120s)) && r.failure.empty())
    r.failure = std::to_string(closed) + " of " + std::to_string(sessions.size()) + " sessions closed in time";
  sessions.clear();
  return r;
}

std::string_view to_string(Op op) {
  switch (op) {
    case Op::create: return "create";
    case Op::get: return "get";
    case Op::set: return "set";
    case Op::remove: return "delete";
    case Op::watch_exists: return "exists+watch";
  }
  return "?";
}

}  // namespace zkit::bench
