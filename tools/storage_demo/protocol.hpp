// What a storage node and the orchestrator say to each other: JSON lines over pipes.
//
// node -> orchestrator (the node's stdout), every line {"kind":K,"node":ID,"t":MS,...} where
// MS is CLOCK_MONOTONIC in milliseconds (one clock for every process of the machine, so the
// orchestrator can order what different nodes saw):
//   started         {"pid"}
//   session         {"state": "connected"|"suspended"|"reconnected"|"expired"|..., "session": hex id}
//   registered      {"port","capacity_gb"}            its ServiceRegistry entry is in place
//   peers           {"ids":[...]}                     what its ServiceCache sees, after each change
//   leader          {"token"}                         it leads the fleet (LeaderLatch term)
//   leader_lost     {"reason"}
//   shard_acquired  {"shard","token"}                 Partitioner: the shard is now its own
//   shard_released  {"shard"}                         ... and no longer (sent before the handover)
//   lock_acquired   {"token"}                         the ledger Mutex
//   lock_released   {}                                sent before the lock node is deleted
//   lock_lost       {"reason"}
//   ledger_write    {"seq","token","record"}          a write request to the fenced ledger
//   stopped         {}                                every recipe closed, about to exit
// orchestrator -> node (the node's stdin):
//   ledger_reply    {"seq","accepted"}
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>

namespace zkit::demo {

inline constexpr const char* kServiceName = "storage-node";
inline constexpr const char* kServicesPath = "/storage/services";
inline constexpr const char* kCoordinatorPath = "/storage/coordinator";
inline constexpr const char* kShardsPath = "/storage/shards";
inline constexpr const char* kLedgerLockPath = "/storage/ledger-lock";
inline constexpr int kShards = 12;

// CLOCK_MONOTONIC in milliseconds: comparable across the processes of one machine.
inline double monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace zkit::demo
