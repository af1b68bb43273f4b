// The benchmark's work through the official C client (libzookeeper_mt 3.8, its asynchronous
// API), in its best configuration: no host name resolution on every I/O-loop iteration
// (zoo_set_servers_resolution_delay -1) and error-level logging.
//
// Each handle runs two threads of its own: an I/O thread and a completion thread. Completions
// run on the latter and send the next request from there, as zkit's callbacks do on its loop;
// the caller's thread only starts the first window and waits.
#include <zookeeper/zookeeper.h>
#include <zookeeper/zookeeper_version.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "driver.hpp"

namespace zkit::bench {
namespace {

using namespace std::chrono_literals;

std::string describe(int rc) { return std::string(zerror(rc)) + " (" + std::to_string(rc) + ")"; }

void configure_logging() {
  static std::once_flag once;
  std::call_once(once, [] { zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR); });
}

// Waits on `cv` until `done()`, waking every 200 ms to run `idle` (unlocked) and to notice the
// deadline.
template <class Done, class Idle>
bool wait_until(std::mutex& mu, std::condition_variable& cv, Done&& done, Deadline deadline, Idle&& idle) {
  std::unique_lock lock(mu);
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    cv.wait_until(lock, std::min(deadline, Clock::now() + 200ms));
    if (done()) break;
    lock.unlock();
    idle();
    lock.lock();
  }
  return true;
}

// One pipelined batch. Paths are taken by index with an atomic counter: the caller's thread
// sends the first window while completions may already be sending more.
struct Batch {
  zhandle_t* zh;
  Op op;
  const std::vector<std::string>* paths;
  std::string_view payload;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> ops{0};
  std::atomic<bool> stopped{false};
  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t errors = 0;  // under mu
  std::string failure;       // under mu

  // Sends the next request; one refused at once counts as done, and the one after it is tried.
  void send_one() {
    while (!stopped.load(std::memory_order_relaxed)) {
      std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= paths->size()) return;
      int rc = submit((*paths)[i].c_str());
      if (rc == ZOK) return;
      error("submit: " + describe(rc));
      count_done();
    }
  }

  int submit(const char* path) {
    auto len = static_cast<int>(payload.size());
    switch (op) {
      case Op::create:
        return zoo_acreate2(zh, path, payload.data(), len, &ZOO_OPEN_ACL_UNSAFE, ZOO_PERSISTENT,
                            &Batch::on_string_stat, this);
      case Op::get: return zoo_aget(zh, path, 0, &Batch::on_data, this);
      case Op::set: return zoo_aset(zh, path, payload.data(), len, -1, &Batch::on_stat, this);
      case Op::remove: return zoo_adelete(zh, path, -1, &Batch::on_void, this);
      case Op::watch_exists: return zoo_aexists(zh, path, 1, &Batch::on_stat, this);
    }
    return ZBADARGUMENTS;
  }

  void completed(int rc) {
    // exists: a missing node is an answer (and arms the watch for its creation).
    if (rc != ZOK && !(op == Op::watch_exists && rc == ZNONODE)) error(describe(rc));
    count_done();
    send_one();
  }

  void error(const std::string& what) {
    std::lock_guard lock(mu);
    if (errors++ == 0) failure = std::string(to_string(op)) + ": " + what;
  }

  void count_done() {
    if (ops.fetch_add(1, std::memory_order_acq_rel) + 1 == paths->size()) {
      std::lock_guard lock(mu);
      cv.notify_all();
    }
  }

  static void on_string_stat(int rc, const char*, const struct Stat*, const void* self) {
    static_cast<Batch*>(const_cast<void*>(self))->completed(rc);
  }
  static void on_stat(int rc, const struct Stat*, const void* self) {
    static_cast<Batch*>(const_cast<void*>(self))->completed(rc);
  }
  static void on_void(int rc, const void* self) { static_cast<Batch*>(const_cast<void*>(self))->completed(rc); }
  static void on_data(int rc, const char*, int len, const struct Stat*, const void* self) {
    auto* b = static_cast<Batch*>(const_cast<void*>(self));
    if (rc == ZOK && len != static_cast<int>(b->payload.size())) {
      b->error("reply of unexpected length " + std::to_string(len));
      b->count_done();
      return b->send_one();
    }
    b->completed(rc);
  }
};

// Sequential gets, each sent from the previous one's completion.
struct Sequence {
  zhandle_t* zh;
  std::string path;
  std::size_t count;
  Clock::time_point sent{};
  std::atomic<bool> stopped{false};  // given up on (deadline): send nothing more
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;  // under mu
  Latencies out;          // written by the completion thread until finished

  void issue() {
    sent = Clock::now();
    int rc = zoo_aget(zh, path.c_str(), 0, &Sequence::on_data, this);
    if (rc != ZOK) finish("get: submit: " + describe(rc));
  }

  void finish(std::string failure) {
    std::lock_guard lock(mu);
    out.failure = std::move(failure);
    finished = true;
    cv.notify_all();
  }

