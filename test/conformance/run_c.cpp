// The conformance scenario through zkit's C ABI (zkit.h) and nothing else: the driver is C++
// (for the JSON and the shared checks of runner.cpp); every ZooKeeper call is a C function.
// Watchers and callbacks run on the client's loop thread.
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "runner.hpp"
#include "zkit.h"

namespace {

using zkit::conformance::Err;
using zkit::conformance::Events;

Err err_of(int rc) { return rc == ZKIT_OK ? Err{} : Err{zkit_strerror(rc), rc}; }

// A flag a callback sets on the loop thread and the runner waits on (at most 20 s).
struct Signal {
  std::mutex mu;
  std::condition_variable cv;
  bool set = false;
  void raise() {
    std::lock_guard lock(mu);
    set = true;
    cv.notify_all();
  }
  bool wait() {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(20), [&] { return set; });
  }
};

extern "C" void record_event(const zkit_watch_event* e, void* closure) {
  if (e->type != ZKIT_EVENT_NONE) static_cast<Events*>(closure)->add(e->type, e->path ? e->path : "");
}
extern "C" void raise_signal_on_event(const zkit_watch_event*, void* closure) { static_cast<Signal*>(closure)->raise(); }
extern "C" void raise_signal_on_done(int, const char*, void* closure) { static_cast<Signal*>(closure)->raise(); }
extern "C" void raise_on_expired(zkit_state s, void* closure) {
  if (s == ZKIT_STATE_EXPIRED) static_cast<Signal*>(closure)->raise();
}

struct Pending {
  std::mutex mu;
  std::vector<Err> calls;
};
extern "C" void record_pending(int rc, const char*, void* closure) {
  auto* p = static_cast<Pending*>(closure);
  std::lock_guard lock(p->mu);
  p->calls.push_back(err_of(rc));
}

class CClient : public zkit::conformance::Client {
 public:
  explicit CClient(zkit_client* zk) : zk_(zk) {}
  ~CClient() override {
    zkit_leader_latch_free(latch_);
    zkit_mutex_free(mutex_);
    zkit_watch_remove(watch_);
    zkit_close(zk_);
  }

