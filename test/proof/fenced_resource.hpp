// FencedResource: the storage a mutex holder writes to, shared by every worker process: a
// file holding the highest fencing token admitted so far. A write is admitted only with a
// token at least that high (zkit::recipes::FenceGuard decides), so a holder whose lock passed
// to someone else (it was paused past its session's expiry) is refused once the new holder
// has written.
#pragma once

#include <cstdint>
#include <string>

namespace zkit::proof {

class FencedResource {
 public:
  explicit FencedResource(std::string path) : path_(std::move(path)) {}

  // One write with `token`, under an exclusive lock of the file (flock), so writes of all
  // processes are serialised. `*t` gets the time, taken inside that lock: the resource's own
  // order of writes. Returns whether the fence admitted it.
  bool write(std::int64_t token, std::int64_t* t) const;

 private:
  std::string path_;
};

}  // namespace zkit::proof
