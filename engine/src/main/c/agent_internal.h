/* Declarations shared by the agent's files; all hidden (the Makefile builds with
 * -fvisibility=hidden). A "slot" is the index (0..RELIB_AGENT_MAX_MODULES-1) of an attached module;
 * each slot has its own copy of every hook, so a hook knows its module without a lookup. */
#ifndef RELIB_AGENT_INTERNAL_H
#define RELIB_AGENT_INTERNAL_H

#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include "relib_agent.h"

/* The declarations below are the agent's own: hidden, so code reads a global without going through the GOT. */
#pragma GCC visibility push(hidden)

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
    uint64_t allocs, frees, passthrough;
    /* This thread's own running total of the slot's bytes (allocated minus freed, from attach) and
     * its high-water mark, and its allocs + frees at attach: when they have moved, it touched the
     * slot's blocks since attach (found by the reader, so no hook stores a flag). When only one
     * thread did, its running total is the slot's live bytes at every instant, so its mark is the
     * exact peak. The slot's live bytes are the sum of every thread's running total. */
    int64_t net, net_peak;
    /* The band around net as this thread last published it to the slot's shared peak tracker, a step
     * either way (owner only): net stays inside until it publishes again, so an allocation tests only
     * the top and a free only the bottom. What was published is the band's middle. */
    int64_t publish_below, publish_above;
    uint64_t ops_at_attach;
};

/* One tracked block: in the pointer table, or in a thread's cache of its newest blocks. 32 bytes, so
 * an entry never straddles two cache lines: a table of kept blocks is as much memory traffic as the
 * blocks themselves, and a 40-byte entry cost a second line on every other insert. */
struct table_entry {
    uintptr_t key;      /* the address; 0 marks a free cache way */
    uint64_t size_slot; /* the size (an allocation is below 2^47 bytes) and, in the top byte, the slot */
    uint64_t seq;
    uint32_t align;
    uint32_t stack; /* stack id (stacks.c), 0 when none was captured */
};

#define ENTRY_SLOT_SHIFT 56
_Static_assert(sizeof(struct table_entry) == 32, "a table entry is half a cache line");
_Static_assert(SLOTS <= 256, "a slot fits the top byte of size_slot");

static inline __attribute__((always_inline)) uint64_t entry_pack(uint64_t size, uint32_t slot) {
    return size | ((uint64_t)slot << ENTRY_SLOT_SHIFT);
}
static inline __attribute__((always_inline)) uint64_t packed_size(uint64_t size_slot) {
    return size_slot & ((1ull << ENTRY_SLOT_SHIFT) - 1);
}
static inline __attribute__((always_inline)) uint32_t packed_slot(uint64_t size_slot) {
    return (uint32_t)(size_slot >> ENTRY_SLOT_SHIFT);
}
static inline __attribute__((always_inline)) uint64_t entry_size(const struct table_entry *e) {
    return packed_size(e->size_slot);
}
static inline __attribute__((always_inline)) uint32_t entry_slot(const struct table_entry *e) {
    return packed_slot(e->size_slot);
}

/* Ways in a thread's block cache: its newest blocks, not yet in the shared table. */
#define CACHE_WAYS 4

/* A thread's own block: its cache and counters. Only the owner thread fills or empties a cache way
 * without a lock. Any thread may take a way (free from another thread, free_blocks, forget), but
 * only by CAS on its key, with the shard lock of that key held; the owner moves a way into the table
 * under the same lock, so a block is always in exactly one place for a thread holding its shard lock. */
struct counter_block {
    struct table_entry cache[CACHE_WAYS];
    int in_use;
    struct counter_block *next;
    uint64_t seq_next, seq_end;
    struct slot_counters c[SLOTS];
} __attribute__((aligned(64)));

/* The calling thread's block; &counters_none until its first hook acquires one. */
extern __thread struct counter_block *counters_tls __attribute__((tls_model("initial-exec")));
/* A block with no keys and no sequence numbers, so a thread's first hook falls through every common
 * path to a slow one, which acquires the thread's own: no hook tests for a missing block (4
 * instructions a pair). Read-only: a write into it would fault, never count. */
extern const struct counter_block counters_none;

static inline __attribute__((always_inline)) int counters_owned(const struct counter_block *b) {
    return b != &counters_none;
}

