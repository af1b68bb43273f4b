/* The C ABI against a real server: every scenario below is one function; the last argument is
 * the connect string (bindings/c/test/with_cluster.cpp passes it). Built as C99 with
 * -Wall -Wextra -Werror -pedantic, and once more under AddressSanitizer, where LeakSanitizer
 * checks that what the header says the caller owns is all the caller has to free. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zkit.h"

static const char *g_connect;
static int g_failures;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", __FILE__, __LINE__, \
              #cond, zkit_last_error());                                             \
      g_failures++;                                                                  \
      return;                                                                        \
    }                                                                                \
  } while (0)

#define CHECK_RC(call, want)                                                            \
  do {                                                                                  \
    int rc_ = (call);                                                                   \
    if (rc_ != (want)) {                                                                \
      fprintf(stderr, "%s:%d: %s returned %s (%d), want %s: %s\n", __FILE__, __LINE__, #call, \
              zkit_strerror(rc_), rc_, zkit_strerror(want), zkit_last_error());         \
      g_failures++;                                                                     \
      return;                                                                           \
    }                                                                                   \
  } while (0)

/* A counter that callbacks bump on the loop thread and the test waits on. */
typedef struct counter {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int count;
  int last_rc;
  int last_type;
  int last_state;
  int wrong_thread;
  char last_path[256];
} counter;

static void counter_init(counter *c) {
  memset(c, 0, sizeof *c);
  pthread_mutex_init(&c->mu, NULL);
  pthread_cond_init(&c->cv, NULL);
}

static void counter_destroy(counter *c) {
  pthread_mutex_destroy(&c->mu);
  pthread_cond_destroy(&c->cv);
}

static void counter_bump(counter *c, int rc, int type, int state, const char *path) {
  pthread_mutex_lock(&c->mu);
  c->count++;
  c->last_rc = rc;
  c->last_type = type;
  c->last_state = state;
  if (path) {
    strncpy(c->last_path, path, sizeof c->last_path - 1);
    c->last_path[sizeof c->last_path - 1] = '\0';
  }
  pthread_cond_broadcast(&c->cv);
  pthread_mutex_unlock(&c->mu);
}

/* Waits until the count reaches `n`, at most 20 s; returns the count. */
static int counter_wait(counter *c, int n) {
  struct timespec deadline;
  int count;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 20;
  pthread_mutex_lock(&c->mu);
  while (c->count < n) {
    if (pthread_cond_timedwait(&c->cv, &c->mu, &deadline) == ETIMEDOUT) break;
  }
  count = c->count;
  pthread_mutex_unlock(&c->mu);
  return count;
}

static int counter_get(counter *c) {
  int n;
  pthread_mutex_lock(&c->mu);
  n = c->count;
  pthread_mutex_unlock(&c->mu);
  return n;
}

static zkit_client *open_client(void) {
  zkit_options o;
  zkit_client *zk = NULL;
  zkit_options_init(&o);
  o.connect = g_connect;
  if (zkit_open(&o, &zk) != ZKIT_OK) {
    fprintf(stderr, "zkit_open(%s): %s\n", g_connect, zkit_last_error());
    return NULL;
  }
  return zk;
}

static void on_watch(const zkit_watch_event *e, void *closure) {
  counter_bump((counter *)closure, 0, e->type, e->state, e->path);
}

/* ---- scenarios ---------------------------------------------------------------------------- */

static void version_and_errors(void) {
  CHECK(zkit_version() == ZKIT_VERSION);
  CHECK(strcmp(zkit_strerror(ZKIT_NO_NODE), "no_node") == 0);
  CHECK(strcmp(zkit_strerror(ZKIT_BAD_VERSION), "bad_version") == 0);
  CHECK(strcmp(zkit_state_name(ZKIT_STATE_EXPIRED), "expired") == 0);
}

static void open_refuses_bad_options(void) {
  zkit_options o;
  zkit_client *zk = NULL;
  zkit_options_init(&o);
  o.connect = "127.0.0.1:notaport";
  CHECK_RC(zkit_open(&o, &zk), ZKIT_BAD_ARGUMENTS);
  CHECK(zk == NULL);
  CHECK(strlen(zkit_last_error()) > 0);
}

