#include "zkit/recipes/participants.hpp"

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
  for (const auto& n : names) reads.push_back(TxnOp::get(detail::join(path, n)));
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

}  // namespace zkit::recipes
