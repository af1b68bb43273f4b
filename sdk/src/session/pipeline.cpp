#include "session/pipeline.hpp"

#include "proto/records.hpp"

namespace zkit::session {

void Pipeline::refuse(Errc e, std::string_view path, Completion done, std::string_view reason) {
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

void Pipeline::refuse_full(std::string_view path, Completion done) {
  refuse(Errc::throttled_op, path, std::move(done),
         "too many requests outstanding (max_pending = " + std::to_string(limits_.max_pending) + ")");
}

std::int32_t Pipeline::next_xid() noexcept {
  // Positive and never 0: the reserved xids are negative, 0 is the server's own.
  xid_ = xid_ == INT32_MAX ? 1 : xid_ + 1;
  return xid_;
}

std::uint64_t Pipeline::keep_path(std::string_view path) {
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

void Pipeline::attach(Sink& sink, Function<void(std::string&)> before_requests) {
  sink_ = &sink;
  // Order matters (docs/sessions.md): credentials, then watches, then the queued requests.
  auth_inflight_.clear();
  for (std::size_t i = 0; i < auths_.size(); ++i) send_auth(i);
  if (before_requests) before_requests(sink.frames());
  sink.frames_added();
  pump();
}

void Pipeline::detach() noexcept {
  sink_ = nullptr;
  stalled_ = false;
  auth_inflight_.clear();
}

void Pipeline::pump() {
  if (!sink_) return;
  std::size_t moved = 0;
  std::string& out = sink_->frames();
  while (inflight_ < pending_.size() && has_room()) {
    const Pending& p = pending_[inflight_];
    if (!p.done) {
      // It timed out before it was ever sent: drop it, so "timed out" cannot later turn
      // into "applied".
      moved += p.frame_size;
      pending_.erase(inflight_);
      continue;
    }
    out.append(unsent_, moved, p.frame_size);
    moved += p.frame_size;
    ++inflight_;
  }
  if (moved == 0) return;
  unsent_.erase(0, moved);
  sink_->frames_added();
}

std::string Pipeline::on_reply(std::int32_t xid, Errc err, proto::Reader body, std::int64_t zxid) {
  if (pending_.empty() || pending_.front().xid != xid || inflight_ == 0)
    return "reply xid " + std::to_string(xid) + " does not match the oldest request (" +
           (pending_.empty() ? std::string("none") : std::to_string(pending_.front().xid)) + ")";
  stalled_ = false;
  Pending p = std::move(pending_.front());
  pending_.pop_front();
  --inflight_;
  if (p.done) {
    Completing c(path_of(p));
    Reply rep{err, {}, err == Errc::ok ? body : proto::Reader(nullptr, 0), zxid, c.path()};
    if (err == Errc::no_node) rep.reason = no_node_note_;
    else if (err == Errc::ok && !no_node_note_.empty()) no_node_note_.clear();  // the chroot is there now
    std::uint64_t replied = 0;
    if (recorder_) {
      replied = metrics::clock_ns();
      recorder_->reply(p.op, err != Errc::ok, p.submitted_ns, replied);
    }
    bool decoded = p.done(rep);
    if (recorder_) recorder_->callback_done(metrics::op_name(p.op), replied);
    if (!decoded) {
      pending_.push_front(std::move(p));  // fails once more, with connection_loss, as written
      ++inflight_;
      return "malformed reply to request " + std::to_string(xid);
    }
  }
  pump();
  return {};
}

void Pipeline::add_auth(std::string scheme, std::string credentials, milliseconds now, Completion done) {
  auths_.push_back(Auth{std::move(scheme), std::move(credentials), std::move(done), deadline(now)});
  if (sink_) {
    send_auth(auths_.size() - 1);
    sink_->frames_added();
  }
}

void Pipeline::send_auth(std::size_t index) {
  const Auth& a = auths_[index];
  proto::write_request(sink_->frames(), proto::kAuthXid, proto::Op::auth, proto::AuthPacket{0, a.scheme, a.credentials});
  auth_inflight_.push_back(index);
}

Pipeline::AuthReply Pipeline::on_auth_reply(Errc err, std::string& scheme) {
  if (auth_inflight_.empty()) return AuthReply::unexpected;
  Auth& a = auths_[auth_inflight_.front()];
  auth_inflight_.pop_front();
  Completion done = std::move(a.done);
  a.done = nullptr;
  if (err != Errc::ok) {
    scheme = a.scheme;
    if (done) {
      std::string reason = "the server refused the credentials for scheme \"" + a.scheme + "\"";
      Reply rep{err, reason};
      done(rep);
    }
    return AuthReply::refused;
  }
  if (done) {
    Reply rep{Errc::ok};
    done(rep);
  }
  return AuthReply::accepted;
}

void Pipeline::fail(Errc e, std::string_view reason, bool all) {
  ++failures_;
  // Requests never written wait for the next connection, unless the session ends. Move the
  // failed ones out first (with copies of their paths): their callbacks may submit new ones.
  std::size_t n = all ? pending_.size() : inflight_;
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
    if (recorder_) recorder_->requests_failed(1);
    Reply rep{e, reason};
    rep.path = std::string_view(paths).substr(p.path_at, p.path_size);
    p.done(rep);
  }
}

void Pipeline::fail_all(Errc e, std::string_view reason) {
  fail(e, reason, true);
  for (Auth& a : auths_)
    if (a.done) {
      Completion done = std::move(a.done);
      a.done = nullptr;
      Reply rep{e, reason};
      done(rep);
    }
}

void Pipeline::expire(milliseconds now, std::string_view unsent_why) {
  // By index: a completion may add credentials (and move auths_).
  for (std::size_t i = 0; i < auths_.size(); ++i) {
    Auth& a = auths_[i];
    if (!a.done || a.deadline.count() == 0 || a.deadline > now) continue;
    Completion done = std::move(a.done);
    a.done = nullptr;
    Reply rep{Errc::request_timeout, "no answer to the credentials within request_timeout"};
    done(rep);
  }
  // Deadlines grow with submission order, so the scan stops at the first one still running.
  // The entries stay in place: a late reply must still find its xid at the front. A completion
  // that ends the connection or the session moves the entries: the scan stops then too.
  std::uint64_t failures = failures_;
  for (std::size_t i = 0; i < pending_.size() && failures == failures_; ++i) {
    Pending& p = pending_[i];
    if (!p.done || p.deadline.count() == 0) continue;
    if (p.deadline > now) break;
    if (i < inflight_) stalled_ = true;
    Completion done = std::move(p.done);
    p.done = nullptr;
    if (recorder_) recorder_->requests_failed(1);
    std::string reason = "no reply within request_timeout (" + std::to_string(p.timeout_ms) + " ms)";
    if (i >= inflight_ && !unsent_why.empty()) reason += " " + std::string(unsent_why);
    Completing c(path_of(p));
    Reply rep{Errc::request_timeout, reason};
    rep.path = c.path();
    done(rep);
  }
}

}  // namespace zkit::session