  std::string state() override { return zkit_state_name(zkit_client_state(zk_)); }
  std::int64_t session_id() override { return zkit_client_session_id(zk_); }
  Err create(const std::string& path, const std::string& data, int mode, std::string* created) override {
    char* made = nullptr;
    int rc = zkit_create(zk_, path.c_str(), data.data(), data.size(), static_cast<zkit_create_mode>(mode), &made);
    if (rc == ZKIT_OK) *created = made;
    zkit_free(made);
    return err_of(rc);
  }
  Err exists(const std::string& path, bool* found, std::int64_t* owner) override {
    int there = 0;
    zkit_stat st{};
    int rc = zkit_exists(zk_, path.c_str(), nullptr, nullptr, &there, &st);
    *found = there == 1;
    *owner = there ? st.ephemeral_owner : 0;
    return err_of(rc);
  }
  Err get(const std::string& path, std::string* data, int* version) override {
    char* d = nullptr;
    size_t len = 0;
    zkit_stat st{};
    int rc = zkit_get(zk_, path.c_str(), nullptr, nullptr, &d, &len, &st);
    if (rc == ZKIT_OK) {
      data->assign(d ? d : "", len);
      *version = st.version;
    }
    zkit_free(d);
    return err_of(rc);
  }
  Err set(const std::string& path, const std::string& data, int version, int* new_version) override {
    zkit_stat st{};
    int rc = zkit_set(zk_, path.c_str(), data.data(), data.size(), version, &st);
    if (rc == ZKIT_OK) *new_version = st.version;
    return err_of(rc);
  }
  Err remove(const std::string& path, int version) override { return err_of(zkit_delete(zk_, path.c_str(), version)); }
  Err get_watched(const std::string& path, Events& events) override {
    char* d = nullptr;
    size_t len = 0;
    int rc = zkit_get(zk_, path.c_str(), record_event, &events, &d, &len, nullptr);
    zkit_free(d);
    return err_of(rc);
  }
  void barrier() override {
    // The sync's callback runs on the loop thread after every watcher queued before it.
    Signal done;
    if (zkit_sync_async(zk_, "/", raise_signal_on_done, &done) == ZKIT_OK) done.wait();
  }
  Err add_persistent_watch(const std::string& path, bool recursive, Events& events) override {
    return err_of(zkit_add_watch(zk_, path.c_str(), recursive ? ZKIT_WATCH_PERSISTENT_RECURSIVE : ZKIT_WATCH_PERSISTENT,
                                 record_event, &events, &watch_));
  }
  void remove_persistent_watch() override {
    zkit_watch_remove(watch_);
    watch_ = nullptr;
  }
  Err multi(const std::vector<zkit::conformance::MultiOp>& ops, bool* committed, std::vector<Err>* results) override {
    zkit_txn* txn = zkit_txn_new();
    if (txn == nullptr) return err_of(ZKIT_NO_MEMORY);
    for (const auto& o : ops) {
      if (o.kind == "create") zkit_txn_create(txn, o.path.c_str(), o.data.data(), o.data.size(), ZKIT_PERSISTENT);
      else if (o.kind == "check") zkit_txn_check(txn, o.path.c_str(), o.version);
      else zkit_txn_set(txn, o.path.c_str(), o.data.data(), o.data.size(), o.version);
    }
    std::vector<int> codes(ops.size(), 1);
    size_t failed = 0;
    int rc = zkit_txn_commit(zk_, txn, codes.data(), &failed);
    zkit_txn_free(txn);
    *committed = rc == ZKIT_OK;
    for (int c : codes) results->push_back(err_of(c));
    return err_of(rc);
  }
  Err get_children_count(const std::string& path, std::size_t* count) override {
    zkit_strings kids{0, nullptr};
    int rc = zkit_get_children(zk_, path.c_str(), nullptr, nullptr, &kids, nullptr);
    *count = kids.count;
    zkit_strings_free(&kids);
    return err_of(rc);
  }
  void wait_children_change(const std::string& path) override {
    // The signal outlives the watcher: it runs at the latest when the client closes.
    auto& fired = signals_.emplace_back(std::make_unique<Signal>());
    zkit_strings kids{0, nullptr};
    int rc = zkit_get_children(zk_, path.c_str(), raise_signal_on_event, fired.get(), &kids, nullptr);
    zkit_strings_free(&kids);
    if (rc == ZKIT_OK) fired->wait();
  }
  Err mutex_acquire(const std::string& path, std::int64_t* token) override {
    int rc = zkit_mutex_new(zk_, path.c_str(), &mutex_);
    if (rc != ZKIT_OK) return err_of(rc);
    return err_of(zkit_mutex_acquire(mutex_, 20000, token));
  }
  Err mutex_release() override { return err_of(zkit_mutex_release(mutex_)); }
  Err latch_start(const std::string& path, const std::string& id) override {
    return err_of(zkit_leader_latch_new(zk_, path.c_str(), id.c_str(), &latch_));
  }
  Err latch_await(std::int64_t timeout_ms, std::int64_t* token) override {
    return err_of(zkit_leader_latch_await(latch_, timeout_ms, token));
  }
  bool latch_leads() override { return zkit_leader_latch_has_leadership(latch_) == 1; }
  void latch_close() override {
    zkit_leader_latch_free(latch_);
    latch_ = nullptr;
  }
  Err expire_and_wait(const std::string& connect) override {
    expired_ = std::make_unique<Signal>();
    uint64_t id = 0;
    int rc = zkit_add_listener(zk_, raise_on_expired, expired_.get(), &id);
    if (rc != ZKIT_OK) return err_of(rc);
    char password[16];
    size_t n = zkit_client_session_password(zk_, password, sizeof password);
    static const char* hex = "0123456789abcdef";
    std::string pw;
    for (size_t i = 0; i < n; ++i) {
      pw += hex[(static_cast<unsigned char>(password[i]) >> 4) & 0xf];
      pw += hex[static_cast<unsigned char>(password[i]) & 0xf];
    }
    const char* expirer = std::getenv("ZKIT_TEST_EXPIRER");
    if (expirer == nullptr) return Err{"ZKIT_TEST_EXPIRER is not set", -1};
    char sid[17];
    std::snprintf(sid, sizeof sid, "%llx", static_cast<unsigned long long>(session_id()));
    std::string cmd = std::string("'") + expirer + "' '" + connect + "' " + sid + " " + pw;
    if (std::system(cmd.c_str()) != 0) return Err{"expire_session failed", -1};
    return expired_->wait() ? Err{} : err_of(ZKIT_OPERATION_TIMEOUT);
  }
  std::vector<Err> close_with_pending(int count) override {
    Pending p;
    for (int i = 0; i < count; ++i)
      if (zkit_sync_async(zk_, "/", record_pending, &p) != ZKIT_OK) p.calls.push_back(Err{"not posted", -1});
    zkit_close(zk_);  // every callback has run when it returns
    zk_ = nullptr;
    return p.calls;
  }

 private:
  zkit_client* zk_;
  zkit_watch* watch_ = nullptr;
  zkit_mutex* mutex_ = nullptr;
  zkit_leader_latch* latch_ = nullptr;
  std::unique_ptr<Signal> expired_;                // a listener's closure: lives until zkit_close
  std::vector<std::unique_ptr<Signal>> signals_;  // watchers' closures: live until zkit_close
};

class CBinding : public zkit::conformance::Binding {
 public:
  const char* name() const override { return "C"; }
  std::unique_ptr<zkit::conformance::Client> open(const std::string& connect, std::string* why) override {
    zkit_options o;
    zkit_options_init(&o);
    o.connect = connect.c_str();
    zkit_client* zk = nullptr;
    if (zkit_open(&o, &zk) != ZKIT_OK) {
      *why = zkit_last_error();
      return nullptr;
    }
    return std::make_unique<CClient>(zk);
  }
  std::string error_name(int code) override { return zkit_strerror(code); }
};

}  // namespace

int main(int argc, char** argv) {
  CBinding binding;
  return zkit::conformance::run_main(argc, argv, binding);
}
