// The checker: pure functions over the merged records of a proof run. Each returns the
// violations it found, one readable line each; an empty list is the proof.
//
// What it relies on: every time is one host's CLOCK_MONOTONIC, read by the process that saw
// the event, after the event for a begin (a hold is recorded once acquire() returned) and
// before it for an end (t_out is taken before release() is called). So a recorded interval
// lies inside the real one on the server's side, and two recorded intervals that overlap
// did overlap in real time. docs/proofs.md says what this cannot prove.
#pragma once

#include <string>
#include <vector>

#include "records.hpp"

namespace zkit::proof {

// Mutex:
//  - ordered by t_in, the holds' tokens strictly increase;
//  - no two holds overlap, unless the earlier holder was paused (a Pause of its worker that
//    began during its hold and before the later hold began) or lost its session (its worker
//    started another one later) while the later holder's token is higher, and in either case
//    every write it made with that token from the later hold's start on was refused;
//  - the fenced resource, in its own order, admitted tokens that never decrease.
std::vector<std::string> check_mutex(const Records& r);

// Where the earlier of two overlapping leaders or shard owners lost its session and the later
// one's token is higher, the overlap is allowed: ZooKeeper can expire a session before the
// client's own timer lets it notice, and the token is then what protects storage.
//
// LeaderLatch: no two workers lead at once; ordered by start, a term of another worker has a
// higher token; one token is never led by two workers (a leader that resumed after a
// connection loss leads again with its own token).
std::vector<std::string> check_latch(const Records& r);

// DoubleBarrier: every round 0..rounds-1 has a successful record of each of `members`
// workers; nobody's enter() returned before every member had begun to enter, and nobody's
// leave() returned before every member had begun to leave.
std::vector<std::string> check_barrier(const Records& r, int members, int rounds);

// Partitioner: no shard is owned by two workers at once; ordered by start, a shard's owners
// from different workers have strictly increasing tokens.
std::vector<std::string> check_partitioner(const Records& r);

}  // namespace zkit::proof
