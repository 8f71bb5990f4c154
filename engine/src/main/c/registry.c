/* The module registry: which module id owns which slot, its GOT patch, and the public functions
 * that act on a whole module. Slow-path only; one mutex. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include "tracking.h"

enum slot_state { SLOT_FREE, SLOT_ATTACHED, SLOT_DETACHED };

struct module_slot {
    enum slot_state state;
    uint32_t module_id;
    struct got_patch patch;
    struct slot_counters baseline; /* the slot's totals when this module took it */
    int64_t shared_live, shared_peak; /* published in PUBLISH_STEP steps by counters_publish_moved */
};

static struct module_slot slots[SLOTS];
uint32_t slot_attach_flags[SLOTS];
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

/* Takes this agent's path out of LD_PRELOAD, so programs the process starts do not inherit it. */
static void strip_preload(void) {
    const char *list = getenv("LD_PRELOAD");
    Dl_info self;
    if (!list || !dladdr((void *)&strip_preload, &self) || !self.dli_fname) {
        return;
    }
    char rest[4096];
    size_t used = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ": ");
        if (!(n == strlen(self.dli_fname) && strncmp(p, self.dli_fname, n) == 0) && n > 0 && used + n + 2 < sizeof rest) {
            if (used) rest[used++] = ':';
            memcpy(rest + used, p, n);
            used += n;
        }
        p += n;
        if (*p) p++;
    }
    rest[used] = '\0';
    if (used) {
        setenv("LD_PRELOAD", rest, 1);
    } else {
        unsetenv("LD_PRELOAD");
    }
}

__attribute__((constructor)) static void agent_init(void) {
    preload_detect();
    if (agent_preloaded) {
        strip_preload();
    }
    counters_init();
    threads_init();
    fork_guard_init();
}

