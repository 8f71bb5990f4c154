/* The leak scan on the leakkinds C sample: each export's blocks get the kind valgrind gives them. */
#include <pthread.h>
#include "agent_test.h"

typedef unsigned (*fn2)(unsigned, unsigned);

static char samples_c[4096];

static const char *c_sample(const char *name) {
    const char *dir = getenv("RELIB_SAMPLES");
    CHECK(dir && *dir, "RELIB_SAMPLES is not set");
    snprintf(samples_c, sizeof samples_c, "%s/c/lib%s.so", dir, name);
    return samples_c;
}

struct tally {
    uint64_t blocks[5], bytes[5];
};

static struct tally scan(void *h, uint32_t id) {
    static relib_agent_block_t blocks[4096];
    static uint8_t kinds[4096];
    int64_t n = relib_agent_blocks(id, blocks, 4096);
    CHECK(n >= 0 && n <= 4096, "blocks: %lld", (long long)n);
    memset(kinds, 0, sizeof kinds);
    CHECK_EQ(relib_agent_leak_scan(h, id, blocks, (uint64_t)n, kinds), 0);
    struct tally t = {0};
    for (int64_t i = 0; i < n; i++) {
        CHECK(kinds[i] >= RELIB_AGENT_LEAK_DEFINITE && kinds[i] <= RELIB_AGENT_LEAK_REACHABLE, "kind %d", kinds[i]);
        t.blocks[kinds[i]]++;
        t.bytes[kinds[i]] += blocks[i].size;
    }
    return t;
}

static void kinds_of_each_shape(void) {
    const char *path = c_sample("leakkinds");
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 7), 0);
    CHECK_EQ(relib_agent_leak_scan(h, 7, NULL, 0, NULL), 0);
    ((fn2)export_of(h, "leak_equal_blocks"))(100, 48);
    ((fn2)export_of(h, "leak_list"))(5, 0);
    ((fn2)export_of(h, "leak_cycle"))(0, 0);
    ((fn2)export_of(h, "keep_cache"))(300, 0);
    ((fn2)export_of(h, "keep_list"))(4, 0);
    ((fn2)export_of(h, "keep_interior"))(64, 0);
    ((fn2)export_of(h, "keep_tls"))(200, 0);
    struct tally t = scan(h, 7);
    CHECK_EQ(t.blocks[RELIB_AGENT_LEAK_DEFINITE], 100 + 1 + 1);
    CHECK_EQ(t.bytes[RELIB_AGENT_LEAK_DEFINITE], 100 * 48 + 32 + 32);
    CHECK_EQ(t.blocks[RELIB_AGENT_LEAK_INDIRECT], 4 + 1);
    CHECK_EQ(t.bytes[RELIB_AGENT_LEAK_INDIRECT], 5 * 32);
    CHECK_EQ(t.blocks[RELIB_AGENT_LEAK_POSSIBLE], 1);
    CHECK_EQ(t.bytes[RELIB_AGENT_LEAK_POSSIBLE], 64);
    CHECK_EQ(t.blocks[RELIB_AGENT_LEAK_REACHABLE], 1 + 4 + 1);
    CHECK_EQ(t.bytes[RELIB_AGENT_LEAK_REACHABLE], 300 + 4 * 32 + 200);

    /* What the statics held is freed; the lost blocks stay lost. */
    ((fn2)export_of(h, "release_kept"))(0, 0);
    t = scan(h, 7);
    CHECK_EQ(t.blocks[RELIB_AGENT_LEAK_REACHABLE] + t.blocks[RELIB_AGENT_LEAK_POSSIBLE], 0);
    CHECK_EQ(t.blocks[RELIB_AGENT_LEAK_DEFINITE], 102);
    CHECK_EQ(relib_agent_leak_scan(NULL, 7, NULL, 0, NULL), -RELIB_AGENT_E_INVALID);
    CHECK_EQ(relib_agent_leak_scan(h, 99, NULL, 0, NULL), -RELIB_AGENT_E_UNKNOWN);
    unload_module(h, 7);
}

/* A thread of the module that is still running keeps what its thread-local holds reachable. */
static void *hold_tls(void *arg) {
    void **args = arg;
    ((fn2)args[0])(500, 0);
    pthread_barrier_wait(args[1]);
    pthread_barrier_wait(args[1]);
    ((fn2)args[2])(0, 0);
    return NULL;
}

static void tls_of_another_thread(void) {
    const char *path = c_sample("leakkinds");
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 8), 0);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, 2);
    void *args[3] = {export_of(h, "keep_tls"), &barrier, export_of(h, "release_kept")};
    /* Started by the test, not the module: the agent does not know it, so its TLS is no root. */
    pthread_t t;
    pthread_create(&t, NULL, hold_tls, args);
    pthread_barrier_wait(&barrier);
    struct tally tally = scan(h, 8);
    CHECK_EQ(tally.blocks[RELIB_AGENT_LEAK_DEFINITE], 1);
    CHECK_EQ(tally.bytes[RELIB_AGENT_LEAK_DEFINITE], 500);
    pthread_barrier_wait(&barrier);
    pthread_join(t, NULL);
    CHECK_EQ(stats_of(8).live_blocks, 0);
    unload_module(h, 8);
}

int main(void) {
    kinds_of_each_shape();
    tls_of_another_thread();
    printf("test_leak_scan: ok\n");
    return 0;
}