static void crud_in_each_mode(void) {
  zkit_client *zk = open_client();
  char *made = NULL, *data = NULL;
  size_t len = 0;
  zkit_stat st;
  int exists = -1;
  zkit_strings kids = {0, NULL};
  CHECK(zk != NULL);
  CHECK(zkit_client_state(zk) == ZKIT_STATE_CONNECTED);
  CHECK(zkit_client_session_id(zk) != 0);

  CHECK_RC(zkit_create(zk, "/crud", "v1", 2, ZKIT_PERSISTENT, &made), ZKIT_OK);
  CHECK(strcmp(made, "/crud") == 0);
  zkit_free(made);
  CHECK_RC(zkit_create(zk, "/crud", "v1", 2, ZKIT_PERSISTENT, NULL), ZKIT_NODE_EXISTS);
  CHECK(strstr(zkit_last_error(), "/crud") != NULL || strlen(zkit_last_error()) > 0);
  CHECK_RC(zkit_create(zk, "/crud/e", NULL, 0, ZKIT_EPHEMERAL, NULL), ZKIT_OK);
  CHECK_RC(zkit_create(zk, "/crud/s-", "x", 1, ZKIT_PERSISTENT_SEQUENTIAL, &made), ZKIT_OK);
  CHECK(strncmp(made, "/crud/s-", 8) == 0 && strlen(made) == 18);
  zkit_free(made);
  CHECK_RC(zkit_create(zk, "/crud/es-", "x", 1, ZKIT_EPHEMERAL_SEQUENTIAL, NULL), ZKIT_OK);
  CHECK_RC(zkit_create(zk, "/crud/c", NULL, 0, ZKIT_CONTAINER, NULL), ZKIT_OK);

  CHECK_RC(zkit_exists(zk, "/crud/e", NULL, NULL, &exists, &st), ZKIT_OK);
  CHECK(exists == 1 && st.ephemeral_owner == zkit_client_session_id(zk));
  CHECK_RC(zkit_exists(zk, "/crud/none", NULL, NULL, &exists, &st), ZKIT_OK);
  CHECK(exists == 0);

  CHECK_RC(zkit_get(zk, "/crud", NULL, NULL, &data, &len, &st), ZKIT_OK);
  CHECK(len == 2 && memcmp(data, "v1", 2) == 0 && data[2] == '\0' && st.version == 0);
  zkit_free(data);
  CHECK_RC(zkit_get(zk, "/crud/e", NULL, NULL, &data, &len, NULL), ZKIT_OK);
  CHECK(data != NULL && len == 0 && data[0] == '\0'); /* empty, not null */
  zkit_free(data);
  CHECK_RC(zkit_get(zk, "/crud/none", NULL, NULL, &data, &len, NULL), ZKIT_NO_NODE);

  CHECK_RC(zkit_set(zk, "/crud", "v2", 2, 0, &st), ZKIT_OK);
  CHECK(st.version == 1);
  CHECK_RC(zkit_set(zk, "/crud", "v3", 2, 0, NULL), ZKIT_BAD_VERSION);

  CHECK_RC(zkit_get_children(zk, "/crud", NULL, NULL, &kids, &st), ZKIT_OK);
  CHECK(kids.count == 4 && st.num_children == 4);
  zkit_strings_free(&kids);
  CHECK(kids.count == 0 && kids.items == NULL);

  CHECK_RC(zkit_delete(zk, "/crud", -1), ZKIT_NOT_EMPTY);
  CHECK_RC(zkit_delete(zk, "/crud/e", 5), ZKIT_BAD_VERSION);
  CHECK_RC(zkit_delete(zk, "/crud/e", 0), ZKIT_OK);
  CHECK_RC(zkit_sync(zk, "/crud"), ZKIT_OK);
  zkit_close(zk);
}

static void bad_input_is_refused_before_sending(void) {
  zkit_client *zk = open_client();
  counter c;
  CHECK(zk != NULL);
  counter_init(&c);
  CHECK_RC(zkit_create(zk, "no-slash", NULL, 0, ZKIT_PERSISTENT, NULL), ZKIT_BAD_ARGUMENTS);
  CHECK(strlen(zkit_last_error()) > 0);
  CHECK_RC(zkit_create(zk, "/a/", NULL, 0, ZKIT_PERSISTENT, NULL), ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_create(zk, "/a", NULL, 0, (zkit_create_mode)42, NULL), ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_get(zk, NULL, NULL, NULL, NULL, NULL, NULL), ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_delete_async(zk, "//x", -1, NULL, NULL), ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_create(zk, "/refused", NULL, 3, ZKIT_PERSISTENT, NULL), ZKIT_BAD_ARGUMENTS);
  CHECK(strstr(zkit_last_error(), "len is 3") != NULL);
  CHECK_RC(zkit_set(zk, "/refused", "x", ZKIT_NULL_DATA, -1, NULL), ZKIT_BAD_ARGUMENTS);
  zkit_close(zk);
  counter_destroy(&c);
}

