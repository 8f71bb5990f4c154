/* The pointer table: pointer -> (slot, size, align, sequence, stack id) for every block a tracked module
 * allocated and nobody freed yet, except each thread's newest few, which wait in that thread's
 * cache (agent_internal.h) so a block freed soon by the thread that allocated it never reaches the
 * table. 256 shards, each a linear-probing hash table behind its own spin lock on its own cache
 * line, so two threads meet only when their pointers hash to the same shard. A cached block moves
 * into the table, or is taken from a cache by another thread, only under its shard's lock, so whoever
 * holds that lock sees each block in exactly one place. Deletion shifts entries back (no
 * tombstones), so chains stay short however long the process runs. Its memory comes from
 * table_memory.c, never from the allocator it is tracking.
 *
 * An entry is stored in 16 bytes (struct stored), half a cache way's 32: the table of 500,000 kept
 * blocks is 16 MiB, not 32, and the entries of small blocks carved one after another (32 or 48
 * bytes apart) share cache lines.
 * Most blocks fit (narrow: size below 256 KiB, no alignment or a power of two, no call stack, a
 * sequence number below 2^40); the others keep their fields in the shard's array of wide payloads,
 * which the stored entry points to. */
#include <string.h>
#include "agent_internal.h"

#define SHARD_BITS 8
#define SHARDS (1u << SHARD_BITS)
#define INITIAL_CAPACITY 256u

/* A block as the table stores it. key_slot: the address in the low 56 bits (x86-64 user space,
 * 5-level paging included, lies below 2^56) and the slot in the top 8; 0 marks an empty entry.
 * rest, narrow (bit 63 clear): the sequence number in bits 0-39, the size in bits 40-57, the
 * alignment's code in bits 58-62 (0 none, k + 1 for 2^k); wide (bit 63 set): the index of the
 * block's wide payload in its shard. */
struct stored {
    uint64_t key_slot;
    uint64_t rest;
};
_Static_assert(sizeof(struct stored) == 16, "four stored entries to a cache line");

#define KEY_MASK ((1ull << ENTRY_SLOT_SHIFT) - 1)
#define NARROW_SEQ_BITS 40
#define NARROW_SIZE_BITS 18
#define NARROW_SIZE_SHIFT NARROW_SEQ_BITS
#define NARROW_ALIGN_SHIFT (NARROW_SEQ_BITS + NARROW_SIZE_BITS)
#define NARROW_ALIGN_CODES 32u
#define WIDE (1ull << 63)

/* The fields of a block that does not fit a narrow entry; free ones are chained through size (the
 * next one's index + 1, 0 ending the chain). */
struct wide_payload {
    uint64_t size, seq;
    uint32_t align, stack;
};
#define WIDE_NONE UINT32_MAX
#define WIDE_INITIAL 64u

struct shard {
    int lock;
    uint32_t capacity; /* power of two, or 0 before the first insert */
    uint32_t count;
    uint32_t wide_free; /* the first free payload's index + 1, 0 for none (a zeroed shard has none) */
    struct stored *entries;
    struct wide_payload *wide;
    uint32_t wide_capacity, wide_used; /* payloads mapped; payloads ever handed out (free ones included) */
} __attribute__((aligned(64)));

static struct shard shards[SHARDS];

/* In a child process, the threads that held shard locks at the fork are gone: frees in the child
 * (the fork guard's thread, a module's daemon) must not spin on them forever. */
void table_after_fork_child(void) {
    for (uint32_t n = 0; n < SHARDS; n++) {
        __atomic_store_n(&shards[n].lock, 0, __ATOMIC_RELEASE);
    }
    table_memory_after_fork_child();
}

/* How many table entries hash to each bucket, read without a lock by frees that want to know
 * whether a pointer can be in the table at all (most frees in a preloaded process are not of a
 * tracked block). A bucket's top bits are its shard's, so only that shard's lock holder writes it. */
