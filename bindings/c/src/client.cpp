// zkit_open / zkit_close, the session's state and its listeners.
#include "internal.hpp"

using zkit::c::fail;
using zkit::c::guarded;

extern "C" {

void zkit_options_init(zkit_options* o) {
  if (o == nullptr) return;
  o->connect = "127.0.0.1:2181";
  o->session_timeout_ms = 10000;
  o->request_timeout_ms = -1;
  o->can_be_read_only = 0;
}

int zkit_open(const zkit_options* options, zkit_client** out) {
  return guarded([&] {
    if (options == nullptr || out == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "options or out is NULL");
    zkit::Options o;
    if (options->connect != nullptr) o.connect = options->connect;
    if (options->session_timeout_ms <= 0) return fail(ZKIT_BAD_ARGUMENTS, "session_timeout_ms must be positive");
    o.session_timeout = std::chrono::milliseconds(options->session_timeout_ms);
    o.request_timeout = std::chrono::milliseconds(options->request_timeout_ms);
    o.can_be_read_only = options->can_be_read_only != 0;
    auto host = zkit::bindings::Host::open(std::move(o));
    if (!host) return fail(host.error());
    *out = new zkit_client{std::move(host).value()};
    return int(ZKIT_OK);
  });
}

void zkit_close(zkit_client* client) {
  if (client == nullptr) return;
  client->host->close();
  delete client;
}

zkit_state zkit_client_state(const zkit_client* client) {
  return client ? zkit::c::to_c(client->host->state()) : ZKIT_STATE_CLOSED;
}

int64_t zkit_client_session_id(const zkit_client* client) { return client ? client->host->session_id() : 0; }

int32_t zkit_client_session_timeout(const zkit_client* client) {
  return client ? static_cast<int32_t>(client->host->negotiated_timeout().count()) : 0;
}

size_t zkit_client_session_password(const zkit_client* client, char* out, size_t room) {
  if (client == nullptr || out == nullptr) return 0;
  std::string p = client->host->session_password();
  size_t n = p.size() < room ? p.size() : room;
  std::memcpy(out, p.data(), n);
  return n;
}

int zkit_add_listener(zkit_client* client, zkit_state_fn fn, void* closure, uint64_t* id) {
  return guarded([&] {
    if (client == nullptr || fn == nullptr || id == nullptr)
      return fail(ZKIT_BAD_ARGUMENTS, "client, fn or id is NULL");
    zkit::ListenerId added = 0;
    bool ran = client->host->run([&](zkit::Session& s) {
      added = s.add_listener([fn, closure](zkit::SessionState st) { fn(zkit::c::to_c(st), closure); });
    });
    if (!ran) return fail(ZKIT_CLOSING, "the client is closed");
    *id = added;
    return int(ZKIT_OK);
  });
}

int zkit_remove_listener(zkit_client* client, uint64_t id) {
  return guarded([&] {
    if (client == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "client is NULL");
    bool ran = client->host->run([&](zkit::Session& s) { s.remove_listener(id); });
    if (!ran) return fail(ZKIT_CLOSING, "the client is closed");
    return int(ZKIT_OK);
  });
}

}  // extern "C"
