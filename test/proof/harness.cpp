#include "harness.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "zkit/testing/session_killer.hpp"

namespace zkit::proof {

using zkit::testing::Cluster;
using zkit::testing::FaultProxy;

// --- ProofEnsemble -------------------------------------------------------------------------

ProofEnsemble& ProofEnsemble::get() {
  static std::unique_ptr<ProofEnsemble> ensemble(new ProofEnsemble());
  return *ensemble;
}

ProofEnsemble::ProofEnsemble() {
  for (int i = 0; i < 3; ++i) threads_.push_back(std::make_unique<zkit::test_support::Worker>());
  auto c = Cluster::start({.size = 3, .tick_ms = 500});
  if (!c) FAIL("cannot start a 3-member ZooKeeper ensemble: " << c.error().message());
  cluster_ = std::move(c).value();
}

void ProofEnsemble::heal(Loop& loop) {
  std::vector<int> down;
  for (int m = 1; m <= cluster_->size(); ++m)
    if (!cluster_->running(m)) down.push_back(m);
  std::vector<zkit::test_support::Worker*> on;
  std::vector<std::function<Result<void>()>> jobs;
  for (std::size_t i = 0; i < down.size(); ++i) {
    on.push_back(threads_.at(i).get());
    jobs.push_back([this, m = down[i]] { return cluster_->restart(m); });
  }
  if (!jobs.empty())
    for (auto& r : loop.offload<Result<void>>(on, std::move(jobs)))
      REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  auto serving = loop.offload<Result<void>>(*threads_[0], [this] { return cluster_->wait_serving(scaled(60s)); });
  REQUIRE_MESSAGE(serving.ok(), (serving.ok() ? "" : serving.error().message()));
}

int ProofEnsemble::kill_and_restart_leader(Loop& loop, std::chrono::milliseconds down) {
  auto leader = loop.offload<Result<int>>(*threads_[0], [this] { return cluster_->leader(); });
  REQUIRE_MESSAGE(leader.ok(), (leader.ok() ? "" : leader.error().message()));
  int m = *leader;
  auto killed = loop.offload<Result<void>>(*threads_[0], [this, m] { return cluster_->kill(m); });
  REQUIRE(killed.ok());
  loop.run_for(down);  // the length of the fault
  // Restarted on a thread that lives as long as the ensemble (the server dies with it).
  auto back = loop.offload<Result<void>>(*threads_[0], [this, m] { return cluster_->restart(m); });
  REQUIRE_MESSAGE(back.ok(), (back.ok() ? "" : back.error().message()));
  auto serving = loop.offload<Result<void>>(*threads_[0], [this] { return cluster_->wait_serving(scaled(60s)); });
  REQUIRE_MESSAGE(serving.ok(), (serving.ok() ? "" : serving.error().message()));
  return m;
}

// --- WorkerProcess -------------------------------------------------------------------------

namespace {

std::string worker_binary() {
  const char* p = std::getenv("ZKIT_PROOF_WORKER");
  if (p == nullptr || *p == '\0') FAIL("ZKIT_PROOF_WORKER is not set: run the suite with meson test");
  return p;
}

// A proxy writing to a peer that has gone may raise SIGPIPE; the kit does not guard against
// it. Its thread inherits the mask in force when it starts: block SIGPIPE there only.
std::unique_ptr<FaultProxy> start_proxy(const std::string& upstream) {
  sigset_t pipe_only, old;
  ::sigemptyset(&pipe_only);
  ::sigaddset(&pipe_only, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  auto p = FaultProxy::start(upstream);
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message()));
  return std::move(p).value();
}

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

}  // namespace