#define FILTER_BITS 16
static uint32_t filter[1u << FILTER_BITS];

static inline uint32_t *filter_of(uint64_t h) {
    return &filter[h >> (64 - FILTER_BITS)];
}

static inline void filter_add(uint64_t h, int32_t delta) {
    uint32_t *f = filter_of(h);
    __atomic_store_n(f, *f + (uint32_t)delta, __ATOMIC_RELAXED);
}

/* A block's code: its shard (top 8 bits) and its place in the shard (low 32 bits) come from its
 * region (1 << REGION_SHIFT bytes), mixed, plus its 16-byte granule within the region, so blocks
 * allocated one after another land one after another in one shard's array (a table of kept blocks
 * costs no cache miss per insert); bits 48..55 mix the granule for the filter. A thread keeping
 * blocks moves to another shard each time it crosses a region. Regions of 1 MiB made a kept block
 * 30.1 -> 25.8 ns (15.1 untracked), but then a shard holds none, one or two regions, and keeping
 * the same blocks again left the process's resident set moving in 2 MiB steps after the second
 * round (test_table's keeping again: +2 MiB in 15 of 25 runs at 256 KiB; at 1 MiB 2 MiB either
 * way in 11 of 25, and +4.3 MiB once in CI; 0 in 25 runs at 64 KiB), so regions stay 64 KiB. */
#define REGION_SHIFT 16
#define GRANULES_PER_REGION (1u << (REGION_SHIFT - 4))

static inline uint64_t hash(uintptr_t p) {
    uint64_t r = (uint64_t)(p >> REGION_SHIFT);
    r ^= r >> 31;
    r *= 0xBF58476D1CE4E5B9ull;
    r ^= r >> 29;
    uint64_t fine = ((uint64_t)(p >> 4) * 0x9E3779B97F4A7C15ull) >> 56;
    return (r & 0xFF00000000000000ull) | (fine << 48) | (uint32_t)((uint32_t)r + (uint32_t)((p >> 4) & (GRANULES_PER_REGION - 1)));
}

static inline struct shard *shard_of(uint64_t h) {
    return &shards[h >> (64 - SHARD_BITS)];
}

static inline uint32_t home(uint64_t h, uint32_t capacity) {
    return (uint32_t)h & (capacity - 1);
}

static inline void lock(struct shard *s) {
    spin_lock(&s->lock);
}

static inline void unlock(struct shard *s) {
    spin_unlock(&s->lock);
}

static inline uintptr_t stored_key(const struct stored *st) {
    return (uintptr_t)(st->key_slot & KEY_MASK);
}

static inline uint32_t stored_slot(const struct stored *st) {
    return (uint32_t)(st->key_slot >> ENTRY_SLOT_SHIFT);
}

/* The code of an alignment in a narrow entry, or NARROW_ALIGN_CODES when it has none. */
static inline uint32_t align_code(uint32_t align) {
    if (align == 0) {
        return 0;
    }
    uint32_t k = (uint32_t)__builtin_ctz(align);
    return (align & (align - 1)) == 0 && k + 1 < NARROW_ALIGN_CODES ? k + 1 : NARROW_ALIGN_CODES;
}

/* Out of line and cold, like grow: a shard's first wide payload, and each doubling after it. */
__attribute__((noinline, cold)) static int grow_wide(struct shard *s) {
    uint32_t capacity = s->wide_capacity ? s->wide_capacity * 2 : WIDE_INITIAL;
    struct wide_payload *wide = table_memory_get((size_t)capacity * sizeof(struct wide_payload));
    if (!wide) {
        return -1;
    }
    if (s->wide) {
        memcpy(wide, s->wide, (size_t)s->wide_used * sizeof(struct wide_payload));
        table_memory_put(s->wide, (size_t)s->wide_capacity * sizeof(struct wide_payload));
    }
    s->wide = wide;
    s->wide_capacity = capacity;
    return 0;
}

