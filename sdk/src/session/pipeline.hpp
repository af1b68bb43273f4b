// session::Pipeline: the session's requests between call and completion. It numbers them
// (xids), encodes each at submission, keeps them in one FIFO in xid order, matches replies to
// them, enforces max_pending and request deadlines, replays credentials after a reconnect, and
// fails whatever is outstanding when a connection or the session ends, calling every
// completion exactly once. It does no I/O: frames go to the Sink it is attached to while a
// connection is usable, and wait in its own buffer otherwise.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/recorder.hpp"
#include "proto/jute.hpp"
#include "proto/opcodes.hpp"
#include "session/ring.hpp"
#include "zkit/error.hpp"
#include "zkit/function.hpp"
#include "zkit/options.hpp"

namespace zkit::session {

using std::chrono::milliseconds;

// What a request's completion receives: the server's error code (or a client-side one with
// a reason) and, on success, a reader over the response body.
struct Reply {
  Errc err = Errc::ok;
  std::string_view reason;  // why a client-side error happened; empty for server errors
  proto::Reader body{nullptr, 0};
  std::int64_t zxid = 0;
  // The request's server path as submitted (empty for requests without one): for the error
  // message and the watch key, so that a request keeps no copy of its own. Valid for the
  // whole completion, also when the completion submits requests.
  std::string_view path;
};

// Returns false when the body does not decode: the session then closes the connection as
// malformed and calls the same completion once more, with connection_loss. So a user's
// callback still runs exactly once. Stored in place in the FIFO: every operation's completion
// state (its op name, the user's callback, a watcher) fits in its inline bytes, so a request
// allocates nothing here.
using Completion = Function<bool(Reply&), 176>;

// Where frames go while a connection is usable.
class Sink {
 public:
  virtual std::string& frames() = 0;   // append frames here...
  virtual void frames_added() = 0;     // ...then say so: they leave at the end of the loop turn

 protected:
  ~Sink() = default;
};

class Pipeline {
 public:
  struct Limits {
    std::size_t max_pending = 0;  // 0: no limit
    WhenFull when_full = WhenFull::wait;
    milliseconds request_timeout{0};  // 0: none
  };
  explicit Pipeline(Limits limits) : limits_(limits) {}

  // Encodes a request with `encode(buffer, xid)` and queues it; `done` runs exactly once and
  // sees `path` as Reply::path. Refuses at once (through `done`) when max_pending requests are
  // outstanding and when_full is fail, or when the frame is over the server's limit.
  template <class Encode>
  void submit(proto::Op op, std::string_view path, milliseconds now, Encode&& encode, Completion&& done) {
    if (limits_.max_pending != 0 && limits_.when_full == WhenFull::fail && pending_.size() >= limits_.max_pending)
      return refuse_full(path, std::move(done));
    bool direct = sink_ && pending_.size() == inflight_ && has_room();
    std::string& buf = direct ? sink_->frames() : unsent_;
    std::size_t start = buf.size();
    encode(buf, next_xid());
    std::size_t size = buf.size() - start;
    if (size - 4 > proto::kMaxFrame) {
      buf.resize(start);
      return refuse(Errc::bad_arguments, path, std::move(done),
                    "request larger than the server's 1 MiB frame limit (jute.maxbuffer)");
    }
    std::uint64_t path_at = keep_path(path);
    // Built in place: a Completion is large, and each move of it costs a call.
    pending_.emplace_back(xid_, op, std::move(done), static_cast<std::uint32_t>(size),
                          static_cast<std::uint32_t>(path.size()),
                          static_cast<std::uint32_t>(limits_.request_timeout.count()), path_at, deadline(now),
                          recorder_ ? metrics::clock_ns() : 0);
    if (direct) {
      ++inflight_;
      sink_->frames_added();
    }
  }

  // Calls `done` at once with `e` (a reason is made from the code when none is given).
  static void refuse(Errc e, std::string_view path, Completion done, std::string_view reason = {});

  // A connection is usable: credentials are sent again, then whatever waited unsent.
  // `before_requests(frames)` runs between the two (the session re-registers watches there).
  void attach(Sink& sink, Function<void(std::string&)> before_requests);
  // The connection ended: nothing more goes to the sink; auth replies in flight are forgotten.
  void detach() noexcept;
  // Where replies, failures and callback durations are counted (none: not counted).
  void set_recorder(metrics::Recorder* r) noexcept { recorder_ = r; }

  // A reply to request `xid` (not one of the reserved xids). Returns an empty string, or the
  // reason the connection must close (the xid is not the oldest request's, or the body was
  // malformed: then the request stays first, to fail with connection_loss).
  std::string on_reply(std::int32_t xid, Errc err, proto::Reader body, std::int64_t zxid);

