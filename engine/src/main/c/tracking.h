/* The allocation tracking steps every allocator entry point shares: the module hooks (hooks_alloc.c,
 * hooks_cxx.c, hooks_libc.c) and, when the agent is preloaded, the process-wide allocator
 * (preload.c). Included by those files only. */
#ifndef RELIB_AGENT_TRACKING_H
#define RELIB_AGENT_TRACKING_H

#include <malloc.h>
#include <stdlib.h>
#include "agent_internal.h"

/* glibc's allocator itself, whoever interposes malloc: the preloaded agent calls these, never its own
 * exported malloc/free (which would look at the table twice). */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

/* The allocator a hook forwards to: glibc's when preloaded (the agent is the process's malloc), else
 * whatever malloc the process resolves (the agent's own GOT is never patched). */
static inline __attribute__((always_inline)) void *sys_malloc(size_t n) {
    return __builtin_expect(agent_preloaded, 1) ? __libc_malloc(n) : malloc(n);
}
static inline __attribute__((always_inline)) void *sys_calloc(size_t n, size_t s) {
    return __builtin_expect(agent_preloaded, 1) ? __libc_calloc(n, s) : calloc(n, s);
}
static inline __attribute__((always_inline)) void *sys_realloc(void *p, size_t n) {
    return __builtin_expect(agent_preloaded, 1) ? __libc_realloc(p, n) : realloc(p, n);
}
static inline __attribute__((always_inline)) void sys_free(void *p) {
    if (__builtin_expect(agent_preloaded, 1)) {
        __libc_free(p);
    } else {
        free(p);
    }
}
static inline __attribute__((always_inline)) void *sys_memalign(size_t align, size_t n) {
    return __builtin_expect(agent_preloaded, 1) ? __libc_memalign(align, n) : memalign(align, n);
}

/* posix_memalign and aligned_alloc on glibc's allocator, with their argument checks (preload.c). */
int tracking_posix_memalign(void **out, size_t align, size_t size);
void *tracking_aligned_alloc(size_t align, size_t size);

/* Set by a module hook around a libc call whose allocations are the module's (hooks_libc.c): the
 * slot + 1, or 0. The preloaded malloc family attributes what it allocates meanwhile to that slot. */
extern __thread uint32_t attribution_tls __attribute__((tls_model("initial-exec")));

/* The executable code of the runtime libraries (libstdc++, libgcc_s) while the agent is preloaded
 * and a module is attached (behalf.c); span 0 for none. */
#define RUNTIME_RANGES 2
struct runtime_range {
    uintptr_t start, span;
};
extern struct runtime_range runtime_ranges[RUNTIME_RANGES];

/* Whether code at pc is a runtime library's: the one test every process-wide allocation pays. */
static inline __attribute__((always_inline)) int behalf_runtime_code(uintptr_t pc) {
    return (pc - runtime_ranges[0].start < RELAXED_LOAD(&runtime_ranges[0].span))
            | (pc - runtime_ranges[1].start < RELAXED_LOAD(&runtime_ranges[1].span));
}

/* p was allocated by a runtime library: tracks it as the module's whose code called the runtime,
 * if a tracked module's frame follows the runtime's frames on this stack (behalf.c). */
void behalf_note(void *p, size_t size, size_t align);

/* Moves the oldest-filled way into the table to make room for p; returns the now free way. */
struct table_entry *tracking_evict(struct counter_block *b, uintptr_t p);
/* p is in this thread's cache although glibc just handed it out: untracked code freed it. */
void tracking_drop_stale(struct counter_block *b, struct table_entry *way, uintptr_t p);

static inline __attribute__((always_inline)) struct table_entry *way_for(struct counter_block *b, uintptr_t p) {
    struct table_entry *free_way = NULL;
#pragma GCC unroll 4
    for (int w = CACHE_WAYS - 1; w >= 0; w--) {
        uintptr_t key = RELAXED_LOAD(&b->cache[w].key);
        if (__builtin_expect(key == p, 0)) {
            tracking_drop_stale(b, &b->cache[w], p);
            return &b->cache[w];
        }
        if (!key) {
            free_way = &b->cache[w];
        }
    }
    return __builtin_expect(free_way != NULL, 1) ? free_way : tracking_evict(b, p);
}

