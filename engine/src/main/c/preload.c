/* The process-wide allocator, when the agent is preloaded (LD_PRELOAD, as the worker starts it):
 * the agent's malloc family comes before glibc's in every object's lookup, so every free and realloc
 * in the process, from libc itself (getline growing a buffer, fclose), from another library, from
 * the JVM, reaches the table and retires a tracked block before glibc reuses the address. Which
 * module a block belongs to is decided by the module's GOT hooks, except inside a libc call a hook
 * marked as the module's (attribution_tls, hooks_libc.c) and for a block a runtime library
 * (libstdc++, libgcc_s) allocated while called from a module (behalf.c).
 * Dlopened instead of preloaded (in-process mode), these definitions lose to glibc's and never run;
 * agent_preloaded tells which case this is. Everything forwards to glibc's __libc_* functions. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <string.h>
#include <unistd.h>
#include "tracking.h"

int agent_preloaded;
__thread uint32_t attribution_tls __attribute__((tls_model("initial-exec")));

/* Set once the first module is attached: before that no block is tracked and free only forwards. */
int tracking_started;

extern void free_preloaded(void *p) __THROW __attribute__((alias("free"), visibility("hidden"), leaf));

int tracking_posix_memalign(void **out, size_t align, size_t size) {
    if (align % sizeof(void *) != 0 || (align & (align - 1)) != 0 || align == 0) {
        return EINVAL;
    }
    void *p = __libc_memalign(align, size);
    if (!p) {
        return ENOMEM;
    }
    *out = p;
    return 0;
}

