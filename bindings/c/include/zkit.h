/* zkit.h: the C ABI of zkit, a ZooKeeper client.
 *
 * A zkit_client owns one ZooKeeper session and a thread that runs it (its "loop thread").
 * Every operation comes in two forms:
 *   zkit_<verb>(client, ..., out-parameters)         blocks until the server answered;
 *   zkit_<verb>_async(client, ..., callback, closure) returns at once; `callback` runs later,
 *                                                      on the loop thread, exactly once.
 *
 *   zkit_client *zk;
 *   zkit_options o;
 *   zkit_options_init(&o);
 *   o.connect = "127.0.0.1:2181";
 *   if (zkit_open(&o, &zk) != ZKIT_OK) { fprintf(stderr, "%s\n", zkit_last_error()); return 1; }
 *   zkit_create(zk, "/hello", "world", 5, ZKIT_PERSISTENT, NULL);
 *   zkit_close(zk);
 *
 * Rules that hold for every function below (each function states its exceptions):
 * - Status: every function that can fail returns an int, ZKIT_OK (0) or a negative zkit_error
 *   code, and out-parameters come last. They are written only on ZKIT_OK.
 * - Last error: a failing call on a thread also sets that thread's last-error message,
 *   zkit_last_error(), which names what went wrong (the path, the server, the bad option).
 *   Asynchronous callbacks get their message as a parameter instead.
 * - Thread safety: a zkit_client may be used from any number of threads at once. Requests
 *   leave in the order the calls were made (for calls from one thread; calls racing on two
 *   threads are ordered by the client's queue).
 * - Callbacks (completion callbacks, watchers, state listeners) run on the client's loop
 *   thread, one at a time, never inside the call that registered them. Keep them short. From
 *   a callback, call only *_async functions: a blocking function called there fails at once
 *   with ZKIT_BAD_ARGUMENTS (it would wait on itself), and zkit_close called there only
 *   starts the close.
 * - Memory: strings and buffers passed in are copied before the call returns; the caller
 *   keeps ownership of them. Pointers handed to a callback are valid only until the callback
 *   returns. What a blocking call returns through a pointer-to-pointer out-parameter is owned
 *   by the caller and freed with the function its comment names (zkit_free, zkit_strings_free,
 *   ...). A `closure` is never touched by zkit; it is the caller's, and must stay valid until
 *   its callback has run (for watchers and listeners: until they are removed, or the client
 *   is closed).
 * - Exactly once: a *_async call that returns ZKIT_OK runs its callback exactly once (with an
 *   error such as ZKIT_CLOSING if the client is closed first); one that returns an error never
 *   runs it. A one-shot watcher runs at most once; when the session ends before the watched
 *   change, it runs once with type ZKIT_EVENT_NONE and the final state.
 *
 * Compiles as C99. Link with -lzkit_c.
 */
#ifndef ZKIT_H
#define ZKIT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; zkit_version() is the library's, as MAJOR*10000+MINOR*100+PATCH. */
#define ZKIT_VERSION_MAJOR 0
#define ZKIT_VERSION_MINOR 1  /* the header's minor version */
#define ZKIT_VERSION_PATCH 0  /* the header's patch version */
#define ZKIT_VERSION_STRING "0.1.0"  /* the header's version as text */
/* The header's version as one number, MAJOR*10000+MINOR*100+PATCH. */
#define ZKIT_VERSION (ZKIT_VERSION_MAJOR * 10000 + ZKIT_VERSION_MINOR * 100 + ZKIT_VERSION_PATCH)
/* The library's version, as ZKIT_VERSION (it may differ from the header's). */
int zkit_version(void);

/* ---- errors ------------------------------------------------------------------------------
 * The server's numbers (KeeperException.Code), the same as zkit::Errc in C++. What to do:
 * "retry" = the same call may succeed later; "recipe" = state changed: re-read and decide. */
