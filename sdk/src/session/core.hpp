// session::Core: the session state machine. On one loop thread it drives the handshake, the
// negotiated timeouts, pings, reconnects with backoff and local expiry, and moves the session
// between its states. It owns the framed link (net/), the request pipeline and the watch
// manager, and reports to them: frames to the pipeline, events to the watch manager.
//
// Rules kept here:
// - State changes go through set_state(), which notifies listeners. User code (completions,
//   watchers, listeners) only runs when the Core's own state is consistent.
// - A terminal state (expired, auth_failed, closed) fails every queued request and fires every
//   watch once, so nothing hangs.
// - Every timeout derives from the negotiated one (timeouts.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <uv.h>

#include "metrics/recorder.hpp"
#include "net/host_list.hpp"
#include "net/link.hpp"
#include "net/random.hpp"
#include "proto/chroot.hpp"
#include "proto/opcodes.hpp"
#include "session/handshake_gate.hpp"
#include "session/pipeline.hpp"
#include "session/rw_probe.hpp"
#include "session/sasl_exchange.hpp"
#include "session/state_listeners.hpp"
#include "session/timeouts.hpp"
#include "watch/manager.hpp"
#include "zkit/metrics.hpp"
#include "zkit/options.hpp"
#include "zkit/uv/handle.hpp"
#include "zkit/watch.hpp"

