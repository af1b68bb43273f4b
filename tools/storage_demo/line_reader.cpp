#include "line_reader.hpp"

#include <memory>

namespace zkit::demo {

bool LineReader::open(uv_loop_t* loop, int fd, LineHandler on_line, EndHandler on_end) {
  on_line_ = std::move(on_line);
  on_end_ = std::move(on_end);
  pipe_ = uv::Handle<uv_pipe_t>(loop, uv_pipe_init, 0);
  if (!pipe_ || uv_pipe_open(pipe_.get(), fd) != 0) return false;
  pipe_->data = this;
  int rc = uv_read_start(
      reinterpret_cast<uv_stream_t*>(pipe_.get()),
      [](uv_handle_t*, std::size_t suggested, uv_buf_t* buf) {
        buf->base = new char[suggested];
        buf->len = suggested;
      },
      [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
        std::unique_ptr<char[]> owned(buf->base);
        static_cast<LineReader*>(s->data)->on_read(n, buf);
      });
  return rc == 0;
}

void LineReader::on_read(ssize_t n, const uv_buf_t* buf) {
  if (n < 0) {
    close();
    if (auto end = std::move(on_end_)) end();  // may destroy this object: nothing after it
    return;
  }
  buffer_.append(buf->base, static_cast<std::size_t>(n));
  for (std::size_t nl; (nl = buffer_.find('\n')) != std::string::npos;) {
    std::string line = buffer_.substr(0, nl);
    buffer_.erase(0, nl + 1);
    on_line_(line);
    if (!pipe_) return;  // closed by the handler
  }
}

}  // namespace zkit::demo