typedef enum zkit_error {
  ZKIT_OK = 0,
  ZKIT_RUNTIME_INCONSISTENCY = -2, /* an op after the failing one of a multi */
  ZKIT_DATA_INCONSISTENCY = -3,
  ZKIT_CONNECTION_LOSS = -4,       /* may or may not have been applied: retry idempotent calls */
  ZKIT_MARSHALLING_ERROR = -5,
  ZKIT_UNIMPLEMENTED = -6,         /* the server lacks the operation (or TTLs are off) */
  ZKIT_OPERATION_TIMEOUT = -7,
  ZKIT_BAD_ARGUMENTS = -8,         /* invalid path, flags, size; nothing was sent: fix the call */
  ZKIT_NEW_CONFIG_NO_QUORUM = -13,
  ZKIT_RECONFIG_IN_PROGRESS = -14,
  ZKIT_NO_NODE = -101,             /* recipe */
  ZKIT_NO_AUTH = -102,
  ZKIT_BAD_VERSION = -103,         /* recipe: someone else wrote */
  ZKIT_NO_CHILDREN_FOR_EPHEMERALS = -108,
  ZKIT_NODE_EXISTS = -110,         /* recipe */
  ZKIT_NOT_EMPTY = -111,           /* recipe */
  ZKIT_SESSION_EXPIRED = -112,     /* the session is gone: open a new client */
  ZKIT_INVALID_CALLBACK = -113,
  ZKIT_INVALID_ACL = -114,
  ZKIT_AUTH_FAILED = -115,
  ZKIT_CLOSING = -116,             /* the client was closed */
  ZKIT_NOTHING = -117,
  ZKIT_SESSION_MOVED = -118,
  ZKIT_NOT_READ_ONLY = -119,
  ZKIT_EPHEMERAL_ON_LOCAL_SESSION = -120,
  ZKIT_NO_WATCHER = -121,
  ZKIT_REQUEST_TIMEOUT = -122,     /* no reply in time: like connection loss */
  ZKIT_RECONFIG_DISABLED = -123,
  ZKIT_SESSION_CLOSED_REQUIRES_SASL_AUTH = -124,
  ZKIT_QUOTA_EXCEEDED = -125,
  ZKIT_THROTTLED_OP = -127,        /* retry later */
  ZKIT_NO_MEMORY = -1000           /* zkit's own: an allocation failed */
} zkit_error;

/* The code's name, e.g. "no_node"; "unknown" for other numbers. Static storage: never freed.
 * Thread-safe. */
const char *zkit_strerror(int code);
/* The message of the last failed zkit call on the calling thread ("" if none failed yet).
 * Owned by zkit; valid until the calling thread's next zkit call. */
const char *zkit_last_error(void);

/* ---- values ------------------------------------------------------------------------------ */

/* A node's data is bytes (maybe none) or null: what Java's create(path, null) and kazoo's
 * create(path, None) store. To write null data, pass data NULL with len ZKIT_NULL_DATA to
 * zkit_create, zkit_set, zkit_txn_create or zkit_txn_set; NULL with len 0 writes empty data.
 * Reading, data is NULL for null data and a pointer (to a NUL when len is 0) for bytes. */
#define ZKIT_NULL_DATA ((size_t)-1)

/* A znode's metadata (ZooKeeper's Stat). */
typedef struct zkit_stat {
  int64_t czxid;           /* zxid of the create: a lock's or leader's fencing token */
  int64_t mzxid;  /* zxid of the last set */
  int64_t ctime;           /* ms since the epoch */
  int64_t mtime;  /* last modification time, ms since the epoch */
  int32_t version;         /* data version */
  int32_t cversion;  /* child version: child creations plus deletions */
  int32_t aversion;  /* ACL version */
  int64_t ephemeral_owner; /* session id of an ephemeral node's owner, else 0 */
  int32_t data_length;  /* bytes of data */
  int32_t num_children;  /* number of children */
  int64_t pzxid;  /* zxid of the last child create or delete */
} zkit_stat;

/* How a node is created (ZooKeeper's CreateMode). */
typedef enum zkit_create_mode {
  ZKIT_PERSISTENT = 0,
  ZKIT_EPHEMERAL = 1,
  ZKIT_PERSISTENT_SEQUENTIAL = 2,
  ZKIT_EPHEMERAL_SEQUENTIAL = 3,
  ZKIT_CONTAINER = 4
} zkit_create_mode;

