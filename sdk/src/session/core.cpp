#include "session/core.hpp"

#include "net/shared_read_buffer.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>

namespace zkit::session {
namespace {

using std::chrono::milliseconds;

// SetWatches packets stay under this much path text, well below the server's 1 MiB limit
// (the Java client's figure).
constexpr std::size_t kSetWatchesPacketBytes = 128 * 1024;
constexpr std::size_t kReadChunk = 4096;

std::string describe_uv(int status) { return uv_strerror(status); }

// "host:port", with IPv6 addresses in brackets: how connection strings name a server.
std::string host_name(const HostPort& h) {
  return (h.host.find(':') != std::string::npos ? "[" + h.host + "]" : h.host) + ":" + std::to_string(h.port);
}

}  // namespace

Core::Core(uv_loop_t* loop, Options options, ConnectString cs)
    : loop_(loop),
      options_(std::move(options)),
      connect_(std::move(cs)),
      rng_((std::uint64_t{std::random_device{}()} << 32) ^ reinterpret_cast<std::uintptr_t>(this)),
      hosts_(connect_.hosts, options_.shuffle_hosts, rng_),
      negotiated_(options_.session_timeout),
      timeouts_(timeouts_for(negotiated_, hosts_.size())) {}

Core::~Core() = default;

milliseconds Core::now() const { return milliseconds(uv_now(loop_)); }

void Core::log(LogLevel level, std::string_view message) {
  if (level < options_.log_level) return;
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
  for (uv_timer_t* t : {&tick_timer_, &backoff_timer_}) {
    uv_timer_init(loop_, t);
    t->data = this;
  }
  uv_prepare_init(loop_, &flush_prepare_);
  flush_prepare_.data = this;
  open_handles_ = 3;
  last_recv_ = now();
  uv_timer_start(
      &tick_timer_, [](uv_timer_t* t) { static_cast<Core*>(t->data)->tick(); },
      static_cast<std::uint64_t>(timeouts_.tick.count()),
      static_cast<std::uint64_t>(timeouts_.tick.count()));
  attempt();
}

// --- state ---------------------------------------------------------------------------------

bool Core::terminal() const noexcept {
  return state_ == SessionState::expired || state_ == SessionState::auth_failed ||
         state_ == SessionState::closed;
}

Errc Core::refusal() const noexcept {
  switch (state_) {
    case SessionState::expired: return Errc::session_expired;
    case SessionState::auth_failed: return Errc::auth_failed;
    case SessionState::closed: return Errc::closing;
    default: return closing_ ? Errc::closing : Errc::ok;
  }
}

void Core::refuse(Errc e, std::string_view path, Completion done, std::string_view reason) {
  std::string text;
  if (reason.empty()) {
    text = e == Errc::session_expired ? "the session has expired"
           : e == Errc::auth_failed   ? "the session's credentials were refused"
           : e == Errc::closing       ? "the session is closed"
                                      : std::string(to_string(e));
    reason = text;
  }
  Reply r{e, reason};
  r.path = path;
  done(r);
}

std::uint64_t Core::keep_path(std::string_view path) {
  // The front pending request's path is the oldest still needed. Compacting only when at
  // least half the buffer is dead keeps the moves linear in the bytes kept.
  if (pending_.empty()) {
    paths_base_ += paths_.size();
    paths_.clear();
  } else if (std::size_t dead = pending_.front().path_at - paths_base_; dead >= 4096 && dead * 2 >= paths_.size()) {
    paths_.erase(0, dead);
    paths_base_ += dead;
  }
  std::uint64_t at = paths_base_ + paths_.size();
  paths_.append(path);
  return at;
}

std::int32_t Core::next_xid() noexcept {
  // Positive and never 0: the reserved xids are negative, 0 is the server's own.
  xid_ = xid_ == INT32_MAX ? 1 : xid_ + 1;
  return xid_;
}

void Core::set_state(SessionState s) {
  if (s == state_) return;
  state_ = s;
  state_queue_.push_back(s);
  if (notifying_ > 0) return;  // the outer call delivers it, in order
  ++notifying_;
  while (!state_queue_.empty()) {
    SessionState next = state_queue_.front();
    state_queue_.pop_front();
    std::size_t n = listeners_.size();
    for (std::size_t i = 0; i < n && i < listeners_.size(); ++i)
      if (std::shared_ptr<StateListener> l = listeners_[i].second) (*l)(next);
  }
  --notifying_;
  std::erase_if(listeners_, [](auto& l) { return !l.second; });
}

Session::ListenerId Core::add_listener(StateListener l) {
  Session::ListenerId id = next_listener_++;
  listeners_.emplace_back(id, std::make_shared<StateListener>(std::move(l)));
  return id;
}

void Core::remove_listener(Session::ListenerId id) {
  for (auto& l : listeners_)
    if (l.first == id) l.second = nullptr;
  if (notifying_ == 0) std::erase_if(listeners_, [](auto& l) { return !l.second; });
}

void Core::remove_all_listeners() {
  for (auto& l : listeners_) l.second = nullptr;
  if (notifying_ == 0) listeners_.clear();
}

std::string Core::connected_host() const { return link_ == Link::open ? current_host_ : ""; }

std::string_view Core::server_path(std::string_view client_path, std::string& scratch) const {
  if (connect_.chroot.empty()) return client_path;
  scratch = connect_.chroot;
  if (client_path != "/") scratch += client_path;
  return scratch;
}

std::string Core::client_path(std::string_view server_path) const {
  const std::string& root = connect_.chroot;
  if (root.empty() || server_path.substr(0, root.size()) != root) return std::string(server_path);
  std::string_view rest = server_path.substr(root.size());
  if (rest.empty()) return "/";
  if (rest.front() != '/') return std::string(server_path);
  return std::string(rest);
}

void Core::strip_chroot(std::string& path) const {
  const std::string& root = connect_.chroot;
  if (root.empty() || path.compare(0, root.size(), root) != 0) return;
  if (path.size() == root.size()) path = "/";
  else if (path[root.size()] == '/') path.erase(0, root.size());
}

// --- connecting ----------------------------------------------------------------------------

void Core::attempt() {
  if (terminal() || closing_ || link_ != Link::idle) return;
  const HostPort& h = hosts_.next();
  current_host_ = host_name(h);
  attempt_started_ = now();
  in_used_ = 0;
  link_ = Link::resolving;
  lookup_ = net::Lookup::start(loop_, h.host, h.port, [this](int status, net::Addresses a) {
    lookup_ = nullptr;
    on_resolved(status, std::move(a));
  });
  if (!lookup_) attempt_failed("cannot start resolving " + current_host_);
}

void Core::attempt_failed(std::string reason) {
  log(LogLevel::info, reason);
  drop_link();
  ++failures_;
  schedule_reconnect();
}

void Core::on_resolved(int status, net::Addresses addrs) {
  if (status != 0) return attempt_failed("cannot resolve " + current_host_ + ": " + describe_uv(status));
  const sockaddr_storage& a = addrs[rng_() % addrs.size()];
  int err = 0;
  conn_ = net::TcpConnection::connect(loop_, reinterpret_cast<const sockaddr*>(&a), this, err);
  if (!conn_) return attempt_failed("cannot connect to " + current_host_ + ": " + describe_uv(err));
  link_ = Link::connecting;
}

void Core::on_connect(int status) {
  if (status != 0)
    return attempt_failed("cannot connect to " + current_host_ + ": " + describe_uv(status));
  link_ = Link::handshaking;
  send_handshake();
}

void Core::send_handshake() {
  std::string frame;
  proto::Writer w(frame);
  std::size_t start = w.begin_frame();
  sent_session_id_ = seen_read_write_ ? session_id_ : 0;
  proto::encode(w, proto::ConnectRequest{
                       .protocol_version = 0,
                       .last_zxid_seen = last_zxid_,
                       .timeout_ms = static_cast<std::int32_t>(options_.session_timeout.count()),
                       .session_id = sent_session_id_,
                       .password = sent_session_id_ != 0 ? std::string_view(password_) : std::string_view(),
                       .read_only = options_.can_be_read_only,
                   });
  w.end_frame(start);
  last_send_ = now();
  if (!conn_->write(frame)) connection_lost("cannot write to " + current_host_);
}

void Core::on_connect_response(std::string_view frame) {
  // A read-only member without local sessions answers with a bare error header (16 bytes).
  if (frame.size() == proto::kReplyHeaderSize) {
    proto::Reader r(frame);
    proto::ReplyHeader h;
    proto::decode(r, h);
    return connection_lost(current_host_ + " refused the session (error " + std::to_string(h.err) + ")");
  }
  proto::Reader r(frame);
  proto::ConnectResponse resp;
  if (!proto::decode(r, resp) || resp.password.size() != proto::kPasswordSize) {
    return connection_lost("malformed handshake reply from " + current_host_);
  }
  if (resp.timeout_ms <= 0 || (sent_session_id_ != 0 && resp.session_id != sent_session_id_))
    return end_session(SessionState::expired, Errc::session_expired,
                       "the session has expired (" + current_host_ + " no longer knows it)");

  bool resumed = sent_session_id_ != 0;
  if (!resp.read_only) seen_read_write_ = true;
  session_id_ = resp.session_id;
  password_ = std::move(resp.password);
  negotiated_ = milliseconds(resp.timeout_ms);
  reset_timeouts();
  failures_ = 0;
  link_ = Link::open;
  char id[20];
  std::snprintf(id, sizeof id, "%llx", static_cast<unsigned long long>(session_id_));
  log(LogLevel::info, "connected to " + current_host_ + ", session 0x" + id + ", timeout " +
                          std::to_string(resp.timeout_ms) + " ms");
  send_session_restore();
  if (resp.read_only) {
    probe_interval_ = milliseconds(100);
    next_probe_ = now() + probe_interval_;
    set_state(SessionState::read_only);
  } else if (resumed) {
    set_state(SessionState::reconnected);
  } else {
    set_state(SessionState::connected);
  }
  // Persistent watchers learn that changes may have been missed while away (a new session
  // after read-only mode included: its watches were re-registered, but nothing replayed).
  if (ever_opened_) notify_persistent(resumed && !resp.read_only ? SessionState::reconnected : state_);
  ever_opened_ = true;
}

void Core::reset_timeouts() {
  timeouts_ = timeouts_for(negotiated_, hosts_.size());
  uv_timer_set_repeat(&tick_timer_, static_cast<std::uint64_t>(timeouts_.tick.count()));
}

void Core::send_session_restore() {
  // Order matters (docs/sessions.md): credentials, then watches, then the queued requests.
  auth_inflight_.clear();
  for (std::size_t i = 0; i < auths_.size(); ++i) send_auth(i);
  // Also for a new session that replaces a read-only one: the watches are the user's. Only
  // what is watched is re-registered, so no kept server watch survives a reconnect.
  kept_server_watches_.clear();
  if (!watches_.empty()) send_set_watches();
  schedule_flush();
  pump();
}

void Core::send_auth(std::size_t index) {
  const Auth& a = auths_[index];
  proto::write_request(out_, proto::kAuthXid, proto::Op::auth,
                       proto::AuthPacket{0, a.scheme, a.credentials});
  auth_inflight_.push_back(index);
  schedule_flush();
}

void Core::send_set_watches() {
  // Paths are server paths already. The lists go out in packets of at most
  // kSetWatchesPacketBytes of path text, so that any number of watches re-registers without
  // hitting the server's frame limit.
  std::vector<std::string_view> all[5] = {
      watches_.paths(watch::Kind::data), watches_.paths(watch::Kind::exist),
      watches_.paths(watch::Kind::child), watches_.persistent_paths(false),
      watches_.persistent_paths(true)};
  bool v2 = !all[3].empty() || !all[4].empty();
  std::size_t index[5] = {0, 0, 0, 0, 0};
  auto left = [&] {
    for (int k = 0; k < 5; ++k)
      if (index[k] < all[k].size()) return true;
    return false;
  };
  while (left()) {
    std::span<const std::string_view> lists[5];
    std::size_t bytes = 0;
    for (int k = 0; k < 5; ++k) {
      std::size_t begin = index[k];
      while (index[k] < all[k].size() && bytes < kSetWatchesPacketBytes) bytes += all[k][index[k]++].size() + 4;
      lists[k] = std::span<const std::string_view>(all[k]).subspan(begin, index[k] - begin);
    }
    proto::SetWatches sw{last_zxid_, lists[0], lists[1], lists[2], lists[3], lists[4]};
    proto::Writer w(out_);
    std::size_t start = w.begin_frame();
    proto::encode(w, proto::RequestHeader{proto::kSetWatchesXid, v2 ? proto::Op::set_watches2 : proto::Op::set_watches});
    proto::encode(w, sw, v2);
    w.end_frame(start);
  }
}

Result<void> Core::update_hosts(ConnectString cs) {
  if (!cs.chroot.empty() && cs.chroot != connect_.chroot)
    return Error(Errc::bad_arguments, "update_servers cannot change the chroot (" + connect_.chroot + ")");
  bool still_listed = false;
  for (const HostPort& h : cs.hosts) still_listed |= host_name(h) == current_host_;
  hosts_ = net::HostList(std::move(cs.hosts), options_.shuffle_hosts, rng_);
  connect_.hosts.clear();
  reset_timeouts();
  if (link_ != Link::idle && !still_listed) connection_lost("server list changed: leaving " + current_host_);
  return {};
}

void Core::add_auth(std::string scheme, std::string credentials, Completion done) {
  if (Errc e = refusal(); e != Errc::ok) return refuse(e, {}, std::move(done));
  auths_.push_back(Auth{std::move(scheme), std::move(credentials), std::move(done)});
  if (sendable()) send_auth(auths_.size() - 1);
}

// --- reading -------------------------------------------------------------------------------

char* Core::read_buffer(std::size_t, std::size_t& size) {
  std::size_t frame = 0;  // the whole frame begun in in_, when its length has arrived
  if (in_used_ >= 4) {
    auto b = reinterpret_cast<const unsigned char*>(in_.data());
    std::size_t len = (std::size_t{b[0]} << 24) | (std::size_t{b[1]} << 16) | (std::size_t{b[2]} << 8) | b[3];
    if (len <= options_.max_frame) frame = len + 4;
  }
  // Usually the loop's shared buffer, behind the partial frame kept from the last read.
  net::SharedReadBuffer& shared = net::SharedReadBuffer::of_this_thread();
  reading_shared_ = !shared.busy() && frame <= net::SharedReadBuffer::kSize && in_used_ <= net::SharedReadBuffer::kSize / 2;
  if (reading_shared_) {
    if (in_used_ > 0) std::memcpy(shared.data(), in_.data(), in_used_);
    size = net::SharedReadBuffer::kSize - in_used_;
    return shared.data() + in_used_;
  }
  // A frame larger than the shared buffer (or the buffer busy): read into in_ itself.
  std::size_t want = std::max(kReadChunk, frame > in_used_ ? frame - in_used_ : 0);
  if (in_.size() - in_used_ < want) in_.resize(in_used_ + want);
  size = in_.size() - in_used_;
  return in_.data() + in_used_;
}

void Core::on_read(std::size_t n) {
  last_recv_ = now();
  net::SharedReadBuffer& shared = net::SharedReadBuffer::of_this_thread();
  std::optional<net::SharedReadBuffer::Lease> lease;
  if (reading_shared_) lease.emplace(shared);
  const char* data = reading_shared_ ? shared.data() : in_.data();
  std::size_t used = in_used_ + n;
  std::uint64_t generation = link_generation_;
  std::size_t off = 0;
  while (true) {
    proto::FrameResult f = proto::next_frame(std::string_view(data + off, used - off), options_.max_frame);
    if (f.kind == proto::FrameResult::need_more) break;
    if (f.kind == proto::FrameResult::malformed)
      return connection_lost("malformed frame from " + current_host_ + ": " + f.reason);
    off += f.consumed;
    on_frame(f.body);
    if (generation != link_generation_) return;  // the link ended inside; in_ is reset on the next attempt
  }
  // Keep only the partial frame; an idle session holds no read buffer.
  in_used_ = used - off;
  if (in_used_ == 0) {
    std::string().swap(in_);
  } else if (reading_shared_) {
    in_.assign(data + off, in_used_);
  } else if (off > 0) {
    std::memmove(in_.data(), in_.data() + off, in_used_);
  }
}

void Core::on_error(int status) {
  connection_lost(status == UV_EOF ? "connection closed by " + current_host_
                                   : "connection to " + current_host_ + " failed: " + describe_uv(status));
}

void Core::on_frame(std::string_view frame) {
  if (link_ == Link::handshaking) on_connect_response(frame);
  else on_reply(frame);
}

void Core::on_reply(std::string_view frame) {
  proto::Reader r(frame);
  proto::ReplyHeader h;
  if (!proto::decode(r, h)) return connection_lost("malformed reply header from " + current_host_);
  if (h.zxid > 0) last_zxid_ = std::max(last_zxid_, h.zxid);

  switch (h.xid) {
    case proto::kNotificationXid: return on_notification(r);
    case proto::kPingXid: return;
    case proto::kSetWatchesXid:
      if (h.err != 0) log(LogLevel::warning, "SetWatches refused with error " + std::to_string(h.err));
      return;
    case proto::kAuthXid: {
      if (auth_inflight_.empty()) return connection_lost("unexpected auth reply from " + current_host_);
      Auth& a = auths_[auth_inflight_.front()];
      auth_inflight_.pop_front();
      Completion done = std::move(a.done);
      a.done = nullptr;
      if (h.err != 0) {
        std::string reason = "the server refused the credentials for scheme \"" + a.scheme + "\"";
        if (done) {
          Reply rep{static_cast<Errc>(h.err), reason};
          done(rep);
        }
        return end_session(SessionState::auth_failed, Errc::auth_failed, reason);
      }
      if (done) {
        Reply rep{Errc::ok};
        done(rep);
      }
      return;
    }
    default: break;
  }

  if (pending_.empty() || pending_.front().xid != h.xid) {
    return connection_lost("reply xid " + std::to_string(h.xid) + " from " + current_host_ +
                           " does not match the oldest request (" +
                           (pending_.empty() ? std::string("none") : std::to_string(pending_.front().xid)) + ")");
  }
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  --inflight_;
  if (p.done) {
    Reply rep{static_cast<Errc>(h.err), {}, h.err == 0 ? r : proto::Reader(nullptr, 0), h.zxid, path_of(p)};
    if (!p.done(rep)) {
      pending_.push_front(std::move(p));  // fails once more, with connection_loss, below
      ++inflight_;
      return connection_lost("malformed reply to request " + std::to_string(h.xid) + " from " + current_host_);
    }
  }
  pump();
}

void Core::on_notification(proto::Reader& body) {
  proto::WatcherEvent e;
  if (!proto::decode(body, e)) return connection_lost("malformed watch event from " + current_host_);
  if (e.type < 1 || e.type > 4) {
    log(LogLevel::warning, "ignoring a watch event of unknown type " + std::to_string(e.type));
    return;
  }
  auto type = static_cast<EventType>(e.type);
  WatchEvent ev{type, SessionState::connected, client_path(e.path)};
  // The registry's key is the server path: without a chroot that is the event's own path,
  // so the path is copied once, into the event.
  std::string chrooted;
  const std::string& server = connect_.chroot.empty() ? ev.path : (chrooted = e.path);
  // Persistent watchers are looked up by id one at a time: any of them may remove others.
  for (std::uint64_t id : watches_.persistent_targets(type, server))
    if (Watcher* w = watches_.find_persistent(id)) (*w)(ev);
  for (Watcher& w : watches_.take(type, server)) w(ev);
  release_kept_watch(server);
  // A recursive watch sends no children-changed events, but it shares the server's one watch
  // per path with one-shot child watches there: make their event from the child's.
  if ((type == EventType::node_created || type == EventType::node_deleted) && server != "/" &&
      watches_.has_persistent()) {
    std::size_t slash = server.rfind('/');
    std::string parent = slash == 0 ? "/" : server.substr(0, slash);
    if (watches_.persistent_mode(parent) == 2) {
      WatchEvent pe{EventType::node_children_changed, SessionState::connected, client_path(parent)};
      for (Watcher& w : watches_.take(EventType::node_children_changed, parent)) w(pe);
    }
  }
}

void Core::notify_persistent(SessionState st) {
  for (std::uint64_t id : watches_.all_persistent_ids()) {
    if (terminal()) return;
    if (Watcher* w = watches_.find_persistent(id)) (*w)(WatchEvent{EventType::none, st, ""});
  }
}

void Core::remove_persistent(std::uint64_t id) {
  std::string path = watches_.remove_persistent(id);
  if (path.empty() || watches_.persistent_mode(path) != 0) return;
  if (watches_.has(path, true, true) || watches_.ridden(path)) {
    kept_server_watches_.insert(std::move(path));
    return;
  }
  kept_server_watches_.erase(path);  // an older keep of this path ends here too
  drop_server_watch(path);
}

void Core::rider_done(std::string_view server_path) {
  std::string path(server_path);
  if (watches_.unride(path)) release_kept_watch(path);
}

void Core::release_kept_watch(const std::string& path) {
  if (kept_server_watches_.empty() || watches_.has(path, true, true) || watches_.ridden(path) ||
      watches_.persistent_mode(path) != 0 || kept_server_watches_.erase(path) == 0)
    return;
  drop_server_watch(path);
}

void Core::drop_server_watch(const std::string& path) {
  if (terminal() || closing_ || !sendable()) return;  // not re-registered after a reconnect anyway
  // Fire and forget: the server may already have dropped it (no_watcher is fine).
  enqueue(
      proto::Op::remove_watches, path,
      [&](std::string& buf, std::int32_t xid) {
        proto::write_request(buf, xid, proto::Op::remove_watches,
                             proto::WatchesRequest{path, proto::WatcherType::any});
      },
      [](Reply&) { return true; });
}

// --- losing things -------------------------------------------------------------------------

void Core::drop_link() {
  if (probe_) {
    probe_->cancel();
    probe_ = nullptr;
  }
  if (lookup_) {
    lookup_->cancel();
    lookup_ = nullptr;
  }
  if (conn_) {
    conn_->close();
    conn_ = nullptr;
  }
  link_ = Link::idle;
  ++link_generation_;
  out_.clear();
  auth_inflight_.clear();
  if (!handles_released_) uv_prepare_stop(&flush_prepare_);
}

void Core::fail_pending(Errc e, std::string_view reason, bool all) {
  // Requests never written wait for the next link, unless the session ends. Move the failed
  // ones out first: their callbacks may submit new requests.
  std::size_t n = all ? pending_.size() : inflight_;
  // Their paths are copied too: a callback that submits may compact paths_.
  std::vector<Pending> failed;
  failed.reserve(n);
  std::string paths;
  for (std::size_t i = 0; i < n; ++i) {
    Pending& p = failed.emplace_back(std::move(pending_.front()));
    pending_.pop_front();
    std::string_view path = path_of(p);
    p.path_at = paths.size();
    paths.append(path);
  }
  inflight_ = 0;
  if (all) unsent_.clear();
  for (Pending& p : failed) {
    if (!p.done) continue;  // timed out already
    Reply rep{e, reason};
    rep.path = std::string_view(paths).substr(p.path_at, p.path_size);
    p.done(rep);
  }
}

std::chrono::milliseconds Core::deadline() const {
  return options_.request_timeout.count() > 0 ? now() + options_.request_timeout : milliseconds(0);
}

void Core::pump() {
  if (!sendable()) return;
  std::size_t moved = 0;
  while (inflight_ < pending_.size() && has_room()) {
    const Pending& p = pending_[inflight_];
    if (!p.done) {
      // It timed out before it was ever sent: drop it, so "timed out" cannot later turn
      // into "applied".
      moved += p.frame_size;
      pending_.erase(inflight_);
      continue;
    }
    out_.append(unsent_, moved, p.frame_size);
    moved += p.frame_size;
    ++inflight_;
  }
  if (moved == 0) return;
  unsent_.erase(0, moved);
  schedule_flush();
}

void Core::expire_requests(milliseconds t) {
  // Deadlines grow with submission order, so the scan stops at the first one still running.
  // The entries stay in place: a late reply must still find its xid at the front.
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    Pending& p = pending_[i];
    if (!p.done || p.deadline.count() == 0) continue;
    if (p.deadline > t) break;
    Completion done = std::move(p.done);
    p.done = nullptr;
    std::string reason = "no reply within request_timeout (" + std::to_string(options_.request_timeout.count()) + " ms)";
    Reply rep{Errc::request_timeout, reason};
    rep.path = path_of(p);
    done(rep);
    if (terminal()) return;
  }
}

