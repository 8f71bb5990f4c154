/* Call stacks per allocation, only for modules attached with RELIB_AGENT_CAPTURE_STACKS (their
 * hooks are a separate copy that calls stacks_capture; other modules' hooks never reach this file).
 *
 * Capture walks the stack with unwind.c's cached rules: Rust objects carry unwind tables but no
 * frame pointers, so a frame-pointer walk would stop at the first Rust frame, and libgcc's
 * _Unwind_Backtrace interprets every frame's .eh_frame entry anew on every call. A stack whose
 * rules unwind.c does not model falls back on _Unwind_Backtrace; the agent links libgcc_s directly
 * and both unwinders are warmed at attach, so nothing is loaded or initialised inside a malloc hook.
 *
 * Identical stacks share one id: an append-only array of records (id = index + 1) and an
 * open-addressing index of ids by hash, both mmap-backed and fixed in size, filled lock-free (a
 * record is written, then published by a CAS into the index), so threads capturing at once never
 * wait for each other and nothing here allocates through the hooked functions. Records are never
 * dropped: an id handed out stays valid for the life of the process. */
#define _GNU_SOURCE
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unwind.h>
#include "agent_internal.h"

#define RECORDS (1u << 18)
#define INDEX_SIZE (RECORDS * 2u)

enum record_state { RECORD_FILLING, RECORD_PUBLISHED, RECORD_DUPLICATE };

struct stack_record {
    uint64_t hash;
    uint32_t module_id;
    uint32_t depth;
    uint32_t state;
    uintptr_t frames[RELIB_AGENT_STACK_DEPTH];
};

static struct stack_record *records;
static uint64_t fallbacks; /* captures that needed _Unwind_Backtrace */
static uint32_t *index_ids;
static uint32_t record_count;
static uint32_t slot_module[SLOTS];
static uintptr_t agent_text_start, agent_text_end;

struct walk {
    uintptr_t frames[RELIB_AGENT_STACK_DEPTH];
    uint32_t depth;
    int in_agent; /* still in the agent's own frames (this file, the hook) */
};

static _Unwind_Reason_Code on_frame(struct _Unwind_Context *context, void *arg) {
    struct walk *w = arg;
    uintptr_t ip = _Unwind_GetIP(context);
    if (!ip) {
        return _URC_END_OF_STACK;
    }
    if (w->in_agent && ip >= agent_text_start && ip < agent_text_end) {
        return _URC_NO_REASON;
    }
    w->in_agent = 0;
    w->frames[w->depth++] = ip;
    return w->depth == RELIB_AGENT_STACK_DEPTH ? _URC_END_OF_STACK : _URC_NO_REASON;
}

static int find_agent_text(struct dl_phdr_info *info, size_t size, void *arg) {
    (void)size;
    uintptr_t probe = (uintptr_t)arg;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && probe >= start && probe < start + ph->p_memsz) {
            agent_text_start = start;
            agent_text_end = start + ph->p_memsz;
            return 1;
        }
    }
    return 0;
}

static void *map(size_t bytes) {
    void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return mem == MAP_FAILED ? NULL : mem;
}

int stacks_prepare(uint32_t slot, uint32_t module_id) {
    if (!records) {
        struct stack_record *r = map((size_t)RECORDS * sizeof *r);
        uint32_t *ids = map((size_t)INDEX_SIZE * sizeof *ids);
        if (!r || !ids) {
            if (r) munmap(r, (size_t)RECORDS * sizeof *r);
            if (ids) munmap(ids, (size_t)INDEX_SIZE * sizeof *ids);
            return -RELIB_AGENT_E_INVALID;
        }
        dl_iterate_phdr(find_agent_text, (void *)(uintptr_t)stacks_prepare);
        struct walk warm = {.in_agent = 1};
        _Unwind_Backtrace(on_frame, &warm);
        if (unwind_prepare() != 0) {
            munmap(r, (size_t)RECORDS * sizeof *r);
            munmap(ids, (size_t)INDEX_SIZE * sizeof *ids);
            return -RELIB_AGENT_E_INVALID;
        }
        index_ids = ids;
        __atomic_store_n(&records, r, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&slot_module[slot], module_id, __ATOMIC_RELEASE);
    return 0;
}

static uint64_t hash_of(uint32_t module_id, const uintptr_t *frames, uint32_t depth) {
    uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)module_id << 32 | depth);
    for (uint32_t i = 0; i < depth; i++) {
        h = (h ^ frames[i]) * 0x100000001b3ull;
        h ^= h >> 29;
    }
    return h;
}

static int same(const struct stack_record *r, uint64_t h, uint32_t module_id, const uintptr_t *frames, uint32_t depth) {
    return r->hash == h && r->module_id == module_id && r->depth == depth
            && memcmp(r->frames, frames, depth * sizeof *frames) == 0;
}