/* Where a session stands; listeners see every transition, in order. */
typedef enum zkit_state {
  ZKIT_STATE_CONNECTING = 0,
  ZKIT_STATE_CONNECTED = 1,
  ZKIT_STATE_SUSPENDED = 2,   /* connection lost; the session may still be alive */
  ZKIT_STATE_RECONNECTED = 3, /* the same session resumed: ephemerals and watches kept */
  ZKIT_STATE_READ_ONLY = 4,
  ZKIT_STATE_EXPIRED = 5,     /* the session is gone */
  ZKIT_STATE_AUTH_FAILED = 6,
  ZKIT_STATE_CLOSED = 7
} zkit_state;
/* "connected", "expired", ...: static storage. */
const char *zkit_state_name(zkit_state state);

/* What happened to a watched node. */
typedef enum zkit_event_type {
  ZKIT_EVENT_NONE = -1, /* not a node event: the session's `state` changed (see zkit_watch_event) */
  ZKIT_EVENT_CREATED = 1,
  ZKIT_EVENT_DELETED = 2,
  ZKIT_EVENT_DATA_CHANGED = 3,
  ZKIT_EVENT_CHILDREN_CHANGED = 4,
  ZKIT_EVENT_DATA_WATCH_REMOVED = 5,
  ZKIT_EVENT_CHILD_WATCH_REMOVED = 6,
  ZKIT_EVENT_PERSISTENT_WATCH_REMOVED = 7
} zkit_event_type;

/* What a watcher is told. `path` is relative to the chroot. */
typedef struct zkit_watch_event {
  zkit_event_type type;  /* what happened (ZKIT_EVENT_NONE: the session's state changed) */
  zkit_state state;  /* the session's state when the event was delivered */
  const char *path;  /* the node, relative to the chroot ("" for session events) */
} zkit_watch_event;

/* A list of strings (child names, ephemeral paths). Free with zkit_strings_free. */
typedef struct zkit_strings {
  size_t count;  /* number of items */
  char **items; /* NUL-terminated */
} zkit_strings;
/* Frees the items and resets the list to empty; NULL or an empty list is fine. */
void zkit_strings_free(zkit_strings *list);
/* Frees memory that a zkit function handed over (data, paths); NULL is fine. */
void zkit_free(void *p);

/* ---- callbacks ---------------------------------------------------------------------------
 * All run on the loop thread; `message` is NULL on success, else the error's text; pointers
 * are valid during the call only. */
typedef void (*zkit_void_cb)(int rc, const char *message, void *closure);
/* exists: rc ZKIT_OK with stat NULL means the node does not exist. */
typedef void (*zkit_stat_cb)(int rc, const char *message, const zkit_stat *stat, void *closure);
typedef void (*zkit_create_cb)(int rc, const char *message, const char *path, void *closure);
/* `data` is not NUL-terminated; NULL (len 0) for null data, non-NULL for bytes, even none. */
typedef void (*zkit_data_cb)(int rc, const char *message, const char *data, size_t len,
                             const zkit_stat *stat, void *closure);
typedef void (*zkit_children_cb)(int rc, const char *message, const zkit_strings *children,
                                 const zkit_stat *stat, void *closure);
typedef void (*zkit_watcher_fn)(const zkit_watch_event *event, void *closure);
typedef void (*zkit_state_fn)(zkit_state state, void *closure);

/* ---- the client ---------------------------------------------------------------------------- */

/* One ZooKeeper session and the thread that runs it (zkit_open, zkit_close). */
typedef struct zkit_client zkit_client;

/* How zkit_open connects; fill the defaults with zkit_options_init first. */
typedef struct zkit_options {
  const char *connect;         /* "host:port,...[/chroot]"; default "127.0.0.1:2181" */
  int32_t session_timeout_ms;  /* default 10000 */
  int32_t request_timeout_ms;  /* -1 (default): the session timeout; 0: none */
  int can_be_read_only;        /* default 0 */
} zkit_options;
/* Fills the defaults. */
void zkit_options_init(zkit_options *options);

/* Connects and waits until the session is established (at most the session timeout).
 * On ZKIT_OK, *out is a client: free it with zkit_close. Errors: ZKIT_BAD_ARGUMENTS (bad
 * options), ZKIT_CONNECTION_LOSS (no server answered), ZKIT_SESSION_EXPIRED, ZKIT_AUTH_FAILED. */