static void watch_fires_once(void) {
  zkit_client *zk = open_client();
  counter w;
  int exists = -1;
  CHECK(zk != NULL);
  counter_init(&w);
  CHECK_RC(zkit_exists(zk, "/once", on_watch, &w, &exists, NULL), ZKIT_OK);
  CHECK(exists == 0);
  CHECK_RC(zkit_create(zk, "/once", "a", 1, ZKIT_PERSISTENT, NULL), ZKIT_OK);
  CHECK(counter_wait(&w, 1) == 1);
  CHECK(w.last_type == ZKIT_EVENT_CREATED && strcmp(w.last_path, "/once") == 0);
  /* A second change: the one-shot watch is gone. A watch set after it proves the event for
   * the second change was delivered (events arrive in order). */
  {
    counter later;
    char *d = NULL;
    size_t n = 0;
    counter_init(&later);
    CHECK_RC(zkit_set(zk, "/once", "b", 1, -1, NULL), ZKIT_OK);
    CHECK_RC(zkit_get(zk, "/once", on_watch, &later, &d, &n, NULL), ZKIT_OK);
    zkit_free(d);
    CHECK_RC(zkit_set(zk, "/once", "c", 1, -1, NULL), ZKIT_OK);
    CHECK(counter_wait(&later, 1) == 1);
    CHECK(later.last_type == ZKIT_EVENT_DATA_CHANGED);
    CHECK(counter_get(&w) == 1);
    counter_destroy(&later);
  }
  CHECK_RC(zkit_delete(zk, "/once", -1), ZKIT_OK);
  zkit_close(zk);
  counter_destroy(&w);
}

static void watch_ends_once_on_close(void) {
  zkit_client *zk = open_client();
  counter w;
  int exists = -1;
  CHECK(zk != NULL);
  counter_init(&w);
  CHECK_RC(zkit_exists(zk, "/never", on_watch, &w, &exists, NULL), ZKIT_OK);
  zkit_close(zk);
  CHECK(counter_get(&w) == 1);
  CHECK(w.last_type == ZKIT_EVENT_NONE && w.last_state == ZKIT_STATE_CLOSED);
  counter_destroy(&w);
}

static void persistent_watch_until_removed(void) {
  zkit_client *zk = open_client();
  counter w, later;
  zkit_watch *watch = NULL;
  char *d = NULL;
  size_t n = 0;
  CHECK(zk != NULL);
  counter_init(&w);
  counter_init(&later);
  CHECK_RC(zkit_add_watch(zk, "/tree", ZKIT_WATCH_PERSISTENT_RECURSIVE, on_watch, &w, &watch), ZKIT_OK);
  CHECK_RC(zkit_create(zk, "/tree", NULL, 0, ZKIT_PERSISTENT, NULL), ZKIT_OK);
  CHECK_RC(zkit_create(zk, "/tree/a", NULL, 0, ZKIT_PERSISTENT, NULL), ZKIT_OK);
  CHECK_RC(zkit_set(zk, "/tree/a", "x", 1, -1, NULL), ZKIT_OK);
  CHECK(counter_wait(&w, 3) == 3);
  CHECK(w.last_type == ZKIT_EVENT_DATA_CHANGED && strcmp(w.last_path, "/tree/a") == 0);
  zkit_watch_remove(watch);
  /* After removal: a change, then a one-shot watch that fires after it. */
  CHECK_RC(zkit_get(zk, "/tree/a", on_watch, &later, &d, &n, NULL), ZKIT_OK);
  zkit_free(d);
  CHECK_RC(zkit_set(zk, "/tree/a", "y", 1, -1, NULL), ZKIT_OK);
  CHECK(counter_wait(&later, 1) == 1);
  CHECK(counter_get(&w) == 3);
  CHECK_RC(zkit_delete(zk, "/tree/a", -1), ZKIT_OK);
  CHECK_RC(zkit_delete(zk, "/tree", -1), ZKIT_OK);
  zkit_close(zk);
  counter_destroy(&w);
  counter_destroy(&later);
}

static void on_created(int rc, const char *message, const char *path, void *closure) {
  counter_bump((counter *)closure, rc, 0, 0, rc == ZKIT_OK ? path : message);
}

typedef struct inner_call {
  zkit_client *zk;
  counter done;
  int blocking_rc;
} inner_call;

static void on_got(int rc, const char *message, const char *data, size_t len, const zkit_stat *st, void *closure) {
  inner_call *ic = (inner_call *)closure;
  (void)message;
  (void)data;
  (void)len;
  (void)st;
  /* A blocking call here would wait on the loop thread it runs on: refused at once. */
  ic->blocking_rc = zkit_sync(ic->zk, "/");
  counter_bump(&ic->done, rc, 0, 0, NULL);
}

static void async_calls_complete_on_the_loop(void) {
  zkit_client *zk = open_client();
  counter c;
  inner_call ic;
  CHECK(zk != NULL);
  counter_init(&c);
  CHECK_RC(zkit_create_async(zk, "/async", "a", 1, ZKIT_PERSISTENT, on_created, &c), ZKIT_OK);
  CHECK_RC(zkit_create_async(zk, "/async", "a", 1, ZKIT_PERSISTENT, on_created, &c), ZKIT_OK);
  CHECK(counter_wait(&c, 2) == 2);
  CHECK(c.last_rc == ZKIT_NODE_EXISTS);
  ic.zk = zk;
  counter_init(&ic.done);
  ic.blocking_rc = 0;
  CHECK_RC(zkit_get_async(zk, "/async", NULL, NULL, on_got, &ic), ZKIT_OK);
  CHECK(counter_wait(&ic.done, 1) == 1);
  CHECK(ic.done.last_rc == ZKIT_OK);
  CHECK(ic.blocking_rc == ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_delete(zk, "/async", -1), ZKIT_OK);
  zkit_close(zk);
  counter_destroy(&c);
  counter_destroy(&ic.done);
}

