#include "zkit/recipes/election/participants.hpp"

#include "detail/engine.hpp"

namespace zkit::recipes {

Task<Result<std::vector<Participant>>> participants(Session& s, std::string path, std::string marker) {
  auto kids = co_await s.get_children(path);
  if (!kids) {
    if (kids.code() == Errc::no_node) co_return std::vector<Participant>();
    co_return kids.error();
  }
  std::vector<std::string> names = std::move(kids->names);
  std::vector<std::string> markers{marker};
  sort_children(names, markers);
  if (names.empty()) co_return std::vector<Participant>();
  std::vector<TxnOp> reads;
  reads.reserve(names.size());
  for (const auto& n : names) reads.push_back(TxnOp::get(detail::child_path(path, n)));
  auto got = co_await s.multi(reads);
  if (!got) co_return got.error();
  std::vector<Participant> out;
  for (std::size_t i = 0; i < names.size() && i < got->results.size(); ++i) {
    const OpResult& r = got->results[i];
    if (r.error != Errc::ok) continue;  // gone since the listing
    Participant p;
    p.id = r.data;
    p.is_leader = out.empty();
    p.node = names[i];
    out.push_back(std::move(p));
  }
  co_return out;
}

Task<Result<std::optional<Participant>>> leader_of(Session& session, std::string path, std::string marker) {
  auto all = co_await participants(session, std::move(path), std::move(marker));
  if (!all) co_return all.error();
  if (all->empty()) co_return std::optional<Participant>();
  co_return std::optional<Participant>(std::move(all->front()));
}

}  // namespace zkit::recipes
