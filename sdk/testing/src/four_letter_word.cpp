#include "zkit/testing/four_letter_word.hpp"

#include "socket.hpp"

namespace zkit::testing {

Result<std::string> four_letter_word(const std::string& host_port, std::string_view word,
                                     std::chrono::milliseconds timeout) {
  auto deadline = detail::deadline_after(timeout);
  auto conn = detail::Connection::open(host_port, deadline);
  if (!conn) return std::move(conn).error();
  if (auto r = conn->send(word, deadline); !r) return std::move(r).error();
  // The server answers and closes: the answer is everything up to the end of the stream.
  return conn->read_to_eof(deadline);
}

}  // namespace zkit::testing