static void on_void(int rc, const char *message, void *closure) {
  (void)message;
  counter_bump((counter *)closure, rc, 0, 0, NULL);
}

static void close_fails_pending_exactly_once(void) {
  enum { N = 200 };
  zkit_client *zk = open_client();
  counter c;
  int i, posted = 0;
  CHECK(zk != NULL);
  counter_init(&c);
  for (i = 0; i < N; ++i)
    if (zkit_sync_async(zk, "/", on_void, &c) == ZKIT_OK) posted++;
  CHECK(posted == N);
  zkit_close(zk); /* every callback has run when it returns */
  CHECK(counter_get(&c) == N);
  counter_destroy(&c);
}

static void on_data(int rc, const char *message, const char *data, size_t len, const zkit_stat *stat,
                    void *closure) {
  /* last_type: 1 for null data, 2 for bytes; last_path: the bytes */
  counter *c = (counter *)closure;
  char text[64] = "";
  (void)message;
  (void)stat;
  if (data != NULL && len < sizeof text) memcpy(text, data, len);
  counter_bump(c, rc, data == NULL ? 1 : 2, 0, text);
}

static void on_stat(int rc, const char *message, const zkit_stat *stat, void *closure) {
  (void)message;
  (void)stat;
  counter_bump((counter *)closure, rc, 0, 0, NULL);
}

static void null_data_differs_from_empty(void) {
  zkit_client *zk = open_client();
  zkit_txn *txn = zkit_txn_new();
  char *data = NULL;
  size_t len = 99;
  counter c;
  CHECK(zk != NULL && txn != NULL);
  counter_init(&c);
  CHECK_RC(zkit_create(zk, "/null", NULL, ZKIT_NULL_DATA, ZKIT_PERSISTENT, NULL), ZKIT_OK);
  CHECK_RC(zkit_get(zk, "/null", NULL, NULL, &data, &len, NULL), ZKIT_OK);
  CHECK(data == NULL && len == 0);
  CHECK_RC(zkit_get_async(zk, "/null", NULL, NULL, on_data, &c), ZKIT_OK);
  CHECK(counter_wait(&c, 1) == 1);
  CHECK(c.last_rc == ZKIT_OK && c.last_type == 1);

  CHECK_RC(zkit_set(zk, "/null", "", 0, 0, NULL), ZKIT_OK);
  CHECK_RC(zkit_get_async(zk, "/null", NULL, NULL, on_data, &c), ZKIT_OK);
  CHECK(counter_wait(&c, 2) == 2);
  CHECK(c.last_type == 2 && c.last_path[0] == '\0');
  CHECK_RC(zkit_set_async(zk, "/null", NULL, ZKIT_NULL_DATA, 1, on_stat, &c), ZKIT_OK);
  CHECK(counter_wait(&c, 3) == 3);
  CHECK(c.last_rc == ZKIT_OK);
  CHECK_RC(zkit_get(zk, "/null", NULL, NULL, &data, &len, NULL), ZKIT_OK);
  CHECK(data == NULL && len == 0);

  CHECK_RC(zkit_txn_create(txn, "/null/a", NULL, ZKIT_NULL_DATA, ZKIT_PERSISTENT), ZKIT_OK);
  CHECK_RC(zkit_txn_set(txn, "/null", "v", 1, 2), ZKIT_OK);
  CHECK_RC(zkit_txn_set(txn, "/null/a", NULL, ZKIT_NULL_DATA, 0), ZKIT_OK);
  CHECK_RC(zkit_txn_create(txn, "/null/b", "x", ZKIT_NULL_DATA, ZKIT_PERSISTENT), ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_txn_commit(zk, txn, NULL, NULL), ZKIT_OK);
  CHECK_RC(zkit_get(zk, "/null/a", NULL, NULL, &data, &len, NULL), ZKIT_OK);
  CHECK(data == NULL && len == 0);
  CHECK_RC(zkit_get(zk, "/null", NULL, NULL, &data, &len, NULL), ZKIT_OK);
  CHECK(data != NULL && len == 1 && data[0] == 'v');
  zkit_free(data);
  CHECK_RC(zkit_create_async(zk, "/null/c", NULL, ZKIT_NULL_DATA, ZKIT_PERSISTENT, on_created, &c), ZKIT_OK);
  CHECK(counter_wait(&c, 4) == 4);
  CHECK(c.last_rc == ZKIT_OK);
  CHECK_RC(zkit_get(zk, "/null/c", NULL, NULL, &data, &len, NULL), ZKIT_OK);
  CHECK(data == NULL);
  zkit_txn_free(txn);
  zkit_close(zk);
  counter_destroy(&c);
}