  // Credentials: kept for every reconnect. An auth reply answers the oldest one in flight.
  // `done` runs once: with the server's answer, or with request_timeout when none came within
  // the deadline (the credentials stay, and are still sent after every reconnect).
  void add_auth(std::string scheme, std::string credentials, milliseconds now, Completion done);
  enum class AuthReply { accepted, refused, unexpected };
  // On refused, `scheme` names the refused credentials' scheme.
  AuthReply on_auth_reply(Errc err, std::string& scheme);

  // Fails the requests written on the connection that ended (applied or not: `e`).
  void fail_written(Errc e, std::string_view reason) { fail(e, reason, false); }
  // Fails every request and every credential's pending add_auth (the session ended).
  void fail_all(Errc e, std::string_view reason);
  // Fails the requests whose deadline has passed (their late replies are dropped).
  // `unsent_why`, when not empty, is added to the message of requests that time out before
  // being written (why no server took them: the last attempt's cause).
  void expire(milliseconds now, std::string_view unsent_why = {});
  // The message of no_node errors while it is set (the session's chroot is missing).
  void set_no_node_note(std::string note) { no_node_note_ = std::move(note); }

  std::size_t pending() const noexcept { return pending_.size(); }
  // Requests written (or about to be, this loop turn) on the attached connection, unanswered.
  std::size_t awaiting_replies() const noexcept { return sink_ ? inflight_ : 0; }
  // The deadline of requests submitted from now on (0: none); earlier ones keep theirs.
  void set_request_timeout(milliseconds t) noexcept { limits_.request_timeout = t; }
  milliseconds request_timeout() const noexcept { return limits_.request_timeout; }
  const std::string& no_node_note() const noexcept { return no_node_note_; }
  // Whether a request written on this connection timed out and no reply has come since: the
  // server is not answering requests (it may still answer pings).
  bool stalled() const noexcept { return stalled_; }

 private:
  struct Pending {
    std::int32_t xid;
    proto::Op op;
    Completion done;                   // null once it timed out: its late reply is dropped
    std::uint32_t frame_size;          // bytes of its frame, while it is unsent
    std::uint32_t path_size;           // its path in paths_, from path_at
    std::uint32_t timeout_ms;          // its deadline's length, for the error message
    std::uint64_t path_at;
    milliseconds deadline;             // 0: none
    std::uint64_t submitted_ns;        // for its latency (metrics::clock_ns)
  };
  struct Auth {
    std::string scheme;
    std::string credentials;
    Completion done;  // empty once answered: later replays have no one to tell
    milliseconds deadline;  // for `done`; 0: none
  };

  void refuse_full(std::string_view path, Completion done);
  std::int32_t next_xid() noexcept;
  std::uint64_t keep_path(std::string_view path);
  std::string_view path_of(const Pending& p) const noexcept {
    return {paths_.data() + (p.path_at - paths_base_), p.path_size};
  }
  bool has_room() const noexcept { return limits_.max_pending == 0 || inflight_ < limits_.max_pending; }
  milliseconds deadline(milliseconds now) const {
    return limits_.request_timeout.count() > 0 ? now + limits_.request_timeout : milliseconds(0);
  }
  void pump();
  void send_auth(std::size_t index);
  void fail(Errc e, std::string_view reason, bool all);

  Limits limits_;
  Sink* sink_ = nullptr;
  metrics::Recorder* recorder_ = nullptr;
  std::int32_t xid_ = 0;
  // Every outstanding request in xid order: first the `inflight_` ones written on the current
  // connection, then the unsent ones, whose frames wait in unsent_ (for a connection, or for
  // room under max_pending).
  Ring<Pending> pending_;
  std::size_t inflight_ = 0;
  std::string unsent_;
  // The paths of the pending requests, back to back in xid order: paths_[0] is at absolute
  // offset paths_base_. One growing buffer instead of a string per request.
  std::string paths_;
  std::uint64_t paths_base_ = 0;
  // The path of the request being completed, copied out of paths_ (which a completion that
  // submits may compact or reallocate), into a buffer that keeps its capacity. A completion
  // inside another one (a nested loop) gets a copy of its own.
  // The buffer is the thread's, shared by its sessions (completions on one thread run one at a
  // time, but for nesting), so an idle session pays nothing for it.
  class Completing {
   public:
    explicit Completing(std::string_view path) : own_(busy()) {
      (own_ ? local_ : buffer()).assign(path);
      busy() = true;
    }
    ~Completing() { busy() = own_; }
    std::string_view path() const noexcept { return own_ ? local_ : buffer(); }

   private:
    static std::string& buffer() noexcept {
      thread_local std::string b;
      return b;
    }
    static bool& busy() noexcept {
      thread_local bool b = false;
      return b;
    }
    bool own_;  // another completion on this thread is running: use local_
    std::string local_;
  };
  std::uint64_t failures_ = 0;  // counts fail() calls: an expiry scan stops when one happened
  std::string no_node_note_;
  bool stalled_ = false;
  std::vector<Auth> auths_;          // replayed after every reconnect
  Ring<std::size_t> auth_inflight_;  // indexes into auths_; auth replies keep their order
};

}  // namespace zkit::session
