/* Allocator hooks. Each slot gets its own copy of every hook (SLOT_LIST), so the module is known
 * without a lookup. The real functions are glibc's: the agent's own GOT is never patched, so
 * nothing here can recurse into a hook. A new block goes into the calling thread's cache; a free
 * looks there first, so a block freed by the thread that allocated it, before that thread's next
 * few allocations, takes no lock and touches no shared line. Anything else goes through the table
 * (table.c). A block's entry is removed before the block goes back to glibc, so another thread that
 * is handed the same address cannot race with the removal. */
#include <errno.h>
#include <string.h>
#include "tracking.h"

/* A full cache means this thread keeps its blocks: they all move into the table at once, usually
 * under one shard lock (table_adopt), and the next CACHE_WAYS allocations take the inline path
 * again. Moving only the oldest, one lock and one slow path per kept block, cost a thread keeping
 * 64-byte blocks 65 ns a block against 48 (medians of 24 alternating runs; glibc alone 18). A
 * thread that keeps blocks mostly carves them one after another from the same free space: p then
 * lies a steady stride from the newest cached block, and the table lines of the blocks the next
 * allocations will hand out are fetched now, before the next move needs them (an insert into a
 * table bigger than the caches is otherwise one memory round trip), as are those blocks' own lines:
 * glibc reads each as it hands it out, since a freed chunk's free-list link lives in the chunk, and
 * the table's lines crowd them out of the cache meanwhile. The stride runs backward as often as
 * forward: glibc hands out freed chunks from its bins last in, first out, so a thread that keeps
 * blocks again after freeing a run of them walks that run down. Any other pattern makes the stride
 * meaningless, so only one within 64 KiB either way is followed. */
#define STRIDE_FOLLOWED (64u * 1024)
struct table_entry *tracking_evict(struct counter_block *b, uintptr_t p) {
    uintptr_t newest = 0;
    uint64_t newest_seq = 0;
    for (int w = 0; w < CACHE_WAYS; w++) {
        uint64_t seq = RELAXED_LOAD(&b->cache[w].seq);
        if (seq >= newest_seq) {
            newest_seq = seq;
            newest = RELAXED_LOAD(&b->cache[w].key);
        }
    }
    struct table_entry dropped[CACHE_WAYS];
    int n = table_adopt(b->cache, CACHE_WAYS, dropped);
    for (int i = 0; i < n; i++) {
        counters_free(b, entry_slot(&dropped[i]), entry_size(&dropped[i]));
    }
    uintptr_t stride = p - newest; /* backward: wrapped, and followed as such (table_prefetch_run) */
    int followed = newest && stride + STRIDE_FOLLOWED < 2 * STRIDE_FOLLOWED;
    table_prefetch_run(p, stride, followed ? CACHE_WAYS : 0);
    if (followed) {
        for (int k = 2; k <= CACHE_WAYS + 1; k++) {
            __builtin_prefetch((void *)(p + (uintptr_t)k * stride), 0, 3);
        }
    }
    return &b->cache[0];
}

__attribute__((noinline)) void tracking_free_other(struct counter_block *b, uint32_t slot, uint64_t size) {
    counters_free(b, slot, size);
}

/* A stale entry elsewhere (the table, another thread's cache) is not looked for here, which would
 * cost the fast path a shared lookup; it is replaced when the address next reaches the table. In a
 * preloaded agent no free escapes it, so this happens only in-process. */
void tracking_drop_stale(struct counter_block *b, uintptr_t p) {
    for (int w = 0; w < CACHE_WAYS; w++) {
        struct table_entry *way = &b->cache[w];
        struct table_entry e = *way;
        uintptr_t expected = p; /* a failed exchange writes what it found here, not into p */
        if (e.key == p && __atomic_compare_exchange_n(&way->key, &expected, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
            counters_free(b, entry_slot(&e), entry_size(&e));
            return;
        }
    }
}

void note_alloc_slow(uint32_t slot, void *p, size_t size, size_t align, uint32_t stack) {
    struct counter_block *b = counters_self();
    struct table_entry *way = way_for(b, (uintptr_t)p);
    fill_way(b, way, slot, p, size, align, stack, counters_next_seq(b));
}

void tracked_free_slow(uint32_t slot, void *p) {
    if (p) {
        struct counter_block *b = counters_self();
        if (__builtin_expect(!retire(b, p, slot), 0)) {
            note_passthrough(b, slot);
        }
    }
    sys_free(p);
}

/* stacks is a constant in every hook (two copies per slot, see below), so a hook of a module
 * attached without stacks has no test for it at all. */
#define STACK_OF(slot, stacks) ((stacks) ? stacks_capture(slot) : 0u)

static inline __attribute__((always_inline)) void *track_malloc(uint32_t slot, int stacks, size_t size) {
    void *p = sys_malloc(size);
    if (p) note_alloc(slot, p, size, 0, STACK_OF(slot, stacks));
    return p;
}

static inline __attribute__((always_inline)) void *track_calloc(uint32_t slot, int stacks, size_t n, size_t size) {
    void *p = sys_calloc(n, size);
    if (p) note_alloc(slot, p, n * size, 0, STACK_OF(slot, stacks)); /* calloc checked n * size for overflow */
    return p;
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
        return sys_realloc(p, size); /* got before attach, or from untracked code: not ours to count */
    }
    void *q = sys_realloc(p, size);
    if (!q && size) {
        struct table_entry stale;
        table_insert(&old, &stale); /* p is still valid and still the module's */
        return NULL;
    }
    counters_free(b, entry_slot(&old), entry_size(&old));
    if (q) note_alloc(slot, q, size, 0, old.stack);
    return q;
}

static inline __attribute__((always_inline)) int track_posix_memalign(uint32_t slot, int stacks, void **out, size_t align, size_t size) {
    int r;
    if (agent_preloaded) {
        r = tracking_posix_memalign(out, align, size);
    } else {
        r = posix_memalign(out, align, size);
    }
    if (r == 0 && *out) note_alloc(slot, *out, size, align, STACK_OF(slot, stacks));
    return r;
}

static inline __attribute__((always_inline)) void *track_aligned_alloc(uint32_t slot, int stacks, size_t align, size_t size) {
    void *p = agent_preloaded ? tracking_aligned_alloc(align, size) : aligned_alloc(align, size);
    if (p) note_alloc(slot, p, size, align, STACK_OF(slot, stacks));
    return p;
}

static inline __attribute__((always_inline)) void *track_memalign(uint32_t slot, int stacks, size_t align, size_t size) {
    void *p = sys_memalign(align, size);
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
    static void free_##n(void *p) { tracked_free(n, p); }
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