void Core::connection_lost(std::string reason) {
  bool was_open = link_ == Link::open;
  log(was_open ? LogLevel::warning : LogLevel::info, reason);
  drop_link();
  // An open link that breaks retries quickly; a link that never opened (refused, reset in the
  // handshake, timed out) backs off further each time.
  failures_ = was_open ? 0 : failures_ + 1;
  if (closing_) return finish_close();
  if (was_open) {
    set_state(SessionState::suspended);
    notify_persistent(SessionState::suspended);
    if (terminal() || closing_) return;
  }
  fail_pending(Errc::connection_loss, reason, false);
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
      &backoff_timer_, [](uv_timer_t* t) { static_cast<Core*>(t->data)->attempt(); },
      static_cast<std::uint64_t>(delay.count()), 0);
}

void Core::end_session(SessionState final_state, Errc e, std::string_view reason_view) {
  if (terminal()) return;
  std::string reason(reason_view);
  log(final_state == SessionState::closed ? LogLevel::info : LogLevel::warning, reason);
  drop_link();
  set_state(final_state);
  fail_pending(e, reason, true);
  for (Auth& a : auths_)
    if (a.done) {
      Completion done = std::move(a.done);
      a.done = nullptr;
      Reply rep{e, reason};
      done(rep);
    }
  // Every watch runs exactly once: those that never fired learn that the session ended.
  for (Watcher& w : watches_.take_all()) w(WatchEvent{EventType::none, final_state, ""});
  release_handles();
}

