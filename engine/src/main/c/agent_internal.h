/* Declarations shared by the agent's files; all hidden (the Makefile builds with
 * -fvisibility=hidden). A "slot" is the index (0..RELIB_AGENT_MAX_MODULES-1) of an attached module;
 * each slot has its own copy of every hook, so a hook knows its module without a lookup. */
#ifndef RELIB_AGENT_INTERNAL_H
#define RELIB_AGENT_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "relib_agent.h"

#define SLOTS RELIB_AGENT_MAX_MODULES

/* Expands M(n) for every slot number, so each hook file can define one function per slot. */
#define SLOT_LIST(M) \
    M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) M(12) M(13) M(14) M(15) \
    M(16) M(17) M(18) M(19) M(20) M(21) M(22) M(23) M(24) M(25) M(26) M(27) M(28) M(29) M(30) M(31) \
    M(32) M(33) M(34) M(35) M(36) M(37) M(38) M(39) M(40) M(41) M(42) M(43) M(44) M(45) M(46) M(47) \
    M(48) M(49) M(50) M(51) M(52) M(53) M(54) M(55) M(56) M(57) M(58) M(59) M(60) M(61) M(62) M(63)

#define RELAXED_LOAD(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define RELAXED_STORE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

/* ---- counters.c: per-thread counters, summed on demand ---- */
struct slot_counters {
    uint64_t allocs, frees, bytes_in, bytes_out, passthrough;
    int64_t pending; /* bytes not yet published to the slot's shared peak tracker; owner only */
};

struct counter_block {
    struct counter_block *next;
    int in_use;
    uint64_t seq_next, seq_end;
    struct slot_counters c[SLOTS];
};

extern __thread struct counter_block *counters_tls __attribute__((tls_model("initial-exec")));

struct counter_block *counters_acquire(void);
void counters_init(void);
void counters_sum(uint32_t slot, struct slot_counters *out);
void counters_publish(uint32_t slot, int64_t delta); /* registry.c: shared live/peak */

static inline struct counter_block *counters_self(void) {
    struct counter_block *b = counters_tls;
    return b ? b : counters_acquire();
}

uint64_t counters_next_batch(void);

static inline uint64_t counters_next_seq(struct counter_block *b) {
    if (b->seq_next == b->seq_end) {
        b->seq_next = counters_next_batch();
        b->seq_end = b->seq_next + 1024;
    }
    return b->seq_next++;
}

#define PUBLISH_STEP (64 * 1024)

static inline void counters_pending(struct slot_counters *c, uint32_t slot, int64_t delta) {
    int64_t p = c->pending + delta;
    if (p >= PUBLISH_STEP || p <= -PUBLISH_STEP) {
        counters_publish(slot, p);
        p = 0;
    }
    c->pending = p;
}

static inline void counters_alloc(struct counter_block *b, uint32_t slot, uint64_t size) {
    struct slot_counters *c = &b->c[slot];
    RELAXED_STORE(&c->allocs, c->allocs + 1);
    RELAXED_STORE(&c->bytes_in, c->bytes_in + size);
    counters_pending(c, slot, (int64_t)size);
}

static inline void counters_free(struct counter_block *b, uint32_t slot, uint64_t size) {
    struct slot_counters *c = &b->c[slot];
    RELAXED_STORE(&c->frees, c->frees + 1);
    RELAXED_STORE(&c->bytes_out, c->bytes_out + size);
    counters_pending(c, slot, -(int64_t)size);
}

/* ---- table.c: pointer -> block, sharded open addressing ---- */
struct table_entry {
    uintptr_t key;
    uint64_t size;
    uint64_t seq;
    uint32_t slot;
    uint32_t align;
};

/* 0 inserted; 1 replaced a stale entry for the same pointer (copied to *stale); -1 no memory. */
int table_insert(const struct table_entry *e, struct table_entry *stale);
/* 1 and *out filled when p was tracked (its entry is gone), else 0. */
int table_remove(uintptr_t p, struct table_entry *out);
uint64_t table_collect(uint32_t slot, relib_agent_block_t *buf, uint64_t cap);
/* Removes every entry of slot, calling fn on each with the shard locked; returns the count. */
uint64_t table_drain(uint32_t slot, void (*fn)(const struct table_entry *, void *), void *ctx);

/* ---- got_patch.c ---- */
struct got_slot {
    void **address;
    void *original;
};

#define MAX_GOT_SLOTS 64

struct got_patch {
    uintptr_t relro_start, relro_end; /* the page range glibc made read-only */
    int count;
    struct got_slot slots[MAX_GOT_SLOTS];
};

/* Finds the module's GOT slots for hooked symbols and points them at the slot's hooks. */
int got_attach(void *dl_handle, uint32_t slot, struct got_patch *patch);
int got_detach(struct got_patch *patch);

/* Each hook file answers "your function for this symbol in this slot", or NULL. */
void *hooks_alloc_lookup(uint32_t slot, const char *name);
void *hooks_thread_lookup(uint32_t slot, const char *name);
void *hooks_tls_lookup(uint32_t slot, const char *name);
void *hooks_mmap_lookup(uint32_t slot, const char *name);

/* ---- hooks_thread.c ---- */
void threads_init(void);
void threads_count(uint32_t slot, uint64_t *started, uint64_t *running);
int64_t threads_snapshot(uint32_t slot, relib_agent_thread_t *buf, uint64_t cap);
void threads_forget(uint32_t slot);

/* ---- hooks_tls.c ---- */
int tls_run_calling_thread(uint32_t slot);
int tls_disable_other_threads(uint32_t slot);
uint64_t tls_pending(uint32_t slot);
int keys_run_and_delete(uint32_t slot, uint32_t *deleted);
uint64_t keys_live(uint32_t slot);
int keys_have_values_on_this_thread(void);
void tls_forget(uint32_t slot);

/* ---- hooks_mmap.c ---- */
void mappings_count(uint32_t slot, uint64_t *count, uint64_t *bytes);
int64_t mappings_snapshot(uint32_t slot, relib_agent_mapping_t *buf, uint64_t cap);
int mappings_unmap(uint32_t slot, uint64_t *bytes);
void mappings_forget(uint32_t slot);

uint64_t now_realtime_ns(void);

#endif