/* A free wide payload's index, or WIDE_NONE when no memory is left for one. Caller holds s's lock. */
static uint32_t wide_take(struct shard *s) {
    if (s->wide_free) {
        uint32_t i = s->wide_free - 1;
        s->wide_free = (uint32_t)s->wide[i].size;
        return i;
    }
    if (s->wide_used == s->wide_capacity && grow_wide(s) != 0) {
        return WIDE_NONE;
    }
    return s->wide_used++;
}

static void wide_release(struct shard *s, const struct stored *st) {
    if (st->rest & WIDE) {
        uint32_t i = (uint32_t)st->rest;
        s->wide[i].size = s->wide_free;
        s->wide_free = i + 1;
    }
}

/* e as s stores it; 0, or -1 when e needs a wide payload and none can be had. Caller holds s's lock. */
static inline int pack(struct shard *s, const struct table_entry *e, struct stored *out) {
    uint64_t size = entry_size(e);
    uint32_t code = align_code(e->align);
    out->key_slot = (uint64_t)e->key | ((uint64_t)entry_slot(e) << ENTRY_SLOT_SHIFT);
    if (__builtin_expect(e->seq < (1ull << NARROW_SEQ_BITS) && size < (1ull << NARROW_SIZE_BITS)
                         && code < NARROW_ALIGN_CODES && e->stack == 0, 1)) {
        out->rest = e->seq | (size << NARROW_SIZE_SHIFT) | ((uint64_t)code << NARROW_ALIGN_SHIFT);
        return 0;
    }
    uint32_t i = wide_take(s);
    if (i == WIDE_NONE) {
        return -1;
    }
    s->wide[i] = (struct wide_payload){size, e->seq, e->align, e->stack};
    out->rest = WIDE | i;
    return 0;
}

/* The block st stands for, as a cache way holds it. */
static inline void unpack(const struct shard *s, const struct stored *st, struct table_entry *out) {
    out->key = stored_key(st);
    if (st->rest & WIDE) {
        const struct wide_payload *w = &s->wide[(uint32_t)st->rest];
        out->size_slot = entry_pack(w->size, stored_slot(st));
        out->seq = w->seq;
        out->align = w->align;
        out->stack = w->stack;
    } else {
        uint32_t code = (uint32_t)(st->rest >> NARROW_ALIGN_SHIFT) & (NARROW_ALIGN_CODES - 1);
        out->size_slot = entry_pack((st->rest >> NARROW_SIZE_SHIFT) & ((1ull << NARROW_SIZE_BITS) - 1), stored_slot(st));
        out->seq = st->rest & ((1ull << NARROW_SEQ_BITS) - 1);
        out->align = code ? 1u << (code - 1) : 0;
        out->stack = 0;
    }
}

/* Out of line and cold: inlined, its loop cost every insert a full stack frame. */
__attribute__((noinline, cold)) static int grow(struct shard *s) {
    uint32_t capacity = s->capacity ? s->capacity * 2 : INITIAL_CAPACITY;
    struct stored *entries = table_memory_get((size_t)capacity * sizeof(struct stored));
    if (!entries) {
        return -1;
    }
    for (uint32_t i = 0; i < s->capacity; i++) {
        struct stored *e = &s->entries[i];
        if (e->key_slot) {
            uint32_t j = home(hash(stored_key(e)), capacity);
            while (entries[j].key_slot) {
                j = (j + 1) & (capacity - 1);
            }
            entries[j] = *e;
        }
    }
    if (s->entries) {
        table_memory_put(s->entries, (size_t)s->capacity * sizeof(struct stored));
    }
    RELAXED_STORE(&s->entries, entries); /* table_prefetch_run reads both without the lock */
    RELAXED_STORE(&s->capacity, capacity);
    return 0;
}

/* Index of p's entry, or of the empty slot ending its chain. */
static inline uint32_t find(const struct shard *s, uintptr_t p, uint64_t h) {
    uint32_t mask = s->capacity - 1;
    uint32_t i = home(h, s->capacity);
    while (s->entries[i].key_slot && stored_key(&s->entries[i]) != p) {
        i = (i + 1) & mask;
    }
    return i;
}