static void multi_with_one_failing_op(void) {
  zkit_client *zk = open_client();
  zkit_txn *txn = zkit_txn_new();
  int results[3] = {1, 1, 1};
  size_t failed = 99;
  int exists = -1;
  CHECK(zk != NULL && txn != NULL);
  CHECK_RC(zkit_txn_create(txn, "/txn", NULL, 0, ZKIT_PERSISTENT), ZKIT_OK);
  CHECK_RC(zkit_txn_check(txn, "/txn-missing", -1), ZKIT_OK);
  CHECK_RC(zkit_txn_set(txn, "/txn", "x", 1, -1), ZKIT_OK);
  CHECK_RC(zkit_txn_commit(zk, txn, results, &failed), ZKIT_NO_NODE);
  CHECK(failed == 1);
  CHECK(results[0] == ZKIT_OK && results[1] == ZKIT_NO_NODE && results[2] == ZKIT_RUNTIME_INCONSISTENCY);
  CHECK_RC(zkit_exists(zk, "/txn", NULL, NULL, &exists, NULL), ZKIT_OK);
  CHECK(exists == 0);
  zkit_txn_free(txn);
  txn = zkit_txn_new();
  CHECK_RC(zkit_txn_create(txn, "/txn", NULL, 0, ZKIT_PERSISTENT), ZKIT_OK);
  CHECK_RC(zkit_txn_delete(txn, "/txn", 0), ZKIT_OK);
  CHECK_RC(zkit_txn_commit(zk, txn, NULL, NULL), ZKIT_OK);
  zkit_txn_free(txn);
  zkit_close(zk);
}

static void on_state(zkit_state state, void *closure) { counter_bump((counter *)closure, 0, 0, (int)state, NULL); }

static void listener_told_of_close(void) {
  zkit_client *zk = open_client();
  counter c;
  uint64_t id = 0, other = 0;
  CHECK(zk != NULL);
  counter_init(&c);
  CHECK_RC(zkit_add_listener(zk, on_state, &c, &id), ZKIT_OK);
  CHECK_RC(zkit_add_listener(zk, on_state, &c, &other), ZKIT_OK);
  CHECK(id != 0 && other != id);
  CHECK_RC(zkit_remove_listener(zk, other), ZKIT_OK);
  zkit_close(zk);
  CHECK(counter_get(&c) == 1 && c.last_state == ZKIT_STATE_CLOSED);
  counter_destroy(&c);
}

static void mutex_tokens_increase(void) {
  zkit_client *a = open_client(), *b = open_client();
  zkit_mutex *ma = NULL, *mb = NULL;
  int64_t t1 = 0, t2 = 0;
  CHECK(a != NULL && b != NULL);
  CHECK_RC(zkit_mutex_new(a, "/locks/c", &ma), ZKIT_OK);
  CHECK_RC(zkit_mutex_new(b, "/locks/c", &mb), ZKIT_OK);
  CHECK_RC(zkit_mutex_acquire(ma, -1, &t1), ZKIT_OK);
  CHECK(t1 > 0);
  CHECK_RC(zkit_mutex_acquire(mb, 0, &t2), ZKIT_REQUEST_TIMEOUT);
  CHECK_RC(zkit_mutex_release(ma), ZKIT_OK);
  CHECK_RC(zkit_mutex_release(ma), ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_mutex_acquire(mb, 10000, &t2), ZKIT_OK);
  CHECK(t2 > t1);
  zkit_mutex_free(ma);
  zkit_mutex_free(mb); /* releases: deletes b's node */
  {
    zkit_mutex *again = NULL;
    int64_t t3 = 0;
    CHECK_RC(zkit_mutex_new(a, "/locks/c", &again), ZKIT_OK);
    CHECK_RC(zkit_mutex_acquire(again, 0, &t3), ZKIT_OK);
    CHECK(t3 > t2);
    zkit_mutex_free(again);
  }
  zkit_close(a);
  zkit_close(b);
}

