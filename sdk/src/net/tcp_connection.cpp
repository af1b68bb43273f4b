#include "net/tcp_connection.hpp"

namespace zkit::net {

TcpConnection* TcpConnection::connect(uv_loop_t* loop, const sockaddr* addr, Events* events,
                                      int& error) {
  error = 0;
  auto* c = new TcpConnection(events);
  uv_tcp_init(loop, &c->tcp_);
  c->tcp_.data = c;
  c->connect_req_.data = c;
  int rc = uv_tcp_connect(&c->connect_req_, &c->tcp_, addr, [](uv_connect_t* req, int status) {
    auto* self = static_cast<TcpConnection*>(req->data);
    if (!self->events_) return;  // closed meanwhile
    if (status == 0) {
      uv_tcp_nodelay(&self->tcp_, 1);
      self->start_reading();
    } else {
      self->failed_ = true;
    }
    self->events_->on_connect(status);
  });
  if (rc != 0) {
    error = rc;
    c->close();
    return nullptr;
  }
  return c;
}

void TcpConnection::start_reading() {
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&tcp_),
      [](uv_handle_t* h, std::size_t suggested, uv_buf_t* buf) {
        auto* self = static_cast<TcpConnection*>(h->data);
        std::size_t size = 0;
        buf->base = self->events_ ? self->events_->read_buffer(suggested, size) : nullptr;
        buf->len = size;
      },
      [](uv_stream_t* s, ssize_t n, const uv_buf_t*) {
        auto* self = static_cast<TcpConnection*>(s->data);
        if (!self->events_) return;
        if (n > 0) {
          self->events_->on_read(static_cast<std::size_t>(n));
        } else if (n < 0) {
          self->failed_ = true;
          uv_read_stop(s);
          self->events_->on_error(static_cast<int>(n));
        }
      });
}

bool TcpConnection::write(std::string& data) {
  if (failed_) return false;
  auto* stream = reinterpret_cast<uv_stream_t*>(&tcp_);
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
    auto* self = static_cast<TcpConnection*>(req->data);
    delete wr;
    if (status < 0 && status != UV_ECANCELED && self->events_ && !self->failed_) {
      self->failed_ = true;
      self->events_->on_error(status);
    }
  });
  if (rc != 0) {
    delete w;
    failed_ = true;
    return false;
  }
  return true;
}

std::size_t TcpConnection::write_queue_size() const noexcept { return tcp_.write_queue_size; }

void TcpConnection::close() {
  events_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_),
           [](uv_handle_t* h) { delete static_cast<TcpConnection*>(h->data); });
}

}  // namespace zkit::net
