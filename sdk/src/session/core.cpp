#include "session/core.hpp"

#include <algorithm>
#include <cstdio>
#include <random>
#include <utility>

#include "net/rebalance.hpp"
#include "proto/admin.hpp"
#include "proto/records.hpp"
#include "session/ensemble_config.hpp"
#include "session/handshake.hpp"

namespace zkit::session {

using std::chrono::milliseconds;

namespace {
// The xid of the exists request that checks, right after each handshake, that the chroot is
// there. Not one of the server's special xids (-1, -2, -4, -8): the server answers it like any
// request, in order, and its answer needs no pending entry.
constexpr std::int32_t kChrootCheckXid = -100;
// The same for the read of the ensemble's configuration (Options::follow_ensemble).
constexpr std::int32_t kConfigXid = -101;
constexpr std::string_view kConfigPath = "/zookeeper/config";
}  // namespace

Core::Core(uv_loop_t* loop, Options options, ConnectString cs)
    : loop_(loop),
      options_(std::move(options)),
      chroot_(std::move(cs.chroot)),
      rng_((std::uint64_t{std::random_device{}()} << 32) ^ reinterpret_cast<std::uintptr_t>(this)),
      hosts_(std::move(cs.hosts), options_.shuffle_hosts, rng_),
      link_(loop, options_.max_frame, *this),
      gate_(HandshakeGate::for_loop(loop)),
      negotiated_(options_.session_timeout),
      timeouts_(timeouts_for(negotiated_, hosts_.size(), options_.connect_timeout)),
      recorder_(options_.slow_callback, [this](std::string_view op, std::uint64_t ns) { report_slow_callback(op, ns); }),
      pipeline_({options_.max_pending, options_.when_full, deadline_for(options_.request_timeout)}),
      sasl_(options_.sasl),
      watches_(chroot_, *this) {
  pipeline_.set_recorder(&recorder_);
}

// A Core ends (end_session) before it is freed; this only covers one never started.
Core::~Core() { leave_gate(HandshakeGate::Outcome::abandoned); }

milliseconds Core::deadline_for(milliseconds request_timeout) const {
  return request_timeout.count() < 0 ? options_.session_timeout : request_timeout;
}

void Core::set_request_timeout(milliseconds t) { pipeline_.set_request_timeout(deadline_for(t)); }

milliseconds Core::now() const { return milliseconds(uv_now(loop_)); }

void Core::log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (level < options_.log_level) return;
  if (options_.record_logger) {
    options_.record_logger(LogRecord{level, message, session_id_, std::span<const LogField>(fields.begin(), fields.size())});
    if (!options_.logger) return;
  }
  if (options_.logger) {
    options_.logger(level, message);
    return;
  }
  static constexpr const char* kNames[] = {"debug", "info", "warning", "error"};
  std::fprintf(stderr, "zkit %s: %.*s\n", kNames[static_cast<int>(level)],
               static_cast<int>(message.size()), message.data());
}

void Core::start() {
  self_ = shared_from_this();
  tick_timer_ = uv::Handle<uv_timer_t>(loop_, uv_timer_init);
  backoff_timer_ = uv::Handle<uv_timer_t>(loop_, uv_timer_init);
  tick_timer_->data = backoff_timer_->data = this;
  open_handles_ = 3;  // the two timers and the link's
  last_recv_ = now();
  uv_timer_start(
      tick_timer_.get(), [](uv_timer_t* t) { static_cast<Core*>(t->data)->tick(); },
      static_cast<std::uint64_t>(timeouts_.tick.count()), static_cast<std::uint64_t>(timeouts_.tick.count()));
  // When other sessions of this loop are connecting, the first attempt is jittered too, so
  // that sessions started together do not reach the servers in the same millisecond.
  if (gate_->busy()) {
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto delay = static_cast<std::uint64_t>(unit(rng_) * static_cast<double>(options_.backoff_initial.count()));
    uv_timer_start(
        backoff_timer_.get(), [](uv_timer_t* t) { static_cast<Core*>(t->data)->attempt(); }, delay, 0);
    return;
  }
  attempt();
}

// --- state ---------------------------------------------------------------------------------

bool Core::terminal() const noexcept {
  return state_ == SessionState::expired || state_ == SessionState::auth_failed || state_ == SessionState::closed;
}

