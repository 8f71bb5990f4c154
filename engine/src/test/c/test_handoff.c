/* Blocks that leave a module without a free through its GOT (issue 11): libc's getline growing the
 * module's buffer, reallocarray, a block handed to another library that frees it, over two load
 * generations. The agent is the test's malloc family (linked before libc, as LD_PRELOAD makes it
 * in the worker), so every free in the process retires a tracked block: the counts are exact and
 * the unload frees nothing that another library's canary string now occupies. */
#include "agent_test.h"

typedef long (*read_line_fn)(const char *);
typedef unsigned long (*size_fn)(void);
typedef unsigned long (*grow_fn)(unsigned long);
typedef void *(*give_fn)(unsigned long);
typedef void (*take_fn)(void *);
typedef void *(*canary_fn)(unsigned, unsigned long);
typedef int (*intact_fn)(unsigned);

int main(void) {
    char file[] = "/tmp/relib-handoff-XXXXXX";
    int fd = mkstemp(file);
    CHECK(fd >= 0, "mkstemp");
    char text[301];
    memset(text, 'l', 300);
    text[300] = '\n';
    CHECK_EQ(write(fd, text, sizeof text), sizeof text);
    close(fd);

    void *canary = open_module(c_sample("canary")); /* another library: never attached */
    take_fn take_and_free = (take_fn)export_of(canary, "take_and_free");
    canary_fn make_canary = (canary_fn)export_of(canary, "make_canary");
    intact_fn canary_intact = (intact_fn)export_of(canary, "canary_intact");

    for (unsigned generation = 0; generation < 2; generation++) {
        uint32_t id = 40 + generation;
        void *h = open_module(c_sample("handoff"));
        CHECK_EQ(relib_agent_attach(h, id), 0);
        CHECK_EQ(((read_line_fn)export_of(h, "read_line_grow"))(file), 301);
        unsigned long line = ((size_fn)export_of(h, "line_size"))();
        CHECK(line >= 302, "getline left %lu bytes", line);
        relib_agent_stats_t s = stats_of(id);
        CHECK_EQ(s.preloaded, 1);
        CHECK_EQ(s.live_blocks, 1); /* malloc(4), grown by libc's realloc inside getline */
        CHECK_EQ(s.live_bytes, line);
        CHECK_EQ(s.streams_open, 0); /* fopen + fclose */

        CHECK_EQ(((grow_fn)export_of(h, "grow_array"))(1000), 8000);
        s = stats_of(id);
        CHECK_EQ(s.live_blocks, 2);
        CHECK_EQ(s.live_bytes, line + 8000);

        void *p = ((give_fn)export_of(h, "give"))(64);
        take_and_free(p); /* freed by a library the agent never attached */
        void *q = make_canary(generation, 64);
        CHECK(q && canary_intact(generation), "canary made");
        s = stats_of(id);
        CHECK_EQ(s.live_blocks, 2);
        CHECK_EQ(s.live_bytes, line + 8000);
        CHECK_EQ(s.passthrough_frees, 0);
        CHECK_EQ(s.peak_bytes, line + 8000 + 64); /* one thread: exact */
        CHECK_EQ(s.peak_bound, 0);

        uint64_t bytes = 0;
        CHECK_EQ(relib_agent_free_blocks(id, &bytes), 2);
        CHECK_EQ(bytes, line + 8000);
        CHECK_EQ(relib_agent_detach(id), 0);
        CHECK_EQ(dlclose(h), 0);
        CHECK_EQ(relib_agent_forget(id), 0);
        for (unsigned g = 0; g <= generation; g++) {
            CHECK(canary_intact(g), "generation %u's unload overwrote canary %u", generation, g);
        }
    }
    unlink(file);
    printf("ok: handoff (getline, reallocarray, a block freed by another library, two generations)\n");
    return 0;
}
