/* Allocator hooks. Each slot gets its own copy of every hook (SLOT_LIST), so the module is known
 * without a lookup. The real functions are glibc's: the agent's own GOT is never patched, so
 * nothing here can recurse into a hook. A new block goes into the calling thread's cache; a free
 * looks there first, so a block freed by the thread that allocated it, before that thread's next
 * few allocations, takes no lock and touches no shared line. Anything else goes through the table
 * (table.c). A block's entry is removed before the block goes back to glibc, so another thread that
 * is handed the same address cannot race with the removal. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "agent_internal.h"

/* Moves the oldest-filled way into the table to make room; returns the now free way. */
static __attribute__((noinline)) struct table_entry *evict(struct counter_block *b) {
    struct table_entry *way = &b->cache[b->victim++ % CACHE_WAYS];
    struct table_entry stale;
    int r = table_adopt(way, &stale);
    if (r == 1 || r < 0) {
        counters_free(b, stale.slot, stale.size); /* replaced, or dropped for want of table memory */
    }
    return way;
}

/* p is in this thread's cache although glibc just handed it out: untracked code freed it. A stale
 * entry elsewhere (the table, another thread's cache) is not looked for here, which would cost the
 * fast path a shared lookup; it is replaced when the address next reaches the table. */
static __attribute__((noinline)) void drop_stale(struct counter_block *b, struct table_entry *way, uintptr_t p) {
    struct table_entry e = *way;
    if (__atomic_compare_exchange_n(&way->key, &p, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
        counters_free(b, e.slot, e.size);
    }
}

static inline __attribute__((always_inline)) struct table_entry *way_for(struct counter_block *b, uintptr_t p) {
    struct table_entry *free_way = NULL;
#pragma GCC unroll 4
    for (int w = CACHE_WAYS - 1; w >= 0; w--) {
        uintptr_t key = RELAXED_LOAD(&b->cache[w].key);
        if (__builtin_expect(key == p, 0)) {
            drop_stale(b, &b->cache[w], p);
            return &b->cache[w];
        }
        if (!key) {
            free_way = &b->cache[w];
        }
    }
    return __builtin_expect(free_way != NULL, 1) ? free_way : evict(b);
}

static inline __attribute__((always_inline)) void note_alloc(uint32_t slot, void *p, size_t size, size_t align, uint32_t stack) {
    struct counter_block *b = counters_self();
    struct table_entry *way = way_for(b, (uintptr_t)p);
    /* The order cache_read relies on: seq first, key last. */
    RELAXED_STORE(&way->seq, counters_next_seq(b));
    __atomic_thread_fence(__ATOMIC_RELEASE);
    RELAXED_STORE(&way->size, size);
    RELAXED_STORE(&way->slot, slot);
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

/* Removes p's entry, from this thread's cache or else the table, into *out; 1 if p was tracked. */
static inline __attribute__((always_inline)) int take(struct counter_block *b, void *p, struct table_entry *out) {
    struct table_entry *way = own_way(b, p);
    if (__builtin_expect(way != NULL, 1)) {
        out->key = (uintptr_t)p;
        out->size = way->size;
        out->seq = way->seq;
        out->slot = way->slot;
        out->align = way->align;
        out->stack = way->stack;
        /* Only a double free could race with this: nobody else takes a live block. */
        __atomic_store_n(&way->key, 0, __ATOMIC_RELEASE);
        return 1;
    }
    return table_take((uintptr_t)p, out);
}

static inline __attribute__((always_inline)) void note_passthrough(struct counter_block *b, uint32_t slot) {
    RELAXED_STORE(&b->c[slot].passthrough, b->c[slot].passthrough + 1);
}

/* stacks is a constant in every hook (two copies per slot, see below), so a hook of a module
 * attached without stacks has no test for it at all. */
#define STACK_OF(slot, stacks) ((stacks) ? stacks_capture(slot) : 0u)

static inline __attribute__((always_inline)) void *track_malloc(uint32_t slot, int stacks, size_t size) {
    void *p = malloc(size);
    if (p) note_alloc(slot, p, size, 0, STACK_OF(slot, stacks));
    return p;
}

static inline __attribute__((always_inline)) void *track_calloc(uint32_t slot, int stacks, size_t n, size_t size) {
    void *p = calloc(n, size);
    if (p) note_alloc(slot, p, n * size, 0, STACK_OF(slot, stacks)); /* calloc checked n * size for overflow */
    return p;
}

static inline __attribute__((always_inline)) void track_free(uint32_t slot, void *p) {
    if (p) {
        struct counter_block *b = counters_self();
        struct table_entry e;
        if (__builtin_expect(take(b, p, &e), 1)) {
            counters_free(b, e.slot, e.size);
        } else {
            note_passthrough(b, slot);
        }
    }
    free(p);
}

/* The block keeps the stack of the allocation that made it (relib_agent.h says why). */
static inline __attribute__((always_inline)) void *track_realloc(uint32_t slot, int stacks, void *p, size_t size) {
    if (!p) {
        return track_malloc(slot, stacks, size);
    }
    struct counter_block *b = counters_self();
    struct table_entry old;
    if (!take(b, p, &old)) {
        note_passthrough(b, slot);
        return realloc(p, size); /* got before attach, or from untracked code: not ours to count */
    }
    void *q = realloc(p, size);
    if (!q && size) {
        struct table_entry stale;
        table_insert(&old, &stale); /* p is still valid and still the module's */
        return NULL;
    }
    counters_free(b, old.slot, old.size);
    if (q) note_alloc(slot, q, size, 0, old.stack);
    return q;
}

static inline __attribute__((always_inline)) int track_posix_memalign(uint32_t slot, int stacks, void **out, size_t align, size_t size) {
    int r = posix_memalign(out, align, size);
    if (r == 0 && *out) note_alloc(slot, *out, size, align, STACK_OF(slot, stacks));
    return r;
}

static inline __attribute__((always_inline)) void *track_aligned_alloc(uint32_t slot, int stacks, size_t align, size_t size) {
    void *p = aligned_alloc(align, size);
    if (p) note_alloc(slot, p, size, align, STACK_OF(slot, stacks));
    return p;
}

static inline __attribute__((always_inline)) void *track_memalign(uint32_t slot, int stacks, size_t align, size_t size) {
    void *p = memalign(align, size);
    if (p) note_alloc(slot, p, size, align, STACK_OF(slot, stacks));
    return p;
}

/* Per slot, hooks without stacks (suffix _n) and with (suffix _sn); free is shared: a block's
 * stack id needs no work to drop. */
#define DEFINE_ALLOC_HOOKS_FOR(n, sfx, stacks) \
    static void *malloc_##sfx(size_t s) { return track_malloc(n, stacks, s); } \
    static void *calloc_##sfx(size_t c, size_t s) { return track_calloc(n, stacks, c, s); } \
    static void *realloc_##sfx(void *p, size_t s) { return track_realloc(n, stacks, p, s); } \
    static int posix_memalign_##sfx(void **o, size_t a, size_t s) { return track_posix_memalign(n, stacks, o, a, s); } \
    static void *aligned_alloc_##sfx(size_t a, size_t s) { return track_aligned_alloc(n, stacks, a, s); } \
    static void *memalign_##sfx(size_t a, size_t s) { return track_memalign(n, stacks, a, s); }
#define DEFINE_ALLOC_HOOKS(n) \
    DEFINE_ALLOC_HOOKS_FOR(n, n, 0) \
    DEFINE_ALLOC_HOOKS_FOR(n, s##n, 1) \
    static void free_##n(void *p) { track_free(n, p); }
SLOT_LIST(DEFINE_ALLOC_HOOKS)

#define HOOK_COUNT 7
static const char *const names[HOOK_COUNT] = {
    "malloc", "calloc", "realloc", "free", "posix_memalign", "aligned_alloc", "memalign",
};
#define ALLOC_ROW(n) {(void *)malloc_##n, (void *)calloc_##n, (void *)realloc_##n, (void *)free_##n, \
                      (void *)posix_memalign_##n, (void *)aligned_alloc_##n, (void *)memalign_##n},
#define STACK_ROW(n) {(void *)malloc_s##n, (void *)calloc_s##n, (void *)realloc_s##n, (void *)free_##n, \
                      (void *)posix_memalign_s##n, (void *)aligned_alloc_s##n, (void *)memalign_s##n},
static void *const hooks[SLOTS][HOOK_COUNT] = {SLOT_LIST(ALLOC_ROW)};
static void *const stack_hooks[SLOTS][HOOK_COUNT] = {SLOT_LIST(STACK_ROW)};

void *hooks_alloc_lookup(uint32_t slot, uint32_t flags, const char *name) {
    for (int i = 0; i < HOOK_COUNT; i++) {
        if (strcmp(names[i], name) == 0) {
            return (flags & RELIB_AGENT_CAPTURE_STACKS) ? stack_hooks[slot][i] : hooks[slot][i];
        }
    }
    return NULL;
}