Errc Core::refusal() const noexcept {
  switch (state_) {
    case SessionState::expired: return Errc::session_expired;
    case SessionState::auth_failed: return Errc::auth_failed;
    case SessionState::closed: return Errc::closing;
    default: return closing_ ? Errc::closing : Errc::ok;
  }
}

void Core::set_state(SessionState s) {
  if (s == state_) return;
  state_ = s;
  recorder_.state_changed(s);
  listeners_.notify(s);
}

void Core::reset_timeouts() {
  timeouts_ = timeouts_for(negotiated_, hosts_.size(), options_.connect_timeout);
  uv_timer_set_repeat(tick_timer_.get(), static_cast<std::uint64_t>(timeouts_.tick.count()));
}

// --- connecting ----------------------------------------------------------------------------

void Core::attempt() {
  if (terminal() || closing_ || link_.state() != net::Link::State::idle) return;
  if (gate_hold_ == GateHold::queued) return;
  if (gate_hold_ == GateHold::none) {
    std::optional<milliseconds> wait = gate_->enter(*this, gate_ticket_, now());
    if (!wait) {
      gate_hold_ = GateHold::queued;
      return;
    }
    if (wait->count() > 0) return admitted(*wait);
    gate_hold_ = GateHold::slot;
  }
  attempt_started_ = now();
  const HostPort& host = hosts_.next();
  dialed_host_ = host.host;
  link_.open(host, rng_());
  // A SYN that a full listen queue dropped is resent by the kernel only a second later; one
  // still unanswered well past the loop's usual dial time is dropped and dialed again sooner,
  // once per connection (a far server whose SYNs are always slower loses one dial, no more).
  if (std::optional<milliseconds> patience = gate_->syn_patience(); patience && !syn_redialed_ && link_.state() == net::Link::State::dialing)
    uv_timer_start(
        backoff_timer_.get(), [](uv_timer_t* t) { static_cast<Core*>(t->data)->check_syn(); },
        static_cast<std::uint64_t>(patience->count()), 0);
}

void Core::check_syn() {
  if (gate_hold_ != GateHold::slot || !link_.syn_unanswered()) return;
  syn_redialed_ = true;
  connection_lost(link_.peer() + " did not answer the SYN within " + std::to_string((now() - attempt_started_).count()) +
                      " ms (a full listen queue drops SYNs): dialing again",
                  DisconnectCause::attempt_timeout);
}

void Core::admitted(milliseconds wait) {
  gate_hold_ = GateHold::slot;
  uv_timer_start(
      backoff_timer_.get(), [](uv_timer_t* t) { static_cast<Core*>(t->data)->attempt(); },
      static_cast<std::uint64_t>(wait.count()), 0);
}

void Core::leave_gate(HandshakeGate::Outcome o) {
  awaiting_set_watches_ = false;
  switch (std::exchange(gate_hold_, GateHold::none)) {
    case GateHold::queued: return gate_->leave(gate_ticket_);
    case GateHold::slot: return gate_->done(o, attempt_started_, now());
    case GateHold::none: return;
  }
}

std::string Core::last_attempt_note() const {
  return last_failure_.empty() ? std::string() : "; last attempt: " + last_failure_;
}

void Core::on_link_open() {
  dialed_ = true;
  gate_->dialed(now() - attempt_started_);
  sent_session_id_ = seen_read_write_ ? session_id_ : 0;
  write_connect_request(link_.out(), last_zxid_, options_.session_timeout, sent_session_id_, password_,
                        options_.can_be_read_only);
  last_send_ = now();
  link_.send_now();
}

