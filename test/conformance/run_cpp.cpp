// The conformance scenario through zkit's C++ API: zkit::Client (blocking) and the blocking
// recipes; watchers and callbacks run on the client's loop thread.
#include <condition_variable>
#include <optional>

#include "runner.hpp"
#include "zkit/client.hpp"
#include "zkit/recipes/blocking/leader_latch.hpp"
#include "zkit/recipes/blocking/mutex.hpp"
#include "zkit/testing/session_killer.hpp"

namespace {

zkit::Task<zkit::Result<void>> synced(zkit::Session& s) { co_return co_await s.sync("/"); }

// Issues `count` syncs whose callbacks record into `calls` (on the loop thread), and ends.
zkit::Task<zkit::Result<void>> issue_syncs(zkit::Session& s, int count,
                                           std::shared_ptr<std::vector<zkit::conformance::Err>> calls);

using zkit::conformance::Err;
using zkit::conformance::Events;

Err err_of(const zkit::Error& e) { return {std::string(zkit::to_string(e.code())), static_cast<int>(e.code())}; }
template <class T>
Err err_of(const zkit::Result<T>& r) {
  return r ? Err{} : err_of(r.error());
}

class CppClient : public zkit::conformance::Client {
 public:
  explicit CppClient(zkit::Client c) : c_(std::move(c)) {}
  ~CppClient() override {
    latch_.reset();
    held_.reset();
    mutex_.reset();
    watch_ = {};
    c_.close();
  }

