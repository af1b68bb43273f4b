// FaultProxy: a listener and its connections (proxy/link.hpp) on a uv::LoopThread. All proxy
// state lives on that thread; the public methods run a closure there and wait for it, so a
// fault is in force when the call returns. Counters read from other threads are atomics.
#include "zkit/testing/fault_proxy.hpp"

#include <algorithm>

#include "proxy/address.hpp"
#include "proxy/link.hpp"
#include "proxy/state.hpp"
#include "zkit/uv/loop_thread.hpp"

namespace zkit::testing {

using proxy::Ending;
using proxy::Link;

class FaultProxy::Impl {
 public:
  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  // Resets every connection, closes the listener and waits for the loop thread to end.
  ~Impl() {
    if (!thread_) return;
    thread_->stop([this](Function<void()> done) {
      state_.drop_links();
      listener_.close();
      done();  // the loop ends once the links' sockets have closed
    });
    thread_->join();
  }

  Result<void> start(const std::string& upstream);
  // Runs `f` on the loop thread and waits until it has run.
  void run(Function<void()> f) { thread_->run(std::move(f)); }

  proxy::State& state() { return state_; }
  int port() const { return port_; }

 private:
  void on_connection(int status);
  void refuse_one();

  proxy::State state_;
  int port_ = 0;  // set by start(), constant after
  uv::Handle<uv_tcp_t> listener_;  // loop thread only
  // Last: its loop is what everything above is on; joined by ~Impl before they go.
  std::unique_ptr<uv::LoopThread> thread_;
};

Result<void> FaultProxy::Impl::start(const std::string& upstream) {
  auto addr = proxy::parse_address(upstream);
  if (!addr) return std::move(addr).error();
  state_.upstream = *addr;
  auto thread = uv::LoopThread::start("zkit-proxy");
  if (!thread) return std::move(thread).error();
  thread_ = std::move(*thread);
  state_.loop = thread_->loop();
  int rc = 0;
  thread_->run([&] {
    listener_ = uv::Handle<uv_tcp_t>(state_.loop, uv_tcp_init);
    listener_->data = this;
    sockaddr_in any{};
    uv_ip4_addr("127.0.0.1", 0, &any);
    rc = uv_tcp_bind(listener_.get(), reinterpret_cast<const sockaddr*>(&any), 0);
    if (rc == 0)
      rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_.get()), 128, [](uv_stream_t* l, int status) {
        static_cast<Impl*>(l->data)->on_connection(status);
      });
    sockaddr_storage bound{};
    int len = sizeof bound;
    if (rc == 0) rc = uv_tcp_getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&bound), &len);
    if (rc == 0) port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    else listener_.close();
  });
  if (rc != 0)
    return Error(Errc::connection_loss, "FaultProxy: cannot listen on 127.0.0.1: " + proxy::uv_text(rc));
  return {};
}

void FaultProxy::Impl::on_connection(int status) {
  if (status != 0) return;
  state_.count_accepted();
  if (state_.refusing) return refuse_one();
  auto link = std::make_shared<Link>(state_);
  state_.links.push_back(link);
  link->open(reinterpret_cast<uv_stream_t*>(listener_.get()), std::prev(state_.links.end()));
}

void FaultProxy::Impl::refuse_one() {
  uv::Handle<uv_tcp_t> tcp(state_.loop, uv_tcp_init);
  if (uv_accept(reinterpret_cast<uv_stream_t*>(listener_.get()), reinterpret_cast<uv_stream_t*>(tcp.get())) != 0)
    return tcp.close();
  tcp.close_with(uv_tcp_close_reset);
}

// --- FaultProxy ------------------------------------------------------------------------------

FaultProxy::FaultProxy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaultProxy::~FaultProxy() = default;

Result<std::unique_ptr<FaultProxy>> FaultProxy::start(const std::string& upstream) {
  auto impl = std::make_unique<Impl>();
  if (auto r = impl->start(upstream); !r) return std::move(r).error();
  return std::unique_ptr<FaultProxy>(new FaultProxy(std::move(impl)));
}

std::string FaultProxy::address() const { return "127.0.0.1:" + std::to_string(impl_->port()); }

Result<void> FaultProxy::set_upstream(const std::string& upstream) {
  auto addr = proxy::parse_address(upstream);
  if (!addr) return std::move(addr).error();
  impl_->run([&] { impl_->state().upstream = *addr; });
  return {};
}

void FaultProxy::drop_connections() {
  impl_->run([&] { impl_->state().drop_links(); });
}

void FaultProxy::refuse(bool on) {
  impl_->run([&] { impl_->state().refusing = on; });
}

void FaultProxy::stall(bool on) {
  impl_->run([&] {
    bool was = std::exchange(impl_->state().stalled, on);
    if (was && !on) impl_->state().pump_links();
  });
}

void FaultProxy::set_delay(std::chrono::milliseconds d) {
  impl_->run([&] { impl_->state().delay = std::max(d, std::chrono::milliseconds(0)); });
}

void FaultProxy::cut_after_next_request(std::optional<std::int32_t> opcode) {
  impl_->run([&] {
    impl_->state().cut_armed = true;
    impl_->state().cut_opcode = opcode;
  });
}

int FaultProxy::connections_accepted() const {
  std::lock_guard lock(impl_->state().accepted_mu);
  return impl_->state().accepted;
}

int FaultProxy::active_connections() const { return impl_->state().active.load(); }

std::uint64_t FaultProxy::requests_forwarded() const { return impl_->state().requests.load(); }

std::size_t FaultProxy::bytes_held() const { return impl_->state().held.load(); }

bool FaultProxy::wait_accepted(int count, std::chrono::milliseconds timeout) const {
  auto& s = impl_->state();
  std::unique_lock lock(s.accepted_mu);
  return s.accepted_cv.wait_for(lock, timeout, [&] { return s.accepted >= count; });
}

}  // namespace zkit::testing