uint64_t now_realtime_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void counters_publish(uint32_t slot, int64_t delta) {
    int64_t live = __atomic_add_fetch(&slots[slot].shared_live, delta, __ATOMIC_RELAXED);
    int64_t peak = __atomic_load_n(&slots[slot].shared_peak, __ATOMIC_RELAXED);
    while (live > peak && !__atomic_compare_exchange_n(&slots[slot].shared_peak, &peak, live, 1,
                                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

/* Slot of a known module, or -1. Caller holds registry_lock. */
static int find_slot(uint32_t module_id) {
    for (int s = 0; s < SLOTS; s++) {
        if (slots[s].state != SLOT_FREE && slots[s].module_id == module_id) {
            return s;
        }
    }
    return -1;
}

/* Looks the module up; on success returns its slot with registry_lock held. */
static int enter(uint32_t module_id) {
    pthread_mutex_lock(&registry_lock);
    int s = find_slot(module_id);
    if (s < 0) {
        pthread_mutex_unlock(&registry_lock);
        return -RELIB_AGENT_E_UNKNOWN;
    }
    return s;
}

static void leave(void) {
    pthread_mutex_unlock(&registry_lock);
}

int relib_agent_attach(void *dl_handle, uint32_t module_id) {
    return relib_agent_attach_flags(dl_handle, module_id, 0);
}

int relib_agent_attach_flags(void *dl_handle, uint32_t module_id, uint32_t flags) {
    if (!dl_handle || (flags & ~RELIB_AGENT_CAPTURE_STACKS)) {
        return -RELIB_AGENT_E_INVALID;
    }
    pthread_mutex_lock(&registry_lock);
    crash_install(); /* crash.c: the worker's crash report, once the JVM's handlers are in place */
    int result = 0;
    int s = -1;
    if (find_slot(module_id) >= 0) {
        result = -RELIB_AGENT_E_ATTACHED;
    } else {
        for (int i = 0; i < SLOTS && s < 0; i++) {
            if (slots[i].state == SLOT_FREE) {
                s = i;
            }
        }
        if (s < 0) {
            result = -RELIB_AGENT_E_FULL;
        }
    }
    if (result == 0) {
        struct module_slot *m = &slots[s];
        __atomic_store_n(&m->shared_live, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&m->shared_peak, 0, __ATOMIC_RELAXED);
        counters_reset_peaks((uint32_t)s);
        counters_sum((uint32_t)s, &m->baseline); /* after the reset: its running totals sum to 0 */
        m->module_id = module_id;
        if (flags & RELIB_AGENT_CAPTURE_STACKS) {
            result = stacks_prepare((uint32_t)s, module_id);
        }
        if (result == 0) {
            RELAXED_STORE(&slot_attach_flags[s], flags);
            result = got_attach(dl_handle, (uint32_t)s, flags, &m->patch);
        }
        if (result == 0) {
            behalf_attach((uint32_t)s, dl_handle, m->patch.base, m->patch.name);
            m->state = SLOT_ATTACHED;
            __atomic_store_n(&tracking_started, 1, __ATOMIC_RELEASE);
        }
    }
    pthread_mutex_unlock(&registry_lock);
    return result;
}

int relib_agent_detach(uint32_t module_id) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int result = -RELIB_AGENT_E_DETACHED;
    if (slots[s].state == SLOT_ATTACHED) {
        behalf_detach((uint32_t)s);
        result = got_detach(&slots[s].patch);
        if (result == 0 || result == -RELIB_AGENT_E_GONE) {
            slots[s].state = SLOT_DETACHED;
        }
    }
    leave();
    return result;
}

int relib_agent_stats(uint32_t module_id, relib_agent_stats_t *out) {
    if (!out) {
        return -RELIB_AGENT_E_INVALID;
    }
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    struct slot_counters now;
    const struct slot_counters *base = &slots[s].baseline;
    counters_sum((uint32_t)s, &now);
    memset(out, 0, sizeof *out);
    out->total_allocs = now.allocs - base->allocs;
    out->total_frees = now.frees - base->frees;
    out->live_blocks = out->total_allocs - out->total_frees;
    out->live_bytes = (uint64_t)(now.net - base->net);
    int64_t peak = __atomic_load_n(&slots[s].shared_peak, __ATOMIC_RELAXED);
    out->peak_bytes = counters_peak((uint32_t)s, peak, out->live_bytes, &out->peak_bound);
    out->preloaded = (uint64_t)agent_preloaded;
    out->streams_open = streams_open((uint32_t)s);
    out->fds_open = fds_open((uint32_t)s);
    out->passthrough_frees = now.passthrough - base->passthrough;
    threads_count((uint32_t)s, &out->threads_started, &out->threads_running);
    out->tls_dtors_pending = tls_pending((uint32_t)s);
    out->keys_live = keys_live((uint32_t)s);
    mappings_count((uint32_t)s, &out->mappings_live, &out->mapping_bytes);
    leave();
    return 0;
}

int64_t relib_agent_blocks(uint32_t module_id, relib_agent_block_t *buf, uint64_t cap) {
    if (!buf && cap) {
        return -RELIB_AGENT_E_INVALID;
    }
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int64_t total = (int64_t)table_collect((uint32_t)s, buf, cap);
    leave();
    return total;
}

int64_t relib_agent_threads(uint32_t module_id, relib_agent_thread_t *buf, uint64_t cap) {
    if (!buf && cap) {
        return -RELIB_AGENT_E_INVALID;
    }
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int64_t total = threads_snapshot((uint32_t)s, buf, cap);
    leave();
    return total;
}

int64_t relib_agent_mappings(uint32_t module_id, relib_agent_mapping_t *buf, uint64_t cap) {
    if (!buf && cap) {
        return -RELIB_AGENT_E_INVALID;
    }
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int64_t total = mappings_snapshot((uint32_t)s, buf, cap);
    leave();
    return total;
}

int64_t relib_agent_fds(uint32_t module_id, relib_agent_fd_t *buf, uint64_t cap) {
    if (!buf && cap) {
        return -RELIB_AGENT_E_INVALID;
    }
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int64_t total = fds_snapshot((uint32_t)s, buf, cap);
    leave();
    return total;
}

int relib_agent_close_fds(uint32_t module_id) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int n = (int)fds_close((uint32_t)s);
    leave();
    return n;
}

int64_t relib_agent_stderr_written(uint32_t module_id) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int64_t written = (int64_t)stderr_written((uint32_t)s);
    leave();
    return written;
}

int64_t relib_agent_stderr_copy(uint32_t module_id, uint64_t from, char *buf, uint64_t cap) {
    if (!buf && cap) {
        return -RELIB_AGENT_E_INVALID;
    }
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int64_t n = (int64_t)stderr_copy((uint32_t)s, from, buf, cap);
    leave();
    return n;
}

int64_t relib_agent_stacks(uint32_t module_id, relib_agent_stack_t *buf, uint64_t cap) {
    if (!buf && cap) {
        return -RELIB_AGENT_E_INVALID;
    }
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int64_t total = stacks_snapshot(module_id, buf, cap);
    leave();
    return total;
}

