/* Threads a module starts: recorded running, then exited (after their key destructors); the
 * module unloads cleanly once they have ended, 5,000 times over in one process. */
#include <time.h>
#include "agent_test.h"

typedef void (*void_fn)(void);
typedef uint32_t (*count_fn)(void);

static void wait_until_exited(uint32_t id, uint64_t expected_running) {
    for (int i = 0; i < 2000 && stats_of(id).threads_running != expected_running; i++) {
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    CHECK_EQ(stats_of(id).threads_running, expected_running);
}

static void thread_table(const char *path) {
    void *h = open_module(path);
    CHECK_EQ(relib_agent_attach(h, 10), 0);
    ((void_fn)export_of(h, "spawn_sleeper"))();
    relib_agent_stats_t s = stats_of(10);
    CHECK_EQ(s.threads_started, 1);
    CHECK_EQ(s.threads_running, 1);
    relib_agent_thread_t t[4];
    for (int i = 0; i < 2000; i++) { /* the name is set by the thread itself once it runs */
        CHECK_EQ(relib_agent_threads(10, t, 4), 1);
        if (strcmp(t[0].name, "relib-sleeper") == 0) break;
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    CHECK(strcmp(t[0].name, "relib-sleeper") == 0, "name '%s'", t[0].name);
    CHECK(t[0].tid > 0 && t[0].state == RELIB_AGENT_THREAD_RUNNING && t[0].exited_ns == 0, "running record");
    CHECK(t[0].start_routine != 0 && t[0].started_ns > 0, "start routine and time");

    CHECK_EQ(((count_fn)export_of(h, "stop_sleepers"))(), 1);
    wait_until_exited(10, 0);
    CHECK_EQ(relib_agent_threads(10, t, 4), 1);
    CHECK_EQ(t[0].state, RELIB_AGENT_THREAD_EXITED);
    CHECK(t[0].exited_ns >= t[0].started_ns, "exit after start");
    CHECK(strcmp(t[0].name, "relib-sleeper") == 0, "name kept after exit: '%s'", t[0].name);

    ((void_fn)export_of(h, "spawn_finisher"))();
    ((void_fn)export_of(h, "spawn_finisher"))();
    CHECK_EQ(((count_fn)export_of(h, "join_finished"))(), 2);
    wait_until_exited(10, 0);
    s = stats_of(10);
    CHECK_EQ(s.threads_started, 3);
    CHECK(s.keys_live >= 1, "std's thread keys are recorded (%llu)", (unsigned long long)s.keys_live);
    unload_module(h, 10);
    CHECK(!mapped(path), "%s still mapped after unload", path);
}

/* Without deleting std's keys the process runs out of TLS keys near cycle 1,020. */
static void many_cycles(const char *path) {
    for (int cycle = 0; cycle < 5000; cycle++) {
        void *h = open_module(path);
        CHECK_EQ(relib_agent_attach(h, 11), 0);
        ((void_fn)export_of(h, "spawn_finisher"))();
        CHECK_EQ(((count_fn)export_of(h, "join_finished"))(), 1);
        wait_until_exited(11, 0);
        unload_module(h, 11);
        if (cycle % 1000 == 999) {
            CHECK(!mapped(path), "cycle %d: still mapped", cycle);
        }
    }
}

int main(void) {
    char path[4096];
    snprintf(path, sizeof path, "%s", sample("threads"));
    thread_table(path);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    many_cycles(path);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("ok: threads (5000 load/spawn/unload cycles in %.2f s)\n",
           (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