void Core::finish_close() { end_session(SessionState::closed, Errc::closing, "the session is closed"); }

void Core::close(Function<void()> done) {
  if (handles_released_ && open_handles_ == 0) {
    if (done) done();
    return;
  }
  if (done) close_done_.push_back(std::move(done));
  if (terminal() || closing_) return;
  closing_ = true;
  if (link_ != Link::open) return finish_close();
  // Behind everything already submitted: the server answers those first.
  enqueue(
      proto::Op::close_session, {},
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
  auto closed = [](uv_handle_t* h) {
    auto* self = static_cast<Core*>(h->data);
    if (--self->open_handles_ > 0) return;
    auto done = std::move(self->close_done_);
    std::shared_ptr<Core> keep = std::move(self->self_);  // may free the Core when this returns
    for (auto& d : done) d();
  };
  uv_close(reinterpret_cast<uv_handle_t*>(&tick_timer_), closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&backoff_timer_), closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&flush_prepare_), closed);
}

// --- writing and timers --------------------------------------------------------------------

void Core::schedule_flush() {
  // A prepare callback runs once per loop turn, just before the loop waits for I/O: every
  // frame queued during the turn leaves in one write.
  if (handles_released_ || uv_is_active(reinterpret_cast<uv_handle_t*>(&flush_prepare_))) return;
  uv_prepare_start(&flush_prepare_, [](uv_prepare_t* p) { static_cast<Core*>(p->data)->flush(); });
}

