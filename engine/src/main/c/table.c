/* The pointer table: pointer -> (slot, size, align, sequence) for every block a tracked module
 * allocated and nobody freed yet. 256 shards, each a linear-probing hash table behind its own
 * spin lock on its own cache line, so two threads meet only when their pointers hash to the same
 * shard. Deletion shifts entries back (no tombstones), so chains stay short however long the
 * process runs. Storage is mmap-backed: the table never calls the allocator it is tracking. */
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include "agent_internal.h"

#define SHARD_BITS 8
#define SHARDS (1u << SHARD_BITS)
#define INITIAL_CAPACITY 256u

struct shard {
    int lock;
    uint32_t capacity; /* power of two, or 0 before the first insert */
    uint32_t count;
    struct table_entry *entries;
} __attribute__((aligned(64)));

static struct shard shards[SHARDS];

static inline uint64_t hash(uintptr_t p) {
    return (uint64_t)(p >> 4) * 0x9E3779B97F4A7C15ull;
}

static inline struct shard *shard_of(uint64_t h) {
    return &shards[h >> (64 - SHARD_BITS)];
}

static inline uint32_t home(uint64_t h, uint32_t capacity) {
    return (uint32_t)(h >> 16) & (capacity - 1);
}

static inline void lock(struct shard *s) {
    int spins = 0;
    while (__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(&s->lock, __ATOMIC_RELAXED)) {
            if (++spins < 256) {
                __builtin_ia32_pause();
            } else {
                sched_yield(); /* the holder may be descheduled on a busy machine */
            }
        }
    }
}

static inline void unlock(struct shard *s) {
    __atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
}

static struct table_entry *map_entries(uint32_t capacity) {
    void *mem = mmap(NULL, (size_t)capacity * sizeof(struct table_entry), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return mem == MAP_FAILED ? NULL : mem;
}

static int grow(struct shard *s) {
    uint32_t capacity = s->capacity ? s->capacity * 2 : INITIAL_CAPACITY;
    struct table_entry *entries = map_entries(capacity);
    if (!entries) {
        return -1;
    }
    for (uint32_t i = 0; i < s->capacity; i++) {
        struct table_entry *e = &s->entries[i];
        if (e->key) {
            uint32_t j = home(hash(e->key), capacity);
            while (entries[j].key) {
                j = (j + 1) & (capacity - 1);
            }
            entries[j] = *e;
        }
    }
    if (s->entries) {
        munmap(s->entries, (size_t)s->capacity * sizeof(struct table_entry));
    }
    s->entries = entries;
    s->capacity = capacity;
    return 0;
}

/* Index of p's entry, or of the empty slot ending its chain. */
static inline uint32_t find(const struct shard *s, uintptr_t p, uint64_t h) {
    uint32_t mask = s->capacity - 1;
    uint32_t i = home(h, s->capacity);
    while (s->entries[i].key && s->entries[i].key != p) {
        i = (i + 1) & mask;
    }
    return i;
}

int table_insert(const struct table_entry *e, struct table_entry *stale) {
    uint64_t h = hash(e->key);
    struct shard *s = shard_of(h);
    int result = 0;
    lock(s);
    if ((s->count + 1) * 2 > s->capacity && grow(s) != 0) {
        unlock(s);
        return -1;
    }
    uint32_t i = find(s, e->key, h);
    if (s->entries[i].key) {
        *stale = s->entries[i]; /* freed behind our back (by untracked code) and handed out again */
        result = 1;
    } else {
        s->count++;
    }
    s->entries[i] = *e;
    unlock(s);
    return result;
}

/* Empties slot i and shifts later members of the chain back so every entry stays reachable. */
static void delete_at(struct shard *s, uint32_t i) {
    uint32_t mask = s->capacity - 1;
    uint32_t j = i;
    for (;;) {
        s->entries[i].key = 0;
        for (;;) {
            j = (j + 1) & mask;
            if (!s->entries[j].key) {
                s->count--;
                return;
            }
            uint32_t k = home(hash(s->entries[j].key), s->capacity);
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

int table_remove(uintptr_t p, struct table_entry *out) {
    uint64_t h = hash(p);
    struct shard *s = shard_of(h);
    int found = 0;
    lock(s);
    if (s->capacity) {
        uint32_t i = find(s, p, h);
        if (s->entries[i].key) {
            *out = s->entries[i];
            delete_at(s, i);
            found = 1;
        }
    }
    unlock(s);
    return found;
}

uint64_t table_collect(uint32_t slot, relib_agent_block_t *buf, uint64_t cap) {
    uint64_t total = 0;
    for (uint32_t n = 0; n < SHARDS; n++) {
        struct shard *s = &shards[n];
        lock(s);
        for (uint32_t i = 0; i < s->capacity; i++) {
            const struct table_entry *e = &s->entries[i];
            if (e->key && e->slot == slot) {
                if (total < cap) {
                    buf[total] = (relib_agent_block_t){e->key, e->size, e->align, e->seq};
                }
                total++;
            }
        }
        unlock(s);
    }
    return total;
}

uint64_t table_drain(uint32_t slot, void (*fn)(const struct table_entry *, void *), void *ctx) {
    uint64_t total = 0;
    for (uint32_t n = 0; n < SHARDS; n++) {
        struct shard *s = &shards[n];
        lock(s);
        for (uint32_t i = 0; i < s->capacity;) {
            struct table_entry *e = &s->entries[i];
            if (e->key && e->slot == slot) {
                struct table_entry copy = *e;
                delete_at(s, i);
                if (fn) {
                    fn(&copy, ctx);
                }
                total++;
                continue; /* another entry may have shifted into i */
            }
            i++;
        }
        unlock(s);
    }
    return total;
}