int zkit_open(const zkit_options *options, zkit_client **out);
/* Closes the session (pending requests fail with ZKIT_CLOSING, each callback once; every
 * one-shot watcher runs once with ZKIT_STATE_CLOSED) and frees the client. Blocks until the
 * loop thread has ended, so every callback has run when it returns; from a callback it only
 * starts the close and the loop thread frees the client. NULL is fine. Call it once. */
void zkit_close(zkit_client *client);

/* The state as last reported; thread-safe, never fails. */
zkit_state zkit_client_state(const zkit_client *client);
/* The session id (0 before connecting) and the negotiated session timeout. */
int64_t zkit_client_session_id(const zkit_client *client);
/* The negotiated session timeout in ms (the asked one until connected). */
int32_t zkit_client_session_timeout(const zkit_client *client);
/* The session's 16-byte password into `out` (room for 16); returns the length written. */
size_t zkit_client_session_password(const zkit_client *client, char *out, size_t room);

/* Adds a listener told of every state transition on the loop thread, until zkit_close. On
 * ZKIT_OK *id names it for zkit_remove_listener. */
int zkit_add_listener(zkit_client *client, zkit_state_fn fn, void *closure, uint64_t *id);
/* Removes it; when it returns, the listener runs no more (from a callback: from then on).
 * Errors: ZKIT_BAD_ARGUMENTS (unknown id), ZKIT_CLOSING. */
int zkit_remove_listener(zkit_client *client, uint64_t id);

/* ---- operations ----------------------------------------------------------------------------
 * Errors of every operation: ZKIT_BAD_ARGUMENTS (invalid path or arguments: nothing sent),
 * ZKIT_CONNECTION_LOSS, ZKIT_REQUEST_TIMEOUT, ZKIT_SESSION_EXPIRED, ZKIT_CLOSING; each lists
 * its own besides. A `watcher` may be NULL (no watch); a set watch is one-shot. */

/* Creates a node with an open ACL. With `created_path` non-NULL, *created_path receives the
 * path made (with the sequence suffix): free it with zkit_free. `data` may be NULL when len
 * is 0 (empty data) or ZKIT_NULL_DATA (null data); data NULL with another len is refused with
 * ZKIT_BAD_ARGUMENTS. Also: ZKIT_NODE_EXISTS, ZKIT_NO_NODE (no parent),
 * ZKIT_NO_CHILDREN_FOR_EPHEMERALS. */
int zkit_create(zkit_client *client, const char *path, const char *data, size_t len,
                zkit_create_mode mode, char **created_path);
int zkit_create_async(zkit_client *client, const char *path, const char *data, size_t len,
                      zkit_create_mode mode, zkit_create_cb done, void *closure);

/* Deletes a node if its version matches (-1: any). Also: ZKIT_NO_NODE, ZKIT_BAD_VERSION,
 * ZKIT_NOT_EMPTY. */
int zkit_delete(zkit_client *client, const char *path, int32_t version);
int zkit_delete_async(zkit_client *client, const char *path, int32_t version, zkit_void_cb done,
                      void *closure);

/* The node's Stat into *stat; *exists is 1 if it exists, 0 if not (then *stat is untouched).
 * The watcher fires on creation if missing, on change or deletion if present. */
int zkit_exists(zkit_client *client, const char *path, zkit_watcher_fn watcher, void *watcher_closure,
                int *exists, zkit_stat *stat);
int zkit_exists_async(zkit_client *client, const char *path, zkit_watcher_fn watcher,
                      void *watcher_closure, zkit_stat_cb done, void *closure);

/* The node's data and Stat. *data receives a malloc'd copy with a NUL after it (even of no
 * bytes), free it with zkit_free; NULL with *len 0 for null data. `stat` may be NULL. The
 * watcher (set only on success) fires on a data change or deletion. Also: ZKIT_NO_NODE,
 * ZKIT_NO_AUTH. */
int zkit_get(zkit_client *client, const char *path, zkit_watcher_fn watcher, void *watcher_closure,
             char **data, size_t *len, zkit_stat *stat);
int zkit_get_async(zkit_client *client, const char *path, zkit_watcher_fn watcher,
                   void *watcher_closure, zkit_data_cb done, void *closure);

/* Replaces the data if the version matches (-1: any); `data` and `len` as for zkit_create;
 * `stat` (may be NULL) gets the new Stat.
 * Also: ZKIT_NO_NODE, ZKIT_BAD_VERSION. */
