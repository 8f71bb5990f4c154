/* The leak scan on the leakkinds C sample: each export's blocks get the kind valgrind gives them. */
#include <pthread.h>
#include <sys/mman.h>
#include "agent_test.h"

typedef unsigned (*fn2)(unsigned, unsigned);

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

/* Blocks whose memory is gone (freed behind the table's back, unmapped) are never read, whether
 * the scan copies ranges (a few blocks) or checks them against /proc/self/maps (many). */
static void unreadable_blocks_are_not_read(void) {
    const char *path = c_sample("leakkinds");
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 9), 0);
    ((fn2)export_of(h, "keep_list"))(3, 0);
    /* A kernel address, never mapped for this process (a page just unmapped may be handed out
     * again, even to the scan's own scratch memory); and a PROT_NONE page, mapped but unreadable. */
    char *gone = (char *)(uintptr_t)0xffff800000001000ull;
    char *guard = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(guard != MAP_FAILED, "mmap");
    for (int many = 0; many < 2; many++) {
        if (many) {
            ((fn2)export_of(h, "leak_equal_blocks"))(300, 16);
        }
        static relib_agent_block_t blocks[4096];
        static uint8_t kinds[4096];
        int64_t n = relib_agent_blocks(9, blocks, 4094);
        CHECK(n > 0 && n <= 4094, "blocks %lld", (long long)n);
        blocks[n] = (relib_agent_block_t){(uint64_t)(uintptr_t)gone, 4096, 16, 0, 0, 0};
        blocks[n + 1] = (relib_agent_block_t){(uint64_t)(uintptr_t)guard, 4096, 16, 0, 0, 0};
        CHECK_EQ(relib_agent_leak_scan(h, 9, blocks, (uint64_t)n + 2, kinds), 0);
        uint64_t reachable = 0, definite = 0;
        for (int64_t i = 0; i < n; i++) {
            reachable += kinds[i] == RELIB_AGENT_LEAK_REACHABLE;
            definite += kinds[i] == RELIB_AGENT_LEAK_DEFINITE;
        }
        CHECK_EQ(reachable, 3);
        CHECK_EQ(definite, many ? 300 : 0);
        CHECK_EQ(kinds[n], RELIB_AGENT_LEAK_DEFINITE);
        CHECK(kinds[n + 1] == RELIB_AGENT_LEAK_DEFINITE, "guard block: kind %d with %lld blocks", kinds[n + 1], (long long)n);
    }
    munmap(guard, 4096);
    ((fn2)export_of(h, "release_kept"))(0, 0);
    unload_module(h, 9);
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

/* The scan stops reading once no pointer could change a kind, and not before: a lost megabyte
 * alone is definitely lost unread, but one whose last word holds the only pointer to another lost
 * block makes that block indirectly lost, whether ranges are copied (few blocks) or read in place
 * (many). The blocks are the test's own: the scan classifies whatever it is given. */
static void lost_chain_past_the_first_chunk(void) {
    const char *path = c_sample("leakkinds");
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 10), 0);
    size_t big_size = 1 << 20;
    uintptr_t *big = calloc(1, big_size);
    uintptr_t *small = calloc(1, 64);
    CHECK(big && small, "calloc");
    static uintptr_t *fillers[300];
    static relib_agent_block_t blocks[302];
    static uint8_t kinds[302];
    for (int i = 0; i < 300; i++) {
        fillers[i] = calloc(1, 16);
        CHECK(fillers[i] != NULL, "calloc");
        blocks[2 + i] = (relib_agent_block_t){(uint64_t)(uintptr_t)fillers[i], 16, 16, 0, 0, 0};
    }
    for (int many = 0; many < 2; many++) {
        uint64_t n = many ? 302 : 2;
        blocks[0] = (relib_agent_block_t){(uint64_t)(uintptr_t)big, big_size, 16, 0, 0, 0};
        blocks[1] = (relib_agent_block_t){(uint64_t)(uintptr_t)small, 64, 16, 0, 0, 0};
        big[big_size / sizeof(uintptr_t) - 1] = 0;
        CHECK_EQ(relib_agent_leak_scan(h, 10, blocks, 1, kinds), 0);
        CHECK_EQ(kinds[0], RELIB_AGENT_LEAK_DEFINITE);
        CHECK_EQ(relib_agent_leak_scan(h, 10, blocks, n, kinds), 0);
        CHECK_EQ(kinds[0], RELIB_AGENT_LEAK_DEFINITE);
        CHECK_EQ(kinds[1], RELIB_AGENT_LEAK_DEFINITE);
        big[big_size / sizeof(uintptr_t) - 1] = (uintptr_t)small;
        CHECK_EQ(relib_agent_leak_scan(h, 10, blocks, n, kinds), 0);
        CHECK(kinds[0] == RELIB_AGENT_LEAK_DEFINITE && kinds[1] == RELIB_AGENT_LEAK_INDIRECT,
              "with %llu blocks: big %d, small %d", (unsigned long long)n, kinds[0], kinds[1]);
        for (uint64_t i = 2; i < n; i++) {
            CHECK_EQ(kinds[i], RELIB_AGENT_LEAK_DEFINITE);
        }
    }
    for (int i = 0; i < 300; i++) {
        free(fillers[i]);
    }
    free(big);
    free(small);
    unload_module(h, 10);
}

/* A cycle's definitely lost block is the one allocated first, wherever the heap put it: a std::map
 * object and its nodes (each pointing back into it) as memcheck reports them, in whichever order
 * glibc's reused chunks gave their addresses. The blocks point at each other's interiors as the
 * map's nodes do, and at the start as the map's root pointer does. */
static void a_cycle_is_led_by_its_oldest_block(void) {
    const char *path = c_sample("leakkinds");
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 11), 0);
    uintptr_t *pair[2] = {calloc(1, 48), calloc(1, 40)};
    CHECK(pair[0] && pair[1], "calloc");
    uintptr_t *low = pair[0] < pair[1] ? pair[0] : pair[1];
    uintptr_t *high = low == pair[0] ? pair[1] : pair[0];
    for (int older_is_low = 0; older_is_low < 2; older_is_low++) {
        uintptr_t *older = older_is_low ? low : high;
        uintptr_t *newer = older == low ? high : low;
        older[1] = (uintptr_t)newer;     /* the map's root pointer: at the node's start */
        newer[2] = (uintptr_t)&older[1]; /* the node's parent: inside the map object */
        relib_agent_block_t blocks[2] = {
            {(uint64_t)(uintptr_t)older, 48, 0, 100, 0, 0},
            {(uint64_t)(uintptr_t)newer, 40, 0, 101, 0, 0},
        };
        uint8_t kinds[2] = {0, 0};
        CHECK_EQ(relib_agent_leak_scan(h, 11, blocks, 2, kinds), 0);
        CHECK(kinds[0] == RELIB_AGENT_LEAK_DEFINITE && kinds[1] == RELIB_AGENT_LEAK_INDIRECT,
              "older block at the %s address: older %d, newer %d", older_is_low ? "lower" : "higher", kinds[0], kinds[1]);
        older[1] = 0;
        newer[2] = 0;
    }
    free(pair[0]);
    free(pair[1]);
    unload_module(h, 11);
}

int main(void) {
    kinds_of_each_shape();
    tls_of_another_thread();
    unreadable_blocks_are_not_read();
    lost_chain_past_the_first_chunk();
    a_cycle_is_led_by_its_oldest_block();
    printf("test_leak_scan: ok\n");
    return 0;
}
