// The conformance scenario's steps and checks, written once for the runners in C++ and C: each
// runner implements Binding over its language's API (run_cpp.cpp: zkit::Client and the
// blocking recipes; run_c.cpp: the C ABI only), and runner.cpp walks scenario.json, calls the
// Binding and compares what it saw with the scenario's expectations. (The Python runner,
// run_python.py, makes the same checks in Python.)
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace zkit::conformance {

// An error as the binding reports it: zkit's name ("no_node", "ok") and its number.
struct Err {
  std::string name = "ok";
  int code = 0;
  bool ok() const { return name == "ok"; }
};

// Watch events a binding's watchers record (from its callback thread).
class Events {
 public:
  void add(int type, std::string path) {
    std::lock_guard lock(mu_);
    seen_.push_back({type, std::move(path)});
  }
  std::vector<std::pair<int, std::string>> take() {
    std::lock_guard lock(mu_);
    return std::move(seen_);
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<int, std::string>> seen_;
};

struct MultiOp {
  std::string kind;  // "create", "check", "set"
  std::string path, data;
  int version = -1;
};

// One client of the binding under test, and the recipes the scenario uses. Every call blocks.
class Client {
 public:
  virtual ~Client() = default;
  virtual std::string state() = 0;
  virtual std::int64_t session_id() = 0;
  virtual Err create(const std::string& path, const std::string& data, int mode, std::string* created) = 0;
  // exists: *found, and the node's ephemeral owner.
  virtual Err exists(const std::string& path, bool* found, std::int64_t* owner) = 0;
  virtual Err get(const std::string& path, std::string* data, int* version) = 0;
  virtual Err set(const std::string& path, const std::string& data, int version, int* new_version) = 0;
  virtual Err remove(const std::string& path, int version) = 0;
  // get with a one-shot watcher that records into `events`.
  virtual Err get_watched(const std::string& path, Events& events) = 0;
  // Returns once every watcher call queued before it has run.
  virtual void barrier() = 0;
  virtual Err add_persistent_watch(const std::string& path, bool recursive, Events& events) = 0;
  virtual void remove_persistent_watch() = 0;
  virtual Err multi(const std::vector<MultiOp>& ops, bool* committed, std::vector<Err>* results) = 0;
  virtual Err get_children_count(const std::string& path, std::size_t* count) = 0;
  // Blocks until the number of children of `path` may have changed (a child watch), or ~20 s.
  virtual void wait_children_change(const std::string& path) = 0;
  virtual Err mutex_acquire(const std::string& path, std::int64_t* token) = 0;
  virtual Err mutex_release() = 0;
  virtual Err latch_start(const std::string& path, const std::string& id) = 0;
  virtual Err latch_await(std::int64_t timeout_ms, std::int64_t* token) = 0;
  virtual bool latch_leads() = 0;
  virtual void latch_close() = 0;
  // Expires this client's session on purpose and waits until the client says so.
  virtual Err expire_and_wait(const std::string& connect) = 0;
  // Issues `count` asynchronous syncs, closes the client and returns each callback's error.
  virtual std::vector<Err> close_with_pending(int count) = 0;
};

class Binding {
 public:
  virtual ~Binding() = default;
  virtual const char* name() const = 0;
  // Connects; nullptr with *why on failure.
  virtual std::unique_ptr<Client> open(const std::string& connect, std::string* why) = 0;
  // zkit's name of an error code, to check the scenario's table against the binding's.
  virtual std::string error_name(int code) = 0;
};

// runner SCENARIO CONNECT | runner --mutex-child CONNECT PATH. Returns the exit status.
int run_main(int argc, char** argv, Binding& binding);

}  // namespace zkit::conformance
