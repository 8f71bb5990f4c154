/* Allocation tracking on the leaky sample: exact counts, block list, frees, realloc, unload. */
#include <pthread.h>
#include "agent_test.h"

typedef void (*leak_bytes_fn)(size_t);
typedef size_t (*size_fn)(void);
typedef uint64_t (*roundtrip_fn)(uint64_t);
typedef size_t (*alloc_free_fn)(size_t);

static void exact_leaks(const char *path) {
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 1), 0);
    CHECK_EQ(relib_agent_attach(h, 1), -RELIB_AGENT_E_ATTACHED);
    leak_bytes_fn leak = (leak_bytes_fn)export_of(h, "leak_bytes");
    leak(1000);
    leak(2000);
    leak(3000);
    relib_agent_stats_t s = stats_of(1);
    CHECK_EQ(s.live_blocks, 3);
    CHECK_EQ(s.live_bytes, 6000);
    CHECK_EQ(s.total_allocs, 3);
    CHECK_EQ(s.peak_bytes, 6000);

    relib_agent_block_t blocks[2];
    CHECK_EQ(relib_agent_blocks(1, blocks, 2), 3); /* total, though only two fit */
    relib_agent_block_t all[8];
    CHECK_EQ(relib_agent_blocks(1, all, 8), 3);
    uint64_t sizes = 0;
    for (int i = 0; i < 3; i++) {
        sizes += all[i].size;
        CHECK(all[i].address != 0 && all[i].align == 0, "block %d", i);
    }
    CHECK_EQ(sizes, 6000);

    ((alloc_free_fn)export_of(h, "alloc_free"))(4096);
    CHECK_EQ(((roundtrip_fn)export_of(h, "box_roundtrip"))(100), 4950);
    s = stats_of(1);
    CHECK_EQ(s.live_blocks, 3);
    CHECK_EQ(s.live_bytes, 6000);
    CHECK_EQ(s.total_allocs, 3 + 1 + 100);
    CHECK_EQ(s.total_frees, 1 + 100);
    CHECK_EQ(s.passthrough_frees, 0);

    size_t string_len = ((size_fn)export_of(h, "leak_string"))();
    size_t box_size = ((size_fn)export_of(h, "leak_box"))();
    s = stats_of(1);
    CHECK_EQ(s.live_blocks, 5);
    CHECK_EQ(s.live_bytes, 6000 + string_len + box_size);

    uint64_t freed = 0;
    CHECK_EQ(relib_agent_free_blocks(1, &freed), 5);
    CHECK_EQ(freed, 6000 + string_len + box_size);
    s = stats_of(1);
    CHECK_EQ(s.live_blocks, 0);
    CHECK_EQ(s.live_bytes, 0);
    CHECK_EQ(relib_agent_forget(1), -RELIB_AGENT_E_ATTACHED);
    unload_module(h, 1);
    CHECK(!mapped(path), "%s still mapped", path);
    CHECK_EQ(relib_agent_stats(1, &s), -RELIB_AGENT_E_UNKNOWN);
}

typedef uint8_t *(*alloc_raw_fn)(size_t);
typedef uint8_t *(*grow_raw_fn)(uint8_t *, size_t, size_t);
typedef void (*free_raw_fn)(uint8_t *, size_t);

/* Blocks the module had before attach pass through; a moved realloc updates the table. */
static void before_attach_and_realloc(const char *path) {
    void *h = open_module(path);
    alloc_raw_fn alloc_raw = (alloc_raw_fn)export_of(h, "alloc_raw");
    grow_raw_fn grow_raw = (grow_raw_fn)export_of(h, "grow_raw");
    free_raw_fn free_raw = (free_raw_fn)export_of(h, "free_raw");
    uint8_t *early = alloc_raw(100);
    uint8_t *early_grown = NULL;
    CHECK_EQ(relib_agent_attach(h, 2), 0);
    early_grown = grow_raw(early, 100, 200000);
    free_raw(early_grown, 200000);
    relib_agent_stats_t s = stats_of(2);
    CHECK_EQ(s.passthrough_frees, 2);
    CHECK_EQ(s.live_blocks, 0);
    CHECK_EQ(s.total_allocs, 0);

    uint8_t *p = alloc_raw(64);
    uint8_t *q = grow_raw(p, 64, 1 << 20); /* large enough to move to its own mapping */
    s = stats_of(2);
    CHECK_EQ(s.live_blocks, 1);
    CHECK_EQ(s.live_bytes, 1 << 20);
    CHECK(s.peak_bytes >= (1u << 20), "peak %llu", (unsigned long long)s.peak_bytes);
    relib_agent_block_t b[2];
    CHECK_EQ(relib_agent_blocks(2, b, 2), 1);
    CHECK_EQ(b[0].address, (uintptr_t)q);
    CHECK_EQ(b[0].size, 1 << 20);
    free_raw(q, 1 << 20);
    s = stats_of(2);
    CHECK_EQ(s.live_blocks, 0);
    CHECK_EQ(s.live_bytes, 0);
    CHECK(s.peak_bytes >= (1u << 20), "peak after free %llu", (unsigned long long)s.peak_bytes);
    unload_module(h, 2);
}

/* A block allocated by one module and freed by another is taken off its allocator's account. */
/* Copies path to copy (a mkstemp template): a second object of the same module. */
static void copy_module(const char *path, char *copy) {
    int fd = mkstemp(copy);
    CHECK(fd >= 0, "mkstemp");
    FILE *in = fopen(path, "rb");
    FILE *out = fdopen(fd, "wb");
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        fwrite(buf, 1, n, out);
    }
    fclose(in);
    fclose(out);
}