void Core::on_connect_response(std::string_view frame) {
  const std::string& host = link_.peer();
  Handshake h = judge_connect_response(frame, options_.session_timeout, sent_session_id_);
  switch (h.outcome) {
    case Handshake::Outcome::refused: return connection_lost(host + " " + h.reason, DisconnectCause::handshake_refused);
    case Handshake::Outcome::malformed:
      return connection_lost(h.reason + " from " + host, DisconnectCause::handshake_refused);
    case Handshake::Outcome::expired:
      return end_session(SessionState::expired, Errc::session_expired,
                         "the session has expired (" + host + " no longer knows it)");
    case Handshake::Outcome::accepted: break;
  }
  proto::ConnectResponse& resp = h.response;
  if (h.clamped)
    log(LogLevel::warning, host + " granted a session timeout of " + std::to_string(h.granted_ms) + " ms, more than the " +
                               std::to_string(options_.session_timeout.count()) + " ms asked: using " +
                               std::to_string(resp.timeout_ms) + " ms",
        {{"event", "timeout_clamped"}, {"host", host}});
  bool resumed = sent_session_id_ != 0;
  if (!resp.read_only) seen_read_write_ = true;
  session_id_ = resp.session_id;
  password_ = std::move(resp.password);
  negotiated_ = milliseconds(resp.timeout_ms);
  reset_timeouts();
  handshaken_ = true;
  syn_redialed_ = false;
  opened_at_ = now();
  last_failure_.clear();
  char id[20];
  std::snprintf(id, sizeof id, "%llx", static_cast<unsigned long long>(session_id_));
  std::string timeout_ms = std::to_string(resp.timeout_ms);
  log(LogLevel::info, "connected to " + host + ", session 0x" + id + ", timeout " + timeout_ms + " ms",
      {{"event", "connected"}, {"host", host}, {"timeout_ms", timeout_ms}, {"read_only", resp.read_only ? "true" : "false"}});
  recorder_.connected(ever_opened_);
  if (sasl_.enabled()) {
    // Nothing else goes out until the server has accepted the credentials (the gate's slot
    // too is held until then): SASL replies are not ordered with other replies.
    sasl_resumed_ = resumed;
    sasl_read_only_ = resp.read_only;
    if (auto begun = sasl_.begin(dialed_host_, link_.out()); !begun)
      return end_session(SessionState::auth_failed, Errc::auth_failed, begun.error().message());
    return frames_added();
  }
  open_session(resumed, resp.read_only);
}

void Core::on_sasl_reply(Errc err, proto::Reader& body) {
  auto next = sasl_.on_reply(err, body, link_.out());
  if (!next) {
    if (next.error().code() == Errc::auth_failed)
      return end_session(SessionState::auth_failed, Errc::auth_failed, next.error().message() + " at " + link_.peer());
    return connection_lost(next.error().message() + " from " + link_.peer(), DisconnectCause::protocol_error);
  }
  if (next.value() == SaslExchange::Next::wait) return frames_added();
  log(LogLevel::info, sasl_.describe() + " accepted by " + link_.peer());
  open_session(sasl_resumed_, sasl_read_only_);
}

void Core::open_session(bool resumed, bool read_only) {
  // Also for a new session that replaces a read-only one: the watches are the user's.
  // The gate's slot is given back once the SetWatches of a resumption is answered, so that the
  // re-registrations of a herd are bounded like its handshakes.
  std::size_t before_watches = 0;
  pipeline_.attach(*this, [this, &before_watches](std::string& out) {
    before_watches = out.size();
    watch::Manager::Reregistration sent = watches_.write_reregistration(out, last_zxid_);
    awaiting_set_watches_ = out.size() != before_watches;
    if (sent.frames != 0) recorder_.set_watches(sent.frames, sent.paths, out.size() - before_watches);
    // Before the queued requests, so that their no_node errors can already name a missing chroot.
    if (!chroot_.root().empty())
      proto::write_request(out, kChrootCheckXid, proto::Op::exists, proto::PathWatchRequest{chroot_.root(), false});
  });
  if (!awaiting_set_watches_) leave_gate(HandshakeGate::Outcome::completed);
  if (read_only) {
    probe_interval_ = milliseconds(100);
    next_probe_ = now() + probe_interval_;
    set_state(SessionState::read_only);
  } else {
    set_state(resumed ? SessionState::reconnected : SessionState::connected);
  }
  // Persistent watchers learn that changes may have been missed while away (a new session
  // after read-only mode included: its watches were re-registered, but nothing replayed).
  if (ever_opened_) watches_.on_session_event(resumed && !read_only ? SessionState::reconnected : state_);
  ever_opened_ = true;
  if (!read_only) follow_config();
}