static void leader_latch_hands_over(void) {
  zkit_client *a = open_client(), *b = open_client();
  zkit_leader_latch *la = NULL, *lb = NULL;
  int64_t t1 = 0, t2 = 0;
  CHECK(a != NULL && b != NULL);
  CHECK_RC(zkit_leader_latch_new(a, "/election/c", "a", &la), ZKIT_OK);
  CHECK_RC(zkit_leader_latch_await(la, 10000, &t1), ZKIT_OK);
  CHECK_RC(zkit_leader_latch_new(b, "/election/c", "b", &lb), ZKIT_OK);
  CHECK(zkit_leader_latch_has_leadership(la) == 1);
  CHECK_RC(zkit_leader_latch_await(lb, 0, &t2), ZKIT_REQUEST_TIMEOUT);
  CHECK(zkit_leader_latch_has_leadership(lb) == 0);
  zkit_leader_latch_free(la); /* leaves: b takes over */
  CHECK_RC(zkit_leader_latch_await(lb, 10000, &t2), ZKIT_OK);
  CHECK(t2 > t1);
  zkit_leader_latch_free(lb);
  zkit_close(a);
  zkit_close(b);
}

typedef struct member {
  zkit_double_barrier *barrier;
  int entered, left;
} member;

static void *run_member(void *arg) {
  member *m = (member *)arg;
  m->entered = zkit_double_barrier_enter(m->barrier, 20000);
  m->left = zkit_double_barrier_leave(m->barrier, 20000);
  return NULL;
}

static void double_barrier_of_two(void) {
  zkit_client *a = open_client(), *b = open_client();
  member ma = {NULL, 1, 1}, mb = {NULL, 1, 1};
  pthread_t other;
  CHECK(a != NULL && b != NULL);
  CHECK_RC(zkit_double_barrier_new(a, "/barrier/c", 2, &ma.barrier), ZKIT_OK);
  CHECK_RC(zkit_double_barrier_new(b, "/barrier/c", 2, &mb.barrier), ZKIT_OK);
  CHECK_RC(zkit_double_barrier_enter(ma.barrier, 0), ZKIT_REQUEST_TIMEOUT); /* alone: not in */
  CHECK(pthread_create(&other, NULL, run_member, &mb) == 0);
  run_member(&ma);
  pthread_join(other, NULL);
  CHECK(ma.entered == ZKIT_OK && mb.entered == ZKIT_OK);
  CHECK(ma.left == ZKIT_OK && mb.left == ZKIT_OK);
  zkit_double_barrier_free(ma.barrier);
  zkit_double_barrier_free(mb.barrier);
  zkit_close(a);
  zkit_close(b);
}

/* ---- zkit_add_watch_async ---- */
typedef struct async_watch {
  counter added;   /* zkit_add_watch_async's callback */
  counter events;  /* the watcher */
  zkit_watch *watch;
  int events_before_added; /* events the watcher saw before `added` ran: must stay 0 */
} async_watch;

static void on_watch_added(int rc, const char *message, zkit_watch *watch, void *closure) {
  async_watch *aw = (async_watch *)closure;
  aw->watch = watch;
  counter_bump(&aw->added, rc, 0, 0, message);
}

static void on_async_watch_event(const zkit_watch_event *e, void *closure) {
  async_watch *aw = (async_watch *)closure;
  if (counter_get(&aw->added) == 0) aw->events_before_added++;
  counter_bump(&aw->events, 0, e->type, e->state, e->path);
}

static void persistent_watch_async(void) {
  zkit_client *zk = open_client();
  async_watch aw;
  counter never;
  CHECK(zk != NULL);
  memset(&aw, 0, sizeof aw);
  counter_init(&aw.added);
  counter_init(&aw.events);
  counter_init(&never);
  /* Refused before anything is sent; the callback never runs. */
  CHECK_RC(zkit_add_watch_async(zk, "no-slash", ZKIT_WATCH_PERSISTENT, on_async_watch_event, &aw, on_watch_added, &never),
           ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_add_watch_async(zk, "/aw", ZKIT_WATCH_PERSISTENT, NULL, &aw, on_watch_added, &never), ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_add_watch_async(zk, "/aw", (zkit_watch_mode)7, on_async_watch_event, &aw, on_watch_added, &never),
           ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_add_watch_async(zk, "/aw", ZKIT_WATCH_PERSISTENT, on_async_watch_event, &aw, NULL, NULL),
           ZKIT_BAD_ARGUMENTS);

  CHECK_RC(zkit_add_watch_async(zk, "/aw", ZKIT_WATCH_PERSISTENT_RECURSIVE, on_async_watch_event, &aw, on_watch_added,
                                &aw),
           ZKIT_OK);
  CHECK(counter_wait(&aw.added, 1) == 1);
  CHECK(aw.added.last_rc == ZKIT_OK && aw.watch != NULL);
  CHECK_RC(zkit_create(zk, "/aw", NULL, 0, ZKIT_PERSISTENT, NULL), ZKIT_OK);
  CHECK_RC(zkit_create(zk, "/aw/x", NULL, 0, ZKIT_PERSISTENT, NULL), ZKIT_OK);
  CHECK(counter_wait(&aw.events, 2) == 2);
  CHECK(aw.events.last_type == ZKIT_EVENT_CREATED && strcmp(aw.events.last_path, "/aw/x") == 0);
  CHECK(aw.events_before_added == 0);
  zkit_watch_remove(aw.watch);
  CHECK_RC(zkit_delete(zk, "/aw/x", -1), ZKIT_OK);
  CHECK_RC(zkit_delete(zk, "/aw", -1), ZKIT_OK);
  CHECK(counter_get(&aw.events) == 2);
  CHECK(counter_get(&never) == 0);
  zkit_close(zk);
  CHECK(counter_get(&aw.added) == 1);
  counter_destroy(&aw.added);
  counter_destroy(&aw.events);
  counter_destroy(&never);
}

