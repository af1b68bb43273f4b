/* The first program of docs/c.md: connect, create, read, watch, lock. Run by the `c` suite. */
#include <stdio.h>
#include <string.h>

#include "zkit.h"

static void on_change(const zkit_watch_event *e, void *closure) {
  (void)closure;
  printf("watch: event %d on %s\n", (int)e->type, e->path);
}

int main(int argc, char **argv) {
  zkit_options o;
  zkit_client *zk = NULL;
  zkit_mutex *lock = NULL;
  char *data = NULL;
  size_t len = 0;
  zkit_stat st;
  int64_t token = 0;

  zkit_options_init(&o);
  o.connect = argc > 1 ? argv[argc - 1] : "127.0.0.1:2181";
  if (zkit_open(&o, &zk) != ZKIT_OK) {
    fprintf(stderr, "open: %s\n", zkit_last_error());
    return 1;
  }
  if (zkit_create(zk, "/hello", "world", 5, ZKIT_PERSISTENT, NULL) != ZKIT_OK)
    fprintf(stderr, "create: %s (%s)\n", zkit_strerror(ZKIT_NODE_EXISTS), zkit_last_error());
  if (zkit_get(zk, "/hello", on_change, NULL, &data, &len, &st) != ZKIT_OK) {
    fprintf(stderr, "get: %s\n", zkit_last_error());
    zkit_close(zk);
    return 1;
  }
  printf("/hello = %.*s (version %d)\n", (int)len, data, (int)st.version);
  zkit_free(data); /* the caller owns what zkit_get hands out */
  zkit_set(zk, "/hello", "again", 5, st.version, NULL); /* fires the watch */

  if (zkit_mutex_new(zk, "/locks/hello", &lock) == ZKIT_OK &&
      zkit_mutex_acquire(lock, 5000, &token) == ZKIT_OK) {
    printf("holding the lock with fencing token %lld\n", (long long)token);
    zkit_mutex_release(lock);
  }
  zkit_mutex_free(lock);
  zkit_close(zk); /* waits for every callback, the watch's included */
  return 0;
}