void Core::follow_config() {
  // A single host (a standalone server, a proxy, a test's peer) has no ensemble to follow.
  if (!options_.follow_ensemble || hosts_.size() < 2 || config_refused_ || config_read_ || terminal() || closing_ ||
      !sendable())
    return;
  config_read_ = config_in_flight_ = true;
  watch::Manager::Arming arming = watches_.arm(kConfigPath, true);
  config_rides_ = arming.rides;
  // Outside the pipeline (its own xid): it takes no room under max_pending and shifts no xid.
  proto::write_request(link_.out(), kConfigXid, proto::Op::get_data, proto::PathWatchRequest{kConfigPath, arming.server_flag});
  frames_added();
}

void Core::on_config_reply(Errc err, proto::Reader& body) {
  if (config_rides_) watches_.read_done(kConfigPath);
  if (err != Errc::ok) {
    config_read_ = false;  // tried again after the next handshake
    return;
  }
  std::string data;
  Stat stat;
  if (!proto::decode_get_data_response(body, data, stat))
    return connection_lost("malformed configuration reply from " + link_.peer(), DisconnectCause::protocol_error);
  Watcher changed = [this](const WatchEvent& e) {
    config_read_ = false;
    if (e.type != EventType::none) follow_config();
  };
  watches_.add(watch::Kind::data, std::string(kConfigPath), std::move(changed));
  adopt_config(data);
}

void Core::adopt_config(std::string_view data) {
  std::vector<HostPort> members = client_hosts_of_config(data);
  if (members.empty()) return;  // a standalone server, or a configuration without client addresses
  auto listed = [&](const HostPort& h) { return std::find(members.begin(), members.end(), h) != members.end(); };
  if (config_members_.empty()) {
    // The first configuration read is the baseline: only changes to it are followed, so a
    // connection string that names some members on purpose is kept until the ensemble changes.
    if (!std::all_of(hosts_.hosts().begin(), hosts_.hosts().end(), listed)) {
      config_refused_ = true;
      log(LogLevel::info, "not following the ensemble's configuration: the connection string names hosts it does not list",
          {{"event", "ensemble_not_followed"}});
      return;
    }
    config_members_ = std::move(members);
    return;
  }
  if (members == config_members_) return;
  config_members_ = members;
  // Replacing the list may leave this connection: not from inside the reply being completed.
  config_pending_ = std::string(data);
  uv_timer_start(
      backoff_timer_.get(),
      [](uv_timer_t* t) {
        auto* self = static_cast<Core*>(t->data);
        std::vector<HostPort> hosts = client_hosts_of_config(std::exchange(self->config_pending_, {}));
        if (hosts.empty() || self->terminal() || self->closing_) return;
        std::string servers = std::to_string(hosts.size());
        self->log(LogLevel::info, "following the ensemble's configuration: " + servers + " servers",
                  {{"event", "ensemble_followed"}, {"servers", servers}});
        (void)self->update_hosts(ConnectString{std::move(hosts), {}});
      },
      0, 0);
}

Result<void> Core::update_hosts(ConnectString cs) {
  if (!cs.chroot.empty() && cs.chroot != chroot_.root())
    return Error(Errc::bad_arguments, "update_servers cannot change the chroot (" + chroot_.root() + ")");
  bool still_listed = false;
  for (const HostPort& h : cs.hosts) still_listed |= net::host_name(h) == link_.peer();
  const HostPort* current = nullptr;
  if (sendable())
    for (const HostPort& h : hosts_.hosts())
      if (net::host_name(h) == link_.peer()) current = &h;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  net::Rebalance move = net::rebalance(hosts_.hosts(), cs.hosts, current, unit(rng_));
  hosts_ = net::HostList(std::move(cs.hosts), options_.shuffle_hosts, rng_);
  reset_timeouts();
  if (move.move) {
    // A connection that served is left on purpose: the next attempt goes to the chosen
    // server at once, without backoff.
    const HostPort& target = move.candidates[rng_() % move.candidates.size()];
    hosts_.prefer(target);
    rebalancing_ = true;
    connection_lost("server list changed: moving from " + link_.peer() + " to " + net::host_name(target) +
                        " to rebalance",
                    DisconnectCause::moved);
  } else if (link_.state() != net::Link::State::idle && !still_listed) {
    connection_lost("server list changed: leaving " + link_.peer(), DisconnectCause::moved);
  }
  return {};
}