  static void on_data(int rc, const char*, int, const struct Stat*, const void* p) {
    auto* s = static_cast<Sequence*>(const_cast<void*>(p));
    double us = std::chrono::duration<double, std::micro>(Clock::now() - s->sent).count();
    if (rc != ZOK) return s->finish("get: " + describe(rc));
    if (s->stopped.load()) return;
    s->out.micros.push_back(us);
    if (s->out.micros.size() >= s->count) return s->finish({});
    s->issue();
  }
};

class CDriver final : public Driver {
 public:
  ~CDriver() override {
    // Completes every outstanding request (with ZCLOSING) and joins the handle's threads, so
    // the batches can go after it.
    if (zh_) zookeeper_close(zh_);
  }

  const char* name() const override { return "c"; }

  bool connect(const std::string& hosts, Deadline deadline, std::string& error) {
    configure_logging();
    zh_ = zookeeper_init(hosts.c_str(), &CDriver::on_watch, kSessionTimeoutMs, nullptr, this, 0);
    if (!zh_) {
      error = "zookeeper_init failed: " + std::string(std::strerror(errno));
      return false;
    }
    zoo_set_servers_resolution_delay(zh_, -1);
    if (!wait_until(mu_, cv_, [&] { return connected_ || ended_; }, deadline, [] {}) || !connected_) {
      error = "C client session not connected to " + hosts;
      return false;
    }
    return true;
  }

  Outcome pipelined(Op op, const std::vector<std::string>& paths, std::string_view payload,
                    std::size_t window, Deadline deadline) override {
    auto& b = *batches_.emplace_back(std::make_unique<Batch>());
    b.zh = zh_;
    b.op = op;
    b.paths = &paths;
    b.payload = payload;
    for (std::size_t i = 0; i < window; ++i) b.send_one();
    bool ok = wait_until(b.mu, b.cv, [&] { return b.ops.load() >= paths.size(); }, deadline,
                         [this] { run_idle_hook(); });
    Outcome out;
    std::lock_guard lock(b.mu);
    if (!ok) {
      b.stopped = true;
      if (b.failure.empty())
        b.failure = std::string(to_string(op)) + ": " + std::to_string(b.ops.load()) + " of " +
                    std::to_string(paths.size()) + " done before the deadline";
    }
    out.ops = b.ops.load();
    out.errors = b.errors;
    out.failure = b.failure;
    return out;
  }

  Latencies sequential_gets(const std::string& path, std::size_t count, Deadline deadline) override {
    auto& s = *sequences_.emplace_back(std::make_unique<Sequence>());
    s.zh = zh_;
    s.path = path;
    s.count = count;
    s.out.micros.reserve(count);
    s.issue();
    if (!wait_until(s.mu, s.cv, [&] { return s.finished; }, deadline, [this] { run_idle_hook(); })) {
      // Stops the chain; the latencies so far belong to the completion thread, so none are
      // handed back.
      s.stopped = true;
      Latencies partial;
      partial.failure = "gets: not done before the deadline";
      return partial;
    }
    return s.out;
  }

  std::uint64_t watch_events() override { return events_.load(); }

  bool wait_watch_events(std::uint64_t count, Deadline deadline) override {
    event_target_.store(count);
    return wait_until(mu_, cv_, [&] { return events_.load() >= count; }, deadline, [this] { run_idle_hook(); });
  }

  void sync_after_reconnect() override {
    std::lock_guard lock(mu_);
    sync_armed_ = true;
    sync_done_ = false;
    rewatch_ = Rewatch{};
  }

  Rewatch wait_reconnect_sync(Deadline deadline) override {
    bool ok = wait_until(mu_, cv_, [&] { return sync_done_; }, deadline, [this] { run_idle_hook(); });
    std::lock_guard lock(mu_);
    if (!ok && rewatch_.failure.empty()) rewatch_.failure = "no reconnection and sync before the deadline";
    return rewatch_;
  }

 private:
  // The handle's watcher, on its completion thread: session events and watch events.
  static void on_watch(zhandle_t* zh, int type, int state, const char*, void* ctx) {
    auto* self = static_cast<CDriver*>(ctx);
    if (type == ZOO_CREATED_EVENT || type == ZOO_CHANGED_EVENT) {
      if (self->events_.fetch_add(1) + 1 == self->event_target_.load()) {
        std::lock_guard lock(self->mu_);
        self->cv_.notify_all();
      }
      return;
    }
    if (type != ZOO_SESSION_EVENT) return;
    std::lock_guard lock(self->mu_);
    if (state == ZOO_CONNECTED_STATE) {
      // Armed while connected: the next "connected" is the reconnection.
      if (self->connected_ && self->sync_armed_) {
        self->sync_armed_ = false;
        self->reconnected_at_ = Clock::now();
        int rc = zoo_async(zh, "/", &CDriver::on_sync, self);
        if (rc != ZOK) {
          self->rewatch_.failure = "sync: submit: " + describe(rc);
          self->sync_done_ = true;
        }
      }
      self->connected_ = true;
    } else if (state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE) {
      self->ended_ = true;
      if (self->sync_armed_) {
        self->rewatch_.failure = "session ended (state " + std::to_string(state) + ")";
        self->sync_done_ = true;
      }
    }
    self->cv_.notify_all();
  }

