// The node operations, each in its blocking and its asynchronous form. Both forms run the
// Session's callback form on the loop thread: the blocking one waits for the callback
// (Host::wait), the asynchronous one converts the Result and calls the user's callback there.
#include <cstdlib>

#include "internal.hpp"

using zkit::c::fail;
using zkit::c::guarded;
using zkit::c::Payload;
using zkit::c::to_c;

namespace {

// Posts `op(session, callback)`; `deliver(result)` runs on the loop thread with its Result.
template <class T, class Op, class Deliver>
int submit(zkit_client* client, Op op, Deliver deliver) {
  bool posted = client->host->post([op = std::move(op), deliver = std::move(deliver)](zkit::Session& s) mutable {
    op(s, zkit::Callback<T>([deliver = std::move(deliver)](zkit::Result<T> r) mutable { deliver(r); }));
  });
  if (!posted) return fail(ZKIT_CLOSING, "the client is closed");
  return ZKIT_OK;
}

// The code and message a C callback gets for `r`.
template <class T>
int code_of(const zkit::Result<T>& r) {
  return static_cast<int>(r.code());
}
template <class T>
const char* message_of(const zkit::Result<T>& r) {
  return r ? nullptr : r.error().message().c_str();
}

zkit::CreateOptions create_options(int mode) {
  zkit::CreateOptions o;
  o.mode = static_cast<zkit::CreateMode>(mode);
  return o;
}

bool sequential(int mode) {
  return mode == ZKIT_PERSISTENT_SEQUENTIAL || mode == ZKIT_EPHEMERAL_SEQUENTIAL;
}

void create_node(zkit::Session& s, const std::string& path, const Payload& data, const zkit::CreateOptions& o,
                 zkit::Callback<zkit::Created> done) {
  if (data.null)
    s.create(path, zkit::null_data, o, std::move(done));
  else
    s.create(path, data.bytes, o, std::move(done));
}

void set_node(zkit::Session& s, const std::string& path, const Payload& data, int32_t version,
              zkit::Callback<zkit::Stat> done) {
  if (data.null)
    s.set(path, zkit::null_data, version, std::move(done));
  else
    s.set(path, data.bytes, version, std::move(done));
}

// What a C caller gets for a node's data: NULL for null data; for bytes (maybe none) a pointer.
const char* data_of(const zkit::Data& d) { return d.null ? nullptr : d.data.c_str(); }

int check_mode(int mode) {
  if (mode < ZKIT_PERSISTENT || mode > ZKIT_CONTAINER)
    return fail(ZKIT_BAD_ARGUMENTS, "unknown create mode " + std::to_string(mode));
  return ZKIT_OK;
}

}  // namespace

extern "C" {

int zkit_create(zkit_client* client, const char* path, const char* data, size_t len, zkit_create_mode c_mode,
                char** created_path) {
  return guarded([&] {
    int mode = zkit::c::int_of(c_mode);
    if (int rc = zkit::c::check(client, path, sequential(mode)); rc) return rc;
    if (int rc = check_mode(mode); rc) return rc;
    Payload d;
    if (int rc = zkit::c::payload(data, len, d); rc) return rc;
    std::string p = path;
    auto o = create_options(mode);
    auto r = client->host->wait<zkit::Created>(
        [&](zkit::Session& s, zkit::Callback<zkit::Created> done) { create_node(s, p, d, o, std::move(done)); });
    if (!r) return fail(r.error());
    if (created_path != nullptr) {
      *created_path = zkit::c::copy_out(r->path);
      if (*created_path == nullptr) return fail(ZKIT_NO_MEMORY, "out of memory (the node was created)");
    }
    return int(ZKIT_OK);
  });
}

int zkit_create_async(zkit_client* client, const char* path, const char* data, size_t len, zkit_create_mode c_mode,
                      zkit_create_cb done, void* closure) {
  return guarded([&] {
    int mode = zkit::c::int_of(c_mode);
    if (int rc = zkit::c::check(client, path, sequential(mode)); rc) return rc;
    if (int rc = check_mode(mode); rc) return rc;
    if (done == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "callback is NULL");
    Payload d;
    if (int rc = zkit::c::payload(data, len, d); rc) return rc;
    return submit<zkit::Created>(
        client,
        [p = std::string(path), d = std::move(d), o = create_options(mode)](zkit::Session& s, auto cb) mutable {
          create_node(s, p, d, o, std::move(cb));
        },
        [done, closure](zkit::Result<zkit::Created>& r) {
          done(code_of(r), message_of(r), r ? r->path.c_str() : nullptr, closure);
        });
  });
}

int zkit_delete(zkit_client* client, const char* path, int32_t version) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    std::string p = path;
    auto r = client->host->wait<void>(
        [&](zkit::Session& s, zkit::Callback<void> done) { s.remove(p, version, std::move(done)); });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

int zkit_delete_async(zkit_client* client, const char* path, int32_t version, zkit_void_cb done, void* closure) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (done == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "callback is NULL");
    return submit<void>(
        client, [p = std::string(path), version](zkit::Session& s, auto cb) { s.remove(p, version, std::move(cb)); },
        [done, closure](zkit::Result<void>& r) { done(code_of(r), message_of(r), closure); });
  });
}