void *tracking_aligned_alloc(size_t align, size_t size) {
    if (align == 0 || (align & (align - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    return __libc_memalign(align, size);
}

/* What the marked libc call allocates is the marking module's (no stack: the libc frames above it
 * would say nothing the hook's caller does not). What a runtime library allocates (caller: the
 * address the allocation returns to) may be a module's: behalf.c walks up to find out. */
static __attribute__((noinline)) void attribute(void *p, size_t size, size_t align, uint32_t mark) {
    if (mark) {
        note_alloc(mark - 1, p, size, align, 0);
    } else {
        behalf_note(p, size, align);
    }
}

/* The tests every allocation in the process pays; the work is out of line (attribute). */
static inline __attribute__((always_inline)) void *attributed(void *p, size_t size, size_t align, void *caller) {
    uint32_t a = attribution_tls;
    if (__builtin_expect((a != 0) | behalf_runtime_code((uintptr_t)caller - 1), 0) && p) {
        attribute(p, size, align, a);
    }
    return p;
}
#define CALLER __builtin_return_address(0)

static inline __attribute__((always_inline)) int retire_any(void *p) {
    struct counter_block *b = counters_tls;
    if (counters_owned(b)) {
        return retire(b, p, SLOT_UNKNOWN);
    }
    /* A thread that never ran a hook: only the shared table or another thread's cache can hold p. */
    if (!table_may_hold((uintptr_t)p)) {
        return 0;
    }
    return retire(counters_self(), p, SLOT_UNKNOWN);
}

RELIB_AGENT_EXPORT void *malloc(size_t size) {
    return attributed(__libc_malloc(size), size, 0, CALLER);
}

RELIB_AGENT_EXPORT void *calloc(size_t n, size_t size) {
    return attributed(__libc_calloc(n, size), n * size, 0, CALLER);
}

RELIB_AGENT_EXPORT void free(void *p) {
    if (p && __atomic_load_n(&tracking_started, __ATOMIC_RELAXED)) {
        retire_any(p);
    }
    __libc_free(p);
}

RELIB_AGENT_EXPORT void cfree(void *p) {
    free(p);
}

/* A tracked block stays its module's when anyone reallocs it (the buffer getline grows is still the
 * module's line); an untracked one becomes the module's only inside a marked call. */
RELIB_AGENT_EXPORT void *realloc(void *p, size_t size) {
    if (!p) {
        return attributed(__libc_malloc(size), size, 0, CALLER);
    }
    if (!__atomic_load_n(&tracking_started, __ATOMIC_RELAXED)) {
        return __libc_realloc(p, size);
    }
    struct counter_block *b = counters_tls;
    struct table_entry old;
    int tracked = (counters_owned(b) || table_may_hold((uintptr_t)p))
            && take(counters_owned(b) ? b : (b = counters_self()), p, &old);
    if (!tracked) {
        return __libc_realloc(p, size);
    }
    void *q = __libc_realloc(p, size);
    if (!q && size) {
        struct table_entry stale;
        table_insert(&old, &stale); /* p is still valid and still the module's */
        return NULL;
    }
    counters_free(b, entry_slot(&old), entry_size(&old));
    if (q) {
        note_alloc(entry_slot(&old), q, size, 0, old.stack);
    }
    return q;
}

RELIB_AGENT_EXPORT void *reallocarray(void *p, size_t n, size_t size) {
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes)) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(p, bytes);
}

RELIB_AGENT_EXPORT void *memalign(size_t align, size_t size) {
    return attributed(__libc_memalign(align, size), size, align, CALLER);
}

RELIB_AGENT_EXPORT void *aligned_alloc(size_t align, size_t size) {
    return attributed(tracking_aligned_alloc(align, size), size, align, CALLER);
}

RELIB_AGENT_EXPORT int posix_memalign(void **out, size_t align, size_t size) {
    int r = tracking_posix_memalign(out, align, size);
    if (r == 0) {
        attributed(*out, size, align, CALLER);
    }
    return r;
}

RELIB_AGENT_EXPORT void *valloc(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return attributed(__libc_memalign(page, size), size, page, CALLER);
}

RELIB_AGENT_EXPORT void *pvalloc(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rounded = (size + page - 1) & ~(page - 1);
    return attributed(__libc_memalign(page, rounded ? rounded : page), size, page, CALLER);
}

/* Closes, from anywhere in the process, retire the fd's record (hooks_fd.c) before the number can
 * be reused. glibc's own exported entry points do the work. */
extern int __close(int);
extern int __dup2(int, int);
extern int _IO_fclose(FILE *);

static inline __attribute__((always_inline)) void closing(int fd) {
    if (__atomic_load_n(&tracking_started, __ATOMIC_RELAXED)) {
        fds_closed(fd);
    }
}

RELIB_AGENT_EXPORT int close(int fd) {
    closing(fd);
    return __close(fd);
}

RELIB_AGENT_EXPORT int fclose(FILE *f) {
    closing(fileno(f));
    return _IO_fclose(f);
}

typedef int (*closedir_fn)(DIR *);
static closedir_fn glibc_closedir; /* glibc exports closedir under no other name */

RELIB_AGENT_EXPORT int closedir(DIR *d) {
    closedir_fn next = __atomic_load_n(&glibc_closedir, __ATOMIC_ACQUIRE);
    if (!next) {
        next = (closedir_fn)dlsym(RTLD_NEXT, "closedir");
        __atomic_store_n(&glibc_closedir, next, __ATOMIC_RELEASE);
    }
    closing(dirfd(d));
    return next(d);
}

/* dup2 and dup3 close what the target number referred to. */
RELIB_AGENT_EXPORT int dup2(int old, int fd) {
    int r = __dup2(old, fd);
    if (r >= 0 && old != fd) {
        closing(fd);
    }
    return r;
}

RELIB_AGENT_EXPORT int dup3(int old, int fd, int flags) {
    int r = (int)syscall(SYS_dup3, old, fd, flags);
    if (r >= 0) {
        closing(fd);
    }
    return r;
}

struct sys_allocator sys_allocator;

/* Whether this copy of the agent is the process's allocator: the free every object binds to is
 * this file's (the agent's own reference to free resolves as everyone else's does); and so which
 * allocator the hooks forward to, set before any module is attached. */
void preload_detect(void) {
    agent_preloaded = (void *)&free == (void *)&free_preloaded;
    sys_allocator = agent_preloaded
            ? (struct sys_allocator){__libc_malloc, __libc_calloc, __libc_realloc, __libc_free, __libc_memalign}
            : (struct sys_allocator){malloc, calloc, realloc, free, memalign};
}
