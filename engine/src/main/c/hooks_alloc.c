/* Allocator hooks. Each slot gets its own copy of every hook (SLOT_LIST), so the module is known
 * without a lookup. The real functions are glibc's: the agent's own GOT is never patched, so
 * nothing here can recurse into a hook. A table entry is removed before the block goes back to
 * glibc, so another thread that is handed the same address cannot race with the removal. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include "agent_internal.h"

static inline __attribute__((always_inline)) void note_alloc(uint32_t slot, void *p, size_t size, size_t align) {
    struct counter_block *b = counters_self();
    struct table_entry e = {(uintptr_t)p, size, counters_next_seq(b), slot, (uint32_t)align};
    struct table_entry stale;
    int r = table_insert(&e, &stale);
    if (r < 0) {
        return; /* out of memory for the table: the block goes untracked */
    }
    if (r == 1) {
        counters_free(b, stale.slot, stale.size);
    }
    counters_alloc(b, slot, size);
}

/* Drops p's entry; 1 if it was tracked. */
static inline __attribute__((always_inline)) int note_free(uint32_t slot, void *p) {
    struct table_entry e;
    struct counter_block *b = counters_self();
    if (table_remove((uintptr_t)p, &e)) {
        counters_free(b, e.slot, e.size);
        return 1;
    }
    RELAXED_STORE(&b->c[slot].passthrough, b->c[slot].passthrough + 1);
    return 0;
}

static inline __attribute__((always_inline)) void *track_malloc(uint32_t slot, size_t size) {
    void *p = malloc(size);
    if (p) note_alloc(slot, p, size, 0);
    return p;
}

static inline __attribute__((always_inline)) void *track_calloc(uint32_t slot, size_t n, size_t size) {
    void *p = calloc(n, size);
    if (p) note_alloc(slot, p, n * size, 0); /* calloc checked n * size for overflow */
    return p;
}

static inline __attribute__((always_inline)) void track_free(uint32_t slot, void *p) {
    if (p) note_free(slot, p);
    free(p);
}

static inline __attribute__((always_inline)) void *track_realloc(uint32_t slot, void *p, size_t size) {
    if (!p) {
        return track_malloc(slot, size);
    }
    struct table_entry old;
    if (!table_remove((uintptr_t)p, &old)) {
        struct counter_block *b = counters_self();
        RELAXED_STORE(&b->c[slot].passthrough, b->c[slot].passthrough + 1);
        return realloc(p, size); /* got before attach, or from untracked code: not ours to count */
    }
    void *q = realloc(p, size);
    struct counter_block *b = counters_self();
    if (!q && size) {
        struct table_entry stale;
        table_insert(&old, &stale); /* p is still valid and still the module's */
        return NULL;
    }
    counters_free(b, old.slot, old.size);
    if (q) note_alloc(slot, q, size, 0);
    return q;
}

static inline __attribute__((always_inline)) int track_posix_memalign(uint32_t slot, void **out, size_t align, size_t size) {
    int r = posix_memalign(out, align, size);
    if (r == 0 && *out) note_alloc(slot, *out, size, align);
    return r;
}

static inline __attribute__((always_inline)) void *track_aligned_alloc(uint32_t slot, size_t align, size_t size) {
    void *p = aligned_alloc(align, size);
    if (p) note_alloc(slot, p, size, align);
    return p;
}

static inline __attribute__((always_inline)) void *track_memalign(uint32_t slot, size_t align, size_t size) {
    void *p = memalign(align, size);
    if (p) note_alloc(slot, p, size, align);
    return p;
}

#define DEFINE_ALLOC_HOOKS(n) \
    static void *malloc_##n(size_t s) { return track_malloc(n, s); } \
    static void *calloc_##n(size_t c, size_t s) { return track_calloc(n, c, s); } \
    static void *realloc_##n(void *p, size_t s) { return track_realloc(n, p, s); } \
    static void free_##n(void *p) { track_free(n, p); } \
    static int posix_memalign_##n(void **o, size_t a, size_t s) { return track_posix_memalign(n, o, a, s); } \
    static void *aligned_alloc_##n(size_t a, size_t s) { return track_aligned_alloc(n, a, s); } \
    static void *memalign_##n(size_t a, size_t s) { return track_memalign(n, a, s); }
SLOT_LIST(DEFINE_ALLOC_HOOKS)

#define HOOK_COUNT 7
static const char *const names[HOOK_COUNT] = {
    "malloc", "calloc", "realloc", "free", "posix_memalign", "aligned_alloc", "memalign",
};
#define ALLOC_ROW(n) {(void *)malloc_##n, (void *)calloc_##n, (void *)realloc_##n, (void *)free_##n, \
                      (void *)posix_memalign_##n, (void *)aligned_alloc_##n, (void *)memalign_##n},
static void *const hooks[SLOTS][HOOK_COUNT] = {SLOT_LIST(ALLOC_ROW)};

void *hooks_alloc_lookup(uint32_t slot, const char *name) {
    for (int i = 0; i < HOOK_COUNT; i++) {
        if (strcmp(names[i], name) == 0) {
            return hooks[slot][i];
        }
    }
    return NULL;
}
