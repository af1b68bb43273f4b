#include "fenced_resource.hpp"
#include "modes.hpp"
#include "records.hpp"
#include "zkit/recipes/locks/mutex.hpp"

namespace zkit::proof {

using namespace std::chrono_literals;

namespace {
constexpr int kWritesPerHold = 3;
constexpr auto kBetweenWrites = 25ms;
constexpr int kMaxAcquires = 100000;

void write_once(WorkerContext& ctx, const FencedResource& fence, recipes::FencingToken token) {
  Write w{ctx.worker(), token.zxid, 0, false};
  w.accepted = fence.write(token.zxid, &w.t);
  ctx.record(to_line(w));
}
}  // namespace

Task<int> run_mutex(WorkerContext& ctx) {
  FencedResource fence(ctx.args().fence_path);
  for (int n = 0; n < kMaxSessions && !ctx.stopping(); ++n) {
    auto session = co_await ctx.new_session();
    if (!session) continue;
    {
      recipes::Mutex lock(*session, ctx.args().path);
      std::int64_t lost_at = 0;  // when the current hold was told `lost`
      lock.add_listener([&lost_at](recipes::OwnershipEvent e) {
        if (e == recipes::OwnershipEvent::lost && lost_at == 0) lost_at = now_ns();
      });
      for (int i = 0; i < kMaxAcquires && !ctx.stopping() && alive(*session); ++i) {
        auto token = co_await lock.acquire(5s, ctx.stop_token());
        if (!token) continue;  // timed out, stopped, or the session ended: the loop decides
        lost_at = 0;
        Hold h{ctx.worker(), token->zxid, now_ns(), 0};
        write_once(ctx, fence, *token);
        // After the first write, so a test that sees this line knows the resource has seen
        // this token.
        ctx.announce("acquired " + std::to_string(token->zxid));
        for (int k = 1; k < kWritesPerHold; ++k) {
          if (!lock.is_held()) break;  // the check a careful holder makes...
          // ...then it prepares the write. A pause here (GC, SIGSTOP) makes the check stale:
          // the write goes out after the lock may have passed on, and the fence refuses it.
          co_await sleep_for(ctx.loop(), kBetweenWrites);
          write_once(ctx, fence, *token);
        }
        // The hold ends when the worker stops believing it holds: told `lost`, or now.
        h.t_out = lost_at != 0 ? lost_at : now_ns();
        ctx.record(to_line(h));
        auto released = co_await lock.release();
        (void)released;  // a lost hold's release does nothing; an expired session ends the loop
      }
      co_await lock.close();
    }
    co_await ctx.close_session(*session);
  }
  co_return 0;
}

}  // namespace zkit::proof
