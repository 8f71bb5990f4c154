/* write/writev hooks: keep the last bytes each module wrote to stderr (fd 2), after passing them
 * on unchanged. A relib module reports a caught panic only through its std panic hook, which
 * prints "thread 'T' panicked at FILE:LINE:COL:" and the message to stderr; the host reads them
 * back from here. Kept in the agent, not behind a pipe, so nothing is delayed and nothing is lost
 * when the module aborts the process right after printing. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "agent_internal.h"

/* Bytes kept per module: a panic message and its location fit many times over. */
#define KEPT 16384u

struct stderr_ring {
    pthread_mutex_t lock;
    uint64_t written; /* bytes written since the agent started; the ring holds the last KEPT */
    char data[KEPT];
};

#define RING_INIT(n) {PTHREAD_MUTEX_INITIALIZER, 0, {0}},
static struct stderr_ring rings[SLOTS] = {SLOT_LIST(RING_INIT)};

static void keep(uint32_t slot, const char *bytes, size_t n) {
    struct stderr_ring *r = &rings[slot];
    if (n > KEPT) {
        bytes += n - KEPT;
        pthread_mutex_lock(&r->lock);
        r->written += n - KEPT;
        n = KEPT;
    } else {
        pthread_mutex_lock(&r->lock);
    }
    for (size_t i = 0; i < n; i++) {
        r->data[(r->written + i) % KEPT] = bytes[i];
    }
    r->written += n;
    pthread_mutex_unlock(&r->lock);
}

static inline __attribute__((always_inline)) ssize_t track_write(uint32_t slot, int fd, const void *buf, size_t n) {
    ssize_t r = write(fd, buf, n);
    if (fd == STDERR_FILENO && r > 0) {
        keep(slot, buf, (size_t)r);
    }
    return r;
}

static inline __attribute__((always_inline)) ssize_t track_writev(uint32_t slot, int fd, const struct iovec *iov,
                                                                 int count) {
    ssize_t r = writev(fd, iov, count);
    if (fd == STDERR_FILENO && r > 0) {
        size_t left = (size_t)r;
        for (int i = 0; i < count && left > 0; i++) {
            size_t part = iov[i].iov_len < left ? iov[i].iov_len : left;
            keep(slot, iov[i].iov_base, part);
            left -= part;
        }
    }
    return r;
}

#define DEFINE_OUTPUT_HOOKS(n) \
    static ssize_t write_##n(int fd, const void *b, size_t l) { return track_write(n, fd, b, l); } \
    static ssize_t writev_##n(int fd, const struct iovec *v, int c) { return track_writev(n, fd, v, c); }
SLOT_LIST(DEFINE_OUTPUT_HOOKS)

#define HOOK_COUNT 2
static const char *const names[HOOK_COUNT] = {"write", "writev"};
#define OUTPUT_ROW(n) {(void *)write_##n, (void *)writev_##n},
static void *const hooks[SLOTS][HOOK_COUNT] = {SLOT_LIST(OUTPUT_ROW)};

void *hooks_output_lookup(uint32_t slot, const char *name) {
    for (int i = 0; i < HOOK_COUNT; i++) {
        if (strcmp(names[i], name) == 0) {
            return hooks[slot][i];
        }
    }
    return NULL;
}

uint64_t stderr_written(uint32_t slot) {
    pthread_mutex_lock(&rings[slot].lock);
    uint64_t written = rings[slot].written;
    pthread_mutex_unlock(&rings[slot].lock);
    return written;
}

uint64_t stderr_copy(uint32_t slot, uint64_t from, char *buf, uint64_t cap) {
    struct stderr_ring *r = &rings[slot];
    pthread_mutex_lock(&r->lock);
    uint64_t oldest = r->written > KEPT ? r->written - KEPT : 0;
    uint64_t start = from < oldest ? oldest : from;
    if (start > r->written) {
        start = r->written;
    }
    if (r->written - start > cap) {
        start = r->written - cap; /* the newest bytes: a panic is printed last */
    }
    uint64_t n = r->written - start;
    for (uint64_t i = 0; i < n; i++) {
        buf[i] = r->data[(start + i) % KEPT];
    }
    pthread_mutex_unlock(&r->lock);
    return n;
}
