/* File descriptors a module opens through its own GOT (open, socket, pipe, dup, eventfd, ... and the
 * fds inside the FILE and DIR streams it opens, hooks_libc.c) and their closes, as valgrind's
 * --track-fds does. One record per fd number, in a table indexed by the number: an open stores the
 * record and publishes its owner last; a close from anywhere takes the owner with one exchange, so
 * neither takes a lock and two threads never share a record (the kernel hands a number to one opener
 * at a time). Preloaded (the worker), close, fclose, closedir, dup2 and dup3 from any code in the
 * process retire the record (preload.c); libc's internal closes (posix_spawn file actions,
 * close_range) are not seen, so each record also keeps the device and inode the fd referred to when
 * it was opened: a record whose fd no longer refers to that file is stale and is dropped, never
 * reported or closed (eventfd, epoll, timerfd, signalfd and inotify fds all share one anonymous inode,
 * so for them the check tells only that the number is open). In-process only the module's own closes are seen and nothing is ever closed
 * by the agent. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "agent_internal.h"

/* fd numbers past this are not tracked: the table is reserved, not committed, so only the pages of
 * numbers in use cost memory. */
#define FD_CAPACITY (1u << 20)

struct fd_record {
    uint32_t owner; /* slot + 1; 0: not the module's. Published last, taken by exchange. */
    uint16_t call;  /* index into fd_calls */
    uint16_t reserved;
    uint32_t stack;
    uint32_t reserved2;
    uint64_t dev, ino;
};

/* The functions a record says opened its fd. Indexes are the FD_* below. */
static const char *const fd_calls[] = {
    "?", "open", "open64", "openat", "openat64", "creat", "creat64", "socket", "socketpair", "accept",
    "accept4", "pipe", "pipe2", "dup", "dup2", "dup3", "fcntl", "eventfd", "memfd_create", "epoll_create",
    "epoll_create1", "timerfd_create", "signalfd", "inotify_init", "inotify_init1", "fopen", "opendir",
};
enum {
    FD_OPEN = 1, FD_OPEN64, FD_OPENAT, FD_OPENAT64, FD_CREAT, FD_CREAT64, FD_SOCKET, FD_SOCKETPAIR, FD_ACCEPT,
    FD_ACCEPT4, FD_PIPE, FD_PIPE2, FD_DUP, FD_DUP2, FD_DUP3, FD_FCNTL, FD_EVENTFD, FD_MEMFD, FD_EPOLL,
    FD_EPOLL1, FD_TIMERFD, FD_SIGNALFD, FD_INOTIFY, FD_INOTIFY1, FD_FOPEN_CALL, FD_OPENDIR_CALL,
};
_Static_assert(sizeof fd_calls / sizeof fd_calls[0] == FD_OPENDIR_CALL + 1, "a name for every call");

static struct fd_record *fd_table;
static uint32_t fd_high;         /* one past the highest number ever recorded */

