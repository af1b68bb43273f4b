#include "lock.hpp"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>

#include "child_process.hpp"
#include "exit_codes.hpp"
#include "report.hpp"
#include "session_loop.hpp"
#include "zkit/recipes/locks/mutex.hpp"

namespace zkit::cli {
namespace {

using recipes::FencingToken;
using recipes::Mutex;
using recipes::OwnershipEvent;


std::string hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

void say(const std::string& what, const std::string& text) {
  std::fprintf(stderr, "zkit: %s: %s\n", what.c_str(), text.c_str());
}

// Why ownership ended, from the session's state at the moment it ended.
std::string lock_loss_reason(SessionState s) {
  switch (s) {
    case SessionState::suspended:
      return "the connection to ZooKeeper was lost, so the lock may pass to another holder";
    case SessionState::expired: return "the session expired and the lock passed on";
    default: return "the lock node was deleted by someone else";
  }
}

// One run of `zkit lock`: waiting, holding (CMD running), then finishing, on one loop.
class LockRun {
 public:
  LockRun(const Invocation& inv, Options options)
      : inv_(inv), options_(std::move(options)), connect_(options_.connect), what_("lock " + inv.path) {}

  int run() {
    Options options = std::move(options_);  // run() runs once
    options.logger = [](LogLevel, std::string_view) {};  // the states tell the story
    options.log_level = LogLevel::error;
    auto started = loop_.start(
        std::move(options), inv_.security.auth, [this](int sig) { on_signal(sig); },
        // --timeout bounds the wait for the lock, not for the connection (the session
        // timeout bounds that): start acquiring once connected.
        [this] { spawn(acquire()); },
        [this](const Error& e) {
          report("connect " + connect_, e);
          finish(exit_failed);
        });
    if (!started) {
      report("connect " + connect_, started.error());
      return exit_failed;
    }
    recipes::MutexOptions mo;
    mo.data = hostname() + " pid " + std::to_string(getpid());
    mutex_.emplace(loop_.session(), inv_.path, std::move(mo));
    loop_.run();
    return status_;
  }

 private:
  Task<void> acquire() {
    // Not `c ? co_await a : co_await b`: GCC 12 destroys the result of that twice.
    auto waiting = inv_.wait ? mutex_->acquire(*inv_.wait, cancel_.token())
                             : mutex_->acquire(cancel_.token());
    auto token = co_await std::move(waiting);
    if (finishing_) co_return;
    if (token) {
      if (interrupted_) {
        release_and_finish(exit_interrupted);
        co_return;
      }
      mutex_->add_listener([this](OwnershipEvent e) {
        if (e == OwnershipEvent::lost) on_lost();
      });
      start_command(*token);
    } else if (interrupted_) {
      finish(exit_interrupted);
    } else if (token.code() == Errc::request_timeout) {
      say(what_, "timed out after " + std::to_string(inv_.wait->count()) +
                     " ms waiting for the lock");
      finish(kLockTimedOut);
    } else {
      report(what_, token.error());
      finish(exit_failed);
    }
  }

  void start_command(FencingToken token) {
    tools::SpawnOptions so{.argv = inv_.command,
                           .env = {"ZKIT_LOCK_PATH=" + inv_.path,
                                   "ZKIT_FENCING_TOKEN=" + std::to_string(token.zxid)},
                           .own_group = true};
    auto child = tools::ChildProcess::spawn(loop_.loop(), std::move(so),
                                            [this](int status) { on_command_exit(status); });
    if (!child) {
      say(what_, "cannot run " + child.error().message());
      return release_and_finish(child.code() == Errc::no_node ? kNotFound : kCannotExecute);
    }
    child_ = std::move(*child);
  }

  void on_lost() {
    if (lost_ || finishing_) return;
    lost_ = true;
    say(what_, "lock lost: " + lock_loss_reason(loop_.session().state()) +
                   "; stopping the command (SIGTERM, then SIGKILL after " +
                   std::to_string(std::chrono::milliseconds(kCommandStopGrace).count() / 1000) + " s)");
    if (child_ && child_->running()) child_->terminate(kCommandStopGrace);
    else finish(kLockLost);
  }

  void on_command_exit(int status) {
    if (lost_) return finish(kLockLost);
    release_and_finish(interrupted_ ? exit_interrupted : status);
  }

  void on_signal(int) {
    if (interrupted_) return;
    interrupted_ = true;
    if (child_ && child_->running()) return child_->terminate(kCommandStopGrace);  // then on_command_exit
    if (!mutex_ || !mutex_->is_held()) {
      cancel_.cancel();  // a waiting acquire fails with closing and deletes its node
      return finish(exit_interrupted);  // (also before connecting: nothing to release)
    }
  }

  void release_and_finish(int status) {
    spawn([](LockRun* self, int status) -> Task<void> {
      if (self->mutex_->is_held()) {
        auto released = co_await self->mutex_->release();
        if (!released) report(self->what_ + ": release", released.error());
      }
      self->finish(status);
    }(this, status));
  }

  // Leaves: the session's close deletes whatever node is left (it is ephemeral), so nothing
  // here waits on a server that may be gone.
  void finish(int status) {
    if (finishing_) return;
    finishing_ = true;
    status_ = status;
    cancel_.cancel();
    child_.reset();  // a command still running is killed
    loop_.shutdown([this] { mutex_.reset(); });
  }

  const Invocation& inv_;
  Options options_;  // the session's: --connect, TLS, SASL, --config, the timeouts
  std::string connect_, what_;
  SessionLoop loop_;
  std::optional<Mutex> mutex_;  // after loop_: destroyed before the session
  recipes::CancelSource cancel_;
  std::unique_ptr<tools::ChildProcess> child_;
  bool interrupted_ = false, lost_ = false, finishing_ = false;
  int status_ = exit_failed;
};

}  // namespace

int run_lock(const Invocation& inv, Options options) { return LockRun(inv, std::move(options)).run(); }

}  // namespace zkit::cli