WorkerProcess::WorkerProcess(Loop& loop, int number, const std::string& dir, std::vector<std::string> args)
    : loop_(loop), number_(number), log_path_(dir + "/worker-" + std::to_string(number) + ".jsonl") {
  auto& cluster = ProofEnsemble::get().cluster();
  std::string connect;
  for (int m = 1; m <= cluster.size(); ++m) {
    proxies_.push_back(start_proxy(cluster.address(m)));
    connect += (connect.empty() ? "" : ",") + proxies_.back()->address();
  }
  args.insert(args.begin(), worker_binary());
  args.push_back("--worker=" + std::to_string(number));
  args.push_back("--connect=" + connect);
  args.push_back("--log=" + log_path_);
  args.push_back("--parent=" + std::to_string(::getpid()));
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  out_ = zkit::uv::Handle<uv_pipe_t>(loop_.get(), uv_pipe_init, 0);
  out_->data = this;
  std::string err_path = dir + "/worker-" + std::to_string(number) + ".stderr";
  FILE* err = std::fopen(err_path.c_str(), "w");
  REQUIRE(err != nullptr);
  uv_stdio_container_t stdio[3];
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[1].data.stream = reinterpret_cast<uv_stream_t*>(out_.get());
  stdio[2].flags = UV_INHERIT_FD;
  stdio[2].data.fd = ::fileno(err);
  uv_process_options_t options{};
  options.file = argv[0];
  options.args = argv.data();
  options.exit_cb = &WorkerProcess::on_exit;
  options.stdio_count = 3;
  options.stdio = stdio;
  // uv_spawn registers the handle with the loop even when it fails, so the Handle keeps it
  // (to be closed) either way and the spawn's own result is checked here.
  int rc = 0;
  process_ = zkit::uv::Handle<uv_process_t>(
      loop_.get(),
      [&rc](uv_loop_t* l, uv_process_t* p, const uv_process_options_t* o) {
        rc = uv_spawn(l, p, o);
        return 0;
      },
      &options);
  process_->data = this;
  std::fclose(err);
  REQUIRE_MESSAGE(rc == 0, "cannot start " << argv[0] << ": " << uv_strerror(rc));
  pid_ = process_->pid;
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(out_.get()),
      [](uv_handle_t*, size_t suggested, uv_buf_t* buf) {
        buf->base = new char[suggested];
        buf->len = suggested;
      },
      &WorkerProcess::on_read);
}

WorkerProcess::~WorkerProcess() {
  if (!exited_) {
    ::kill(pid_, SIGKILL);  // our own child, by its pid
    loop_.run_until([this] { return exited_; }, scaled(10s));
  }
  loop_.run_until([this] { return out_closed_; }, scaled(5s));
  process_.close();
  out_.close();
  uv_run(loop_.get(), UV_RUN_NOWAIT);  // the close callbacks, which free the handles
}

void WorkerProcess::on_exit(uv_process_t* p, std::int64_t status, int signal) {
  auto* self = static_cast<WorkerProcess*>(p->data);
  self->exited_ = true;
  self->exit_status_ = status;
  self->term_signal_ = signal;
}

void WorkerProcess::on_read(uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
  auto* self = static_cast<WorkerProcess*>(s->data);
  if (n > 0) self->take(std::string_view(buf->base, static_cast<std::size_t>(n)));
  delete[] buf->base;
  if (n < 0) {
    uv_read_stop(s);
    self->out_closed_ = true;
  }
}

void WorkerProcess::take(std::string_view bytes) {
  partial_.append(bytes);
  for (auto end = partial_.find('\n'); end != std::string::npos; end = partial_.find('\n')) {
    lines_.push_back({partial_.substr(0, end), now_ns()});
    partial_.erase(0, end + 1);
  }
}

int WorkerProcess::count(const std::string& prefix) const {
  int n = 0;
  for (const auto& l : lines_) n += l.text.starts_with(prefix) ? 1 : 0;
  return n;
}

