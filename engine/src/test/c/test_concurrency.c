/* Many threads allocate and free through one module at once; counts stay exact. */
#include <pthread.h>
#include "agent_test.h"

#define THREADS 4
#define ROUNDTRIPS 200000
#define LEAKS 1000

typedef uint64_t (*roundtrip_fn)(uint64_t);
typedef void (*leak_fn)(size_t);
typedef uint8_t *(*alloc_raw_fn)(size_t);
typedef void (*free_raw_fn)(uint8_t *, size_t);

static void *handle;
static uint8_t *handoff[THREADS][LEAKS];

static void *worker(void *arg) {
    intptr_t n = (intptr_t)arg;
    roundtrip_fn roundtrip = (roundtrip_fn)export_of(handle, "box_roundtrip");
    leak_fn leak = (leak_fn)export_of(handle, "leak_bytes");
    alloc_raw_fn alloc_raw = (alloc_raw_fn)export_of(handle, "alloc_raw");
    for (int i = 0; i < LEAKS; i++) {
        leak(16);
        CHECK_EQ(roundtrip(ROUNDTRIPS / LEAKS), (uint64_t)(ROUNDTRIPS / LEAKS) * (ROUNDTRIPS / LEAKS - 1) / 2);
        handoff[n][i] = alloc_raw(32);
    }
    return NULL;
}

/* Frees the blocks another thread allocated. */
static void *freer(void *arg) {
    intptr_t n = (intptr_t)arg;
    free_raw_fn free_raw = (free_raw_fn)export_of(handle, "free_raw");
    for (int i = 0; i < LEAKS; i++) {
        free_raw(handoff[(n + 1) % THREADS][i], 32);
    }
    return NULL;
}

static int by_sequence(const void *a, const void *b) {
    uint64_t x = ((const relib_agent_block_t *)a)->sequence, y = ((const relib_agent_block_t *)b)->sequence;
    return (x > y) - (x < y);
}

static void run(void *(*fn)(void *)) {
    pthread_t t[THREADS];
    for (intptr_t i = 0; i < THREADS; i++) {
        CHECK_EQ(pthread_create(&t[i], NULL, fn, (void *)i), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
    }
}

int main(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s", sample("leaky"));
    handle = open_module(path);
    CHECK_EQ(relib_agent_attach(handle, 30), 0);
    run(worker);
    relib_agent_stats_t s = stats_of(30);
    CHECK_EQ(s.total_allocs, (uint64_t)THREADS * (ROUNDTRIPS + 2 * LEAKS));
    CHECK_EQ(s.live_blocks, 2 * THREADS * LEAKS);
    CHECK_EQ(s.live_bytes, THREADS * LEAKS * (16 + 32));
    relib_agent_block_t *blocks = calloc(2 * THREADS * LEAKS, sizeof *blocks);
    CHECK_EQ(relib_agent_blocks(30, blocks, 2 * THREADS * LEAKS), 2 * THREADS * LEAKS);
    qsort(blocks, 2 * THREADS * LEAKS, sizeof *blocks, by_sequence);
    for (int i = 1; i < 2 * THREADS * LEAKS; i++) {
        CHECK(blocks[i].sequence > blocks[i - 1].sequence, "sequence %llu repeats", (unsigned long long)blocks[i].sequence);
    }
    free(blocks);
    run(freer);
    s = stats_of(30);
    CHECK_EQ(s.live_blocks, THREADS * LEAKS);
    CHECK_EQ(s.live_bytes, THREADS * LEAKS * 16);
    CHECK_EQ(s.passthrough_frees, 0);
    uint64_t freed = 0;
    CHECK_EQ(relib_agent_free_blocks(30, &freed), THREADS * LEAKS);
    CHECK_EQ(freed, THREADS * LEAKS * 16);
    unload_module(handle, 30);
    CHECK(!mapped(path), "still mapped");
    printf("ok: concurrency\n");
    return 0;
}
