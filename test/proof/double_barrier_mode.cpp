#include "modes.hpp"
#include "records.hpp"
#include "zkit/recipes/barriers/double_barrier.hpp"

namespace zkit::proof {

using namespace std::chrono_literals;

namespace {
constexpr auto kWorkFor = 100ms;  // rounds last long enough for the faults to hit some
constexpr auto kStepTimeout = 30s;
}  // namespace

Task<int> run_double_barrier(WorkerContext& ctx) {
  auto session = co_await ctx.new_session();
  int failures = 0;
  for (int n = 0; n < ctx.args().rounds && session && !ctx.stopping(); ++n) {
    recipes::DoubleBarrier barrier(*session, ctx.args().path + "/round-" + std::to_string(n),
                                   ctx.args().members);
    Round r{ctx.worker(), n};
    r.enter_begin = now_ns();
    auto in = co_await barrier.enter(kStepTimeout, ctx.stop_token());
    r.enter_end = now_ns();
    if (in) {
      co_await sleep_for(ctx.loop(), kWorkFor);
      r.leave_begin = now_ns();
      auto out = co_await barrier.leave(kStepTimeout, ctx.stop_token());
      r.leave_end = now_ns();
      r.ok = out.ok();
      if (!out) r.error = out.error().message();
    } else {
      r.error = in.error().message();
    }
    if (!r.ok) ++failures;
    ctx.record(to_line(r));
    ctx.announce("round " + std::to_string(n));
  }
  ctx.announce("done");
  // Stay until told to stop, so that no member's session ends while others are still in a round.
  if (session) {
    co_await ctx.until_ended(*session, ctx.args().max_run);
    co_await ctx.close_session(*session);
  }
  co_return failures == 0 ? 0 : 1;
}

}  // namespace zkit::proof
