#include "node.hpp"

#include <unistd.h>

#include <cstdio>
#include <optional>
#include <random>

#include "loop.hpp"
#include "node_channel.hpp"
#include "protocol.hpp"
#include "sleep.hpp"
#include "zkit/recipes/election/leader_latch.hpp"
#include "zkit/recipes/locks/mutex.hpp"
#include "zkit/recipes/sharding/partitioner.hpp"
#include "zkit/recipes/discovery/service_registry.hpp"
#include "zkit/zkit.hpp"

namespace zkit::demo {
namespace {

using namespace std::chrono_literals;
using namespace zkit::recipes;

std::string hex(std::int64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

class StorageNode {
 public:
  StorageNode(const NodeConfig& c, uv_loop_t* loop, Session& session)
      : c_(c),
        loop_(loop),
        session_(session),
        channel_(loop, c.id),
        registry_(session, kServicesPath),
        peers_(session, kServicesPath, kServiceName),
        coordinator_(session, kCoordinatorPath, c.id),
        shards_(session, kShardsPath, c.id, kShards),
        ledger_lock_(session, kLedgerLockPath),
        jitter_(static_cast<unsigned>(getpid())),
        term_(loop, uv_signal_init) {
    term_->data = this;
    uv_signal_start(term_.get(), [](uv_signal_t* h, int) { static_cast<StorageNode*>(h->data)->stop(); },
                    SIGTERM);
  }

  NodeChannel& channel() { return channel_; }
  int status() const { return status_; }

  void on_session(SessionState s) {
    channel_.report("session", {{"state", std::string(to_string(s))}, {"session", hex(session_.session_id())}});
    if (s == SessionState::expired) {
      status_ = 3;
      stopping_ = true;
    }
  }

  void stop() {
    stopping_ = true;
    cancel_.cancel();  // a waiting acquire gives up now
  }

  // (GCC 12 miscompiles a co_await inside an if or while condition in some coroutines: the
  // body never ran. Awaits here stand in statements of their own.)
  Task<void> run() {
    report_started();
    bool joined = co_await join();
    for (; joined && !stopping_;) {
      auto turn = write_once();
      co_await std::move(turn);
    }
    auto left = leave();
    co_await std::move(left);
    term_.close();  // nothing is left to stop: let the loop end
    Result<void> closed = co_await session_.close();
    (void)closed;  // the node is done either way: a failed close leaves it nothing to do
  }

 private:
  // This node as discovery shows it: its data port and a JSON payload with its capacity.
  ServiceInstance describe() const {
    ServiceInstance me;
    me.name = kServiceName;
    me.id = c_.id;
    me.address = "127.0.0.1";
    me.port = c_.port;
    me.payload = nlohmann::json{{"capacity_gb", c_.capacity_gb}, {"shards", kShards}}.dump();
    return me;
  }
  void report_started() {
    channel_.report("started", {{"pid", getpid()}});
  }
  void report_registered() {
    channel_.report("registered", {{"port", c_.port}, {"capacity_gb", c_.capacity_gb}});
  }
  void report_lock_acquired(FencingToken t) { channel_.report("lock_acquired", {{"token", t.zxid}}); }
  void report_lock_released() { channel_.report("lock_released"); }
  void report_peers(const std::vector<ServiceInstance>& now) {
    std::vector<std::string> ids;
    for (auto& i : now) ids.push_back(i.id);
    channel_.report("peers", {{"ids", ids}});
  }
  void report_stopped() { channel_.report("stopped"); }

  // Registers, follows peers, joins the election and the shard group.
  Task<bool> join() {
    ServiceInstance me = describe();
    auto registered = co_await registry_.register_instance(std::move(me));
    if (!registered) {
      std::fprintf(stderr, "%s: register: %s\n", c_.id.c_str(), registered.error().message().c_str());
      co_return false;
    }
    report_registered();

    peers_.add_listener([this](const std::vector<ServiceInstance>& now) { report_peers(now); });
    auto following = co_await peers_.start();
    if (!following) {
      std::fprintf(stderr, "%s: discovery: %s\n", c_.id.c_str(), following.error().message().c_str());
      co_return false;
    }
    report_peers(peers_.instances());  // the first list (the listener hears of changes)

    coordinator_.add_listener([this](OwnershipEvent e) {
      if (e == OwnershipEvent::acquired)
        channel_.report("leader", {{"token", coordinator_.token().zxid}});
      if (e == OwnershipEvent::lost)
        channel_.report("leader_lost", {{"reason", std::string(to_string(session_.state()))}});
    });
    auto electing = co_await coordinator_.start();
    if (!electing) co_return false;

    shards_.on_acquired([this](int shard) {
      channel_.report("shard_acquired", {{"shard", shard}, {"token", shards_.token(shard).zxid}});
    });
    shards_.on_released([this](int shard) { channel_.report("shard_released", {{"shard", shard}}); });
    auto sharding = co_await shards_.start();
    if (!sharding) {
      std::fprintf(stderr, "%s: shards: %s\n", c_.id.c_str(), sharding.error().message().c_str());
      co_return false;
    }

    ledger_lock_.add_listener([this](OwnershipEvent e) {
      if (e == OwnershipEvent::lost) channel_.report("lock_lost", {{"reason", std::string(to_string(session_.state()))}});
    });
    co_return true;
  }

  // One turn at the ledger: take the lock, append a record with the token, hold it a moment
  // (the "work"), release.
  Task<void> write_once() {
    co_await sleep_for(loop_, std::chrono::milliseconds(150 + jitter_() % 200));
    if (stopping_) co_return;
    auto token = co_await ledger_lock_.acquire(3s, cancel_.token());
    if (!token) co_return;  // timed out, or lost its connection: try again next turn
    report_lock_acquired(*token);
    auto write = channel_.write_ledger(token->zxid, c_.id + " appends record " + std::to_string(++writes_));
    co_await write;
    co_await sleep_for(loop_, 100ms);
    if (ledger_lock_.is_held()) report_lock_released();
    auto released = co_await ledger_lock_.release();
    (void)released;  // after a loss there is nothing to release
  }

  // Closes every recipe (the others take over at once), then the session.
  Task<void> leave() {
    co_await shards_.close();
    // close() tells no `lost` (the caller knows): the term ends here, before our latch node goes
    // and another node can take over.
    if (coordinator_.has_leadership()) channel_.report("leader_lost", {{"reason", std::string("closing")}});
    co_await coordinator_.close();
    co_await ledger_lock_.close();
    co_await peers_.close();
    co_await registry_.close();
    report_stopped();
    channel_.close();
  }

  const NodeConfig& c_;
  uv_loop_t* loop_;
  Session& session_;
  NodeChannel channel_;
  ServiceRegistry registry_;
  ServiceCache peers_;
  LeaderLatch coordinator_;
  Partitioner shards_;
  Mutex ledger_lock_;
  CancelSource cancel_;
  std::minstd_rand jitter_;
  int writes_ = 0;
  bool stopping_ = false;
  int status_ = 0;
  uv::Handle<uv_signal_t> term_;  // SIGTERM: stop(); closed when the node is done
};

}  // namespace

int run_node(const NodeConfig& config) {
  tools::Loop loop;  // first: the session and the node have handles on it
  std::optional<Session> session;
  if (auto s = Session::start(loop.get(), Options{.connect = config.connect,
                                                  .session_timeout = config.session_timeout,
                                                  .log_level = LogLevel::error});
      s) {
    session.emplace(std::move(*s));
  } else {
    std::fprintf(stderr, "%s: %s\n", config.id.c_str(), s.error().message().c_str());
    return 1;
  }
  int status = 0;
  {
    StorageNode node(config, loop.get(), *session);
    session->add_listener([&](SessionState s) { node.on_session(s); });
    auto main_task = node.run();
    spawn(std::move(main_task));
    loop.run();
    status = node.status();
  }  // the recipes go first, then the session, then (running what they closed) the loop
  loop.run();
  session.reset();
  return status;
}

}  // namespace zkit::demo