/* counters_tls, which is never NULL (so a way's address, the block's own for way 0, is not either). */
static inline __attribute__((always_inline)) struct counter_block *counters_current(void) {
    struct counter_block *b = counters_tls;
    if (b == NULL) {
        __builtin_unreachable();
    }
    return b;
}

struct counter_block *counters_acquire(void);
void counters_init(void);
void counters_sum(uint32_t slot, struct slot_counters *out);
/* Clears every thread's running total and mark of slot and notes its counts (attach; no hook of it runs). */
void counters_reset_peaks(uint32_t slot);
/* The peak of slot: exact (*bound 0) when at most one thread touched it since attach, else the
 * published high-water mark, within *bound bytes of the true one. */
uint64_t counters_peak(uint32_t slot, int64_t shared_peak, uint64_t live, uint64_t *bound);
void counters_publish(uint32_t slot, int64_t delta); /* registry.c: shared live/peak */

static inline __attribute__((always_inline)) struct counter_block *counters_self(void) {
    struct counter_block *b = counters_tls;
    return __builtin_expect(counters_owned(b), 1) ? b : counters_acquire();
}

uint64_t counters_next_batch(void);

static inline __attribute__((always_inline)) uint64_t counters_next_seq(struct counter_block *b) {
    if (__builtin_expect(b->seq_next == b->seq_end, 0)) {
        b->seq_next = counters_next_batch();
        b->seq_end = b->seq_next + 1024;
    }
    return b->seq_next++;
}

#define PUBLISH_STEP (16 * 1024)

/* counters_publish of what c's running total net moved since it last published; out of line, so a
 * hook's common path makes no call. */
void counters_publish_moved(struct slot_counters *c, uint32_t slot, int64_t net);

/* Marks net as what c last published: it publishes again once its total moves a step from there. */
static inline void counters_published(struct slot_counters *c, int64_t net) {
    RELAXED_STORE(&c->publish_below, net - PUBLISH_STEP);
    RELAXED_STORE(&c->publish_above, net + PUBLISH_STEP);
}

static inline __attribute__((always_inline)) void counters_alloc(struct counter_block *b, uint32_t slot, uint64_t size) {
    struct slot_counters *c = &b->c[slot];
    RELAXED_STORE(&c->allocs, c->allocs + 1);
    int64_t net = c->net + (int64_t)size;
    RELAXED_STORE(&c->net, net);
    if (net > c->net_peak) {
        RELAXED_STORE(&c->net_peak, net);
    }
    if (__builtin_expect(net >= c->publish_above, 0)) {
        counters_publish_moved(c, slot, net);
    }
}

static inline __attribute__((always_inline)) void counters_free(struct counter_block *b, uint32_t slot, uint64_t size) {
    struct slot_counters *c = &b->c[slot];
    RELAXED_STORE(&c->frees, c->frees + 1);
    int64_t net = c->net - (int64_t)size;
    RELAXED_STORE(&c->net, net);
    if (__builtin_expect(net <= c->publish_below, 0)) {
        counters_publish_moved(c, slot, net);
    }
}

/* A spin lock for short holds (the table's shards, its memory): a holder descheduled on a busy
 * machine is waited for by yielding, not by spinning out the waiter's time slice. */
static inline void spin_lock(int *lock) {
    int spins = 0;
    while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE)) {
        while (__atomic_load_n(lock, __ATOMIC_RELAXED)) {
            if (++spins < 256) {
                __builtin_ia32_pause();
            } else {
                sched_yield();
            }
        }
    }
}