int zkit_set(zkit_client *client, const char *path, const char *data, size_t len, int32_t version,
             zkit_stat *stat);
int zkit_set_async(zkit_client *client, const char *path, const char *data, size_t len,
                   int32_t version, zkit_stat_cb done, void *closure);

/* Child names (not full paths, unsorted) into *children: free with zkit_strings_free; `stat`
 * may be NULL. The watcher fires when a child is created or deleted, or the node is deleted.
 * Also: ZKIT_NO_NODE. */
int zkit_get_children(zkit_client *client, const char *path, zkit_watcher_fn watcher,
                      void *watcher_closure, zkit_strings *children, zkit_stat *stat);
int zkit_get_children_async(zkit_client *client, const char *path, zkit_watcher_fn watcher,
                            void *watcher_closure, zkit_children_cb done, void *closure);

/* Waits until the connected server has caught up with the leader. */
int zkit_sync(zkit_client *client, const char *path);
int zkit_sync_async(zkit_client *client, const char *path, zkit_void_cb done, void *closure);

/* Adds credentials, e.g. ("digest", "alice:secret"); replayed after reconnects. */
int zkit_add_auth(zkit_client *client, const char *scheme, const char *credentials);

/* ---- transactions ---------------------------------------------------------------------------
 * A transaction is built on the caller's thread, then committed all or nothing. */
typedef struct zkit_txn zkit_txn;
/* A new, empty transaction; free with zkit_txn_free. NULL when out of memory. */
zkit_txn *zkit_txn_new(void);
/* Frees a transaction; NULL is fine. */
void zkit_txn_free(zkit_txn *txn);
/* Append ops; copy their arguments; `data` and `len` as for zkit_create. Errors:
 * ZKIT_BAD_ARGUMENTS (NULL path, data NULL with a length). */
int zkit_txn_create(zkit_txn *txn, const char *path, const char *data, size_t len, zkit_create_mode mode);
/* Appends a delete of `path` if its version matches (-1: any). */
int zkit_txn_delete(zkit_txn *txn, const char *path, int32_t version);
/* Appends a set of `path`'s data if its version matches (-1: any). */
int zkit_txn_set(zkit_txn *txn, const char *path, const char *data, size_t len, int32_t version);
/* Appends a check that `path` exists with this version (-1: exists at all). */
int zkit_txn_check(zkit_txn *txn, const char *path, int32_t version);
/* Sends the transaction. Returns ZKIT_OK when it committed; when the server refused it, the
 * code of the failing op, with *failed_op (may be NULL) set to that op's index. `results`
 * (may be NULL; room for every op) receives each op's code: ZKIT_OK for the ops before the
 * failing one, ZKIT_RUNTIME_INCONSISTENCY after it. The txn may be committed again. */
int zkit_txn_commit(zkit_client *client, const zkit_txn *txn, int *results, size_t *failed_op);

/* ---- persistent watches ---------------------------------------------------------------------- */

/* What a persistent watch follows. */
typedef enum zkit_watch_mode {
  ZKIT_WATCH_PERSISTENT = 0,           /* data and child events of the path itself */
  ZKIT_WATCH_PERSISTENT_RECURSIVE = 1  /* created/deleted/changed of the path and descendants */
} zkit_watch_mode;

/* A persistent watch (zkit_add_watch); zkit_watch_remove stops and frees it. */
typedef struct zkit_watch zkit_watch;
/* A persistent watch on `path` (which need not exist): `watcher` runs for every matching change
 * until zkit_watch_remove, and with ZKIT_EVENT_NONE on suspended / reconnected / the end of the
 * session. On ZKIT_OK *out owns it: release it with zkit_watch_remove (before or after
 * zkit_close). */
int zkit_add_watch(zkit_client *client, const char *path, zkit_watch_mode mode, zkit_watcher_fn watcher,
                   void *closure, zkit_watch **out);
/* What zkit_add_watch_async's callback is told: on ZKIT_OK `watch` is the caller's handle
 * (release it with zkit_watch_remove, as one from zkit_add_watch); on an error it is NULL. */