static struct fd_record *table_map(void) {
    struct fd_record *t = __atomic_load_n(&fd_table, __ATOMIC_ACQUIRE);
    if (__builtin_expect(t != NULL, 1)) {
        return t;
    }
    void *fresh = mmap(NULL, (size_t)FD_CAPACITY * sizeof(struct fd_record), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (fresh == MAP_FAILED) {
        return NULL;
    }
    if (!__atomic_compare_exchange_n(&fd_table, &t, (struct fd_record *)fresh, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        munmap(fresh, (size_t)FD_CAPACITY * sizeof(struct fd_record));
        return t;
    }
    return fresh;
}

static void identity(int fd, uint64_t *dev, uint64_t *ino) {
    struct stat st;
    if (fstat(fd, &st) == 0) {
        *dev = (uint64_t)st.st_dev;
        *ino = (uint64_t)st.st_ino;
    } else {
        *dev = *ino = 0;
    }
}

int fds_closed(int fd) {
    struct fd_record *t = __atomic_load_n(&fd_table, __ATOMIC_ACQUIRE);
    if (!t || fd < 0 || (uint32_t)fd >= FD_CAPACITY) {
        return 0;
    }
    /* Most closes in the worker are of fds no module opened: a plain load then, not a locked
     * exchange. A module's fd was published before its number could reach the closer. */
    if (!__atomic_load_n(&t[fd].owner, __ATOMIC_RELAXED)) {
        return 0;
    }
    return __atomic_exchange_n(&t[fd].owner, 0, __ATOMIC_ACQ_REL) != 0;
}

void fds_opened(uint32_t slot, int fd, int call) {
    if (fd < 0 || (uint32_t)fd >= FD_CAPACITY) {
        return;
    }
    struct fd_record *t = table_map();
    if (!t) {
        return;
    }
    fds_closed(fd); /* a record left by a close the agent did not see */
    struct fd_record *r = &t[fd];
    r->call = (uint16_t)call;
    r->stack = stacks_capture_if_asked(slot);
    identity(fd, &r->dev, &r->ino);
    __atomic_store_n(&r->owner, slot + 1, __ATOMIC_RELEASE);
    uint32_t high = __atomic_load_n(&fd_high, __ATOMIC_RELAXED);
    while ((uint32_t)fd >= high && !__atomic_compare_exchange_n(&fd_high, &high, (uint32_t)fd + 1, 1,
                                                                 __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

/* Whether record r (owned by slot) still describes its fd; a stale one is dropped. */
static int still_open(struct fd_record *r, uint32_t slot, int fd) {
    uint64_t dev, ino;
    identity(fd, &dev, &ino);
    if ((dev || ino) && dev == r->dev && ino == r->ino) {
        return 1;
    }
    uint32_t owner = slot + 1;
    __atomic_compare_exchange_n(&r->owner, &owner, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
    return 0;
}

int64_t fds_snapshot(uint32_t slot, relib_agent_fd_t *buf, uint64_t cap) {
    struct fd_record *t = __atomic_load_n(&fd_table, __ATOMIC_ACQUIRE);
    uint32_t high = __atomic_load_n(&fd_high, __ATOMIC_RELAXED);
    uint64_t total = 0;
    for (uint32_t fd = 0; t && fd < high; fd++) {
        struct fd_record *r = &t[fd];
        if (__atomic_load_n(&r->owner, __ATOMIC_ACQUIRE) != slot + 1 || !still_open(r, slot, (int)fd)) {
            continue;
        }
        if (total < cap) {
            relib_agent_fd_t *out = &buf[total];
            memset(out, 0, sizeof *out);
            out->fd = (int32_t)fd;
            out->stack_id = r->stack;
            out->dev = r->dev;
            out->ino = r->ino;
            strncpy(out->call, fd_calls[r->call < sizeof fd_calls / sizeof fd_calls[0] ? r->call : 0],
                    sizeof out->call - 1);
            char link[32];
            snprintf(link, sizeof link, "/proc/self/fd/%u", fd);
            ssize_t n = readlink(link, out->target, sizeof out->target - 1);
            out->target[n > 0 ? n : 0] = '\0';
        }
        total++;
    }
    return (int64_t)total;
}

uint64_t fds_open(uint32_t slot) {
    return (uint64_t)fds_snapshot(slot, NULL, 0);
}

uint64_t fds_close(uint32_t slot) {
    struct fd_record *t = __atomic_load_n(&fd_table, __ATOMIC_ACQUIRE);
    uint32_t high = __atomic_load_n(&fd_high, __ATOMIC_RELAXED);
    uint64_t closed = 0;
    for (uint32_t fd = 0; t && agent_preloaded && fd < high; fd++) {
        struct fd_record *r = &t[fd];
        if (__atomic_load_n(&r->owner, __ATOMIC_ACQUIRE) != slot + 1 || !still_open(r, slot, (int)fd)) {
            continue;
        }
        /* A stream's fd is closed with its stream (streams_close) or not at all: a FILE left behind with
         * buffered output would write it to whatever file the number names next. */
        if (r->call == FD_FOPEN_CALL || r->call == FD_OPENDIR_CALL) {
            continue;
        }
        /* Taken before the close, so a number the kernel reuses at once is never mistaken for this one. */
        if (fds_closed((int)fd)) {
            close((int)fd);
            closed++;
        }
    }
    return closed;
}

void fds_forget(uint32_t slot) {
    struct fd_record *t = __atomic_load_n(&fd_table, __ATOMIC_ACQUIRE);
    uint32_t high = __atomic_load_n(&fd_high, __ATOMIC_RELAXED);
    for (uint32_t fd = 0; t && fd < high; fd++) {
        uint32_t owner = slot + 1;
        __atomic_compare_exchange_n(&t[fd].owner, &owner, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
    }
}

void fds_opened_stream(uint32_t slot, int fd, int dir) {
    fds_opened(slot, fd, dir ? FD_OPENDIR_CALL : FD_FOPEN_CALL);
}

/* ---- the hooks ---- */
static inline __attribute__((always_inline)) int opened(uint32_t slot, int fd, int call) {
    if (fd >= 0) {
        int saved = errno;
        fds_opened(slot, fd, call);
        errno = saved;
    }
    return fd;
}

static inline __attribute__((always_inline)) int opened_pair(uint32_t slot, int r, const int *fds, int call) {
    if (r == 0) {
        int saved = errno;
        fds_opened(slot, fds[0], call);
        fds_opened(slot, fds[1], call);
        errno = saved;
    }
    return r;
}

/* open's mode argument is there only when the flags create a file. */
#define NEEDS_MODE(f) (((f) & O_CREAT) || ((f) & O_TMPFILE) == O_TMPFILE)
#define MODE_AFTER(last, flags) \
    mode_t mode = 0; \
    if (NEEDS_MODE(flags)) { \
        va_list a; \
        va_start(a, last); \
        mode = va_arg(a, mode_t); \
        va_end(a); \
    }

static inline __attribute__((always_inline)) int track_close(int fd) {
    fds_closed(fd); /* before the close: once closed, the number may be another thread's */
    return close(fd);
}

static inline __attribute__((always_inline)) int track_dup2(uint32_t n, int old, int fd, int flags, int call) {
    int r = call == FD_DUP3 ? dup3(old, fd, flags) : dup2(old, fd);
    /* dup2 of a number onto itself changes nothing; else what the number held, if recorded, is overwritten. */
    return old == fd ? r : opened(n, r, call);
}

static inline __attribute__((always_inline)) int track_fcntl(uint32_t n, int fd, int cmd, unsigned long arg) {
    int r = fcntl(fd, cmd, arg);
    return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC ? opened(n, r, FD_FCNTL) : r;
}

#define DEFINE_FD_HOOKS(n) \
    static int open_##n(const char *p, int f, ...) { MODE_AFTER(f, f) return opened(n, open(p, f, mode), FD_OPEN); } \
    static int open64_##n(const char *p, int f, ...) { MODE_AFTER(f, f) return opened(n, open64(p, f, mode), FD_OPEN64); } \
    static int open_2_##n(const char *p, int f) { return opened(n, open(p, f), FD_OPEN); } \
    static int open64_2_##n(const char *p, int f) { return opened(n, open64(p, f), FD_OPEN64); } \
    static int openat_##n(int d, const char *p, int f, ...) { MODE_AFTER(f, f) return opened(n, openat(d, p, f, mode), FD_OPENAT); } \
    static int openat64_##n(int d, const char *p, int f, ...) { MODE_AFTER(f, f) return opened(n, openat64(d, p, f, mode), FD_OPENAT64); } \
    static int openat_2_##n(int d, const char *p, int f) { return opened(n, openat(d, p, f), FD_OPENAT); } \
    static int openat64_2_##n(int d, const char *p, int f) { return opened(n, openat64(d, p, f), FD_OPENAT64); } \
    static int creat_##n(const char *p, mode_t m) { return opened(n, creat(p, m), FD_CREAT); } \
    static int creat64_##n(const char *p, mode_t m) { return opened(n, creat64(p, m), FD_CREAT64); } \
    static int socket_##n(int d, int t, int p) { return opened(n, socket(d, t, p), FD_SOCKET); } \
    static int socketpair_##n(int d, int t, int p, int *sv) { return opened_pair(n, socketpair(d, t, p, sv), sv, FD_SOCKETPAIR); } \
    static int accept_##n(int s, struct sockaddr *a, socklen_t *l) { return opened(n, accept(s, a, l), FD_ACCEPT); } \
    static int accept4_##n(int s, struct sockaddr *a, socklen_t *l, int f) { return opened(n, accept4(s, a, l, f), FD_ACCEPT4); } \
    static int pipe_##n(int *p) { return opened_pair(n, pipe(p), p, FD_PIPE); } \
    static int pipe2_##n(int *p, int f) { return opened_pair(n, pipe2(p, f), p, FD_PIPE2); } \
    static int dup_##n(int fd) { return opened(n, dup(fd), FD_DUP); } \
    static int dup2_##n(int o, int fd) { return track_dup2(n, o, fd, 0, FD_DUP2); } \
    static int dup3_##n(int o, int fd, int f) { return track_dup2(n, o, fd, f, FD_DUP3); } \
    static int fcntl_##n(int fd, int c, ...) { va_list a; va_start(a, c); unsigned long v = va_arg(a, unsigned long); va_end(a); \
        return track_fcntl(n, fd, c, v); } \
    static int eventfd_##n(unsigned int v, int f) { return opened(n, eventfd(v, f), FD_EVENTFD); } \
    static int memfd_create_##n(const char *m, unsigned int f) { return opened(n, memfd_create(m, f), FD_MEMFD); } \
    static int epoll_create_##n(int s) { return opened(n, epoll_create(s), FD_EPOLL); } \
    static int epoll_create1_##n(int f) { return opened(n, epoll_create1(f), FD_EPOLL1); } \
    static int timerfd_create_##n(int c, int f) { return opened(n, timerfd_create(c, f), FD_TIMERFD); } \
    static int signalfd_##n(int fd, const sigset_t *m, int f) { int r = signalfd(fd, m, f); \
        return fd == -1 ? opened(n, r, FD_SIGNALFD) : r; } \
    static int inotify_init_##n(void) { return opened(n, inotify_init(), FD_INOTIFY); } \
    static int inotify_init1_##n(int f) { return opened(n, inotify_init1(f), FD_INOTIFY1); } \
    static int close_##n(int fd) { return track_close(fd); }
SLOT_LIST(DEFINE_FD_HOOKS)

/* In strcmp order: attach looks up every symbol a module imports, so this is a binary search. */
static const char *const names[] = {
    "__open64_2", "__open_2", "__openat64_2", "__openat_2", "accept", "accept4", "close", "creat", "creat64",
    "dup", "dup2", "dup3", "epoll_create", "epoll_create1", "eventfd", "fcntl", "fcntl64", "inotify_init",
    "inotify_init1", "memfd_create", "open", "open64", "openat", "openat64", "pipe", "pipe2", "signalfd",
    "socket", "socketpair", "timerfd_create",
};
#define FD_HOOKS (sizeof names / sizeof names[0])
#define FD_ROW(n) {(void *)open64_2_##n, (void *)open_2_##n, (void *)openat64_2_##n, (void *)openat_2_##n, \
    (void *)accept_##n, (void *)accept4_##n, (void *)close_##n, (void *)creat_##n, (void *)creat64_##n, \
    (void *)dup_##n, (void *)dup2_##n, (void *)dup3_##n, (void *)epoll_create_##n, (void *)epoll_create1_##n, \
    (void *)eventfd_##n, (void *)fcntl_##n, (void *)fcntl_##n, (void *)inotify_init_##n, \
    (void *)inotify_init1_##n, (void *)memfd_create_##n, (void *)open_##n, (void *)open64_##n, \
    (void *)openat_##n, (void *)openat64_##n, (void *)pipe_##n, (void *)pipe2_##n, (void *)signalfd_##n, \
    (void *)socket_##n, (void *)socketpair_##n, (void *)timerfd_create_##n},
static void *const hooks[SLOTS][FD_HOOKS] = {SLOT_LIST(FD_ROW)};

void *hooks_fd_lookup(uint32_t slot, const char *name) {
    size_t low = 0, high = FD_HOOKS;
    while (low < high) {
        size_t mid = (low + high) / 2;
        int order = strcmp(name, names[mid]);
        if (order == 0) {
            return hooks[slot][mid];
        }
        if (order < 0) {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    return NULL;
}
