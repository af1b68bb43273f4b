#include "fenced_resource.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <charconv>
#include <string>

#include "records.hpp"
#include "zkit/recipes/fencing.hpp"

namespace zkit::proof {

bool FencedResource::write(std::int64_t token, std::int64_t* t) const {
  int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    *t = now_ns();
    return false;
  }
  ::flock(fd, LOCK_EX);
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::int64_t highest = 0;
  if (n > 0) std::from_chars(buf, buf + n, highest);
  zkit::recipes::FenceGuard guard{zkit::recipes::FencingToken{highest}};
  bool admitted = guard.admit(zkit::recipes::FencingToken{token});
  if (admitted && token > highest) {
    std::string text = std::to_string(token);
    if (::ftruncate(fd, 0) == 0 && ::pwrite(fd, text.data(), text.size(), 0) < 0) admitted = false;
  }
  *t = now_ns();
  ::close(fd);  // drops the flock
  return admitted;
}

}  // namespace zkit::proof