static void cross_module_free(const char *path) {
    char copy[] = "/tmp/relib-agent-test-XXXXXX";
    copy_module(path, copy);
    void *a = open_module(path);
    void *b = open_module(copy);
    CHECK(a != b, "two distinct objects");
    CHECK_EQ(relib_agent_attach(a, 3), 0);
    CHECK_EQ(relib_agent_attach(b, 4), 0);
    uint8_t *p = ((alloc_raw_fn)export_of(a, "alloc_raw"))(777);
    CHECK_EQ(stats_of(3).live_bytes, 777);
    ((free_raw_fn)export_of(b, "free_raw"))(p, 777);
    CHECK_EQ(stats_of(3).live_bytes, 0);
    CHECK_EQ(stats_of(3).total_frees, 1);
    CHECK_EQ(stats_of(4).total_allocs, 0);
    CHECK_EQ(stats_of(4).passthrough_frees, 0);
    unload_module(b, 4);
    unload_module(a, 3);
    CHECK(!mapped(copy), "copy still mapped");
    unlink(copy);
}

#define KEPT 30000 /* far more than a thread's cache: nearly all of them live in the shared table */

struct kept {
    uint8_t *blocks[KEPT];
    size_t sizes[KEPT];
    free_raw_fn free_raw;
};

static uint64_t kept_size(int i) {
    return 1 + (uint64_t)(i * 7919) % 3000;
}

static void *free_every_other(void *arg) {
    struct kept *k = arg;
    for (int i = 0; i < KEPT; i += 2) {
        k->free_raw(k->blocks[i], k->sizes[i]);
    }
    return NULL;
}

/* Two modules keep blocks of many sizes, allocated in turn: each block's entry says whose it is and
 * how big, so the two modules' figures and block lists stay apart and exact, through frees from
 * another thread and free_blocks. */
static void kept_blocks_of_two_modules(const char *path) {
    char copy[] = "/tmp/relib-agent-test-XXXXXX";
    copy_module(path, copy);
    void *ha = open_module(path);
    void *hb = open_module(copy);
    CHECK_EQ(relib_agent_attach(ha, 7), 0);
    CHECK_EQ(relib_agent_attach(hb, 8), 0);
    static struct kept a, b;
    alloc_raw_fn alloc_a = (alloc_raw_fn)export_of(ha, "alloc_raw");
    alloc_raw_fn alloc_b = (alloc_raw_fn)export_of(hb, "alloc_raw");
    a.free_raw = (free_raw_fn)export_of(ha, "free_raw");
    b.free_raw = (free_raw_fn)export_of(hb, "free_raw");
    uint64_t bytes_a = 0, bytes_b = 0;
    for (int i = 0; i < KEPT; i++) {
        a.sizes[i] = kept_size(i);
        b.sizes[i] = kept_size(i + 1) * 3;
        a.blocks[i] = alloc_a(a.sizes[i]);
        b.blocks[i] = alloc_b(b.sizes[i]);
        bytes_a += a.sizes[i];
        bytes_b += b.sizes[i];
    }
    relib_agent_stats_t sa = stats_of(7), sb = stats_of(8);
    CHECK_EQ(sa.live_blocks, KEPT);
    CHECK_EQ(sa.live_bytes, bytes_a);
    CHECK_EQ(sa.peak_bytes, bytes_a);
    CHECK_EQ(sa.peak_bound, 0);
    CHECK_EQ(sb.live_blocks, KEPT);
    CHECK_EQ(sb.live_bytes, bytes_b);

    static relib_agent_block_t listed[KEPT + 1];
    CHECK_EQ(relib_agent_blocks(8, listed, KEPT + 1), KEPT);
    uint64_t listed_bytes = 0;
    for (int i = 0; i < KEPT; i++) {
        listed_bytes += listed[i].size;
        CHECK(listed[i].size % 3 == 0, "block %d of the second module is %lu bytes", i, (unsigned long)listed[i].size);
    }
    CHECK_EQ(listed_bytes, bytes_b);

    pthread_t t;
    CHECK(pthread_create(&t, NULL, free_every_other, &a) == 0, "pthread_create");
    pthread_join(t, NULL);
    uint64_t freed_a = 0;
    for (int i = 0; i < KEPT; i += 2) {
        freed_a += a.sizes[i];
    }
    sa = stats_of(7);
    CHECK_EQ(sa.live_blocks, KEPT / 2);
    CHECK_EQ(sa.live_bytes, bytes_a - freed_a);
    CHECK_EQ(sa.total_frees, KEPT / 2);
    CHECK_EQ(sa.passthrough_frees, 0);
    /* Two threads touched module 7's blocks, so its peak is the published one, within a bound; only
     * this thread touched module 8's, whose peak stays exact. */
    CHECK(sa.peak_bound > 0, "peak bound %llu after a second thread freed", (unsigned long long)sa.peak_bound);
    sb = stats_of(8);
    CHECK_EQ(sb.live_bytes, bytes_b);
    CHECK_EQ(sb.peak_bytes, bytes_b);
    CHECK_EQ(sb.peak_bound, 0);

    uint64_t freed = 0;
    CHECK_EQ(relib_agent_free_blocks(7, &freed), KEPT / 2);
    CHECK_EQ(freed, bytes_a - freed_a);
    CHECK_EQ(relib_agent_free_blocks(8, &freed), KEPT);
    CHECK_EQ(freed, bytes_b);
    unload_module(hb, 8);
    unload_module(ha, 7);
    unlink(copy);
}

int main(void) {
    const char *path = sample("leaky");
    char leaky[4096];
    snprintf(leaky, sizeof leaky, "%s", path);
    exact_leaks(leaky);
    before_attach_and_realloc(leaky);
    cross_module_free(leaky);
    kept_blocks_of_two_modules(leaky);
    printf("ok: leaks\n");
    return 0;
}