/* Destructors run module code, which may call hooks that need no registry lock; still, release it
 * first so a destructor that blocks cannot stall stats readers. The slot cannot be reused meanwhile:
 * only forget frees it, and the unload sequence runs on one thread. */
int relib_agent_run_tls_destructors(uint32_t module_id) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    leave();
    return tls_run_calling_thread((uint32_t)s);
}

int relib_agent_run_key_destructors_and_delete(uint32_t module_id, uint32_t *keys_deleted) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    leave();
    return keys_run_and_delete((uint32_t)s, keys_deleted);
}

int relib_agent_disable_tls_destructors(uint32_t module_id) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int n = tls_disable_other_threads((uint32_t)s);
    leave();
    return n;
}

struct free_context {
    struct counter_block *counters;
    uint64_t bytes;
};

static void free_entry(const struct table_entry *e, void *ctx) {
    struct free_context *fc = ctx;
    counters_free(fc->counters, entry_slot(e), entry_size(e));
    fc->bytes += entry_size(e);
    sys_free((void *)e->key); /* not the exported free: the shard lock is held */
}

/* Retires, without freeing, the slot's blocks a runtime library still points at from its own data:
 * libstdc++ keeps and uses them after the module is gone (a freed one would be its dangling pointer).
 * Only for a module that needs libstdc++: no other module's block gets there. */
static void leave_runtime_held(uint32_t slot, struct counter_block *b) {
    /* Most unloads leave a few blocks: one pass of the table into this buffer; a second into a
     * mapping when there are more. */
    enum { ON_STACK = 64 };
    relib_agent_block_t local[ON_STACK];
    uint8_t local_held[ON_STACK];
    relib_agent_block_t *blocks = local;
    uint8_t *held = local_held;
    size_t bytes = 0;
    uint64_t count = table_collect(slot, local, ON_STACK);
    if (count > ON_STACK) {
        bytes = count * (sizeof(relib_agent_block_t) + 1);
        blocks = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (blocks == MAP_FAILED) {
            return;
        }
        held = (uint8_t *)(blocks + count);
        uint64_t filled = table_collect(slot, blocks, count); /* more only if a module thread allocates now */
        count = filled < count ? filled : count;
    }
    if (count && leak_scan_runtime_held(blocks, count, held)) {
        for (uint64_t i = 0; i < count; i++) {
            struct table_entry e;
            if (held[i] && take(b, (void *)(uintptr_t)blocks[i].address, &e)) {
                counters_free(b, entry_slot(&e), entry_size(&e));
            }
        }
    }
    if (bytes) {
        munmap(blocks, bytes);
    }
}

int relib_agent_free_blocks(uint32_t module_id, uint64_t *freed_bytes) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    if (behalf_slot_uses_runtime((uint32_t)s)) {
        leave_runtime_held((uint32_t)s, counters_self());
    }
    /* A leaked FILE or DIR is closed, never freed: libc keeps FILEs on its list of streams. */
    struct slot_counters before, after;
    counters_sum((uint32_t)s, &before);
    streams_close((uint32_t)s);
    counters_sum((uint32_t)s, &after);
    struct free_context fc = {counters_self(), (uint64_t)(before.net - after.net)}; /* closing only frees */
    int n = (int)(after.frees - before.frees) + (int)table_drain((uint32_t)s, free_entry, &fc);
    leave();
    if (freed_bytes) {
        *freed_bytes = fc.bytes;
    }
    return n;
}

int relib_agent_unmap_mappings(uint32_t module_id, uint64_t *unmapped_bytes) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    uint64_t bytes = 0;
    int n = mappings_unmap((uint32_t)s, &bytes);
    leave();
    if (unmapped_bytes) {
        *unmapped_bytes = bytes;
    }
    return n;
}

int relib_agent_forget(uint32_t module_id) {
    int s = enter(module_id);
    if (s < 0) {
        return s;
    }
    int result = 0;
    if (slots[s].state == SLOT_ATTACHED) {
        result = -RELIB_AGENT_E_ATTACHED;
    } else {
        table_drain((uint32_t)s, NULL, NULL);
        threads_forget((uint32_t)s);
        tls_forget((uint32_t)s);
        mappings_forget((uint32_t)s);
        streams_forget((uint32_t)s);
        fds_forget((uint32_t)s);
        unwind_forget_unmapped(); /* unwind.c: the unloaded code's addresses may hold other code later */
        slots[s].state = SLOT_FREE;
    }
    leave();
    return result;
}
