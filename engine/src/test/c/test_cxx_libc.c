/* C++ operator new/delete in every variant and libc functions that return heap memory (issue 11):
 * each block they leave is the module's, with the size valgrind reports. Preloaded, as in the worker. */
#include "agent_test.h"

typedef unsigned long (*ul_fn)(void);
typedef unsigned long (*churn_fn)(unsigned long);
typedef unsigned long (*dir_fn)(const char *);
typedef unsigned long (*dir_rounds_fn)(const char *, unsigned long);

static int by_size(const void *a, const void *b) {
    uint64_t x = ((const relib_agent_block_t *)a)->size, y = ((const relib_agent_block_t *)b)->size;
    return (x > y) - (x < y);
}

static void show(uint32_t id, const char *what) {
    relib_agent_block_t blocks[64];
    int64_t n = relib_agent_blocks(id, blocks, 64);
    CHECK(n >= 0 && n <= 64, "blocks");
    qsort(blocks, (size_t)n, sizeof blocks[0], by_size);
    printf("%s:", what);
    for (int64_t i = 0; i < n; i++) printf(" %lu%s", (unsigned long)blocks[i].size, blocks[i].align ? "a" : "");
    printf("\n");
}

int main(int argc, char **argv) {
    int verbose = argc > 1 && argv[1][0] == 'v';
    void *cxx = open_module(c_sample("cxxleak"));
    CHECK_EQ(relib_agent_attach(cxx, 50), 0);
    CHECK(((churn_fn)export_of(cxx, "churn"))(1000) > 0, "churn");
    relib_agent_stats_t s = stats_of(50);
    CHECK_EQ(s.live_blocks, 0);
    CHECK_EQ(s.total_allocs, 6000);
    CHECK_EQ(s.total_frees, 6000);
    CHECK_EQ(s.passthrough_frees, 0);
    CHECK_EQ(((ul_fn)export_of(cxx, "leak"))(), 1);
    s = stats_of(50);
    if (verbose) show(50, "cxxleak");
    /* new int[25], new std::string and its 101-byte buffer (made inside libstdc++.so, the module's
     * all the same), new std::vector<long>(1000) and its buffer, new (nothrow) int, new Wide (aligned). */
    CHECK_EQ(s.live_blocks, 7);
    CHECK_EQ(s.live_bytes, 100 + 32 + 101 + 24 + 8000 + 4 + 64);
    CHECK_EQ(relib_agent_free_blocks(50, NULL), 7);
    CHECK_EQ(relib_agent_detach(50), 0);
    CHECK_EQ(dlclose(cxx), 0);
    CHECK_EQ(relib_agent_forget(50), 0);

    /* The standard streams' buffers libstdc++ makes for the module and keeps: the module's while it is
     * loaded, still reachable (from libstdc++'s data), and left to libstdc++ at unload, not freed. */
    void *runtime = open_module(c_sample("cxxruntime"));
    CHECK_EQ(relib_agent_attach(runtime, 52), 0);
    CHECK_EQ(((churn_fn)export_of(runtime, "unsync_stdio"))(0), 1);
    s = stats_of(52);
    CHECK(s.live_blocks > 0, "the streams' buffers are the module's");
    relib_agent_block_t held[64];
    uint8_t kinds[64];
    int64_t count = relib_agent_blocks(52, held, 64);
    CHECK_EQ(count, s.live_blocks);
    CHECK_EQ(relib_agent_leak_scan(runtime, 52, held, (uint64_t)count, kinds), 0);
    for (int64_t i = 0; i < count; i++) CHECK_EQ(kinds[i], RELIB_AGENT_LEAK_REACHABLE);
    CHECK_EQ(relib_agent_free_blocks(52, NULL), 0);
    CHECK_EQ(stats_of(52).live_blocks, 0);
    CHECK_EQ(((churn_fn)export_of(runtime, "say"))(3), 3);
    CHECK_EQ(relib_agent_detach(52), 0);
    CHECK_EQ(dlclose(runtime), 0);
    CHECK_EQ(relib_agent_forget(52), 0);

    char dir[] = "/tmp/relib-libcalls-XXXXXX";
    CHECK(mkdtemp(dir), "mkdtemp");
    char entry[4096];
    snprintf(entry, sizeof entry, "%s/entry", dir);
    FILE *f = fopen(entry, "w");
    CHECK(f, "entry");
    fclose(f);
    void *calls = open_module(c_sample("libcalls"));
    CHECK_EQ(relib_agent_attach(calls, 51), 0);
    CHECK_EQ(((dir_rounds_fn)export_of(calls, "open_and_close"))(dir, 100), 100);
    s = stats_of(51);
    CHECK_EQ(s.live_blocks, 0);
    CHECK_EQ(s.streams_open, 0);
    CHECK_EQ(s.total_allocs, 200); /* a FILE and a DIR per round */
    unsigned long kept = ((dir_fn)export_of(calls, "leak_all"))(dir);
    CHECK_EQ(kept, 14);
    s = stats_of(51);
    if (verbose) show(51, "libcalls");
    CHECK_EQ(s.streams_open, 2);
    /* 14 kept blocks, plus scandir's one entry. */
    CHECK_EQ(s.live_blocks, 15);
    int freed = relib_agent_free_blocks(51, NULL);
    CHECK_EQ(freed, 15); /* the FILE and the DIR closed, the rest freed */
    CHECK_EQ(stats_of(51).live_blocks, 0);
    CHECK_EQ(relib_agent_detach(51), 0);
    CHECK_EQ(dlclose(calls), 0);
    CHECK_EQ(relib_agent_forget(51), 0);
    unlink(entry);
    rmdir(dir);
    printf("ok: C++ new/delete variants and libc functions that return heap memory\n");
    return 0;
}