void Core::add_auth(std::string scheme, std::string credentials, Completion done) {
  if (Errc e = refusal(); e != Errc::ok) return Pipeline::refuse(e, {}, std::move(done));
  pipeline_.add_auth(std::move(scheme), std::move(credentials), now(), std::move(done));
}

// --- reading -------------------------------------------------------------------------------

void Core::on_frame(std::string_view frame) {
  last_recv_ = now();
  recorder_.frame_in(frame.size());
  if (!handshaken_) on_connect_response(frame);
  else on_reply(frame);
}

void Core::on_reply(std::string_view frame) {
  proto::Reader r(frame);
  proto::ReplyHeader h;
  if (!proto::decode(r, h)) return connection_lost("malformed reply header from " + link_.peer(), DisconnectCause::protocol_error);
  if (h.zxid > 0) last_zxid_ = std::max(last_zxid_, h.zxid);

  switch (h.xid) {
    case proto::kNotificationXid: return on_notification(r);
    case proto::kPingXid: return;
    case kSaslXid: return on_sasl_reply(static_cast<Errc>(h.err), r);
    case kConfigXid: {
      if (!std::exchange(config_in_flight_, false))
        return connection_lost("unexpected configuration reply from " + link_.peer(), DisconnectCause::protocol_error);
      return on_config_reply(static_cast<Errc>(h.err), r);
    }
    case kChrootCheckXid:
      if (static_cast<Errc>(h.err) == Errc::no_node) {
        std::string what = "the chroot " + chroot_.root() + " did not exist on " + link_.peer() + " when the session connected";
        if (pipeline_.no_node_note().empty())
          log(LogLevel::warning, what, {{"event", "chroot_missing"}, {"path", chroot_.root()}, {"host", link_.peer()}});
        pipeline_.set_no_node_note("no_node (" + what + ")");
      } else if (h.err == 0) {
        pipeline_.set_no_node_note({});
      }
      return;
    case proto::kSetWatchesXid:
      if (h.err != 0) {
        std::string err = std::to_string(h.err);
        log(LogLevel::warning, "SetWatches refused with error " + err,
            {{"event", "set_watches_refused"}, {"op", "set_watches"}, {"error", err}, {"host", link_.peer()}});
      }
      if (awaiting_set_watches_) leave_gate(HandshakeGate::Outcome::completed);
      return;
    case proto::kAuthXid: {
      std::string scheme;
      switch (pipeline_.on_auth_reply(static_cast<Errc>(h.err), scheme)) {
        case Pipeline::AuthReply::accepted: return;
        case Pipeline::AuthReply::unexpected:
          return connection_lost("unexpected auth reply from " + link_.peer(), DisconnectCause::protocol_error);
        case Pipeline::AuthReply::refused:
          return end_session(SessionState::auth_failed, Errc::auth_failed,
                             "the server refused the credentials for scheme \"" + scheme + "\"");
      }
      return;
    }
    default: break;
  }
  if (std::string bad = pipeline_.on_reply(h.xid, static_cast<Errc>(h.err), r, h.zxid); !bad.empty())
    connection_lost(bad + " (from " + link_.peer() + ")", DisconnectCause::protocol_error);
}

void Core::on_notification(proto::Reader& body) {
  proto::WatcherEvent e;
  if (!proto::decode(body, e)) return connection_lost("malformed watch event from " + link_.peer(), DisconnectCause::protocol_error);
  if (e.type < 1 || e.type > 4) {
    std::string type = std::to_string(e.type);
    log(LogLevel::warning, "ignoring a watch event of unknown type " + type,
        {{"event", "unknown_watch_event"}, {"type", type}, {"path", e.path}});
    return;
  }
  std::uint64_t started = recorder_.checks_callbacks() ? metrics::clock_ns() : 0;
  watches_.on_event(static_cast<EventType>(e.type), e.path);
  recorder_.callback_done("watch", started);
}

void Core::drop_server_watch(const std::string& path) {
  if (terminal() || closing_ || !sendable()) return;  // not re-registered after a reconnect anyway
  // Fire and forget: the server may already have dropped it (no_watcher is fine).
  pipeline_.submit(
      proto::Op::remove_watches, path, now(),
      [&](std::string& buf, std::int32_t xid) {
        proto::write_request(buf, xid, proto::Op::remove_watches, proto::WatchesRequest{path, proto::WatcherType::any});
      },
      [](Reply&) { return true; });
}

