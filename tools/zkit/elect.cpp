#include "elect.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>

#include "child_process.hpp"
#include "exit_codes.hpp"
#include "lock.hpp"
#include "report.hpp"
#include "session_loop.hpp"
#include "zkit/recipes/election/leader_latch.hpp"

namespace zkit::cli {
namespace {

using recipes::LeaderLatch;
using recipes::OwnershipEvent;
using Kind = ElectionEvent::Kind;


std::string default_id() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return std::string(buf) + "-" + std::to_string(getpid());
}

std::string leadership_loss_reason(SessionState s) {
  switch (s) {
    case SessionState::suspended: return "connection to ZooKeeper lost";
    case SessionState::expired: return "session expired";
    case SessionState::closed: return "leaving";
    default: return "its node was deleted";
  }
}

// One run of `zkit elect`: a latch, re-made after a command ends its own term, and the
// command (if any) running exactly while the latch leads.
class ElectRun {
 public:
  ElectRun(const Invocation& inv, Options options, Printer& out)
      : inv_(inv), options_(std::move(options)), connect_(options_.connect), out_(out),
        id_(inv.id.empty() ? default_id() : inv.id) {}

  int run() {
    Options options = std::move(options_);  // run() runs once
    options.logger = [](LogLevel, std::string_view) {};  // the events tell the story
    options.log_level = LogLevel::error;
    auto started = loop_.start(
        std::move(options), inv_.security.auth, [this](int) { on_signal(); }, [] {},
        [this](const Error& e) {
          report("connect " + connect_, e);
          finish(exit_failed);
        });
    if (!started) {
      report("connect " + connect_, started.error());
      return exit_failed;
    }
    loop_.session().add_listener([this](SessionState s) {
      if (s != SessionState::expired || finishing_) return;
      report("elect " + inv_.path, Error(Errc::session_expired, "the session expired; leaving"));
      stop_or_finish(exit_failed);
    });
    join();
    loop_.run();
    return status_;
  }

 private:
  ElectionEvent event(Kind k) const { return ElectionEvent{.kind = k, .path = inv_.path, .id = id_}; }

  void join() {
    latch_ = std::make_unique<LeaderLatch>(loop_.session(), inv_.path, id_);
    auto* latch = latch_.get();
    latch->add_listener([this, latch](OwnershipEvent e) {
      if (latch != latch_.get() || finishing_) return;  // an old term's latch
      if (e == OwnershipEvent::acquired) on_leader(latch->token().zxid);
      if (e == OwnershipEvent::lost) on_lost();
    });
    // start() completes at once (the election runs in the background): the spawned task has
    // ended by the time spawn returns.
    spawn([](ElectRun* self, LeaderLatch* latch) -> Task<void> {
      auto r = co_await latch->start();
      if (!r) {
        report("elect " + self->inv_.path, r.error());
        co_return self->finish(exit_failed);
      }
      self->out_.election(self->event(Kind::joined));
    }(this, latch));
  }

  void on_leader(std::int64_t token) {
    auto e = event(Kind::leader);
    e.token = token;
    out_.election(e);
    token_ = token;
    if (inv_.command.empty()) return;
    if (child_ && child_->running()) {
      restart_ = true;  // the last term's command is still stopping
      return;
    }
    start_command();
  }

  void start_command() {
    tools::SpawnOptions so{.argv = inv_.command,
                           .env = {"ZKIT_ELECTION_PATH=" + inv_.path, "ZKIT_LEADER_ID=" + id_,
                                   "ZKIT_FENCING_TOKEN=" + std::to_string(token_)},
                           .own_group = true};
    auto child = tools::ChildProcess::spawn(loop_.loop(), std::move(so),
                                            [this](int status) { on_command_exit(status); });
    if (!child) {
      report("elect " + inv_.path, Error(child.code(), "cannot run " + child.error().message()));
      return finish(child.code() == Errc::no_node ? kNotFound : kCannotExecute);
    }
    child_ = std::move(*child);
    auto e = event(Kind::command_started);
    e.pid = child_->pid();
    out_.election(e);
  }

  void on_lost() {
    auto e = event(Kind::lost);
    e.reason = leadership_loss_reason(loop_.session().state());
    out_.election(e);
    restart_ = false;
    if (child_ && child_->running()) child_->terminate(kCommandStopGrace);
  }

  void on_command_exit(int status) {
    bool leading = latch_ && latch_->has_leadership();
    auto e = event(Kind::command_exited);
    e.status = status;
    e.reason = stopping_ ? "stopped" : leading ? "ended by itself" : "leadership lost";
    out_.election(e);
    if (stopping_) return finish(stop_status_);
    if (restart_ && leading) {
      restart_ = false;
      return start_command();
    }
    if (leading) requeue();  // the term ends with its command: let the next in line lead
  }

  // Leaves the election and joins again at the back.
  void requeue() {
    spawn([](ElectRun* self) -> Task<void> {
      auto old = std::move(self->latch_);
      co_await old->close();
      if (!self->finishing_ && !self->stopping_) self->join();
    }(this));
  }

  void on_signal() { stop_or_finish(exit_ok); }

  // Stops the command first, if one runs, then finishes with `status`.
  void stop_or_finish(int status) {
    if (stopping_) return;
    stopping_ = true;
    stop_status_ = status;
    if (child_ && child_->running()) return child_->terminate(kCommandStopGrace);
    finish(status);
  }

  // The session's close deletes our node (it is ephemeral): the next in line leads at once.
  void finish(int status) {
    if (finishing_) return;
    finishing_ = true;
    status_ = status;
    child_.reset();
    loop_.shutdown([this] { latch_.reset(); });
  }

  const Invocation& inv_;
  Options options_;  // the session's: --connect, TLS, SASL, --config, the timeouts
  std::string connect_;
  Printer& out_;
  std::string id_;
  SessionLoop loop_;
  std::unique_ptr<LeaderLatch> latch_;  // after loop_: destroyed before the session
  std::unique_ptr<tools::ChildProcess> child_;
  std::int64_t token_ = 0;
  bool restart_ = false, stopping_ = false, finishing_ = false;
  int stop_status_ = exit_ok, status_ = exit_failed;
};

}  // namespace

int run_elect(const Invocation& inv, Options options, Printer& out) {
  return ElectRun(inv, std::move(options), out).run();
}

}  // namespace zkit::cli