int zkit_exists(zkit_client* client, const char* path, zkit_watcher_fn watcher, void* watcher_closure, int* exists,
                zkit_stat* stat) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    std::string p = path;
    auto r = client->host->wait<std::optional<zkit::Stat>>(
        [&](zkit::Session& s, zkit::Callback<std::optional<zkit::Stat>> done) {
          s.exists(p, zkit::c::to_watcher(watcher, watcher_closure), std::move(done));
        });
    if (!r) return fail(r.error());
    if (exists != nullptr) *exists = r->has_value() ? 1 : 0;
    if (stat != nullptr && r->has_value()) *stat = to_c(**r);
    return int(ZKIT_OK);
  });
}

int zkit_exists_async(zkit_client* client, const char* path, zkit_watcher_fn watcher, void* watcher_closure,
                      zkit_stat_cb done, void* closure) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (done == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "callback is NULL");
    return submit<std::optional<zkit::Stat>>(
        client,
        [p = std::string(path), w = zkit::c::to_watcher(watcher, watcher_closure)](zkit::Session& s, auto cb) mutable {
          s.exists(p, std::move(w), std::move(cb));
        },
        [done, closure](zkit::Result<std::optional<zkit::Stat>>& r) {
          zkit_stat st{};
          bool found = r && r->has_value();
          if (found) st = to_c(**r);
          done(code_of(r), message_of(r), found ? &st : nullptr, closure);
        });
  });
}

int zkit_get(zkit_client* client, const char* path, zkit_watcher_fn watcher, void* watcher_closure, char** data,
             size_t* len, zkit_stat* stat) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (data == nullptr || len == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "data or len is NULL");
    std::string p = path;
    auto r = client->host->wait<zkit::Data>([&](zkit::Session& s, zkit::Callback<zkit::Data> done) {
      s.get(p, zkit::c::to_watcher(watcher, watcher_closure), std::move(done));
    });
    if (!r) return fail(r.error());
    char* copy = nullptr;
    if (!r->null) {
      copy = zkit::c::copy_out(r->data);
      if (copy == nullptr) return fail(ZKIT_NO_MEMORY, "out of memory");
    }
    *data = copy;
    *len = r->data.size();
    if (stat != nullptr) *stat = to_c(r->stat);
    return int(ZKIT_OK);
  });
}

int zkit_get_async(zkit_client* client, const char* path, zkit_watcher_fn watcher, void* watcher_closure,
                   zkit_data_cb done, void* closure) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (done == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "callback is NULL");
    return submit<zkit::Data>(
        client,
        [p = std::string(path), w = zkit::c::to_watcher(watcher, watcher_closure)](zkit::Session& s, auto cb) mutable {
          s.get(p, std::move(w), std::move(cb));
        },
        [done, closure](zkit::Result<zkit::Data>& r) {
          if (!r) return done(code_of(r), message_of(r), nullptr, 0, nullptr, closure);
          zkit_stat st = to_c(r->stat);
          done(ZKIT_OK, nullptr, data_of(*r), r->data.size(), &st, closure);
        });
  });
}