/* Copies slot i's block to *out, releases its wide payload, empties the slot and shifts later
 * members of the chain back so every entry stays reachable. */
static void take_at(struct shard *s, uint32_t i, struct table_entry *out) {
    uint32_t mask = s->capacity - 1;
    uint32_t j = i;
    unpack(s, &s->entries[i], out);
    wide_release(s, &s->entries[i]);
    filter_add(hash(stored_key(&s->entries[i])), -1);
    for (;;) {
        s->entries[i].key_slot = 0;
        for (;;) {
            j = (j + 1) & mask;
            if (!s->entries[j].key_slot) {
                s->count--;
                return;
            }
            uint32_t k = home(hash(stored_key(&s->entries[j])), s->capacity);
            /* Entry j may move to i unless its home lies cyclically in (i, j]. */
            if (i <= j ? (i < k && k <= j) : (i < k || k <= j)) {
                continue;
            }
            break;
        }
        s->entries[i] = s->entries[j];
        i = j;
    }
}

/* Caller holds s's lock. */
static inline __attribute__((always_inline)) int insert_locked(struct shard *s, const struct table_entry *e, uint64_t h, struct table_entry *stale) {
    if ((s->count + 1) * 4 > s->capacity * 3 && grow(s) != 0) { /* load factor 3/4 */
        return -1;
    }
    uint32_t i = find(s, e->key, h);
    struct stored *at = &s->entries[i];
    struct stored packed;
    if (pack(s, e, &packed) != 0) {
        return -1;
    }
    int result = 0;
    if (at->key_slot) {
        unpack(s, at, stale); /* freed behind our back (by untracked code) and handed out again */
        wide_release(s, at);
        result = 1;
    } else {
        s->count++;
        filter_add(h, 1);
    }
    *at = packed;
    return result;
}

int table_insert(const struct table_entry *e, struct table_entry *stale) {
    uint64_t h = hash(e->key);
    struct shard *s = shard_of(h);
    lock(s);
    int result = insert_locked(s, e, h, stale);
    unlock(s);
    return result;
}

/* One lock hold for each run of ways whose blocks share a shard: a thread keeping blocks carves
 * them one after another from one region, so its whole cache usually moves under one. */
int table_adopt(struct table_entry *ways, int n, struct table_entry *dropped) {
    struct shard *held = NULL;
    int count = 0;
    for (int w = 0; w < n; w++) {
        struct table_entry *way = &ways[w];
        uintptr_t key = RELAXED_LOAD(&way->key);
        if (!key) {
            continue;
        }
        uint64_t h = hash(key);
        struct shard *s = shard_of(h);
        if (s != held) {
            if (held) {
                unlock(held);
            }
            lock(s);
            held = s;
        }
        if (RELAXED_LOAD(&way->key) != key) {
            continue; /* another thread took it before the lock was ours */
        }
        struct table_entry e = *way;
        int result = insert_locked(s, &e, h, &dropped[count]);
        if (result < 0) {
            dropped[count] = e; /* no memory for the table: the block goes untracked */
        }
        count += result != 0;
        __atomic_store_n(&way->key, 0, __ATOMIC_RELEASE);
    }
    if (held) {
        unlock(held);
    }
    return count;
}