  static void on_sync(int rc, const char*, const void* p) {
    auto* self = static_cast<CDriver*>(const_cast<void*>(p));
    std::lock_guard lock(self->mu_);
    self->rewatch_.reconnect_to_sync_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - self->reconnected_at_).count();
    if (rc != ZOK) self->rewatch_.failure = "sync: " + describe(rc);
    self->sync_done_ = true;
    self->cv_.notify_all();
  }

  // The destructor's body closes zh_ (no completion runs after that); then these go.
  std::vector<std::unique_ptr<Batch>> batches_;
  std::vector<std::unique_ptr<Sequence>> sequences_;
  zhandle_t* zh_ = nullptr;
  std::atomic<std::uint64_t> events_{0};
  std::atomic<std::uint64_t> event_target_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool connected_ = false;  // under mu_, like the rest
  bool ended_ = false;
  bool sync_armed_ = false;
  bool sync_done_ = false;
  Clock::time_point reconnected_at_{};
  Rewatch rewatch_;
};

// W3: a handle's watcher counts its first "connected".
struct Counter {
  std::mutex mu;
  std::condition_variable cv;
  int connected = 0;
  int ended = 0;
};
struct HandleContext {
  Counter* counter;
  bool counted = false;
  Clock::time_point started{};
  double seconds = 0;  // from zookeeper_init to connected
};

void on_handle_state(zhandle_t*, int type, int state, const char*, void* ctx) {
  if (type != ZOO_SESSION_EVENT) return;
  auto* h = static_cast<HandleContext*>(ctx);
  std::lock_guard lock(h->counter->mu);
  if (h->counted) return;
  if (state == ZOO_CONNECTED_STATE) {
    ++h->counter->connected;
    h->seconds = seconds_since(h->started);
  }
  else if (state == ZOO_EXPIRED_SESSION_STATE || state == ZOO_AUTH_FAILED_STATE) ++h->counter->ended;
  else return;
  h->counted = true;
  h->counter->cv.notify_all();
}

}  // namespace

std::unique_ptr<Driver> connect_c(const std::string& hosts, Deadline deadline, std::string& error) {
  auto d = std::make_unique<CDriver>();
  if (!d->connect(hosts, deadline, error)) return nullptr;
  return d;
}

const char* c_client_version() { return ZOO_VERSION; }

void set_c_client_log(const std::string& path) {
  configure_logging();
  if (path.empty()) return zoo_set_log_stream(stderr);
  if (FILE* f = std::fopen(path.c_str(), "a")) zoo_set_log_stream(f);  // open until exit
}

SessionsResult c_sessions(const std::string& hosts, int count, Deadline deadline) {
  configure_logging();
  SessionsResult r;
  r.sessions = count;
  Counter counter;
  std::vector<HandleContext> contexts(static_cast<std::size_t>(count), HandleContext{&counter});
  std::vector<zhandle_t*> handles;
  handles.reserve(static_cast<std::size_t>(count));
  r.rss_before_kib = rss_kib();
  r.threads_before = thread_count();
  r.fds_before = open_fds();
  double cpu = process_cpu_seconds();
  std::int64_t overflows = listen_overflows();
  auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    contexts[static_cast<std::size_t>(i)].started = Clock::now();
    zhandle_t* zh = zookeeper_init(hosts.c_str(), &on_handle_state, kSessionTimeoutMs, nullptr,
                                   &contexts[static_cast<std::size_t>(i)], 0);
    if (!zh) {
      r.failure = "zookeeper_init " + std::to_string(i) + ": " + std::strerror(errno);
      break;
    }
    zoo_set_servers_resolution_delay(zh, -1);
    handles.push_back(zh);
  }
  int wanted = static_cast<int>(handles.size());
  bool ok = wait_until(counter.mu, counter.cv, [&] { return counter.connected + counter.ended >= wanted; },
                       deadline, [] {});
  r.connect_seconds = seconds_since(start);
  if (overflows >= 0) r.listen_overflows = listen_overflows() - overflows;
  r.cpu_seconds = process_cpu_seconds() - cpu;
  r.rss_after_kib = rss_kib();
  r.threads_after = thread_count();
  r.fds_after = open_fds();
  {
    std::lock_guard lock(counter.mu);
    for (const HandleContext& h : contexts) r.slowest_session_seconds = std::max(r.slowest_session_seconds, h.seconds);
    if (!ok && r.failure.empty())
      r.failure = std::to_string(counter.connected) + " of " + std::to_string(count) +
                  " sessions connected before the deadline";
    if (counter.ended > 0 && r.failure.empty())
      r.failure = std::to_string(counter.ended) + " sessions ended before connecting";
  }
  for (zhandle_t* zh : handles) zookeeper_close(zh);
  return r;
}

}  // namespace zkit::bench