// --- writing -------------------------------------------------------------------------------

void Core::frames_added() {
  last_send_ = now();
  link_.send_soon();
}

// --- losing things -------------------------------------------------------------------------

void Core::on_link_lost(std::string reason) {
  // The link names a frame it could not split "malformed frame"; otherwise the link either
  // never reached its server or lost the connection to it.
  DisconnectCause cause = reason.starts_with("malformed") ? DisconnectCause::protocol_error
                          : dialed_                       ? DisconnectCause::closed_by_server
                                                          : DisconnectCause::connect_failed;
  connection_lost(std::move(reason), cause);
}

void Core::drop_link() {
  if (probe_) probe_->cancel();
  link_.close();
  handshaken_ = false;
  sasl_.reset();
  dialed_ = false;
  pipeline_.detach();
  if (std::exchange(config_in_flight_, false)) {  // unanswered: read again after the next handshake
    config_read_ = false;
    if (config_rides_) watches_.read_done(kConfigPath);
  }
}

void Core::connection_lost(std::string reason, DisconnectCause cause) {
  bool was_open = sendable();
  recorder_.disconnected(cause, reason);
  // A failed attempt is a warning when its reason is new (a certificate refused, a server
  // gone), and only info while the same failure repeats with every backoff.
  log(was_open || reason != last_failure_ ? LogLevel::warning : LogLevel::info, reason,
      {{"event", was_open ? "disconnected" : "attempt_failed"}, {"host", link_.peer()}, {"cause", to_string(cause)}});
  // An attempt that failed (refused, reset, timed out, a bad handshake) narrows the loop's
  // gate; a connection that broke after its handshake no longer held a slot (or held it for
  // SetWatches only, which says nothing of the servers' admission).
  leave_gate(was_open ? HandshakeGate::Outcome::abandoned : HandshakeGate::Outcome::failed);
  drop_link();
  // A connection that served for a while and breaks retries quickly; one that never opened
  // (refused, reset in the handshake, timed out) or died soon after its handshake backs off
  // further each time, so a server that accepts and drops cannot make a tight loop of it.
  failures_ = was_open && (std::exchange(rebalancing_, false) || now() - opened_at_ >= timeouts_.ping) ? 0 : failures_ + 1;
  last_failure_ = reason;
  if (closing_) return finish_close();
  if (was_open) {
    set_state(SessionState::suspended);
    watches_.on_session_event(SessionState::suspended);
    if (terminal() || closing_) return;
  }
  pipeline_.fail_written(Errc::connection_loss, reason);
  if (terminal() || closing_) return;
  schedule_reconnect();
}

void Core::schedule_reconnect() {
  if (terminal() || closing_ || handles_released_) return;
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  milliseconds delay =
      failures_ == 0
          ? milliseconds(static_cast<long>(unit(rng_) * static_cast<double>(options_.backoff_initial.count())))
          : backoff_delay(failures_ - 1, options_.backoff_initial, options_.backoff_max, unit(rng_));
  uv_timer_start(
      backoff_timer_.get(), [](uv_timer_t* t) { static_cast<Core*>(t->data)->attempt(); },
      static_cast<std::uint64_t>(delay.count()), 0);
}

void Core::end_session(SessionState final_state, Errc e, std::string_view reason_view) {
  if (terminal()) return;
  std::string reason(reason_view);
  log(final_state == SessionState::closed ? LogLevel::info : LogLevel::warning, reason,
      {{"event", "session_ended"}, {"state", to_string(final_state)}, {"cause", to_string(e)}});
  leave_gate(HandshakeGate::Outcome::abandoned);
  drop_link();
  set_state(final_state);
  pipeline_.fail_all(e, reason);
  // Every watch runs exactly once: those that never fired learn that the session ended.
  watches_.end(final_state);
  release_handles();
}

void Core::finish_close() { end_session(SessionState::closed, Errc::closing, "the session is closed"); }