int zkit_set(zkit_client* client, const char* path, const char* data, size_t len, int32_t version, zkit_stat* stat) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    Payload d;
    if (int rc = zkit::c::payload(data, len, d); rc) return rc;
    std::string p = path;
    auto r = client->host->wait<zkit::Stat>(
        [&](zkit::Session& s, zkit::Callback<zkit::Stat> done) { set_node(s, p, d, version, std::move(done)); });
    if (!r) return fail(r.error());
    if (stat != nullptr) *stat = to_c(*r);
    return int(ZKIT_OK);
  });
}

int zkit_set_async(zkit_client* client, const char* path, const char* data, size_t len, int32_t version,
                   zkit_stat_cb done, void* closure) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (done == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "callback is NULL");
    Payload d;
    if (int rc = zkit::c::payload(data, len, d); rc) return rc;
    return submit<zkit::Stat>(
        client,
        [p = std::string(path), d = std::move(d), version](zkit::Session& s, auto cb) {
          set_node(s, p, d, version, std::move(cb));
        },
        [done, closure](zkit::Result<zkit::Stat>& r) {
          zkit_stat st{};
          if (r) st = to_c(*r);
          done(code_of(r), message_of(r), r ? &st : nullptr, closure);
        });
  });
}

int zkit_get_children(zkit_client* client, const char* path, zkit_watcher_fn watcher, void* watcher_closure,
                      zkit_strings* children, zkit_stat* stat) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (children == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "children is NULL");
    std::string p = path;
    auto r = client->host->wait<zkit::Children>([&](zkit::Session& s, zkit::Callback<zkit::Children> done) {
      s.get_children(p, zkit::c::to_watcher(watcher, watcher_closure), std::move(done));
    });
    if (!r) return fail(r.error());
    if (!zkit::c::copy_out(r->names, children)) return fail(ZKIT_NO_MEMORY, "out of memory");
    if (stat != nullptr) *stat = to_c(r->stat);
    return int(ZKIT_OK);
  });
}

int zkit_get_children_async(zkit_client* client, const char* path, zkit_watcher_fn watcher, void* watcher_closure,
                            zkit_children_cb done, void* closure) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (done == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "callback is NULL");
    return submit<zkit::Children>(
        client,
        [p = std::string(path), w = zkit::c::to_watcher(watcher, watcher_closure)](zkit::Session& s, auto cb) mutable {
          s.get_children(p, std::move(w), std::move(cb));
        },
        [done, closure](zkit::Result<zkit::Children>& r) {
          if (!r) return done(code_of(r), message_of(r), nullptr, nullptr, closure);
          // Views into the Result's strings: valid while the callback runs, nothing to free.
          std::vector<char*> items;
          items.reserve(r->names.size());
          for (auto& n : r->names) items.push_back(n.data());
          zkit_strings list{items.size(), items.data()};
          zkit_stat st = to_c(r->stat);
          done(ZKIT_OK, nullptr, &list, &st, closure);
        });
  });
}

int zkit_sync(zkit_client* client, const char* path) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    std::string p = path;
    auto r = client->host->wait<void>([&](zkit::Session& s, zkit::Callback<void> done) { s.sync(p, std::move(done)); });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

int zkit_sync_async(zkit_client* client, const char* path, zkit_void_cb done, void* closure) {
  return guarded([&] {
    if (int rc = zkit::c::check(client, path); rc) return rc;
    if (done == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "callback is NULL");
    return submit<void>(
        client, [p = std::string(path)](zkit::Session& s, auto cb) { s.sync(p, std::move(cb)); },
        [done, closure](zkit::Result<void>& r) { done(code_of(r), message_of(r), closure); });
  });
}

int zkit_add_auth(zkit_client* client, const char* scheme, const char* credentials) {
  return guarded([&] {
    if (client == nullptr || scheme == nullptr || credentials == nullptr)
      return fail(ZKIT_BAD_ARGUMENTS, "client, scheme or credentials is NULL");
    std::string sc = scheme, cr = credentials;
    auto r = client->host->wait<void>(
        [&](zkit::Session& s, zkit::Callback<void> done) { s.add_auth(sc, cr, std::move(done)); });
    return r ? int(ZKIT_OK) : fail(r.error());
  });
}

}  // extern "C"
