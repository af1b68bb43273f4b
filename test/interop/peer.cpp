#include "peer.hpp"

#include <signal.h>

#include <algorithm>

#include "zkit/uv/handle.hpp"

namespace zkit::interop {

namespace {

bool starts_with_word(std::string_view line, std::string_view prefix) {
  return line.substr(0, prefix.size()) == prefix;
}

}  // namespace

// What the handles' callbacks reach through their `data`. None of them runs once its handle is
// closed, and a write on `in` touches only its own request, so the Impl may go right after the
// handles' close() (each handle is freed in its own close callback).
struct Peer::Impl {
  std::string name;
  uv::Handle<uv_process_t> process;
  uv::Handle<uv_pipe_t> in;   // the peer's stdin (we write)
  uv::Handle<uv_pipe_t> out;  // the peer's stdout (we read)
  bool ready = false;
  bool exited = false;
  std::int64_t exit_status = 0;
  int pid = 0;
  std::string partial;                // stdout bytes after the last newline
  std::deque<std::string> replies;    // "ok ..." / "err ..."
  std::deque<std::string> events;     // text after "event "

  void on_line(std::string line) {
    if (line == "ready") {
      ready = true;
    } else if (line == "ok" || starts_with_word(line, "ok ") || starts_with_word(line, "err ")) {
      replies.push_back(std::move(line));
    } else if (starts_with_word(line, "event ")) {
      events.push_back(line.substr(6));
    } else {
      MESSAGE(name << " said: " << line);  // not protocol: a stray print, shown for diagnosis
    }
  }
};

Peer::Peer(Loop& loop, std::string name, std::vector<std::string> argv, std::chrono::milliseconds ready_timeout)
    : loop_(loop), impl_(std::make_unique<Impl>()) {
  Impl& p = *impl_;
  p.name = std::move(name);
  p.in = uv::Handle<uv_pipe_t>(loop_.get(), uv_pipe_init, 0);
  p.out = uv::Handle<uv_pipe_t>(loop_.get(), uv_pipe_init, 0);
  p.in->data = p.out->data = &p;

  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  uv_stdio_container_t stdio[3];
  stdio[0].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_READABLE_PIPE);
  stdio[0].data.stream = reinterpret_cast<uv_stream_t*>(p.in.get());
  stdio[1].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[1].data.stream = reinterpret_cast<uv_stream_t*>(p.out.get());
  stdio[2].flags = UV_INHERIT_FD;  // the peer's complaints land in the test log
  stdio[2].data.fd = 2;
  uv_process_options_t o{};
  o.file = args[0];
  o.args = args.data();
  o.stdio = stdio;
  o.stdio_count = 3;
  o.exit_cb = [](uv_process_t* proc, std::int64_t status, int) {
    auto* self = static_cast<Impl*>(proc->data);
    self->exited = true;
    self->exit_status = status;
  };
  // uv_spawn registers the handle with the loop even when it fails: the Handle keeps it (to be
  // closed) either way, and the spawn's own result is checked here.
  int rc = 0;
  p.process = uv::Handle<uv_process_t>(
      loop_.get(),
      [&rc](uv_loop_t* l, uv_process_t* h, const uv_process_options_t* opts) {
        rc = uv_spawn(l, h, opts);
        return 0;
      },
      &o);
  p.process->data = &p;
  if (rc != 0) {
    shutdown();
    FAIL("cannot start " << p.name << " (" << argv[0] << "): " << uv_strerror(rc));
  }
  p.pid = p.process->pid;

  uv_read_start(
      reinterpret_cast<uv_stream_t*>(p.out.get()),
      [](uv_handle_t*, std::size_t suggested, uv_buf_t* buf) {
        buf->base = new char[suggested];
        buf->len = suggested;
      },
      [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
        auto* self = static_cast<Impl*>(s->data);
        if (n > 0) {
          self->partial.append(buf->base, static_cast<std::size_t>(n));
          for (std::size_t nl; (nl = self->partial.find('\n')) != std::string::npos;) {
            std::string line = self->partial.substr(0, nl);
            self->partial.erase(0, nl + 1);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            self->on_line(std::move(line));
          }
        } else if (n < 0) {
          uv_read_stop(s);  // EOF: the peer is gone (its exit callback says how)
        }
        delete[] buf->base;
      });
  loop_.run_until([&] { return p.ready || p.exited; }, ready_timeout);
  if (!p.ready) {
    bool exited = p.exited;
    shutdown();
    FAIL(p.name << " did not say ready within " << ready_timeout.count() << " ms" << (exited ? " (it exited)" : ""));
  }
}

