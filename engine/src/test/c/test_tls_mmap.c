/* Thread-local destructors kept by the agent (run at unload on the calling thread, at thread exit
 * on module threads) and mappings a module leaks. */
#include <sys/mman.h>
#include "agent_test.h"

typedef void (*void_fn)(void);
typedef void (*set_counter_fn)(uint64_t *);
typedef uint8_t *(*map_fn)(size_t);
typedef int (*unmap_fn)(size_t);

static void tls_destructors(const char *path) {
    static uint64_t drops; /* outlives the module */
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 20), 0);
    ((set_counter_fn)export_of(h, "set_drop_counter"))(&drops);
    ((void_fn)export_of(h, "touch_tls_in_thread"))();
    CHECK_EQ(drops, 1); /* ran at that thread's exit, by the agent */
    ((void_fn)export_of(h, "touch_tls"))();
    relib_agent_stats_t s = stats_of(20);
    CHECK(s.tls_dtors_pending >= 1, "pending %llu", (unsigned long long)s.tls_dtors_pending);
    CHECK_EQ(drops, 1);
    CHECK(relib_agent_run_tls_destructors(20) >= 1, "ran none");
    CHECK_EQ(drops, 2);
    CHECK_EQ(stats_of(20).tls_dtors_pending, 0);
    unload_module(h, 20);
    CHECK(!mapped(path), "%s pinned by its thread-local destructor", path);
}

static void leaked_mappings(const char *path) {
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 21), 0);
    CHECK_EQ(((unmap_fn)export_of(h, "map_and_unmap"))(3 * 4096), 0);
    CHECK_EQ(stats_of(21).mappings_live, 0);
    uint8_t *p = ((map_fn)export_of(h, "map_anon"))(5 * 4096);
    CHECK(p != NULL, "map_anon");
    relib_agent_stats_t s = stats_of(21);
    CHECK_EQ(s.mappings_live, 1);
    CHECK_EQ(s.mapping_bytes, 5 * 4096);
    relib_agent_mapping_t m[2];
    CHECK_EQ(relib_agent_mappings(21, m, 2), 1);
    CHECK_EQ(m[0].address, (uintptr_t)p);
    CHECK_EQ(m[0].length, 5 * 4096);
    CHECK_EQ(m[0].prot, PROT_READ | PROT_WRITE);
    CHECK(m[0].flags & MAP_ANONYMOUS, "flags %x", m[0].flags);
    uint64_t bytes = 0;
    CHECK_EQ(relib_agent_unmap_mappings(21, &bytes), 1);
    CHECK_EQ(bytes, 5 * 4096);
    CHECK_EQ(stats_of(21).mappings_live, 0);
    unsigned char residency;
    CHECK(mincore(p, 4096, &residency) != 0, "mapping still present");
    unload_module(h, 21);
    CHECK(!mapped(path), "%s still mapped", path);
}

int main(void) {
    char tls[4096], mmap_path[4096];
    snprintf(tls, sizeof tls, "%s", sample("tls"));
    snprintf(mmap_path, sizeof mmap_path, "%s", sample("mmap"));
    tls_destructors(tls);
    leaked_mappings(mmap_path);
    printf("ok: tls and mappings\n");
    return 0;
}
