// Bad input from the network: a peer that completes the handshake and then misbehaves. The
// session must close that connection with a logged reason, fail what was pending exactly once
// and never crash. (A real ZooKeeper server never sends these frames, so this peer is ours.)
#include "support.hpp"

#include <map>
#include <memory>

#include "proto/frame.hpp"
#include "proto/records.hpp"
#include "zkit/uv/handle.hpp"

using namespace zkit;
using namespace zkit::test;

namespace {

// A one-connection-at-a-time TCP peer on 127.0.0.1 that answers the handshake with a valid
// ConnectResponse and every later frame with `reply(xid)`.
class HostilePeer {
 public:
  HostilePeer(uv_loop_t* loop, Function<std::string(std::int32_t xid)> reply)
      : loop_(loop), server_(loop, uv_tcp_init), reply_(std::move(reply)) {
    server_->data = this;
    sockaddr_in addr{};
    uv_ip4_addr("127.0.0.1", 0, &addr);
    REQUIRE(uv_tcp_bind(server_.get(), reinterpret_cast<const sockaddr*>(&addr), 0) == 0);
    REQUIRE(uv_listen(reinterpret_cast<uv_stream_t*>(server_.get()), 8, [](uv_stream_t* s, int) {
              static_cast<HostilePeer*>(s->data)->accept();
            }) == 0);
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(server_.get(), reinterpret_cast<sockaddr*>(&bound), &len);
    port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  ~HostilePeer() {
    server_.close();
    while (!clients_.empty()) close(clients_.begin()->first);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int connections = 0;

 private:
  struct Client {
    uv::Handle<uv_tcp_t> tcp;
    HostilePeer* peer;
    std::string in;
    bool handshaken = false;
  };

  void accept() {
    auto owned = std::make_unique<Client>(Client{uv::Handle<uv_tcp_t>(loop_, uv_tcp_init), this});
    Client* c = owned.get();
    c->tcp->data = c;
    uv_accept(reinterpret_cast<uv_stream_t*>(server_.get()), reinterpret_cast<uv_stream_t*>(c->tcp.get()));
    clients_.emplace(c, std::move(owned));
    ++connections;
    uv_read_start(
        reinterpret_cast<uv_stream_t*>(c->tcp.get()),
        [](uv_handle_t*, std::size_t, uv_buf_t* b) {
          static char buf[65536];
          *b = uv_buf_init(buf, sizeof buf);
        },
        [](uv_stream_t* s, ssize_t n, const uv_buf_t* b) {
          auto* c = static_cast<Client*>(s->data);
          if (n < 0) return c->peer->close(c);
          c->in.append(b->base, static_cast<std::size_t>(n));
          c->peer->on_data(c);
        });
  }

  // The Client stays alive until its socket has closed (its pending writes are cancelled first):
  // its close callback owns it from here.
  void close(Client* c) {
    auto node = clients_.extract(c);
    c->tcp.close([owned = std::move(node.mapped())] {});
  }

  void on_data(Client* c) {
    while (c->in.size() >= 4) {
      auto f = proto::next_frame(c->in, 1 << 20);
      if (f.kind != proto::FrameResult::frame) return;
      std::string out;
      if (!c->handshaken) {
        c->handshaken = true;
        proto::Writer w(out);
        auto start = w.begin_frame();
        proto::encode(w, proto::ConnectResponse{0, 4000, 0x1234, std::string(16, 'p'), false});
        w.end_frame(start);
      } else {
        proto::Reader r(f.body);
        proto::RequestHeader h;
        proto::decode(r, h);
        if (h.xid > 0) out = reply_(h.xid);
      }
      c->in.erase(0, f.consumed);
      if (!out.empty()) {
        auto* req = new uv_write_t;
        auto* data = new std::string(std::move(out));
        req->data = data;
        uv_buf_t b = uv_buf_init(data->data(), static_cast<unsigned>(data->size()));
        uv_write(req, reinterpret_cast<uv_stream_t*>(c->tcp.get()), &b, 1, [](uv_write_t* w, int) {
          delete static_cast<std::string*>(w->data);
          delete w;
        });
      }
    }
  }

  uv_loop_t* loop_;
  uv::Handle<uv_tcp_t> server_;
  int port_ = 0;
  Function<std::string(std::int32_t)> reply_;
  std::map<Client*, std::unique_ptr<Client>> clients_;  // the open ones
};

std::string frame(std::string body) {
  std::string out;
  proto::Writer w(out);
  auto start = w.begin_frame();
  w.raw(body);
  w.end_frame(start);
  return out;
}

std::string header(std::int32_t xid) {
  std::string b;
  proto::Writer w(b);
  proto::encode(w, proto::ReplyHeader{xid, 10, 0});
  return b;
}

void expect_connection_dropped(Function<std::string(std::int32_t)> reply, std::string_view reason_part) {
  Loop loop;
  HostilePeer peer(loop.get(), std::move(reply));
  std::vector<std::string> logged;
  Options o = options_for(peer.address(), 4000ms);
  o.log_level = LogLevel::warning;
  o.logger = [&](LogLevel, std::string_view m) { logged.emplace_back(m); };
  Session s = connect(loop, std::move(o));
  int calls = 0;
  Errc code = Errc::ok;
  s.get("/x", {}, [&](Result<Data> r) {
    ++calls;
    code = r.code();
  });
  REQUIRE(loop.run_until([&] { return calls > 0; }));
  CHECK(code == Errc::connection_loss);
  CHECK(s.state() == SessionState::suspended);
  bool found = false;
  for (auto& m : logged) found |= m.find(reason_part) != std::string::npos;
  CHECK_MESSAGE(found, "no log line mentions \"" << reason_part << "\"");
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(calls == 1);
}

}  // namespace

TEST_CASE("a frame longer than the limit closes the connection with a logged reason") {
  expect_connection_dropped([](std::int32_t) { return std::string("\x7f\xff\xff\xff", 4); }, "exceeds the limit");
}

TEST_CASE("a negative frame length closes the connection") {
  expect_connection_dropped([](std::int32_t) { return std::string("\xff\xff\xff\xfe", 4); }, "negative frame length");
}

TEST_CASE("a reply to a request that was never sent closes the connection") {
  expect_connection_dropped([](std::int32_t xid) { return frame(header(xid + 7)); }, "does not match");
}

TEST_CASE("a reply whose body does not decode fails its request once, with connection_loss") {
  // GetDataResponse whose buffer claims more bytes than the frame holds.
  expect_connection_dropped([](std::int32_t xid) { return frame(header(xid) + std::string("\x00\x00\x10\x00" "ab", 6)); },
                            "malformed reply");
}

TEST_CASE("a truncated reply header closes the connection") {
  expect_connection_dropped([](std::int32_t) { return frame(std::string("\x00\x00\x00", 3)); }, "malformed reply header");
}

TEST_CASE("a request without a reply fails with request_timeout once and the session stays up") {
  Loop loop;
  HostilePeer peer(loop.get(), [](std::int32_t) { return std::string(); });  // never answers
  Options o = options_for(peer.address(), 4000ms);
  o.request_timeout = 200ms;
  Session s = connect(loop, std::move(o));
  int calls = 0;
  Errc code = Errc::ok;
  s.get("/x", {}, [&](Result<Data> r) {
    ++calls;
    code = r.code();
  });
  REQUIRE(loop.run_until([&] { return calls > 0; }));
  CHECK(code == Errc::request_timeout);
  CHECK(s.state() == SessionState::connected);
  bool closed = false;
  s.close([&] { closed = true; });
  REQUIRE(loop.run_until([&] { return closed; }));
  CHECK(calls == 1);
}