Peer::~Peer() { shutdown(); }

void Peer::shutdown() {
  if (!impl_) return;
  Impl& p = *impl_;
  // EOF on stdin asks the peer to exit; it gets a few seconds before it is killed.
  p.in.close();
  if (p.pid > 0) {
    loop_.run_until([&] { return p.exited; }, zkit::testing::scaled(std::chrono::seconds(5)));
    if (!p.exited) {
      uv_process_kill(p.process.get(), SIGKILL);
      loop_.run_until([&] { return p.exited; }, zkit::testing::scaled(std::chrono::seconds(5)));
    }
  }
  p.process.close();
  p.out.close();
  impl_.reset();
}

std::optional<std::string> Peer::try_call(const std::string& command, std::chrono::milliseconds timeout,
                                          std::string* error) {
  Impl& p = *impl_;
  REQUIRE_MESSAGE(!p.exited, p.name << " exited before: " << command);
  REQUIRE_MESSAGE(p.replies.empty(), p.name << " has an unclaimed reply: " << p.replies.front());
  // The write request and its bytes stay alive until libuv is done with them.
  struct Write {
    uv_write_t req;
    std::string bytes;
  };
  auto* w = new Write{{}, command + "\n"};
  uv_buf_t buf = uv_buf_init(w->bytes.data(), static_cast<unsigned>(w->bytes.size()));
  int rc = uv_write(&w->req, reinterpret_cast<uv_stream_t*>(p.in.get()), &buf, 1,
                    [](uv_write_t* req, int) { delete reinterpret_cast<Write*>(req); });
  if (rc != 0) delete w;
  REQUIRE_MESSAGE(rc == 0, "cannot write to " << p.name << ": " << uv_strerror(rc));
  bool answered = loop_.run_until([&] { return !p.replies.empty() || p.exited; }, timeout);
  REQUIRE_MESSAGE(answered, p.name << " did not answer \"" << command << "\" within " << timeout.count() << " ms");
  REQUIRE_MESSAGE(!p.replies.empty(), p.name << " exited (status " << p.exit_status << ") on \"" << command << "\"");
  std::string reply = std::move(p.replies.front());
  p.replies.pop_front();
  if (starts_with_word(reply, "err ")) {
    if (error) *error = reply.substr(4);
    return std::nullopt;
  }
  return reply.size() > 3 ? reply.substr(3) : std::string();
}

std::string Peer::call(const std::string& command, std::chrono::milliseconds timeout) {
  std::string error;
  auto r = try_call(command, timeout, &error);
  REQUIRE_MESSAGE(r.has_value(), impl_->name << " refused \"" << command << "\": " << error);
  return *r;
}

std::optional<std::string> Peer::take_event(std::string_view prefix) {
  auto& q = impl_->events;
  auto it = std::find_if(q.begin(), q.end(), [&](const std::string& e) { return starts_with_word(e, prefix); });
  if (it == q.end()) return std::nullopt;
  std::string e = std::move(*it);
  q.erase(it);
  return e;
}

bool Peer::has_event(std::string_view prefix) const {
  const auto& q = impl_->events;
  return std::any_of(q.begin(), q.end(), [&](const std::string& e) { return starts_with_word(e, prefix); });
}

std::string Peer::wait_event(std::string_view prefix, std::chrono::milliseconds timeout) {
  Impl& p = *impl_;
  bool seen = loop_.run_until([&] { return has_event(prefix) || p.exited; }, timeout);
  if (!has_event(prefix)) {
    std::string queued;
    for (const auto& e : p.events) queued += "\n  " + e;
    FAIL(p.name << (seen ? " exited" : " sent no") << " event \"" << prefix << "\" within " << timeout.count()
                << " ms; queued:" << queued);
  }
  return *take_event(prefix);
}

int Peer::pid() const noexcept { return impl_->pid; }
bool Peer::exited() const noexcept { return impl_->exited; }

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  for (std::size_t start = 0;;) {
    std::size_t at = text.find(sep, start);
    out.emplace_back(text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

}  // namespace zkit::interop
