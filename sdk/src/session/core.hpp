// session::Core: the session state machine. It owns the connection, the FIFO of requests
// awaiting replies, the timers and the watch registry, all on one loop thread.
//
// Rules kept here:
// - Requests are numbered and encoded when submitted; replies must come back in that order
//   (a reply out of order is a protocol error that closes the connection).
// - Every request completes exactly once: with its reply, or with the error that ended the
//   connection (connection_loss), the session (session_expired, auth_failed) or the user's
//   close (closing).
// - State changes go through set_state(), which notifies listeners. User code (completions,
//   watchers, listeners) only runs when the Core's own state is consistent; after it returns
//   the Core re-checks whether the connection it was reading from is still current.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <string_view>
#include <vector>

#include <uv.h>

#include "net/host_list.hpp"
#include "net/resolver.hpp"
#include "net/tcp_connection.hpp"
#include "proto/admin.hpp"
#include "proto/frame.hpp"
#include "proto/jute.hpp"
#include "proto/opcodes.hpp"
#include "proto/records.hpp"
#include "session/ring.hpp"
#include "session/rw_probe.hpp"
#include "session/timeouts.hpp"
#include "watch/registry.hpp"
#include "zkit/options.hpp"
#include "zkit/session.hpp"

namespace zkit::session {

// What a request's completion receives: the server's error code (or a client-side one with
// a reason) and, on success, a reader over the response body.
struct Reply {
  Errc err = Errc::ok;
  std::string_view reason;  // why a client-side error happened; empty for server errors
  proto::Reader body{nullptr, 0};
  std::int64_t zxid = 0;
  // The request's server path as submitted (empty for requests without one): for the error
  // message and the watch key, so that a request keeps no copy of its own. Valid until the
  // completion runs user code (which may submit requests and move the Core's copy).
  std::string_view path;
};

// Returns false when the body does not decode: the Core then closes the connection as
// malformed and calls the same completion once more, with connection_loss. So a user's
// callback still runs exactly once. Stored in place in the pending queue: every operation's
// completion state (its op name, the user's callback, a watcher) fits in kInline bytes, so a
// request allocates nothing here.
using Completion = Function<bool(Reply&), 176>;

class Core final : public std::enable_shared_from_this<Core>, private net::TcpConnection::Events {
 public:
  Core(uv_loop_t* loop, Options options, ConnectString cs);
  ~Core();

  void start();

  // Encodes a request with `encode(buffer, xid)` and queues it; `done` runs exactly once and
  // sees `path` (the request's server path, or empty) as Reply::path.
  // Refuses (through `done`, at once) when the session has ended or the frame is too large.
  template <class Encode>
  void submit(proto::Op op, std::string_view path, Encode&& encode, Completion&& done) {
    if (Errc e = refusal(); e != Errc::ok) return refuse(e, path, std::move(done));
    if (options_.max_pending != 0 && options_.when_full == WhenFull::fail &&
        pending_.size() >= options_.max_pending)
      return refuse(Errc::throttled_op, path, std::move(done),
                    "too many requests outstanding (max_pending = " +
                        std::to_string(options_.max_pending) + ")");
    enqueue(op, path, std::forward<Encode>(encode), std::move(done));
  }

  // Requests outstanding: sent and awaiting a reply, or held unsent.
  std::size_t pending_requests() const noexcept { return pending_.size(); }

  Result<void> update_hosts(ConnectString cs);
  void add_auth(std::string scheme, std::string credentials, Completion done);
  void close(Function<void()> done);

  // Why a new request would be refused now (Errc::ok: it would not).
  Errc refusal() const noexcept;

  // Server path for a client path: the chroot prepended. `scratch` holds it when one is needed.
  std::string_view server_path(std::string_view client_path, std::string& scratch) const;
  // Client path for a server path (the chroot removed).
  std::string client_path(std::string_view server_path) const;
  // The same, in place: a path decoded from a reply becomes the caller's without a copy.
  void strip_chroot(std::string& server_path) const;

