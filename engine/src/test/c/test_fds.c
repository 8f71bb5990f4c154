/* File descriptors a module opens through its GOT (issue 11): each kind is recorded with the call
 * that opened it, the module's closes and a close by other code retire it (the test links the agent
 * before libc, as LD_PRELOAD does in the worker), and relib_agent_close_fds closes what is left,
 * sparing the fds of FILE and DIR streams, which only their streams may close. */
#include <fcntl.h>
#include "agent_test.h"

_Static_assert(sizeof(relib_agent_fd_t) == 256, "must match Agent#fds");
_Static_assert(sizeof(relib_agent_stats_t) == 128, "must match Agent#stats");

typedef unsigned (*count_fn)(void);
typedef int (*fd_fn)(int);
typedef int (*open_fn)(void);

static int64_t fds_of(uint32_t id, relib_agent_fd_t *buf, uint64_t cap) {
    int64_t n = relib_agent_fds(id, buf, cap);
    CHECK(n >= 0, "relib_agent_fds: %lld", (long long)n);
    return n;
}

int main(void) {
    const uint32_t id = 50;
    void *module = open_module(c_sample("fdleak"));
    CHECK_EQ(relib_agent_attach(module, id), 0);
    static relib_agent_fd_t fds[32];

    CHECK_EQ(((count_fn)export_of(module, "open_close_cleanly"))(), 8);
    CHECK_EQ(fds_of(id, fds, 32), 0);

    int handed = ((open_fn)export_of(module, "open_file"))();
    CHECK_EQ(fds_of(id, fds, 32), 1);
    CHECK_EQ(fds[0].fd, handed);
    CHECK(strcmp(fds[0].call, "open") == 0 && strcmp(fds[0].target, "/dev/null") == 0, "%s %s", fds[0].call,
          fds[0].target);
    CHECK_EQ(close(handed), 0); /* not the module's GOT: the process-wide close */
    CHECK_EQ(fds_of(id, fds, 32), 0);

    CHECK_EQ(((count_fn)export_of(module, "leak_fds"))(), 11);
    CHECK_EQ(((count_fn)export_of(module, "leak_dups"))(), 3);
    CHECK_EQ(fds_of(id, fds, 32), 14);
    CHECK_EQ(stats_of(id).fds_open, 14);
    CHECK_EQ(stats_of(id).streams_open, 2);
    const char *expected[] = {"open", "socket", "pipe", "pipe", "eventfd", "epoll_create1", "socketpair", "socketpair",
                              "memfd_create", "fopen", "opendir", "open", "dup", "fcntl"};
    for (int i = 0; i < 14; i++) {
        CHECK(strcmp(fds[i].call, expected[i]) == 0, "fd %d: %s, expected %s", fds[i].fd, fds[i].call, expected[i]);
        CHECK(i == 0 || fds[i].fd > fds[i - 1].fd, "in number order");
    }

    CHECK_EQ(relib_agent_close_fds(id), 12);
    CHECK_EQ(fds_of(id, fds, 32), 2); /* the FILE's and the DIR's */
    CHECK(strcmp(fds[0].call, "fopen") == 0 && strcmp(fds[1].call, "opendir") == 0, "%s %s", fds[0].call, fds[1].call);
    CHECK_EQ(relib_agent_free_blocks(id, NULL) > 0, 1); /* closes the streams, and their fds with them */
    CHECK_EQ(fds_of(id, fds, 32), 0);
    CHECK_EQ(fcntl(fds[0].fd, F_GETFD), -1);

    CHECK_EQ(relib_agent_detach(id), 0);
    dlclose(module);
    CHECK_EQ(relib_agent_forget(id), 0);
    printf("ok: fds (each kind, closes from anywhere, close at unload)\n");
    return 0;
}