void Core::close(Function<void()> done, bool wait_for_answer) {
  if (handles_released_ && open_handles_ == 0) {
    if (done) done();
    return;
  }
  if (done) close_done_.push_back(std::move(done));
  if (terminal()) return;
  if (closing_) {
    if (!wait_for_answer) finish_close();  // close_now() while close() waits: stop waiting
    return;
  }
  closing_ = true;
  if (!sendable()) return finish_close();
  if (!wait_for_answer || pipeline_.stalled()) {
    // Asked not to wait, or the server let a request time out and has answered nothing since:
    // say goodbye, but do not wait for an answer that could take up to the read timeout.
    pipeline_.submit(
        proto::Op::close_session, {}, now(),
        [](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, proto::Op::close_session); },
        [](Reply&) { return true; });
    link_.send_now();
    return finish_close();
  }
  // Behind everything already submitted: the server answers those first.
  pipeline_.submit(
      proto::Op::close_session, {}, now(),
      [](std::string& buf, std::int32_t xid) { proto::write_request(buf, xid, proto::Op::close_session); },
      [this](Reply&) {
        finish_close();
        return true;
      });
  close_deadline_ = now() + timeouts_.read;
}

void Core::release_handles() {
  if (handles_released_) return;
  handles_released_ = true;
  auto closed = [this] {
    if (--open_handles_ > 0) return;
    auto done = std::move(close_done_);
    std::shared_ptr<Core> keep = std::move(self_);  // may free the Core when this returns
    for (auto& d : done) d();
  };
  tick_timer_.close(closed);
  backoff_timer_.close(closed);
  link_.release(closed);
}

// --- timers --------------------------------------------------------------------------------

void Core::probe_for_read_write() {
  if (hosts_.size() < 2) return;
  HostPort host = hosts_.next();
  if (net::host_name(host) == link_.peer()) host = hosts_.next();
  probe_started_ = now();
  if (!probe_) probe_ = std::make_unique<RwProbe>(loop_);
  probe_->start(host, [this, host](bool rw) {
    if (rw && state_ == SessionState::read_only && sendable()) {
      hosts_.prefer(host);
      return connection_lost("leaving read-only " + link_.peer() + ": " + net::host_name(host) + " serves read-write",
                             DisconnectCause::moved);
    }
    // Back off like the Java client: 100 ms doubling to a minute.
    probe_interval_ = std::min(probe_interval_ * 2, milliseconds(60000));
    next_probe_ = now() + probe_interval_;
  });
}

void Core::tick() {
  milliseconds t = now();
  bool probing = probe_ && probe_->busy();
  if (probing && t - probe_started_ >= timeouts_.attempt) {  // a blackholed member: try another
    probe_->cancel();
    probing = false;
    probe_interval_ = std::min(probe_interval_ * 2, milliseconds(60000));
    next_probe_ = t + probe_interval_;
  }
  if (state_ == SessionState::read_only && sendable() && !probing && t >= next_probe_) probe_for_read_write();
  if (closing_ && t >= close_deadline_) return finish_close();
  // Local expiry before request deadlines: a session that reached no server for its timeout
  // fails its requests with session_expired, which says more than request_timeout.
  if (session_id_ != 0 && !sendable() && t - last_recv_ >= timeouts_.expiry)
    return end_session(SessionState::expired, Errc::session_expired,
                       "the session expired: no server was reached within " + std::to_string(timeouts_.expiry.count()) +
                           " ms" + last_attempt_note());
  pipeline_.expire(t, sendable() ? std::string() : "(no server answered" + last_attempt_note() + ")");
  if (terminal()) return;
  if (sendable()) {
    if (t - last_recv_ >= timeouts_.read)
      return connection_lost("nothing heard from " + link_.peer() + " for " + std::to_string(timeouts_.read.count()) + " ms",
                             DisconnectCause::read_timeout);
    // No ping during SASL: a server that enforces SASL closes connections that send anything
    // else first (the read timeout still bounds the exchange).
    if (t - last_send_ >= timeouts_.ping && !sasl_.running()) {
      proto::write_request(link_.out(), proto::kPingXid, proto::Op::ping);
      last_send_ = t;
      link_.send_now();
    }
  } else if (link_.state() != net::Link::State::idle && t - attempt_started_ >= timeouts_.attempt) {
    connection_lost("connection attempt to " + link_.peer() + " timed out after " +
                        std::to_string(timeouts_.attempt.count()) + " ms",
                    DisconnectCause::attempt_timeout);
  }
}

}  // namespace zkit::session