  watch::Registry& watches() noexcept { return watches_; }
  // Forgets a persistent watch and, when nothing else watches its path, tells the server.
  void remove_persistent(std::uint64_t id);
  // Sends removeWatches for a path that no watcher of this session needs any more.
  void drop_server_watch(const std::string& server_path);
  // After a kept server watch's last one-shot user is gone: drops it.
  void release_kept_watch(const std::string& server_path);
  // The reply to a one-shot request that rode on a persistent watch (Registry::ride) has been
  // handled: a server watch kept for it may go now.
  void rider_done(std::string_view server_path);

  Session::ListenerId add_listener(StateListener l);
  void remove_listener(Session::ListenerId id);
  void remove_all_listeners();

  SessionState state() const noexcept { return state_; }
  std::int64_t session_id() const noexcept { return session_id_; }
  const std::string& password() const noexcept { return password_; }
  std::chrono::milliseconds negotiated_timeout() const noexcept { return negotiated_; }
  std::int64_t last_zxid() const noexcept { return last_zxid_; }
  std::string connected_host() const;
  uv_loop_t* loop() const noexcept { return loop_; }

  // For the session's own log lines.
  void log(LogLevel level, std::string_view message);

 private:
  enum class Link { idle, resolving, connecting, handshaking, open };

  struct Pending {
    std::int32_t xid;
    proto::Op op;
    Completion done;                   // null once it timed out: its late reply is dropped
    std::uint32_t frame_size;          // bytes of its frame, while it is unsent
    std::uint32_t path_size;           // its path in paths_, from path_at
    std::uint64_t path_at;
    std::chrono::milliseconds deadline;  // 0: none
  };

  // Encodes a request into the outgoing buffer when it can leave now, else behind the
  // unsent ones; pump() moves unsent frames out as the link and max_pending allow.
  template <class Encode>
  void enqueue(proto::Op op, std::string_view path, Encode&& encode, Completion&& done) {
    bool direct = sendable() && pending_.size() == inflight_ && has_room();
    std::string& buf = direct ? out_ : unsent_;
    std::size_t start = buf.size();
    std::int32_t xid = next_xid();
    encode(buf, xid);
    std::size_t size = buf.size() - start;
    if (size - 4 > proto::kMaxFrame) {
      buf.resize(start);
      return refuse(Errc::bad_arguments, path, std::move(done),
                    "request larger than the server's 1 MiB frame limit (jute.maxbuffer)");
    }
    std::uint64_t path_at = keep_path(path);
    // Built in place: a Completion is large, and each move of it costs a call.
    pending_.emplace_back(xid, op, std::move(done), static_cast<std::uint32_t>(size),
                          static_cast<std::uint32_t>(path.size()), path_at, deadline());
    if (direct) {
      ++inflight_;
      schedule_flush();
    }
  }
  // Copies a request's path behind those of the pending requests (dropping the ones already
  // answered first); returns where it starts.
  std::uint64_t keep_path(std::string_view path);
  std::string_view path_of(const Pending& p) const noexcept {
    return {paths_.data() + (p.path_at - paths_base_), p.path_size};
  }
  bool has_room() const noexcept { return options_.max_pending == 0 || inflight_ < options_.max_pending; }
  std::chrono::milliseconds deadline() const;
  void pump();
  void expire_requests(std::chrono::milliseconds t);
  struct Auth {
    std::string scheme;
    std::string credentials;
    Completion done;  // empty once answered: later replays have no one to tell
  };

  // TcpConnection::Events
  void on_connect(int status) override;
  void on_read(std::size_t n) override;
  void on_error(int status) override;
  char* read_buffer(std::size_t suggested, std::size_t& size) override;

  bool sendable() const noexcept { return link_ == Link::open; }
  bool terminal() const noexcept;
  void refuse(Errc e, std::string_view path, Completion done, std::string_view reason = {});
  std::int32_t next_xid() noexcept;

  void attempt();
  void on_resolved(int status, net::Addresses addrs);
  void send_handshake();
  void on_frame(std::string_view frame);
  void on_connect_response(std::string_view frame);
  void on_reply(std::string_view frame);
  void on_notification(proto::Reader& body);
  void send_session_restore();
  void send_set_watches();
  // Tells every persistent watcher about a session event (suspended, reconnected).
  void notify_persistent(SessionState s);
  void send_auth(std::size_t index);
  void attempt_failed(std::string reason);