std::optional<std::pair<std::int64_t, std::string>> WorkerProcess::session() const {
  for (auto it = lines_.rbegin(); it != lines_.rend(); ++it) {
    if (!it->text.starts_with("session ")) continue;
    std::istringstream in(it->text.substr(8));
    std::int64_t id = 0;
    std::string hex;
    in >> id >> hex;
    return std::make_pair(id, unhex(hex));
  }
  return std::nullopt;
}

void WorkerProcess::stall(bool on) {
  for (auto& p : proxies_) p->stall(on);
}

void WorkerProcess::terminate() {
  if (!exited_) ::kill(pid_, SIGTERM);
}
void WorkerProcess::pause() {
  if (!exited_) ::kill(pid_, SIGSTOP);
}
void WorkerProcess::resume() {
  if (!exited_) ::kill(pid_, SIGCONT);
}

// --- Scenario ------------------------------------------------------------------------------

Scenario::Scenario(std::string name) {
  std::string tmpl = (std::filesystem::temp_directory_path() / ("zkit-proof-" + name + "-XXXXXX")).string();
  REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  dir_ = tmpl;
  ProofEnsemble::get().heal(loop_);
}

Scenario::~Scenario() {
  workers_.clear();  // kills what still runs
  const char* keep = std::getenv("ZKIT_KEEP_TEST_DIRS");
  if (keep != nullptr && *keep != '\0') {
    std::fprintf(stderr, "proof logs kept in %s\n", dir_.c_str());
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void Scenario::start_workers(int count, const std::vector<std::string>& args) {
  for (int i = 0; i < count; ++i) workers_.push_back(std::make_unique<WorkerProcess>(loop_, i, dir_, args));
}

bool Scenario::wait(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  return loop_.run_until(done, timeout);
}

void Scenario::stop_workers() {
  for (auto& w : workers_) {
    w->resume();  // a worker left stopped would never see the SIGTERM
    w->terminate();
  }
  bool all = wait(
      [&] {
        for (auto& w : workers_)
          if (!w->exited()) return false;
        return true;
      },
      scaled(60s));
  REQUIRE_MESSAGE(all, "a worker did not exit after SIGTERM");
  for (auto& w : workers_)
    CHECK_MESSAGE((w->exit_status() == 0 && w->term_signal() == 0),
                  "worker " << w->number() << " exited with " << w->exit_status() << ", signal " << w->term_signal()
                            << " (see " << dir_ << ")");
}

void Scenario::kill_leader() {
  int m = ProofEnsemble::get().kill_and_restart_leader(loop_, 1500ms);
  faults_.push_back("killed and restarted leader member " + std::to_string(m));
}

void Scenario::stall(int i, std::chrono::milliseconds d) {
  worker(i).stall(true);
  loop_.run_for(d);  // the length of the fault
  worker(i).stall(false);
  faults_.push_back("stalled worker " + std::to_string(i) + "'s network for " + std::to_string(d.count()) + " ms");
}

void Scenario::expire(int i) {
  auto s = worker(i).session();
  REQUIRE_MESSAGE(s.has_value(), "worker " << i << " announced no session");
  auto r = zkit::testing::expire_session(ProofEnsemble::get().cluster().connect_string(), s->first, s->second);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message()));
  faults_.push_back("expired worker " + std::to_string(i) + "'s session");
}

void Scenario::note_pause(int i, std::int64_t t_stop, std::int64_t t_cont) {
  pauses_.push_back({i, t_stop, t_cont});
  faults_.push_back("paused worker " + std::to_string(i) + " for " + std::to_string((t_cont - t_stop) / 1000000) +
                    " ms");
}

Records Scenario::records() {
  Records r;
  for (auto& w : workers_) {
    std::ifstream in(w->log_path());
    std::stringstream text;
    text << in.rdbuf();
    std::vector<std::string> errors;
    parse_into(text.str(), r, errors);
    for (const auto& e : errors) FAIL_CHECK(w->log_path() << ": " << e);
  }
  r.pauses = pauses_;
  return r;
}

}  // namespace zkit::proof