static inline void spin_unlock(int *lock) {
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

/* ---- table.c: pointer -> block, sharded open addressing, plus the threads' caches ---- */

/* 0 inserted; 1 replaced a stale entry for the same pointer (copied to *stale); -1 no memory. */
int table_insert(const struct table_entry *e, struct table_entry *stale);
/* Moves the n ways of the calling thread's cache into the table (each unless another thread took
 * it meanwhile) and empties them. Returns how many blocks it copied to dropped: stale entries it
 * replaced, and blocks left untracked for want of table memory; each is to be counted as freed. */
int table_adopt(struct table_entry *ways, int n, struct table_entry *dropped);
/* 1 and *out filled when p was tracked, in the table or in any thread's cache (its entry is
 * gone), else 0. The calling thread's own cache is the caller's to check first. */
int table_take(uintptr_t p, struct table_entry *out);
/* Starts fetching the table lines where the entries of p and of the ahead blocks after it at a
 * steady stride would go; a backward stride is a wrapped one (a hint: no lock, no fault). */
void table_prefetch_run(uintptr_t p, uintptr_t stride, int ahead);
/* 0 when p is surely not tracked (no lock, no write); 1 when table_take may find it. */
int table_may_hold(uintptr_t p);
/* Whether p is tracked as slot's block (in the table or any thread's cache); takes p's shard lock. */
int table_holds(uintptr_t p, uint32_t slot);
uint64_t table_collect(uint32_t slot, relib_agent_block_t *buf, uint64_t cap);
/* Removes every entry of slot, table and caches, calling fn on each with its shard locked;
 * returns the count. */
uint64_t table_drain(uint32_t slot, void (*fn)(const struct table_entry *, void *), void *ctx);

/* ---- table_memory.c: the table's arrays, carved from shared chunks ---- */
/* bytes of zeroed memory (rounded up to a power of two, 4 KiB at least), or NULL. */
void *table_memory_get(size_t bytes);
/* Gives back what table_memory_get(bytes) returned. */
void table_memory_put(void *p, size_t bytes);
void table_memory_after_fork_child(void);

/* ---- counters.c: walking every thread's cache (slow paths, under a shard lock) ---- */
struct counter_block *counters_all(void);
/* Copies a way another thread may be refilling; returns its key, or 0 when it is free. */
uintptr_t cache_read(const struct table_entry *way, struct table_entry *out);

/* ---- stacks.c: call stacks per allocation, for modules attached with RELIB_AGENT_CAPTURE_STACKS ---- */
/* Maps the stack table and warms the unwinder up (its first use must not happen inside a hook).
 * 0 or -RELIB_AGENT_E_*. Caller holds the registry lock. */
int stacks_prepare(uint32_t slot, uint32_t module_id);
/* The calling thread's stack above the hook, as a stack id (0 when the table is full). */
uint32_t stacks_capture(uint32_t slot);
/* Each slot's attach flags (registry.c), stored before its GOT is patched, so every hook reads them. */
extern uint32_t slot_attach_flags[SLOTS];
/* A stack id for the block or fd the slot's module gets now, when it was attached with stacks; else 0. */
static inline __attribute__((always_inline)) uint32_t stacks_capture_if_asked(uint32_t slot) {
    return (RELAXED_LOAD(&slot_attach_flags[slot]) & RELIB_AGENT_CAPTURE_STACKS) ? stacks_capture(slot) : 0u;
}
int64_t stacks_snapshot(uint32_t module_id, relib_agent_stack_t *buf, uint64_t cap);

/* The registers of this very point: its pc (the address after the lea), rsp and rbp, to start a walk. */
#define UNWIND_HERE(pc, sp, fp) \
    __asm__ volatile("lea 0(%%rip), %0\n\tmov %%rsp, %1\n\tmov %%rbp, %2" : "=r"(pc), "=r"(sp), "=r"(fp))

/* ---- behalf.c: allocations libstdc++ and libgcc_s make for a module (agent preloaded) ---- */
/* Caches the code ranges of a module that needs libstdc++ and the runtime libraries' (registry lock
 * held, after got_attach, agent preloaded); nothing for other modules. */
void behalf_attach(uint32_t slot, void *dl_handle, uintptr_t base, const char *name);
void behalf_detach(uint32_t slot);
/* Whether the module in slot was attached as one that calls libstdc++ (and is walked for). */
int behalf_slot_uses_runtime(uint32_t slot);
/* Whether the object at path is a runtime library (libstdc++, libgcc_s). */
int behalf_is_runtime(const char *path);

/* ---- leak_scan.c ---- */
/* Marks in held[i] whether a runtime library's own data points at blocks[i] (or at a block so
 * reached); returns how many. Nothing is marked when the scan cannot run. */
uint64_t leak_scan_runtime_held(const relib_agent_block_t *blocks, uint64_t count, uint8_t *held);

/* ---- unwind.c: the cached CFI unwinder (stack capture and the crash handler) ---- */
/* Maps the rule table and binds libgcc's FDE lookup; idempotent. 0 or -RELIB_AGENT_E_*. */
int unwind_prepare(void);
/* Walks from (pc, sp, fp): pc is exact (a current instruction) when exact, else a return address.
 * Frames whose pc lies in [skip_start, skip_end) at the start of the walk are left out. Fills up
 * to max addresses, innermost first, and returns how many; *complete is 0 when the walk stopped at
 * a frame whose rule this walker does not model (the caller may fall back on _Unwind_Backtrace).
 * Allocates nothing, takes no lock, and is async-signal-safe once unwind_prepare has run. */
int unwind_walk(uintptr_t pc, uintptr_t sp, uintptr_t fp, int exact, uintptr_t skip_start, uintptr_t skip_end,
                uintptr_t *frames, int max, int *complete);
/* Walks from an exact pc (as unwind_walk, frames in [skip_start, skip_end) left out) while walk_past
 * accepts each frame's pc, at most max frames; returns the first pc it rejects, or 0 when the walk
 * ended or reached max first. What unwind_walk promises, without filling a stack nobody keeps. */
uintptr_t unwind_find(uintptr_t pc, uintptr_t sp, uintptr_t fp, uintptr_t skip_start, uintptr_t skip_end,
                      int (*walk_past)(uintptr_t), int max);
/* Marks the cached rules of return addresses no loaded object holds any more (after a dlclose). */
void unwind_forget_unmapped(void);

/* ---- crash.c: the worker's crash report ---- */
/* Installs the fatal-signal handlers when $RELIB_CRASH_FILE names a file; once; caller holds the
 * registry lock (the JVM's own handlers are in place by the first attach). */
void crash_install(void);

/* ---- got_patch.c ---- */
struct got_slot {
    void **address;
    void *original;
};

#define MAX_GOT_SLOTS 128

struct got_patch {
    uintptr_t relro_start, relro_end; /* the page range glibc made read-only */
    uintptr_t base;                   /* l_addr at attach, to find the module again at detach */
    char name[256];                   /* l_name at attach: glibc frees its own copy when the module goes */
    int count;
    struct got_slot slots[MAX_GOT_SLOTS];
};

/* Finds the module's GOT slots for hooked symbols and points them at the slot's hooks. */
int got_attach(void *dl_handle, uint32_t slot, uint32_t flags, struct got_patch *patch);
/* Restores the slots; -RELIB_AGENT_E_GONE without writing when the module is no longer loaded. */
int got_detach(struct got_patch *patch);

/* Each hook file answers "your function for this symbol in this slot", or NULL. */
void *hooks_alloc_lookup(uint32_t slot, uint32_t flags, const char *name);
void *hooks_thread_lookup(uint32_t slot, const char *name);
void *hooks_tls_lookup(uint32_t slot, const char *name);
void *hooks_mmap_lookup(uint32_t slot, const char *name);
void *hooks_output_lookup(uint32_t slot, const char *name);

/* ---- hooks_output.c: the last bytes each module wrote to stderr ---- */
uint64_t stderr_written(uint32_t slot);
uint64_t stderr_copy(uint32_t slot, uint64_t from, char *buf, uint64_t cap);

void *hooks_cxx_lookup(uint32_t slot, const char *name);
void *hooks_fd_lookup(uint32_t slot, const char *name);

/* ---- hooks_fd.c: file descriptors the module opened and did not close ---- */
/* Records fd as the slot's, opened by an fopen (dir 0) or opendir (dir 1). */
void fds_opened_stream(uint32_t slot, int fd, int dir);
/* Drops fd's record, whoever owns it (a close, from anywhere); 1 when there was one. */
int fds_closed(int fd);
int64_t fds_snapshot(uint32_t slot, relib_agent_fd_t *buf, uint64_t cap);
uint64_t fds_open(uint32_t slot);
uint64_t fds_close(uint32_t slot);
void fds_forget(uint32_t slot);
void *hooks_libc_lookup(uint32_t slot, const char *name);

/* ---- hooks_libc.c: FILE and DIR streams the module opened and did not close ---- */
uint64_t streams_open(uint32_t slot);
uint64_t streams_close(uint32_t slot);
void streams_forget(uint32_t slot);

/* ---- hooks_thread.c ---- */
void threads_init(void);

/* ---- fork_guard.c: a child forked from a module's code ends once it returns into the host ---- */
void fork_guard_init(void);
void table_after_fork_child(void); /* table.c */
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

/* ---- preload.c ---- */
extern int agent_preloaded;  /* 1 when the agent is the process's malloc/free (LD_PRELOAD) */
extern int tracking_started; /* 1 from the first attach: frees look at the table */
void preload_detect(void);

#pragma GCC visibility pop

#endif
