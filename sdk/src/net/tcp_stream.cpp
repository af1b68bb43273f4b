#include "net/tcp_stream.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <utility>

namespace zkit::net {

TcpStream* TcpStream::connect(uv_loop_t* loop, const sockaddr* addr, Connected& connected, int& error) {
  error = 0;
  auto* c = new TcpStream;
  c->connected_ = &connected;
  c->tcp_ = uv::Handle<uv_tcp_t>(loop, uv_tcp_init);
  if (!c->tcp_) {
    error = c->tcp_.error();
    delete c;
    return nullptr;
  }
  c->tcp_->data = c;
  c->connect_req_.data = c;
  int rc = uv_tcp_connect(&c->connect_req_, c->tcp_.get(), addr, [](uv_connect_t* req, int status) {
    auto* self = static_cast<TcpStream*>(req->data);
    if (self->closed_) return;  // closed meanwhile
    Connected* told = std::exchange(self->connected_, nullptr);
    if (status == 0) {
      uv_tcp_nodelay(self->tcp_.get(), 1);
    } else {
      self->close();
    }
    told->on_connected(self, status);
  });
  if (rc != 0) {
    error = rc;
    c->close();
    return nullptr;
  }
  return c;
}

bool TcpStream::syn_unanswered() const noexcept {
  uv_os_fd_t fd;
  if (closed_ || !tcp_ || uv_fileno(tcp_.base(), &fd) != 0) return false;
  tcp_info info{};
  socklen_t size = sizeof info;
  return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) == 0 && info.tcpi_state == TCP_SYN_SENT;
}

void TcpStream::start(Events* events) {
  events_ = events;
  uv_read_start(
      stream(),
      [](uv_handle_t* h, std::size_t suggested, uv_buf_t* buf) {
        auto* self = static_cast<TcpStream*>(h->data);
        std::size_t size = 0;
        buf->base = self->events_ ? self->events_->read_buffer(suggested, size) : nullptr;
        buf->len = size;
      },
      [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
        auto* self = static_cast<TcpStream*>(s->data);
        if (!self->events_) return;
        if (n > 0) {
          self->got_bytes_ = true;
          self->events_->on_read(static_cast<std::size_t>(n));
        }
        else if (n < 0) self->fail(static_cast<int>(n));
      });
}

void TcpStream::fail(int status) {
  if (failed_) return;
  failed_ = true;
  uv_read_stop(stream());
  if (!events_) return;
  if (status == UV_EOF && !got_bytes_ && silent_close_reason_) return events_->on_stream_failed(false, silent_close_reason_);
  events_->on_stream_failed(status == UV_EOF, uv_strerror(status));
}

bool TcpStream::write(std::string& data) {
  if (failed_) return false;
  uv_stream_t* stream = this->stream();
  // Most writes fit in the socket buffer: try at once and queue only what is left.
  if (stream->write_queue_size == 0) {
    uv_buf_t b = uv_buf_init(data.data(), static_cast<unsigned>(data.size()));
    int n = uv_try_write(stream, &b, 1);
    if (n == static_cast<int>(data.size())) {
      data.clear();
      return true;
    }
    if (n > 0) data.erase(0, static_cast<std::size_t>(n));
    else if (n != UV_EAGAIN) {
      failed_ = true;
      return false;
    }
  }
  auto* w = new WriteRequest;
  w->data.swap(data);
  w->req.data = this;
  uv_buf_t b = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
  int rc = uv_write(&w->req, stream, &b, 1, [](uv_write_t* req, int status) {
    auto* wr = reinterpret_cast<WriteRequest*>(req);
    auto* self = static_cast<TcpStream*>(req->data);
    delete wr;
    if (status < 0 && status != UV_ECANCELED) self->fail(status);
  });
  if (rc != 0) {
    delete w;
    failed_ = true;
    return false;
  }
  return true;
}

void TcpStream::close() {
  if (closed_) return;
  closed_ = true;
  events_ = nullptr;
  connected_ = nullptr;
  tcp_.close([this] { delete this; });
}

}  // namespace zkit::net