static inline __attribute__((always_inline)) void note_alloc(uint32_t slot, void *p, size_t size, size_t align, uint32_t stack) {
    struct counter_block *b = counters_self();
    struct table_entry *way = way_for(b, (uintptr_t)p);
    /* The order cache_read relies on: seq first, key last. */
    RELAXED_STORE(&way->seq, counters_next_seq(b));
    __atomic_thread_fence(__ATOMIC_RELEASE);
    RELAXED_STORE(&way->size_slot, entry_pack(size, slot));
    RELAXED_STORE(&way->align, (uint32_t)align);
    RELAXED_STORE(&way->stack, stack);
    __atomic_store_n(&way->key, (uintptr_t)p, __ATOMIC_RELEASE);
    counters_alloc(b, slot, size);
}

/* p's way in this thread's cache, or NULL. */
static inline __attribute__((always_inline)) struct table_entry *own_way(struct counter_block *b, void *p) {
#pragma GCC unroll 4
    for (int w = 0; w < CACHE_WAYS; w++) {
        if (RELAXED_LOAD(&b->cache[w].key) == (uintptr_t)p) {
            return &b->cache[w];
        }
    }
    return NULL;
}

/* Removes p's entry, from this thread's cache or else (when the lock-free filter says it may be
 * there) the table or another thread's cache, into *out; 1 if p was tracked. */
static inline __attribute__((always_inline)) int take(struct counter_block *b, void *p, struct table_entry *out) {
    struct table_entry *way = own_way(b, p);
    if (__builtin_expect(way != NULL, 1)) {
        /* Each field read as wide as note_alloc wrote it, so the loads forward from its stores. */
        out->key = (uintptr_t)p;
        out->size_slot = RELAXED_LOAD(&way->size_slot);
        out->seq = RELAXED_LOAD(&way->seq);
        out->align = RELAXED_LOAD(&way->align);
        out->stack = RELAXED_LOAD(&way->stack);
        /* Only a double free could race with this: nobody else takes a live block. */
        __atomic_store_n(&way->key, 0, __ATOMIC_RELEASE);
        return 1;
    }
    return table_may_hold((uintptr_t)p) && table_take((uintptr_t)p, out);
}

/* Retires p if it is tracked (counted as a free of its module); 1 if it was. A block in this
 * thread's cache needs only its size and slot. */
static inline __attribute__((always_inline)) int retire(struct counter_block *b, void *p) {
    struct table_entry *way = own_way(b, p);
    if (__builtin_expect(way != NULL, 1)) {
        uint64_t size_slot = RELAXED_LOAD(&way->size_slot);
        __atomic_store_n(&way->key, 0, __ATOMIC_RELEASE);
        counters_free(b, packed_slot(size_slot), packed_size(size_slot));
        return 1;
    }
    struct table_entry e;
    if (table_may_hold((uintptr_t)p) && table_take((uintptr_t)p, &e)) {
        counters_free(b, entry_slot(&e), entry_size(&e));
        return 1;
    }
    return 0;
}

static inline __attribute__((always_inline)) void note_passthrough(struct counter_block *b, uint32_t slot) {
    RELAXED_STORE(&b->c[slot].passthrough, b->c[slot].passthrough + 1);
}

/* The module's free (and every operator delete): retire its block, or count a pass-through. */
static inline __attribute__((always_inline)) void tracked_free(uint32_t slot, void *p) {
    if (p) {
        struct counter_block *b = counters_self();
        if (__builtin_expect(!retire(b, p), 0)) {
            note_passthrough(b, slot);
        }
    }
    sys_free(p);
}

#endif
