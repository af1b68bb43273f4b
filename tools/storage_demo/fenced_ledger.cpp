#include "fenced_ledger.hpp"

namespace zkit::demo {

bool FencedLedger::write(double t, std::string node, std::int64_t token, std::string record) {
  bool ok = guard_.admit(recipes::FencingToken{token});
  entries_.push_back({t, std::move(node), token, std::move(record), ok});
  (ok ? accepted_ : refused_)++;
  return ok;
}

std::vector<std::string> FencedLedger::violations() const {
  std::vector<std::string> out;
  std::int64_t highest = 0;
  for (const auto& e : entries_) {
    if (!e.accepted) continue;
    if (e.token < highest)
      out.push_back("the ledger accepted token " + recipes::to_string({e.token}) + " from " + e.node +
                    " after token " + recipes::to_string({highest}));
    if (e.token > highest) highest = e.token;
  }
  return out;
}

}  // namespace zkit::demo