void Core::flush() {
  uv_prepare_stop(&flush_prepare_);
  if (!conn_ || link_ != Link::open || out_.empty()) return;
  last_send_ = now();
  if (!conn_->write(out_)) connection_lost("cannot write to " + current_host_);
}

void Core::probe_for_read_write() {
  if (hosts_.size() < 2) return;
  HostPort host = hosts_.next();
  if (host_name(host) == current_host_) host = hosts_.next();
  probe_started_ = now();
  probe_ = RwProbe::start(loop_, host, [this, host](bool rw) {
    probe_ = nullptr;
    if (rw && state_ == SessionState::read_only && link_ == Link::open) {
      hosts_.prefer(host);
      return connection_lost("leaving read-only " + current_host_ + ": " + host.host + ":" +
                             std::to_string(host.port) + " serves read-write");
    }
    // Back off like the Java client: 100 ms doubling to a minute.
    probe_interval_ = std::min(probe_interval_ * 2, milliseconds(60000));
    next_probe_ = now() + probe_interval_;
  });
}

void Core::tick() {
  milliseconds t = now();
  if (probe_ && t - probe_started_ >= timeouts_.attempt) {  // a blackholed member: try another
    probe_->cancel();
    probe_ = nullptr;
    probe_interval_ = std::min(probe_interval_ * 2, milliseconds(60000));
    next_probe_ = t + probe_interval_;
  }
  if (state_ == SessionState::read_only && link_ == Link::open && !probe_ && t >= next_probe_)
    probe_for_read_write();
  if (closing_ && t >= close_deadline_) return finish_close();
  expire_requests(t);
  if (terminal()) return;
  switch (link_) {
    case Link::open:
      if (t - last_recv_ >= timeouts_.read)
        return connection_lost("nothing heard from " + current_host_ + " for " +
                               std::to_string(timeouts_.read.count()) + " ms");
      if (t - last_send_ >= timeouts_.ping) {
        proto::write_request(out_, proto::kPingXid, proto::Op::ping);
        flush();
      }
      break;
    case Link::resolving:
    case Link::connecting:
    case Link::handshaking:
      if (t - attempt_started_ >= timeouts_.attempt) {
        connection_lost("connection attempt to " + current_host_ + " timed out after " +
                        std::to_string(timeouts_.attempt.count()) + " ms");
        if (terminal()) return;
      }
      break;
    case Link::idle: break;
  }
  if (session_id_ != 0 && link_ != Link::open && t - last_recv_ >= timeouts_.expiry)
    end_session(SessionState::expired, Errc::session_expired,
                "the session expired: no server was reached within " +
                    std::to_string(timeouts_.expiry.count()) + " ms");
}

}  // namespace zkit::session
