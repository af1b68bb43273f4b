#include <optional>

#include "modes.hpp"
#include "records.hpp"
#include "zkit/recipes/election/leader_latch.hpp"

namespace zkit::proof {

using namespace std::chrono_literals;

namespace {
constexpr auto kLeadFor = 150ms;
constexpr int kMaxLatchJoins = 100000;
}  // namespace

Task<int> run_latch(WorkerContext& ctx) {
  const std::string id = "w" + std::to_string(ctx.worker());
  for (int n = 0; n < kMaxSessions && !ctx.stopping(); ++n) {
    auto session = co_await ctx.new_session();
    if (!session) continue;
    for (int i = 0; i < kMaxLatchJoins && !ctx.stopping() && alive(*session); ++i) {
      recipes::LeaderLatch latch(*session, ctx.args().path, id);
      std::optional<Term> open;
      latch.add_listener([&](recipes::OwnershipEvent e) {
        if (e == recipes::OwnershipEvent::acquired && !open) {
          open = Term{ctx.worker(), latch.token().zxid, now_ns(), 0};
          ctx.announce("leader " + std::to_string(open->token));
        } else if (e == recipes::OwnershipEvent::lost && open) {
          open->t_end = now_ns();
          ctx.record(to_line(*open));
          open.reset();
        }
      });
      if (auto started = co_await latch.start(); !started) break;
      auto led = co_await latch.await_leadership(10s, ctx.stop_token());
      if (led) co_await sleep_for(ctx.loop(), kLeadFor);  // the work of a term, then step down
      // close() is no loss and tells nothing: the term ends here, before the node goes and
      // another worker may lead.
      if (open) {
        open->t_end = now_ns();
        ctx.record(to_line(*open));
        open.reset();
      }
      co_await latch.close();
    }
    co_await ctx.close_session(*session);
  }
  co_return 0;
}

}  // namespace zkit::proof
