// Participants of an election: who contends under a leader path, and who leads.
//
//   auto who = co_await zkit::recipes::participants(session, "/election/indexer", "latch-");
//   for (auto& p : *who) std::printf("%s%s\n", p.id.c_str(), p.is_leader ? " (leader)" : "");
//
// Each contender's node stores its participant id as data (Curator's LeaderSelector and
// LeaderLatch do the same), so these lists match what Curator's getParticipants() reports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "zkit/result.hpp"
#include "zkit/session.hpp"
#include "zkit/task.hpp"

namespace zkit::recipes {

// Participant: one contender.
struct Participant {
  std::string id;          // the node's data
  bool is_leader = false;  // the first in sequence order
  std::string node;        // the contender's node name
  friend bool operator==(const Participant&, const Participant&) = default;
};

// The children of `path` sorted by the sequence after `marker` ("latch-" for LeaderLatch,
// "lock-" for LeaderSelector), each with its data, read in one multi-read. Nodes that vanish
// meanwhile are left out; the first one read is the leader. A missing `path` gives an empty
// list. Errors: those of get_children and multi.
Task<Result<std::vector<Participant>>> participants(Session& session, std::string path, std::string marker);

// The leader among those participants (the first one); empty when nobody contends.
Task<Result<std::optional<Participant>>> leader_of(Session& session, std::string path, std::string marker);

}  // namespace zkit::recipes