/* The id of this stack, adding it if new; 0 when the table is full. */
static uint32_t intern(uint32_t module_id, const uintptr_t *frames, uint32_t depth) {
    uint64_t h = hash_of(module_id, frames, depth);
    uint32_t mine = 0; /* our record, once written */
    uint32_t i = (uint32_t)h & (INDEX_SIZE - 1);
    for (uint32_t probes = 0; probes < INDEX_SIZE; probes++, i = (i + 1) & (INDEX_SIZE - 1)) {
        uint32_t id = __atomic_load_n(&index_ids[i], __ATOMIC_ACQUIRE);
        if (!id) {
            if (!mine) {
                if (__atomic_load_n(&record_count, __ATOMIC_RELAXED) >= RECORDS) {
                    return 0; /* full: checked first so the count cannot run on and wrap */
                }
                mine = __atomic_add_fetch(&record_count, 1, __ATOMIC_RELAXED);
                if (mine > RECORDS) {
                    return 0;
                }
                struct stack_record *r = &records[mine - 1];
                r->hash = h;
                r->module_id = module_id;
                r->depth = depth;
                memcpy(r->frames, frames, depth * sizeof *frames);
                /* Published before the index CAS: a snapshot lists every id a block can hold. */
                __atomic_store_n(&r->state, RECORD_PUBLISHED, __ATOMIC_RELEASE);
            }
            if (__atomic_compare_exchange_n(&index_ids[i], &id, mine, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                return mine;
            }
        }
        if (same(&records[id - 1], h, module_id, frames, depth)) {
            if (mine) {
                __atomic_store_n(&records[mine - 1].state, RECORD_DUPLICATE, __ATOMIC_RELEASE);
            }
            return id;
        }
    }
    return 0;
}

uint32_t stacks_capture(uint32_t slot) {
    struct walk w;
    uintptr_t pc, sp, fp;
    UNWIND_HERE(pc, sp, fp);
    int complete;
    int depth = unwind_walk(pc, sp, fp, 1, agent_text_start, agent_text_end, w.frames, RELIB_AGENT_STACK_DEPTH,
                            &complete);
    if (__builtin_expect(complete, 1)) {
        w.depth = (uint32_t)depth;
    } else {
        w.depth = 0;
        w.in_agent = 1;
        __atomic_add_fetch(&fallbacks, 1, __ATOMIC_RELAXED); /* rare: a frame unwind.c does not model */
        _Unwind_Backtrace(on_frame, &w);
    }
    return w.depth ? intern(__atomic_load_n(&slot_module[slot], __ATOMIC_RELAXED), w.frames, w.depth) : 0;
}

uint64_t relib_agent_unwind_fallbacks(void) {
    return __atomic_load_n(&fallbacks, __ATOMIC_RELAXED);
}

int relib_agent_unwind_compare(uint64_t *cached, uint64_t *libgcc, uint32_t cap, uint32_t *depth) {
    if (!cached || !libgcc || !depth || unwind_prepare() != 0) {
        return -RELIB_AGENT_E_INVALID;
    }
    if (!agent_text_end) {
        dl_iterate_phdr(find_agent_text, (void *)(uintptr_t)stacks_prepare);
    }
    uintptr_t mine[RELIB_AGENT_STACK_DEPTH];
    uint32_t max = cap < RELIB_AGENT_STACK_DEPTH ? cap : RELIB_AGENT_STACK_DEPTH;
    uintptr_t pc, sp, fp;
    UNWIND_HERE(pc, sp, fp);
    int complete;
    int n = unwind_walk(pc, sp, fp, 1, agent_text_start, agent_text_end, mine, (int)max, &complete);
    struct walk w = {.in_agent = 1};
    _Unwind_Backtrace(on_frame, &w);
    if (!complete) {
        *depth = 0;
        return 1;
    }
    *depth = (uint32_t)n;
    uint32_t theirs = w.depth < max ? w.depth : max;
    for (uint32_t i = 0; i < (uint32_t)n; i++) {
        cached[i] = mine[i];
    }
    for (uint32_t i = 0; i < theirs; i++) {
        libgcc[i] = w.frames[i];
    }
    for (uint32_t i = 0; i < max; i++) {
        int have_mine = i < (uint32_t)n, have_theirs = i < theirs;
        if (have_mine != have_theirs || (have_mine && mine[i] != w.frames[i])) {
            return (int)i + 1;
        }
    }
    return 0;
}

int64_t stacks_snapshot(uint32_t module_id, relib_agent_stack_t *buf, uint64_t cap) {
    struct stack_record *r = __atomic_load_n(&records, __ATOMIC_ACQUIRE);
    if (!r) {
        return 0;
    }
    uint32_t count = __atomic_load_n(&record_count, __ATOMIC_RELAXED);
    if (count > RECORDS) {
        count = RECORDS;
    }
    uint64_t total = 0;
    for (uint32_t k = 0; k < count; k++) {
        if (__atomic_load_n(&r[k].state, __ATOMIC_ACQUIRE) != RECORD_PUBLISHED || r[k].module_id != module_id) {
            continue;
        }
        if (total < cap) {
            relib_agent_stack_t *out = &buf[total];
            memset(out, 0, sizeof *out);
            out->id = k + 1;
            out->depth = r[k].depth;
            for (uint32_t f = 0; f < r[k].depth; f++) {
                out->frames[f] = r[k].frames[f];
            }
        }
        total++;
    }
    return (int64_t)total;
}
