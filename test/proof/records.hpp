// The records of a proof run: what each worker process appends to its JSON-lines log (one
// object per line, flushed per line), and what the test adds about the faults it injected.
// Times are steady_clock nanoseconds (CLOCK_MONOTONIC): one clock for every process of the
// host, so intervals from different workers compare.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zkit::proof {

// Mutex: one hold, from the return of acquire() to the end of the work (before release).
struct Hold {
  int worker = 0;
  std::int64_t token = 0;
  std::int64_t t_in = 0, t_out = 0;
};

// Mutex: one write to the fenced resource, and whether the fence admitted it.
struct Write {
  int worker = 0;
  std::int64_t token = 0;
  std::int64_t t = 0;  // taken while the resource was locked: the resource's own order
  bool accepted = false;
};

// The test stopped a worker (SIGSTOP) and let it go on (SIGCONT).
struct Pause {
  int worker = 0;
  std::int64_t t_stop = 0, t_cont = 0;
};

// LeaderLatch: one leadership term, from `acquired` to `lost`.
struct Term {
  int worker = 0;
  std::int64_t token = 0;
  std::int64_t t_start = 0, t_end = 0;
};

// DoubleBarrier: one member's round. A failed enter or leave leaves its times at 0.
struct Round {
  int worker = 0;
  int round = 0;
  std::int64_t enter_begin = 0, enter_end = 0, leave_begin = 0, leave_end = 0;
  bool ok = false;
  std::string error{};
};

// Partitioner: one ownership of one shard, from on_acquired to on_released.
struct Ownership {
  int worker = 0;
  int shard = 0;
  std::int64_t token = 0;
  std::int64_t t_start = 0, t_end = 0;
};

// A worker started a session (its first, or a new one after the previous one was lost).
struct SessionStart {
  int worker = 0;
  std::int64_t t = 0;
};

// Everything the logs of one scenario hold, merged.
struct Records {
  std::vector<Hold> holds;
  std::vector<Write> writes;
  std::vector<Pause> pauses;
  std::vector<Term> terms;
  std::vector<Round> rounds;
  std::vector<Ownership> ownerships;
  int sessions = 0;  // sessions the workers started (a new one after each expiry)
  std::vector<SessionStart> session_starts;
};

// One record as one JSON line (with its trailing newline).
std::string to_line(const Hold& r);
std::string to_line(const Write& r);
std::string to_line(const Pause& r);
std::string to_line(const Term& r);
std::string to_line(const Round& r);
std::string to_line(const Ownership& r);
// A worker's "started a session" record.
std::string session_line(int worker, std::int64_t session_id, std::int64_t t);

// Adds the records of one log's text to `out`. Lines that are not records are reported in
// `errors` (with their number), and skipped.
void parse_into(std::string_view text, Records& out, std::vector<std::string>& errors);

// steady_clock::now() in nanoseconds.
std::int64_t now_ns();

}  // namespace zkit::proof
