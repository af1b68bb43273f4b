/* docs/c.md's service discovery example: register an instance, find it through a cache that
 * follows the service. Run by the `c` suite. */
#include <stdio.h>
#include <stdlib.h>

#include "zkit.h"

static void on_change(const zkit_service_instances *now, void *closure) {
  (void)closure;
  printf("chunkservers now: %zu\n", now->count);
}

int main(int argc, char **argv) {
  zkit_options o;
  zkit_client *zk = NULL;
  zkit_service_registry *registry = NULL;
  zkit_service_cache *cache = NULL;
  zkit_service_instance me;
  zkit_service_instances found = {0, NULL};
  size_t i;
  int rc;

  zkit_options_init(&o);
  /* The server: the last argument, else $ZKIT_CONNECT, else the default. */
  o.connect = argc > 1 ? argv[argc - 1] : getenv("ZKIT_CONNECT") ? getenv("ZKIT_CONNECT") : "127.0.0.1:2181";
  if (zkit_open(&o, &zk) != ZKIT_OK) {
    fprintf(stderr, "open: %s\n", zkit_last_error());
    return 1;
  }
  zkit_service_instance_init(&me);
  me.name = "chunkserver";
  me.id = "cs-7";
  me.address = "10.0.0.7";
  me.port = 9000;
  me.payload = "{\"zone\":\"eu-1\"}";   /* any JSON */
  if ((rc = zkit_service_registry_new(zk, "/services", &registry)) != ZKIT_OK ||
      (rc = zkit_service_register(registry, &me)) != ZKIT_OK ||  /* an ephemeral node, kept there */
      (rc = zkit_service_cache_new(zk, "/services", "chunkserver", on_change, NULL, &cache)) != ZKIT_OK ||
      (rc = zkit_service_cache_instances(cache, &found)) != ZKIT_OK) {
    fprintf(stderr, "discovery: %s: %s\n", zkit_strerror(rc), zkit_last_error());
    zkit_service_cache_free(cache);
    zkit_service_registry_free(registry);
    zkit_close(zk);
    return 1;
  }
  for (i = 0; i < found.count; ++i)
    printf("%s/%s at %s:%d\n", found.items[i].name, found.items[i].id, found.items[i].address,
           (int)found.items[i].port);
  zkit_service_instances_free(&found);  /* the list is the caller's */
  zkit_service_cache_free(cache);
  zkit_service_registry_free(registry);  /* unregisters cs-7 */
  zkit_close(zk);
  return 0;
}