  void connection_lost(std::string reason);
  // While read-only: asks another member whether it serves read-write, and moves there if so.
  void probe_for_read_write();
  void drop_link();
  void schedule_reconnect();
  // Fails the requests written on the link that ended (or all of them, when the session ends).
  void fail_pending(Errc e, std::string_view reason, bool all);
  void end_session(SessionState final_state, Errc e, std::string_view reason);
  void finish_close();
  void release_handles();

  void set_state(SessionState s);
  void schedule_flush();
  void flush();
  void tick();
  void reset_timeouts();
  std::chrono::milliseconds now() const;

  uv_loop_t* loop_;
  Options options_;
  ConnectString connect_;
  net::Random rng_;
  net::HostList hosts_;

  // libuv handles: closed in release_handles(); `self_` keeps the Core alive until the last
  // close callback has run, so callbacks never see a freed Core.
  uv_timer_t tick_timer_{};
  uv_timer_t backoff_timer_{};
  uv_prepare_t flush_prepare_{};
  int open_handles_ = 0;
  std::shared_ptr<Core> self_;

  net::TcpConnection* conn_ = nullptr;
  net::Lookup* lookup_ = nullptr;
  Link link_ = Link::idle;
  std::uint64_t link_generation_ = 0;  // changes whenever conn_ is dropped
  std::string current_host_;

  SessionState state_ = SessionState::connecting;
  std::int64_t session_id_ = 0;
  std::int64_t sent_session_id_ = 0;  // the id the current handshake asked to resume (0: new)
  // Whether a read-write server ever granted this session. Until one has, the session is a
  // read-only server's local session, which a read-write member does not know: the next
  // handshake asks for a new session instead (as the Java client does).
  bool seen_read_write_ = false;
  bool ever_opened_ = false;
  RwProbe* probe_ = nullptr;
  std::chrono::milliseconds probe_interval_{100};
  std::chrono::milliseconds next_probe_{0};
  std::chrono::milliseconds probe_started_{0};
  std::string password_;
  std::chrono::milliseconds negotiated_;
  Timeouts timeouts_;
  std::int64_t last_zxid_ = 0;
  std::int32_t xid_ = 0;

  std::chrono::milliseconds last_recv_{0};  // last frame from any server of this session
  std::chrono::milliseconds last_send_{0};
  std::chrono::milliseconds attempt_started_{0};
  unsigned failures_ = 0;  // consecutive failed attempts, for the backoff

  std::string in_;          // a partial frame kept between reads (see read_buffer())
  std::size_t in_used_ = 0;
  bool reading_shared_ = false;  // the pending read goes to the thread's shared buffer
  std::string out_;         // frames to write at the end of this loop turn
  // pending_ holds every outstanding request in xid order: first the `inflight_` ones written
  // on the current link, then the unsent ones, whose frames wait in unsent_ (for a link, or
  // for room under max_pending).
  Ring<Pending> pending_;
  std::size_t inflight_ = 0;
  std::string unsent_;
  // The paths of the pending requests, back to back in xid order: paths_[0] is at absolute
  // offset paths_base_. One growing buffer instead of a string per request.
  std::string paths_;
  std::uint64_t paths_base_ = 0;
  std::vector<Auth> auths_;              // replayed after every reconnect
  Ring<std::size_t> auth_inflight_;        // indexes into auths_; auth replies keep their order

  watch::Registry watches_;
  // Paths whose persistent watch was removed while one-shot watchers still used the server's
  // watch: removeWatches goes out once the last of them has fired or its request has ended.
  std::unordered_set<std::string> kept_server_watches_;
  // Shared, so a listener that adds or removes listeners (or itself) while it runs does not
  // destroy the callable being called.
  std::vector<std::pair<Session::ListenerId, std::shared_ptr<StateListener>>> listeners_;
  Session::ListenerId next_listener_ = 1;
  int notifying_ = 0;  // > 0 while listeners run: transitions they cause are queued in order
  Ring<SessionState> state_queue_;

  bool closing_ = false;
  std::chrono::milliseconds close_deadline_{0};
  std::vector<Function<void()>> close_done_;
  bool handles_released_ = false;
};

}  // namespace zkit::session