typedef void (*zkit_add_watch_cb)(int rc, const char *message, zkit_watch *watch, void *closure);
/* zkit_add_watch's asynchronous form: `done` runs once the server has set the watch (or the
 * call failed); `watcher` may run only after `done` has. Same errors as zkit_add_watch. */
int zkit_add_watch_async(zkit_client *client, const char *path, zkit_watch_mode mode, zkit_watcher_fn watcher,
                         void *closure, zkit_add_watch_cb done, void *done_closure);
/* Stops the watch and frees the handle: when it returns, the watcher runs no more (from a
 * callback: from then on). NULL is fine. The client must not have been freed yet, or the watch
 * was made on a client that zkit_close already freed: then only the handle is freed. */
void zkit_watch_remove(zkit_watch *watch);

/* ---- recipes ------------------------------------------------------------------------------
 * zkit's recipes (Curator's znode layout), each run on the client's loop thread. A recipe
 * object must be freed (zkit_*_free) before zkit_close of its client. */

/* A lock shared by processes; each acquisition carries a fencing token (the czxid of the lock
 * node), strictly increasing from holder to holder. */
typedef struct zkit_mutex zkit_mutex;
/* A mutex on `path` over `client`; on ZKIT_OK *out owns it: free with zkit_mutex_free. */
int zkit_mutex_new(zkit_client *client, const char *path, zkit_mutex **out);
/* Waits up to timeout_ms (-1: forever; 0: try once) and writes the token. Errors:
 * ZKIT_REQUEST_TIMEOUT (not acquired in time), ZKIT_CLOSING, ZKIT_SESSION_EXPIRED. */
int zkit_mutex_acquire(zkit_mutex *mutex, int64_t timeout_ms, int64_t *token);
/* Errors: ZKIT_BAD_ARGUMENTS (not held). */
int zkit_mutex_release(zkit_mutex *mutex);
/* Releases if held (deletes the node) and frees. NULL is fine. */
void zkit_mutex_free(zkit_mutex *mutex);

/* Joins an election at `path` as `id`; one participant leads at a time. */
typedef struct zkit_leader_latch zkit_leader_latch;
/* Joins the election at once; on ZKIT_OK *out owns it: free with zkit_leader_latch_free. */
int zkit_leader_latch_new(zkit_client *client, const char *path, const char *id, zkit_leader_latch **out);
/* Waits up to timeout_ms (-1: forever) for leadership and writes the term's token. Errors:
 * ZKIT_REQUEST_TIMEOUT, ZKIT_CLOSING, ZKIT_SESSION_EXPIRED. */
int zkit_leader_latch_await(zkit_leader_latch *latch, int64_t timeout_ms, int64_t *token);
/* 1 while this participant leads. */
int zkit_leader_latch_has_leadership(const zkit_leader_latch *latch);
/* Leaves the election (deletes our node) and frees. NULL is fine. */
void zkit_leader_latch_free(zkit_leader_latch *latch);

/* N processes enter together and leave together. */
typedef struct zkit_double_barrier zkit_double_barrier;
/* A barrier for `members` processes at `path`; free with zkit_double_barrier_free. */
int zkit_double_barrier_new(zkit_client *client, const char *path, int members, zkit_double_barrier **out);
/* Enters and waits up to timeout_ms (-1: forever) until every member has. Errors: ZKIT_REQUEST_TIMEOUT, ZKIT_CLOSING. */
int zkit_double_barrier_enter(zkit_double_barrier *barrier, int64_t timeout_ms);
/* Leaves and waits up to timeout_ms (-1: forever) until every member has. Errors: ZKIT_REQUEST_TIMEOUT, ZKIT_CLOSING. */
int zkit_double_barrier_leave(zkit_double_barrier *barrier, int64_t timeout_ms);
/* Leaves if entered and frees. NULL is fine. */
void zkit_double_barrier_free(zkit_double_barrier *barrier);

/* ---- service discovery ----------------------------------------------------------------------
 * Services register instances and find each other in Curator's layout (curator-x-discovery):
 * `<base>/<name>/<id>` holding the instance as Curator's JSON, so Java services see them. */

/* How an instance's node lives (Curator's ServiceType). */
typedef enum zkit_service_type {
  ZKIT_SERVICE_DYNAMIC = 0,           /* an ephemeral node: gone with the session */
  ZKIT_SERVICE_STATIC = 1,            /* persistent */
  ZKIT_SERVICE_PERMANENT = 2,         /* persistent */
  ZKIT_SERVICE_DYNAMIC_SEQUENTIAL = 3 /* read from others; not registered by zkit */
} zkit_service_type;