/* An asynchronous add that the close overtakes: its callback runs once, with an error or a
 * handle that is still the caller's to free (LeakSanitizer checks that). */
static void add_watch_async_then_close(void) {
  zkit_client *zk = open_client();
  async_watch aw;
  CHECK(zk != NULL);
  memset(&aw, 0, sizeof aw);
  counter_init(&aw.added);
  counter_init(&aw.events);
  CHECK_RC(zkit_add_watch_async(zk, "/awc", ZKIT_WATCH_PERSISTENT, on_async_watch_event, &aw, on_watch_added, &aw),
           ZKIT_OK);
  zkit_close(zk);
  CHECK(counter_get(&aw.added) == 1);
  CHECK((aw.added.last_rc == ZKIT_OK) == (aw.watch != NULL));
  zkit_watch_remove(aw.watch); /* after zkit_close: frees the handle only */
  counter_destroy(&aw.added);
  counter_destroy(&aw.events);
}

/* ---- service registry and cache ---- */
typedef struct seen_services {
  counter changes;
  pthread_mutex_t mu;
  size_t last_count;
  char last_ids[256]; /* "cs-1,cs-2," */
} seen_services;

static void on_services(const zkit_service_instances *now, void *closure) {
  seen_services *seen = (seen_services *)closure;
  size_t i;
  pthread_mutex_lock(&seen->mu);
  seen->last_count = now->count;
  seen->last_ids[0] = '\0';
  for (i = 0; i < now->count; ++i) {
    if (strlen(seen->last_ids) + strlen(now->items[i].id) + 2 > sizeof seen->last_ids) break;
    strcat(seen->last_ids, now->items[i].id);
    strcat(seen->last_ids, ",");
  }
  pthread_mutex_unlock(&seen->mu);
  counter_bump(&seen->changes, 0, 0, 0, NULL);
}

/* Waits until the cache's listener was told `ids` ("a,b,"), at most 20 s. */
static int services_become(seen_services *seen, const char *ids) {
  int n;
  for (n = 1; n <= 50; ++n) {
    int same;
    pthread_mutex_lock(&seen->mu);
    same = strcmp(seen->last_ids, ids) == 0;
    pthread_mutex_unlock(&seen->mu);
    if (same) return 1;
    counter_wait(&seen->changes, counter_get(&seen->changes) + 1);
  }
  return 0;
}

