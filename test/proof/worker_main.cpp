// proof_worker: one participant of a proof scenario, in its own process (see docs/proofs.md).
//
//   proof_worker --mode=mutex --worker=2 --connect=127.0.0.1:4001,127.0.0.1:4002
//                --log=/tmp/w2.jsonl --path=/proof/mutex --fence=/tmp/fence [--parent=<pid>]
//
// It runs until SIGTERM (or --max-run-s), then closes its recipes and session and exits 0.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>

#include "modes.hpp"
#include "zkit/uv/handle.hpp"

using namespace zkit::proof;

namespace {

zkit::Task<int> run(WorkerContext& ctx) {
  const std::string& mode = ctx.args().mode;
  if (mode == "mutex") co_return co_await run_mutex(ctx);
  if (mode == "latch") co_return co_await run_latch(ctx);
  if (mode == "double-barrier") co_return co_await run_double_barrier(ctx);
  if (mode == "partitioner") co_return co_await run_partitioner(ctx);
  std::fprintf(stderr, "proof_worker: unknown mode %s\n", mode.c_str());
  co_return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Die with the test, even when it crashes.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  auto args = parse_args(argc, argv);
  if (!args) {
    std::fprintf(stderr, "proof_worker: %s\n", args.error().message().c_str());
    return 2;
  }
  if (args->parent != 0 && ::getppid() != args->parent) return 3;  // the test is gone already
  ::signal(SIGPIPE, SIG_IGN);

  uv_loop_t loop;
  uv_loop_init(&loop);
  int code = 1;
  {
    WorkerContext ctx(&loop, std::move(args).value());
    // They keep the loop running until the coroutine below closes them (each is freed in its
    // close callback).
    zkit::uv::Handle<uv_signal_t> term(&loop, uv_signal_init);
    term->data = &ctx;
    uv_signal_start(term.get(), [](uv_signal_t* s, int) { static_cast<WorkerContext*>(s->data)->request_stop(); }, SIGTERM);
    zkit::uv::Handle<uv_timer_t> limit(&loop, uv_timer_init);
    limit->data = &ctx;
    uv_timer_start(limit.get(), [](uv_timer_t* t) { static_cast<WorkerContext*>(t->data)->request_stop(); },
                   static_cast<std::uint64_t>(ctx.args().max_run.count()) * 1000, 0);
    bool done = false;
    zkit::spawn([](WorkerContext& ctx, int& code, bool& done, zkit::uv::Handle<uv_signal_t>& term,
                   zkit::uv::Handle<uv_timer_t>& limit) -> zkit::Task<void> {
      code = co_await run(ctx);
      done = true;
      term.close();
      limit.close();
    }(ctx, code, done, term, limit));
    uv_run(&loop, UV_RUN_DEFAULT);
    if (!done) code = 1;
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // the handles the context's last signals close
  uv_loop_close(&loop);
  return code;
}