/* One instance of a service (Curator's ServiceInstance). */
typedef struct zkit_service_instance {
  const char *name;               /* the service */
  const char *id;                 /* this instance, unique within the service */
  const char *address;            /* NULL: "" */
  int32_t port;                   /* -1: none */
  int32_t ssl_port;               /* -1: none */
  const char *payload;            /* JSON text; NULL: null */
  int64_t registration_time_utc;  /* ms since the epoch; 0 when registering: now */
  zkit_service_type service_type; /* dynamic (ephemeral), static or permanent (persistent) */
  const char *uri_spec;           /* a template such as "{scheme}://{address}:{port}"; NULL: none */
  int enabled;                    /* 1: enabled (Curator's `enabled`), 0: not */
} zkit_service_instance;
/* Fills the defaults: no ports, dynamic, enabled, everything else NULL or 0. */
void zkit_service_instance_init(zkit_service_instance *instance);

/* A list of instances, sorted by id. One handed over by a function is the caller's: free it with
 * zkit_service_instances_free (which frees its strings too). */
typedef struct zkit_service_instances {
  size_t count;                 /* number of items */
  zkit_service_instance *items; /* `count` instances; NULL when empty */
} zkit_service_instances;
/* Frees the items and resets the list to empty; NULL or an empty list is fine. */
void zkit_service_instances_free(zkit_service_instances *list);

/* Registers this process's instances under `base_path` and keeps them there: an instance node
 * someone deletes is created again. Free with zkit_service_registry_free before zkit_close. */
typedef struct zkit_service_registry zkit_service_registry;
/* A registry under `base_path`; on ZKIT_OK *out owns it: free with zkit_service_registry_free. */
int zkit_service_registry_new(zkit_client *client, const char *base_path, zkit_service_registry **out);
/* Registers `instance` (copied) and waits until its node is in place. Errors:
 * ZKIT_BAD_ARGUMENTS (NULL name or id, a name or id that is not a node name, a payload that
 * is not JSON, a bad uri_spec, ZKIT_SERVICE_DYNAMIC_SEQUENTIAL, registered already: nothing
 * sent), and those of the operations. */
int zkit_service_register(zkit_service_registry *registry, const zkit_service_instance *instance);
/* Replaces a registered instance's data. Errors: ZKIT_BAD_ARGUMENTS (not registered here). */
int zkit_service_update(zkit_service_registry *registry, const zkit_service_instance *instance);
/* Deletes a registered instance's node. Errors: ZKIT_BAD_ARGUMENTS (not registered here). */
int zkit_service_unregister(zkit_service_registry *registry, const char *name, const char *id);
/* Asks the server for the instances of `name` (any process's) into *out (free with
 * zkit_service_instances_free); no such service: an empty list. */
int zkit_service_query(zkit_service_registry *registry, const char *name, zkit_service_instances *out);
/* Unregisters every instance this registry registered and frees it. NULL is fine. */
void zkit_service_registry_free(zkit_service_registry *registry);

/* The live instances of one service, kept current by watches. */
typedef struct zkit_service_cache zkit_service_cache;
/* Told the whole list after each change, on the loop thread; `now` is valid during the call. */
typedef void (*zkit_service_cache_fn)(const zkit_service_instances *now, void *closure);
/* Follows `<base_path>/<name>` and waits until the first list is in place (that first list is
 * not told to `on_change`, which may be NULL). Free with zkit_service_cache_free before
 * zkit_close; `closure` must stay valid until then. */
int zkit_service_cache_new(zkit_client *client, const char *base_path, const char *name,
                           zkit_service_cache_fn on_change, void *closure, zkit_service_cache **out);
/* A copy of the current list into *out: free with zkit_service_instances_free. */
int zkit_service_cache_instances(zkit_service_cache *cache, zkit_service_instances *out);
/* Stops following and frees: when it returns, on_change runs no more. NULL is fine. */
void zkit_service_cache_free(zkit_service_cache *cache);

#ifdef __cplusplus
}
#endif

#endif /* ZKIT_H */
