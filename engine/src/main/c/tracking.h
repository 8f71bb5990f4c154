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

#pragma GCC visibility push(hidden)

/* The allocator a hook forwards to: glibc's when preloaded (the agent is the process's malloc), else
 * whatever malloc the process resolves (the agent's own GOT is never patched). Chosen once, when
 * the agent starts (preload_detect), so a hook calls it without testing which it is. */
struct sys_allocator {
    void *(*malloc)(size_t);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void (*free)(void *);
    void *(*memalign)(size_t, size_t);
};
extern struct sys_allocator sys_allocator;

static inline __attribute__((always_inline)) void *sys_malloc(size_t n) {
    return sys_allocator.malloc(n);
}
static inline __attribute__((always_inline)) void *sys_calloc(size_t n, size_t s) {
    return sys_allocator.calloc(n, s);
}
static inline __attribute__((always_inline)) void *sys_realloc(void *p, size_t n) {
    return sys_allocator.realloc(p, n);
}
static inline __attribute__((always_inline)) void sys_free(void *p) {
    sys_allocator.free(p);
}
static inline __attribute__((always_inline)) void *sys_memalign(size_t align, size_t n) {
    return sys_allocator.memalign(align, n);
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

/* Moves the whole cache into the table to make room for p and its successors; returns way 0. */
struct table_entry *tracking_evict(struct counter_block *b, uintptr_t p);
/* p is in this thread's cache although glibc just handed it out: untracked code freed it. Drops
 * that entry (unless another thread took it meanwhile); either way its way is free after. */
void tracking_drop_stale(struct counter_block *b, uintptr_t p);

/* counters_free, out of line: a block of another slot than its hook's. */
void tracking_free_other(struct counter_block *b, uint32_t slot, uint64_t size);

/* The way p goes into in every case (note_alloc_slow): p's stale entry's, a free one, else the
 * first way, once the whole cache has moved to the table. */
static inline __attribute__((always_inline)) struct table_entry *way_for(struct counter_block *b, uintptr_t p) {
    int stale = 0;
#pragma GCC unroll 4
    for (int w = 0; w < CACHE_WAYS; w++) {
        stale |= RELAXED_LOAD(&b->cache[w].key) == p;
    }
    if (__builtin_expect(stale, 0)) {
        tracking_drop_stale(b, p);
    }
#pragma GCC unroll 4
    for (int w = 0; w < CACHE_WAYS; w++) {
        if (!RELAXED_LOAD(&b->cache[w].key)) {
            return &b->cache[w];
        }
    }
    return tracking_evict(b, p);
}

/* Fills a free way of b's cache with p's entry and counts the allocation. */
static inline __attribute__((always_inline)) void fill_way(struct counter_block *b, struct table_entry *way, uint32_t slot,
                                                           void *p, size_t size, size_t align, uint32_t stack, uint64_t seq) {
    /* The order cache_read relies on: seq first, key last. */
    RELAXED_STORE(&way->seq, seq);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    RELAXED_STORE(&way->size_slot, entry_pack(size, slot));
    RELAXED_STORE(&way->align, (uint32_t)align);
    RELAXED_STORE(&way->stack, stack);
    __atomic_store_n(&way->key, (uintptr_t)p, __ATOMIC_RELEASE);
    counters_alloc(b, slot, size);
}

/* note_alloc's other cases, out of line (hooks_alloc.c): a thread's first hook, a stale entry, a full cache. */
void note_alloc_slow(uint32_t slot, void *p, size_t size, size_t align, uint32_t stack);

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

/* Tracks p as slot's new block. The common case (a thread with a free way, no stale entry of p and
 * sequence numbers at hand) is inline and small enough to need no stack frame; the rest is
 * note_alloc_slow. A thread that frees what it allocates, soon, finds way 0 free and the others
 * mostly empty: that case has a path of its own, with constant offsets and one test for "no other
 * key" before it compares p with any (a pair: 218 -> 210 instructions). The general path's tests
 * are branches, not selects, so a loop predicts them. */
_Static_assert(CACHE_WAYS == 4, "note_alloc's way-0 path reads ways 1 to 3");
static inline __attribute__((always_inline)) void note_alloc(uint32_t slot, void *p, size_t size, size_t align, uint32_t stack) {
    struct counter_block *b = counters_current();
    uint64_t seq = b->seq_next;
    if (__builtin_expect(seq != b->seq_end, 1)) {
        if (__builtin_expect(RELAXED_LOAD(&b->cache[0].key) == 0, 1)) {
            uintptr_t others = RELAXED_LOAD(&b->cache[1].key) | RELAXED_LOAD(&b->cache[2].key)
                    | RELAXED_LOAD(&b->cache[3].key);
            if (__builtin_expect(others == 0, 1) || !own_way(b, p)) {
                b->seq_next = seq + 1;
                fill_way(b, &b->cache[0], slot, p, size, align, stack, seq);
                return;
            }
        } else {
            int w;
#pragma GCC unroll 4
            for (w = 1; w < CACHE_WAYS; w++) {
                if (!RELAXED_LOAD(&b->cache[w].key)) {
                    break;
                }
            }
            if (w < CACHE_WAYS && __builtin_expect(!own_way(b, p), 1)) {
                b->seq_next = seq + 1;
                fill_way(b, &b->cache[w], slot, p, size, align, stack, seq);
                return;
            }
        }
    }
    note_alloc_slow(slot, p, size, align, stack);
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

/* Empties a way of this thread's cache and counts its block as freed; it needs only its size and
 * slot. expected is the slot a block freed here usually belongs to (a constant in each module's
 * free hook): the counters' address is then known before the entry is read, and any value is
 * still counted right (SLOT_UNKNOWN where none is likelier). */
#define SLOT_UNKNOWN SLOTS
static inline __attribute__((always_inline)) void retire_way(struct counter_block *b, struct table_entry *way, uint32_t expected) {
    uint64_t size_slot = RELAXED_LOAD(&way->size_slot);
    __atomic_store_n(&way->key, 0, __ATOMIC_RELEASE);
    uint32_t slot = packed_slot(size_slot);
    if (expected != SLOT_UNKNOWN && __builtin_expect(slot == expected, 1)) {
        counters_free(b, expected, packed_size(size_slot));
    } else {
        tracking_free_other(b, slot, packed_size(size_slot)); /* out of line: not merged with the above */
    }
}

/* Retires p if it is tracked (counted as a free of its module); 1 if it was. */
static inline __attribute__((always_inline)) int retire(struct counter_block *b, void *p, uint32_t expected) {
    struct table_entry *way = own_way(b, p);
    if (__builtin_expect(way != NULL, 1)) {
        retire_way(b, way, expected);
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

/* tracked_free's other cases, out of line (hooks_alloc.c): p not in this thread's cache, a thread's
 * first hook, NULL. Frees p. */
void tracked_free_slow(uint32_t slot, void *p);

/* The module's free (and every operator delete): retire its block, or count a pass-through. A block
 * in this thread's cache is the common case, inline; the rest is tracked_free_slow. */
static inline __attribute__((always_inline)) void tracked_free(uint32_t slot, void *p) {
    struct counter_block *b = counters_current();
    if (__builtin_expect(p != NULL, 1)) {
        struct table_entry *way = own_way(b, p);
        if (__builtin_expect(way != NULL, 1)) {
            retire_way(b, way, slot);
            sys_free(p);
            return;
        }
    }
    tracked_free_slow(slot, p);
}

#pragma GCC visibility pop

#endif