namespace zkit::session {

class Core final : public std::enable_shared_from_this<Core>,
                   private net::Link::Events,
                   private Sink,
                   private watch::ServerWatchDropper,
                   private HandshakeGate::Waiter {
 public:
  Core(uv_loop_t* loop, Options options, ConnectString cs);
  ~Core();

  void start();

  // Queues a request (see Pipeline::submit), or refuses it at once when the session has ended
  // or is closing.
  template <class Encode>
  void submit(proto::Op op, std::string_view path, Encode&& encode, Completion&& done) {
    if (Errc e = refusal(); e != Errc::ok) return Pipeline::refuse(e, path, std::move(done));
    pipeline_.submit(op, path, now(), std::forward<Encode>(encode), std::move(done));
  }
  // Why a new request would be refused now (Errc::ok: it would not).
  Errc refusal() const noexcept;

  Result<void> update_hosts(ConnectString cs);
  // The deadline of requests submitted from now on (Options::request_timeout's meaning).
  void set_request_timeout(std::chrono::milliseconds t);
  std::chrono::milliseconds request_timeout() const noexcept { return pipeline_.request_timeout(); }
  void add_auth(std::string scheme, std::string credentials, Completion done);
  // Sends closeSession and ends the session once it is answered (bounded by the read timeout),
  // or at once when `wait_for_answer` is false.
  void close(Function<void()> done, bool wait_for_answer = true);

  const proto::Chroot& chroot() const noexcept { return chroot_; }
  watch::Manager& watches() noexcept { return watches_; }

  ListenerId add_listener(StateListener l) { return listeners_.add(std::move(l)); }
  void remove_listener(ListenerId id) { listeners_.remove(id); }
  void remove_all_listeners() { listeners_.remove_all(); }

  std::size_t pending_requests() const noexcept { return pipeline_.pending(); }
  std::size_t awaiting_replies() const noexcept { return pipeline_.awaiting_replies(); }
  SessionState state() const noexcept { return state_; }
  std::int64_t session_id() const noexcept { return session_id_; }
  const std::string& password() const noexcept { return password_; }
  std::chrono::milliseconds negotiated_timeout() const noexcept { return negotiated_; }
  std::int64_t last_zxid() const noexcept { return last_zxid_; }
  std::string connected_host() const { return sendable() ? link_.peer() : ""; }
  // Why the last connection attempt failed or the last connection ended ("" while connected
  // and before any failure).
  const std::string& last_failure() const noexcept { return last_failure_; }
  uv_loop_t* loop() const noexcept { return loop_; }
  const Options& options() const noexcept { return options_; }

  // For the session's own log lines: to the record logger with `fields` and the session id,
  // to the string logger as `message`.
  void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});
  // A snapshot of the session's figures (zkit/metrics.hpp).
  Metrics metrics() const;

 private:
  // net::Link::Events
  void on_link_open() override;
  void on_frame(std::string_view frame) override;
  void on_link_lost(std::string reason) override;
  // Sink: the pipeline writes into the link's outgoing buffer while the link is usable.
  std::string& frames() override { return link_.out(); }
  void frames_added() override;

  // Whether requests can be written: the link is open and the handshake done.
  bool sendable() const noexcept { return handshaken_; }
  bool terminal() const noexcept;

  void attempt();
  // The current dial's SYN is still unanswered after the gate's patience: dial again.
  void check_syn();
  // HandshakeGate::Waiter: a slot is ours; the attempt starts after `wait` (on the next loop
  // turn at the soonest).
  void admitted(std::chrono::milliseconds wait) override;
  // Gives back the gate's slot or place in its queue, if this session holds one.
  void leave_gate(HandshakeGate::Outcome o);
  void on_connect_response(std::string_view frame);
  // After the handshake (and SASL, when configured): replays credentials and watches, sends
  // what waited, and reports the new state.
  void open_session(bool resumed, bool read_only);
  void on_sasl_reply(Errc err, proto::Reader& body);
  void on_reply(std::string_view frame);
  void on_notification(proto::Reader& body);
  // watch::ServerWatchDropper: no watcher of the session needs a path's server watch.
  void drop_server_watch(const std::string& server_path) override;

  // Options::follow_ensemble: reads /zookeeper/config with a watch (once per change), and
  // adopts its client addresses as the server list.
  void follow_config();
  void on_config_reply(Errc err, proto::Reader& body);
  void adopt_config(std::string_view data);
  void connection_lost(std::string reason, DisconnectCause cause = DisconnectCause::other);
  // A user callback held the loop for `ns` (Options::slow_callback): a warning record.
  void report_slow_callback(std::string_view op, std::uint64_t ns);
  // "; last attempt: <why it failed>", or "" before any failure.
  std::string last_attempt_note() const;
  void drop_link();
  void schedule_reconnect();
  // While read-only: asks another member whether it serves read-write, and moves there if so.
  void probe_for_read_write();
  void end_session(SessionState final_state, Errc e, std::string_view reason);
  void finish_close();
  void release_handles();

  void set_state(SessionState s);
  std::chrono::milliseconds deadline_for(std::chrono::milliseconds request_timeout) const;
  void tick();
  void reset_timeouts();
  std::chrono::milliseconds now() const;

  uv_loop_t* loop_;
  Options options_;
  proto::Chroot chroot_;
  net::Random rng_;
  net::HostList hosts_;

  // libuv handles (the link's prepare handle too): closed in release_handles(); `self_` keeps
  // the Core alive until the last of them has closed, so that close(done)'s `done` runs only
  // once the loop holds nothing of the session.
  uv::Handle<uv_timer_t> tick_timer_;
  uv::Handle<uv_timer_t> backoff_timer_;
  int open_handles_ = 0;
  std::shared_ptr<Core> self_;

  net::Link link_;
  bool handshaken_ = false;
  // The loop's bound on attempts in flight: a slot is held from dialing until the handshake
  // (and the SetWatches of a resumption) is answered.
  std::shared_ptr<HandshakeGate> gate_;
  HandshakeGate::Ticket gate_ticket_{};
  enum class GateHold { none, queued, slot } gate_hold_ = GateHold::none;
  bool awaiting_set_watches_ = false;

  SessionState state_ = SessionState::connecting;
  std::int64_t session_id_ = 0;
  std::int64_t sent_session_id_ = 0;  // the id the current handshake asked to resume (0: new)
  // Whether a read-write server ever granted this session. Until one has, the session is a
  // read-only server's local session, which a read-write member does not know: the next
  // handshake asks for a new session instead (as the Java client does).
  bool seen_read_write_ = false;
  bool ever_opened_ = false;
  std::unique_ptr<RwProbe> probe_;  // made on the first probe: only read-only sessions need one
  std::chrono::milliseconds probe_interval_{100};
  std::chrono::milliseconds next_probe_{0};
  std::chrono::milliseconds probe_started_{0};
  std::string password_;
  std::chrono::milliseconds negotiated_;
  Timeouts timeouts_;
  std::int64_t last_zxid_ = 0;

  std::chrono::milliseconds last_recv_{0};  // last frame from any server of this session
  std::chrono::milliseconds last_send_{0};
  std::chrono::milliseconds attempt_started_{0};
  std::chrono::milliseconds opened_at_{0};  // when the current connection's handshake completed
  std::string last_failure_;
  unsigned failures_ = 0;  // consecutive failed attempts, for the backoff
  bool syn_redialed_ = false;  // a dial was dropped for its unanswered SYN since the last handshake
  bool rebalancing_ = false;  // the connection is being left on purpose (update_hosts)
  bool config_read_ = false;  // a read of /zookeeper/config is in flight or its watch is set
  bool config_in_flight_ = false;  // sent, not answered yet
  bool config_rides_ = false;  // that read rides on a persistent watch of the user's
  std::vector<HostPort> config_members_;  // the configuration last followed (empty: none yet)
  bool config_refused_ = false;   // it did not: the connect string goes through proxies or aliases
  std::string config_pending_;    // a configuration to adopt on the next loop turn

  metrics::Recorder recorder_;  // before the pipeline, which counts into it
  bool dialed_ = false;  // the current link reached its server (for the disconnect cause)
  Pipeline pipeline_;
  // Options::sasl: runs after every handshake, before the pipeline is attached.
  SaslExchange sasl_;
  bool sasl_resumed_ = false;    // what open_session() reports once SASL is done
  bool sasl_read_only_ = false;
  std::string dialed_host_;  // the connect string's host of the current attempt (SASL's server name)
  watch::Manager watches_;
  StateListeners listeners_;

  bool closing_ = false;
  std::chrono::milliseconds close_deadline_{0};
  std::vector<Function<void()>> close_done_;
  bool handles_released_ = false;
};

}  // namespace zkit::session
