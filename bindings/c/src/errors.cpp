// Error codes, the thread's last error, and the small value helpers of the C ABI.
#include <cstdlib>

#include "internal.hpp"

namespace zkit::c {

namespace {
thread_local std::string t_last_error;
}

int fail(int code, std::string message) {
  try {
    t_last_error = std::move(message);
  } catch (...) {
    t_last_error.clear();  // the code alone still says what happened
  }
  return code;
}

int check(const zkit_client* client, const char* path, bool sequential) {
  if (client == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "client is NULL");
  if (path == nullptr) return fail(ZKIT_BAD_ARGUMENTS, "path is NULL");
  if (auto v = validate_path(path, sequential); !v) return fail(v.error());
  return ZKIT_OK;
}

zkit_stat to_c(const Stat& s) {
  return zkit_stat{s.czxid,           s.mzxid,       s.ctime,        s.mtime,
                   s.version,         s.cversion,    s.aversion,     s.ephemeral_owner,
                   s.data_length,     s.num_children, s.pzxid};
}

zkit_state to_c(SessionState s) { return static_cast<zkit_state>(static_cast<int>(s)); }

Watcher to_watcher(zkit_watcher_fn fn, void* closure) {
  if (fn == nullptr) return {};
  return [fn, closure](const WatchEvent& e) {
    zkit_watch_event ev{static_cast<zkit_event_type>(e.type), to_c(e.state), e.path.c_str()};
    fn(&ev, closure);
  };
}

int payload(const char* data, size_t len, Payload& out) {
  if (len == ZKIT_NULL_DATA) {
    if (data != nullptr) return fail(ZKIT_BAD_ARGUMENTS, "data is not NULL but len is ZKIT_NULL_DATA");
    out.null = true;
    return ZKIT_OK;
  }
  if (data == nullptr && len != 0) return fail(ZKIT_BAD_ARGUMENTS, "data is NULL but len is " + std::to_string(len));
  if (data != nullptr) out.bytes.assign(data, len);
  return ZKIT_OK;
}

char* copy_out(const std::string& s) {
  auto* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) return nullptr;
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

bool copy_out(const std::vector<std::string>& items, zkit_strings* out) {
  out->count = 0;
  out->items = nullptr;
  if (items.empty()) return true;
  auto** arr = static_cast<char**>(std::calloc(items.size(), sizeof(char*)));
  if (arr == nullptr) return false;
  zkit_strings built{0, arr};
  for (const auto& item : items) {
    arr[built.count] = copy_out(item);
    if (arr[built.count] == nullptr) {
      zkit_strings_free(&built);
      return false;
    }
    ++built.count;
  }
  *out = built;
  return true;
}

}  // namespace zkit::c

// SessionState's enumerators are in zkit_state's order: the conversion above is a cast.
static_assert(static_cast<int>(zkit::SessionState::closed) == ZKIT_STATE_CLOSED);
static_assert(static_cast<int>(zkit::SessionState::expired) == ZKIT_STATE_EXPIRED);
static_assert(static_cast<int>(zkit::Errc::throttled_op) == ZKIT_THROTTLED_OP);

extern "C" {

int zkit_version(void) { return ZKIT_VERSION; }

const char* zkit_strerror(int code) {
  if (code == ZKIT_NO_MEMORY) return "no_memory";
  // to_string's views name static strings, NUL-terminated.
  return zkit::to_string(static_cast<zkit::Errc>(code)).data();
}

const char* zkit_last_error(void) { return zkit::c::t_last_error.c_str(); }

const char* zkit_state_name(zkit_state state) {
  int s = zkit::c::int_of(state);
  if (s < ZKIT_STATE_CONNECTING || s > ZKIT_STATE_CLOSED) return "unknown";
  return zkit::to_string(static_cast<zkit::SessionState>(s)).data();
}

void zkit_free(void* p) { std::free(p); }

void zkit_strings_free(zkit_strings* list) {
  if (list == nullptr) return;
  for (size_t i = 0; i < list->count; ++i) std::free(list->items[i]);
  std::free(list->items);
  list->items = nullptr;
  list->count = 0;
}

}  // extern "C"