/* Takes p's way from whichever thread caches it. Caller holds p's shard lock. */
static int take_cached(uintptr_t p, struct table_entry *out) {
    for (struct counter_block *b = counters_all(); b; b = b->next) {
        for (int w = 0; w < CACHE_WAYS; w++) {
            struct table_entry *way = &b->cache[w];
            uintptr_t key = p;
            if (RELAXED_LOAD(&way->key) == p && cache_read(way, out) == p
                    && __atomic_compare_exchange_n(&way->key, &key, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
                return 1;
            }
        }
    }
    return 0;
}

/* Blocks of one region share their hash but for the granule added to it (see hash), so the
 * lines of p + stride, p + 2 * stride, ... in p's region are found from p's home by adding granules:
 * one hash and one look at the shard for the run. A backward stride wraps, and so does the granule
 * difference, which lands on the same slot modulo the capacity. */
void table_prefetch_run(uintptr_t p, uintptr_t stride, int ahead) {
    uint64_t h = hash(p);
    const struct shard *s = shard_of(h);
    /* Read without the lock: a stale array after a concurrent grow only wastes the hint. */
    struct stored *entries = RELAXED_LOAD(&s->entries);
    uint32_t capacity = RELAXED_LOAD(&s->capacity);
    if (!entries || !capacity) {
        return;
    }
    uint32_t at = home(h, capacity);
    __builtin_prefetch(&entries[at], 1, 3);
    for (int k = 1; k <= ahead; k++) {
        uintptr_t q = p + (uintptr_t)k * stride;
        if (q >> REGION_SHIFT == p >> REGION_SHIFT) {
            __builtin_prefetch(&entries[(at + (uint32_t)((q >> 4) - (p >> 4))) & (capacity - 1)], 1, 3);
        } else {
            table_prefetch_run(q, 0, 0);
        }
    }
}

/* Threads' caches first, then the filter: a way moves into the table (filter raised) before its key
 * is cleared with release, so a reader that no longer sees the key in the cache sees the filter. */
int table_may_hold(uintptr_t p) {
    for (struct counter_block *b = counters_all(); b; b = b->next) {
#pragma GCC unroll 4
        for (int w = 0; w < CACHE_WAYS; w++) {
            if (__atomic_load_n(&b->cache[w].key, __ATOMIC_ACQUIRE) == p) {
                return 1;
            }
        }
    }
    return __atomic_load_n(filter_of(hash(p)), __ATOMIC_RELAXED) != 0;
}

int table_take(uintptr_t p, struct table_entry *out) {
    uint64_t h = hash(p);
    struct shard *s = shard_of(h);
    int found = 0;
    lock(s);
    if (s->capacity) {
        uint32_t i = find(s, p, h);
        if (s->entries[i].key_slot) {
            take_at(s, i, out);
            found = 1;
        }
    }
    if (!found) {
        found = take_cached(p, out);
    }
    unlock(s);
    return found;
}

/* Calls fn on a copy of each cached block of slot that hashes to shard n (whose lock the caller
 * holds), taking it from its cache first when take is set. */
static uint64_t visit_cached(uint32_t n, uint32_t slot, int take,
                             void (*fn)(const struct table_entry *, void *), void *ctx) {
    uint64_t total = 0;
    for (struct counter_block *b = counters_all(); b; b = b->next) {
        for (int w = 0; w < CACHE_WAYS; w++) {
            struct table_entry *way = &b->cache[w];
            struct table_entry e;
            uintptr_t key = cache_read(way, &e);
            if (!key || entry_slot(&e) != slot || shard_of(hash(key)) != &shards[n]) {
                continue;
            }
            if (take && !__atomic_compare_exchange_n(&way->key, &key, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
                continue; /* its owner freed it meanwhile */
            }
            if (fn) {
                fn(&e, ctx);
            }
            total++;
        }
    }
    return total;
}

/* The shards that slot's cached blocks hash to, as a bit set: a walk of the table then visits the
 * caches (every thread's, tens of them in a JVM) only for those shards, not for all 256, and passes
 * an empty shard without taking its lock. A block of slot only ever moves from a cache into the
 * table, so one seen in a cache here is found in that shard's cache or table when it is visited; a
 * block allocated after this look is one allocated after the walk began, as for a shard already
 * walked. */
#define SHARD_WORDS (SHARDS / 64)
static void shards_cached(uint32_t slot, uint64_t mask[SHARD_WORDS]) {
    memset(mask, 0, SHARD_WORDS * sizeof mask[0]);
    for (struct counter_block *b = counters_all(); b; b = b->next) {
        for (int w = 0; w < CACHE_WAYS; w++) {
            struct table_entry e;
            uintptr_t key = cache_read(&b->cache[w], &e);
            if (key && entry_slot(&e) == slot) {
                uint32_t n = (uint32_t)(shard_of(hash(key)) - shards);
                mask[n / 64] |= 1ull << (n % 64);
            }
        }
    }
}

static int shard_in(const uint64_t mask[SHARD_WORDS], uint32_t n) {
    return (mask[n / 64] >> (n % 64)) & 1;
}

/* Whether a walk must lock shard n and look in it: it holds entries, or one of the slot's cached
 * blocks (cached, from shards_cached) hashes to it. */
static int walk_visits(const uint64_t cached[SHARD_WORDS], uint32_t n) {
    return RELAXED_LOAD(&shards[n].count) || shard_in(cached, n);
}

struct collector {
    relib_agent_block_t *buf;
    uint64_t cap, total;
};

static void collect_one(const struct table_entry *e, void *ctx) {
    struct collector *c = ctx;
    if (c->total < c->cap) {
        c->buf[c->total] = (relib_agent_block_t){e->key, entry_size(e), e->align, e->seq, e->stack, 0};
    }
    c->total++;
}

uint64_t table_collect(uint32_t slot, relib_agent_block_t *buf, uint64_t cap) {
    struct collector c = {buf, cap, 0};
    uint64_t cached[SHARD_WORDS];
    shards_cached(slot, cached);
    for (uint32_t n = 0; n < SHARDS; n++) {
        struct shard *s = &shards[n];
        if (!walk_visits(cached, n)) {
            continue;
        }
        lock(s);
        /* An emptied shard keeps its capacity: scanning every slot of each was most of an unload. */
        for (uint32_t i = 0; s->count && i < s->capacity; i++) {
            const struct stored *st = &s->entries[i];
            if (st->key_slot && stored_slot(st) == slot) {
                struct table_entry e;
                unpack(s, st, &e);
                collect_one(&e, &c);
            }
        }
        if (shard_in(cached, n)) {
            visit_cached(n, slot, 0, collect_one, &c);
        }
        unlock(s);
    }
    return c.total;
}

uint64_t table_drain(uint32_t slot, void (*fn)(const struct table_entry *, void *), void *ctx) {
    uint64_t total = 0;
    uint64_t cached[SHARD_WORDS];
    shards_cached(slot, cached);
    for (uint32_t n = 0; n < SHARDS; n++) {
        struct shard *s = &shards[n];
        if (!walk_visits(cached, n)) {
            continue;
        }
        lock(s);
        for (uint32_t i = 0; s->count && i < s->capacity;) {
            struct stored *st = &s->entries[i];
            if (st->key_slot && stored_slot(st) == slot) {
                struct table_entry copy;
                take_at(s, i, &copy);
                if (fn) {
                    fn(&copy, ctx);
                }
                total++;
                continue; /* another entry may have shifted into i */
            }
            i++;
        }
        if (shard_in(cached, n)) {
            total += visit_cached(n, slot, 1, fn, ctx);
        }
        unlock(s);
    }
    return total;
}

int table_holds(uintptr_t p, uint32_t slot) {
    uint64_t h = hash(p);
    struct shard *s = shard_of(h);
    int found = 0;
    lock(s);
    if (s->capacity) {
        uint32_t i = find(s, p, h);
        found = s->entries[i].key_slot && stored_slot(&s->entries[i]) == slot;
    }
    for (struct counter_block *b = counters_all(); b && !found; b = b->next) {
        for (int w = 0; w < CACHE_WAYS && !found; w++) {
            struct table_entry e;
            found = cache_read(&b->cache[w], &e) == p && entry_slot(&e) == slot;
        }
    }
    unlock(s);
    return found;
}
