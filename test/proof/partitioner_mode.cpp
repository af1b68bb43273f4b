#include <map>

#include "modes.hpp"
#include "records.hpp"
#include "zkit/recipes/sharding/partitioner.hpp"

namespace zkit::proof {

using namespace std::chrono_literals;

namespace {
constexpr int kMaxPartitionerJoins = 10000;
}  // namespace

Task<int> run_partitioner(WorkerContext& ctx) {
  const std::string id = "w" + std::to_string(ctx.worker());
  // Members leave and join again at different paces, so shards keep moving between them.
  const auto stay = std::chrono::milliseconds(2500 + 700 * ctx.worker());
  for (int n = 0; n < kMaxSessions && !ctx.stopping(); ++n) {
    auto session = co_await ctx.new_session();
    if (!session) continue;
    for (int i = 0; i < kMaxPartitionerJoins && !ctx.stopping() && alive(*session); ++i) {
      recipes::Partitioner p(*session, ctx.args().path, id, ctx.args().shards);
      std::map<int, Ownership> open;
      p.on_acquired([&](int shard) {
        open[shard] = Ownership{ctx.worker(), shard, p.token(shard).zxid, now_ns(), 0};
        ctx.announce("own " + std::to_string(shard));
      });
      p.on_released([&](int shard) {
        auto it = open.find(shard);
        if (it == open.end()) return;
        it->second.t_end = now_ns();
        ctx.record(to_line(it->second));
        open.erase(it);
      });
      auto started = co_await p.start();
      if (started) co_await ctx.until_ended(*session, stay);
      co_await p.close();  // hands every shard over (on_released), then leaves
      if (!started && alive(*session)) co_await sleep_for(ctx.loop(), 200ms);  // node_exists: the old member node still goes
    }
    co_await ctx.close_session(*session);
  }
  co_return 0;
}

}  // namespace zkit::proof