static void service_registry_and_cache(void) {
  zkit_client *a = open_client(), *b = open_client();
  zkit_service_registry *reg = NULL, *reg_b = NULL;
  zkit_service_cache *cache = NULL;
  zkit_service_instance in, other;
  zkit_service_instances list = {0, NULL};
  seen_services seen;
  int exists = -1;
  CHECK(a != NULL && b != NULL);
  memset(&seen, 0, sizeof seen);
  counter_init(&seen.changes);
  pthread_mutex_init(&seen.mu, NULL);

  CHECK_RC(zkit_service_registry_new(a, "/services", &reg), ZKIT_OK);
  zkit_service_instance_init(&in);
  CHECK(in.port == -1 && in.ssl_port == -1 && in.enabled == 1 && in.service_type == ZKIT_SERVICE_DYNAMIC);
  in.name = "chunk";
  in.id = "cs-1";
  in.address = "10.0.0.1";
  in.port = 9000;
  in.payload = "{\"zone\":\"a\"}";
  in.uri_spec = "{scheme}://{address}:{port}";
  /* Bad input: refused before anything is sent. */
  in.id = NULL;
  CHECK_RC(zkit_service_register(reg, &in), ZKIT_BAD_ARGUMENTS);
  in.id = "cs/1";
  CHECK_RC(zkit_service_register(reg, &in), ZKIT_BAD_ARGUMENTS);
  in.id = "cs-1";
  in.payload = "{not json";
  CHECK_RC(zkit_service_register(reg, &in), ZKIT_BAD_ARGUMENTS);
  in.payload = "{\"zone\":\"a\"}";
  in.port = 70000;
  CHECK_RC(zkit_service_register(reg, &in), ZKIT_BAD_ARGUMENTS);
  in.port = 9000;
  in.uri_spec = "{open";
  CHECK_RC(zkit_service_register(reg, &in), ZKIT_BAD_ARGUMENTS);
  in.uri_spec = "{scheme}://{address}:{port}";
  CHECK_RC(zkit_service_register(NULL, &in), ZKIT_BAD_ARGUMENTS);
  CHECK_RC(zkit_exists(a, "/services/chunk", NULL, NULL, &exists, NULL), ZKIT_OK);
  CHECK(exists == 0);

  CHECK_RC(zkit_service_register(reg, &in), ZKIT_OK);
  CHECK_RC(zkit_service_register(reg, &in), ZKIT_BAD_ARGUMENTS); /* registered already */
  CHECK_RC(zkit_service_cache_new(b, "/services", "chunk", on_services, &seen, &cache), ZKIT_OK);
  CHECK_RC(zkit_service_cache_instances(cache, &list), ZKIT_OK);
  CHECK(list.count == 1);
  CHECK(strcmp(list.items[0].name, "chunk") == 0 && strcmp(list.items[0].id, "cs-1") == 0);
  CHECK(strcmp(list.items[0].address, "10.0.0.1") == 0 && list.items[0].port == 9000 && list.items[0].ssl_port == -1);
  CHECK(strcmp(list.items[0].payload, "{\"zone\":\"a\"}") == 0);
  CHECK(strcmp(list.items[0].uri_spec, "{scheme}://{address}:{port}") == 0);
  CHECK(list.items[0].registration_time_utc > 0 && list.items[0].enabled == 1);
  CHECK(list.items[0].service_type == ZKIT_SERVICE_DYNAMIC);
  zkit_service_instances_free(&list);
  CHECK(list.count == 0 && list.items == NULL);

  /* Another process's instance, then an update, seen by the cache's listener. */
  CHECK_RC(zkit_service_registry_new(b, "/services", &reg_b), ZKIT_OK);
  zkit_service_instance_init(&other);
  other.name = "chunk";
  other.id = "cs-2";
  other.address = "10.0.0.2";
  other.service_type = ZKIT_SERVICE_STATIC;
  CHECK_RC(zkit_service_register(reg_b, &other), ZKIT_OK);
  CHECK(services_become(&seen, "cs-1,cs-2,"));
  CHECK_RC(zkit_service_query(reg, "chunk", &list), ZKIT_OK);
  CHECK(list.count == 2 && strcmp(list.items[1].id, "cs-2") == 0 && list.items[1].port == -1);
  CHECK(list.items[1].service_type == ZKIT_SERVICE_STATIC && list.items[1].uri_spec == NULL);
  zkit_service_instances_free(&list);
  CHECK_RC(zkit_service_query(reg, "nothing", &list), ZKIT_OK);
  CHECK(list.count == 0 && list.items == NULL);

  in.address = "10.0.0.11";
  CHECK_RC(zkit_service_update(reg, &in), ZKIT_OK);
  CHECK_RC(zkit_service_update(reg_b, &in), ZKIT_BAD_ARGUMENTS); /* not registered there */
  {
    int i, updated = 0;
    for (i = 0; i < 50 && !updated; ++i) {
      CHECK_RC(zkit_service_cache_instances(cache, &list), ZKIT_OK);
      updated = list.count == 2 && strcmp(list.items[0].address, "10.0.0.11") == 0;
      zkit_service_instances_free(&list);
      if (!updated) counter_wait(&seen.changes, counter_get(&seen.changes) + 1);
    }
    CHECK(updated);
  }

  CHECK_RC(zkit_service_unregister(reg_b, "chunk", "cs-2"), ZKIT_OK);
  CHECK_RC(zkit_service_unregister(reg_b, "chunk", "cs-2"), ZKIT_BAD_ARGUMENTS);
  CHECK(services_become(&seen, "cs-1,"));
  zkit_service_registry_free(reg); /* unregisters cs-1 */
  CHECK(services_become(&seen, ""));
  zkit_service_cache_free(cache);
  zkit_service_registry_free(reg_b);
  zkit_close(a);
  zkit_close(b);
  pthread_mutex_destroy(&seen.mu);
  counter_destroy(&seen.changes);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s <connect string>\n", argv[0]);
    return 2;
  }
  g_connect = argv[argc - 1];
  version_and_errors();
  open_refuses_bad_options();
  crud_in_each_mode();
  bad_input_is_refused_before_sending();
  watch_fires_once();
  watch_ends_once_on_close();
  persistent_watch_until_removed();
  persistent_watch_async();
  add_watch_async_then_close();
  async_calls_complete_on_the_loop();
  close_fails_pending_exactly_once();
  multi_with_one_failing_op();
  null_data_differs_from_empty();
  listener_told_of_close();
  mutex_tokens_increase();
  leader_latch_hands_over();
  double_barrier_of_two();
  service_registry_and_cache();
  if (g_failures) {
    fprintf(stderr, "c_api_test: %d check(s) failed\n", g_failures);
    return 1;
  }
  printf("c_api_test: all scenarios passed\n");
  return 0;
}