  std::string state() override { return std::string(zkit::to_string(c_.state())); }
  std::int64_t session_id() override { return c_.session_id(); }
  Err create(const std::string& path, const std::string& data, int mode, std::string* created) override {
    auto r = c_.create(path, data, {.mode = static_cast<zkit::CreateMode>(mode)});
    if (r) *created = r->path;
    return err_of(r);
  }
  Err exists(const std::string& path, bool* found, std::int64_t* owner) override {
    auto r = c_.exists(path);
    if (r) {
      *found = r->has_value();
      *owner = *found ? (*r)->ephemeral_owner : 0;
    }
    return err_of(r);
  }
  Err get(const std::string& path, std::string* data, int* version) override {
    auto r = c_.get(path);
    if (r) {
      *data = r->data;
      *version = r->stat.version;
    }
    return err_of(r);
  }
  Err set(const std::string& path, const std::string& data, int version, int* new_version) override {
    auto r = c_.set(path, data, version);
    if (r) *new_version = r->version;
    return err_of(r);
  }
  Err remove(const std::string& path, int version) override { return err_of(c_.remove(path, version)); }
  Err get_watched(const std::string& path, Events& events) override {
    return err_of(c_.get(path, [&events](const zkit::WatchEvent& e) { events.add(static_cast<int>(e.type), e.path); }));
  }
  void barrier() override {
    // A sync's reply comes after every event the server sent before it, and the loop thread
    // runs watchers before the completion.
    (void)c_.run([](zkit::Session& s) { return synced(s); });
  }
  Err add_persistent_watch(const std::string& path, bool recursive, Events& events) override {
    auto r = c_.add_watch(path, recursive ? zkit::WatchMode::persistent_recursive : zkit::WatchMode::persistent,
                          [&events](const zkit::WatchEvent& e) {
                            if (e.type != zkit::EventType::none) events.add(static_cast<int>(e.type), e.path);
                          });
    if (r) watch_ = std::move(r).value();
    return err_of(r);
  }
  void remove_persistent_watch() override { watch_.remove(); }
  Err multi(const std::vector<zkit::conformance::MultiOp>& ops, bool* committed, std::vector<Err>* results) override {
    std::vector<zkit::TxnOp> txn;
    for (const auto& o : ops) {
      if (o.kind == "create") txn.push_back(zkit::TxnOp::create(o.path, o.data));
      else if (o.kind == "check") txn.push_back(zkit::TxnOp::check(o.path, o.version));
      else txn.push_back(zkit::TxnOp::set(o.path, o.data, o.version));
    }
    auto r = c_.multi(txn);
    if (!r) return err_of(r);
    *committed = r->committed;
    for (const auto& one : r->results) results->push_back(one.error == zkit::Errc::ok ? Err{} : err_of(zkit::Error(one.error)));
    if (const auto* failed = r->first_failure()) return err_of(zkit::Error(failed->error));
    return {};
  }
  Err get_children_count(const std::string& path, std::size_t* count) override {
    auto r = c_.get_children(path);
    if (r) *count = r->names.size();
    return err_of(r);
  }
  void wait_children_change(const std::string& path) override {
    auto fired = std::make_shared<std::pair<std::mutex, std::condition_variable>>();
    auto flag = std::make_shared<bool>(false);
    auto r = c_.get_children(path, [fired, flag](const zkit::WatchEvent&) {
      std::lock_guard lock(fired->first);
      *flag = true;
      fired->second.notify_all();
    });
    if (!r) return;
    std::unique_lock lock(fired->first);
    fired->second.wait_for(lock, std::chrono::seconds(20), [&] { return *flag; });
  }
  Err mutex_acquire(const std::string& path, std::int64_t* token) override {
    mutex_.emplace(c_, path);
    auto g = mutex_->acquire(std::chrono::seconds(20));
    if (!g) return err_of(g);
    *token = g->token().zxid;
    held_.emplace(std::move(g).value());
    return {};
  }
  Err mutex_release() override {
    if (!held_) return err_of(zkit::Error(zkit::Errc::bad_arguments));
    auto r = held_->release();
    held_.reset();
    return err_of(r);
  }
  Err latch_start(const std::string& path, const std::string& id) override {
    latch_.emplace(c_, path, id);
    return err_of(latch_->start());
  }
  Err latch_await(std::int64_t timeout_ms, std::int64_t* token) override {
    auto r = latch_->await_leadership(std::chrono::milliseconds(timeout_ms));
    if (r) *token = r->zxid;
    return err_of(r);
  }
  bool latch_leads() override { return latch_->has_leadership(); }
  void latch_close() override {
    (void)latch_->close();
    latch_.reset();
  }
  Err expire_and_wait(const std::string& connect) override {
    auto seen = std::make_shared<std::pair<std::mutex, std::condition_variable>>();
    auto expired = std::make_shared<bool>(false);
    c_.add_listener([seen, expired](zkit::SessionState s) {
      if (s != zkit::SessionState::expired) return;
      std::lock_guard lock(seen->first);
      *expired = true;
      seen->second.notify_all();
    });
    auto r = zkit::testing::expire_session(connect, c_.session_id(), c_.session_password());
    if (!r) return err_of(r);
    std::unique_lock lock(seen->first);
    if (!seen->second.wait_for(lock, std::chrono::seconds(20), [&] { return *expired; }))
      return err_of(zkit::Error(zkit::Errc::operation_timeout));
    return {};
  }
  std::vector<Err> close_with_pending(int count) override {
    auto calls = std::make_shared<std::vector<Err>>();  // written on the loop thread only
    (void)c_.run([count, calls](zkit::Session& s) { return issue_syncs(s, count, calls); });
    c_.close();  // joins the loop thread: every callback has run
    return *calls;
  }

 private:
  zkit::Client c_;  // declared first: destroyed last (the recipes below refer to it)
  zkit::WatchHandle watch_;
  std::optional<zkit::recipes::blocking::Mutex> mutex_;
  std::optional<zkit::recipes::blocking::Mutex::Guard> held_;
  std::optional<zkit::recipes::blocking::LeaderLatch> latch_;
};

zkit::Task<zkit::Result<void>> issue_syncs(zkit::Session& s, int count, std::shared_ptr<std::vector<Err>> calls) {
  for (int i = 0; i < count; ++i) s.sync("/", [calls](zkit::Result<void> r) { calls->push_back(err_of(r)); });
  co_return zkit::Result<void>();
}

class CppBinding : public zkit::conformance::Binding {
 public:
  const char* name() const override { return "C++"; }
  std::unique_ptr<zkit::conformance::Client> open(const std::string& connect, std::string* why) override {
    auto c = zkit::Client::open({.connect = connect});
    if (!c) {
      *why = c.error().message();
      return nullptr;
    }
    return std::make_unique<CppClient>(std::move(c).value());
  }
  std::string error_name(int code) override { return std::string(zkit::to_string(static_cast<zkit::Errc>(code))); }
};

}  // namespace

int main(int argc, char** argv) {
  CppBinding binding;
  return zkit::conformance::run_main(argc, argv, binding);
}
