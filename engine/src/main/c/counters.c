/* Per-thread counters and block caches. Each thread that runs a hook owns a counter block and
 * updates it with plain (relaxed) stores, so the allocation fast path shares no cache line with
 * other threads. Blocks are mmap-backed, never freed, and reused by later threads (their totals
 * carry over, which is fine: readers only ever sum all blocks; so do their cached blocks, which
 * stay findable by every thread). */
#include <stdatomic.h>
#include <sys/mman.h>
#include "agent_internal.h"

/* Every key 0 reads as a free way, but seq_next == seq_end sends an allocation to note_alloc_slow,
 * and no pointer a free passes matches a key. Never in all_blocks: no reader sums it. */
const struct counter_block counters_none = {.seq_next = 0, .seq_end = 0};
__thread struct counter_block *counters_tls __attribute__((tls_model("initial-exec")))
        = (struct counter_block *)&counters_none;

static struct counter_block *_Atomic all_blocks;
static pthread_key_t release_key;
static _Atomic uint64_t seq_batches;

static void release_block(void *block) {
    struct counter_block *b = block;
    counters_tls = (struct counter_block *)&counters_none;
    __atomic_store_n(&b->in_use, 0, __ATOMIC_RELEASE);
}

void counters_init(void) {
    pthread_key_create(&release_key, release_block);
}

struct counter_block *counters_acquire(void) {
    struct counter_block *b;
    for (b = atomic_load(&all_blocks); b; b = b->next) {
        int expected = 0;
        if (__atomic_load_n(&b->in_use, __ATOMIC_RELAXED) == 0
                && __atomic_compare_exchange_n(&b->in_use, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
            break;
        }
    }
    if (!b) {
        void *mem = mmap(NULL, sizeof(struct counter_block), PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mem == MAP_FAILED) {
            /* Without a block the hook has nowhere to count: abort is the only honest answer. */
            __builtin_trap();
        }
        b = mem;
        b->in_use = 1;
        struct counter_block *head = atomic_load(&all_blocks);
        do {
            b->next = head;
        } while (!atomic_compare_exchange_weak(&all_blocks, &head, b));
    }
    /* A block taken over from an exited thread keeps its totals but not its unpublished bytes. */
    for (int s = 0; s < SLOTS; s++) {
        counters_published(&b->c[s], b->c[s].net);
    }
    b->seq_next = b->seq_end = 0;
    counters_tls = b;
    pthread_setspecific(release_key, b);
    return b;
}

struct counter_block *counters_all(void) {
    return atomic_load(&all_blocks);
}

/* The owner fills a way as: seq, (release fence) size_slot, align, stack, then key with release; a
 * reader that sees the same key and seq before and after copying has one fill's fields. */
uintptr_t cache_read(const struct table_entry *way, struct table_entry *out) {
    for (;;) {
        uintptr_t key = __atomic_load_n(&way->key, __ATOMIC_ACQUIRE);
        if (!key) {
            return 0;
        }
        uint64_t seq = RELAXED_LOAD(&way->seq);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        out->size_slot = RELAXED_LOAD(&way->size_slot);
        out->align = RELAXED_LOAD(&way->align);
        out->stack = RELAXED_LOAD(&way->stack);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (RELAXED_LOAD(&way->seq) == seq && RELAXED_LOAD(&way->key) == key) {
            out->key = key;
            out->seq = seq;
            return key;
        }
    }
}

__attribute__((noinline)) void counters_publish_moved(struct slot_counters *c, uint32_t slot, int64_t net) {
    counters_publish(slot, net - (c->publish_above - PUBLISH_STEP));
    counters_published(c, net);
}

uint64_t counters_next_batch(void) {
    return atomic_fetch_add(&seq_batches, 1024) + 1;
}

void counters_sum(uint32_t slot, struct slot_counters *out) {
    struct slot_counters sum = {0};
    for (struct counter_block *b = atomic_load(&all_blocks); b; b = b->next) {
        const struct slot_counters *c = &b->c[slot];
        sum.allocs += RELAXED_LOAD(&c->allocs);
        sum.frees += RELAXED_LOAD(&c->frees);
        sum.net += RELAXED_LOAD(&c->net);
        sum.passthrough += RELAXED_LOAD(&c->passthrough);
    }
    *out = sum;
}

void counters_reset_peaks(uint32_t slot) {
    for (struct counter_block *b = atomic_load(&all_blocks); b; b = b->next) {
        struct slot_counters *c = &b->c[slot];
        RELAXED_STORE(&c->net, 0);
        counters_published(c, 0);
        RELAXED_STORE(&c->net_peak, 0);
        RELAXED_STORE(&c->ops_at_attach, RELAXED_LOAD(&c->allocs) + RELAXED_LOAD(&c->frees));
    }
}

uint64_t counters_peak(uint32_t slot, int64_t shared_peak, uint64_t live, uint64_t *bound) {
    uint64_t touching = 0;
    int64_t single = 0;
    for (struct counter_block *b = atomic_load(&all_blocks); b; b = b->next) {
        const struct slot_counters *c = &b->c[slot];
        if (RELAXED_LOAD(&c->allocs) + RELAXED_LOAD(&c->frees) != RELAXED_LOAD(&c->ops_at_attach)) {
            touching++;
            single = RELAXED_LOAD(&c->net_peak);
        }
    }
    if (touching <= 1) {
        *bound = 0;
        return (uint64_t)single > live ? (uint64_t)single : live;
    }
    /* Each touching thread holds back less than PUBLISH_STEP bytes from the shared total. */
    *bound = touching * PUBLISH_STEP;
    return (uint64_t)shared_peak > live ? (uint64_t)shared_peak : live;
}
