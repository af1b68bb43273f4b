// The modes of proof_worker: each loops over its recipe until asked to stop, recording what
// it held and when (records.hpp), and returns the process's exit code.
#pragma once

#include "worker_context.hpp"

namespace zkit::proof {

// Takes the Mutex at args.path again and again; while holding, writes to the fenced resource
// a few times (for a short, bounded time), checking is_held() before each write.
Task<int> run_mutex(WorkerContext& ctx);
// Joins the LeaderLatch at args.path; leads for a short time, then leaves and joins again.
Task<int> run_latch(WorkerContext& ctx);
// Goes through args.rounds rounds of a DoubleBarrier of args.members at args.path/round-<n>,
// then announces "done" and waits for the stop.
Task<int> run_double_barrier(WorkerContext& ctx);
// Is a member of the Partitioner at args.path, leaving and joining again every few seconds.
Task<int> run_partitioner(WorkerContext& ctx);

}  // namespace zkit::proof
