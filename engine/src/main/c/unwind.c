/* A cached DWARF CFI unwinder for x86-64: what stack capture per allocation and the crash handler
 * walk stacks with.
 *
 * libgcc's _Unwind_Backtrace finds and interprets the .eh_frame entry of every frame on every call
 * (about 100x a malloc/free pair). Here each return address's rule (where the caller's frame
 * starts, where the return address and rbp were saved) is worked out once, from the entry libgcc's
 * _Unwind_Find_FDE finds (lock-free on glibc 2.35+, through _dl_find_object; no allocation), and
 * kept in a fixed, mmap-backed table keyed by the return address. A walk then costs a table probe
 * and two loads per frame. Frames built on rbp (code with frame pointers) are rules like any other.
 *
 * The table is filled lock-free: a slot's key is claimed by CAS, then its rule published; a reader
 * that finds a key without a rule works the rule out itself. Keys are never moved, so a reader can
 * never pair one key with another's rule. When an object is unloaded its keys could later name
 * another object's code: unwind_forget_unmapped (at relib_agent_forget, after dlclose) marks every
 * key that no loaded object holds any more, and a later fill of that key replaces the mark.
 *
 * Rules this walker does not model (a CFA that is an expression, or based on a register other than
 * rsp/rbp; rbp or the return address saved other than at an offset; signal frames) end the walk
 * as incomplete, so the caller can fall back on libgcc for that stack. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "agent_internal.h"

/* libgcc's FDE lookup (unwind-dw2-fde.h; exported by libgcc_s since GCC 3.0). */
struct dwarf_eh_bases {
    void *tbase;
    void *dbase;
    void *func;
};
extern const void *_Unwind_Find_FDE(void *pc, struct dwarf_eh_bases *bases);

#define RULE_SLOTS (1u << 18)
#define MAX_PROBES 16
/* A frame larger than this is damage (or a wrong rule), not a frame. */
#define MAX_FRAME_BYTES (64u << 20)

/* A rule, packed in 64 bits: cfa offset (int32), rbp's offset from the cfa (int16, valid when
 * RULE_RBP_SAVED), the cfa register (RULE_CFA_RBP or rsp), and the kind. 0 = not yet published. */
#define KIND_SHIFT 56
#define RULE_OK 1ull          /* unwindable */
#define RULE_END 2ull         /* no unwind entry (JIT code, the outermost frame): the walk stops */
#define RULE_UNSUPPORTED 3ull /* a rule this walker does not model */
#define RULE_STALE 4ull       /* the key's object was unloaded: work the rule out again */
#define RULE_CFA_RBP (1ull << 48)
#define RULE_RBP_SAVED (1ull << 49)

struct rule_slot {
    uintptr_t key;
    uint64_t rule;
};

static struct rule_slot *rules;
/* The index of every slot whose key was ever claimed, in claim order (RULE_SLOTS entries, after the
 * table in the same mapping), so unwind_forget_unmapped visits the claimed keys, not all 4 MiB. */
static uint32_t claimed_count;

static inline uint32_t *claimed_of(struct rule_slot *table) {
    return (uint32_t *)(table + RULE_SLOTS);
}

/* x86-64 DWARF register numbers. */
#define REG_RBP 6
#define REG_RSP 7
#define REG_RA 16

int unwind_prepare(void) {
    if (__atomic_load_n(&rules, __ATOMIC_ACQUIRE)) {
        return 0;
    }
    size_t bytes = (size_t)RULE_SLOTS * (sizeof(struct rule_slot) + sizeof(uint32_t));
    struct rule_slot *table = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                                   -1, 0);
    if (table == MAP_FAILED) {
        return -RELIB_AGENT_E_INVALID;
    }
    struct rule_slot *expected = NULL;
    if (!__atomic_compare_exchange_n(&rules, &expected, table, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        munmap(table, bytes);
    }
    /* Binds and warms libgcc's lookup outside any hook or signal handler. */
    struct dwarf_eh_bases bases;
    _Unwind_Find_FDE((void *)(uintptr_t)unwind_prepare, &bases);
    return 0;
}

/* ---- reading .eh_frame ---- */

struct reader {
    const uint8_t *p;
    const uint8_t *end;
    int bad;
};

static uint64_t r_u8(struct reader *r) {
    if (r->p >= r->end) {
        r->bad = 1;
        return 0;
    }
    return *r->p++;
}

static uint64_t r_fixed(struct reader *r, int n) {
    if (r->end - r->p < n) {
        r->bad = 1;
        r->p = r->end;
        return 0;
    }
    uint64_t v = 0;
    memcpy(&v, r->p, (size_t)n);
    r->p += n;
    return v;
}

static uint64_t r_uleb(struct reader *r) {
    uint64_t v = 0;
    int shift = 0;
    uint64_t b;
    do {
        b = r_u8(r);
        if (shift < 64) {
            v |= (b & 0x7f) << shift;
        }
        shift += 7;
    } while ((b & 0x80) && !r->bad);
    return v;
}

static int64_t r_sleb(struct reader *r) {
    int64_t v = 0;
    int shift = 0;
    uint64_t b;
    do {
        b = r_u8(r);
        if (shift < 64) {
            v |= (int64_t)((b & 0x7f) << shift);
        }
        shift += 7;
    } while ((b & 0x80) && !r->bad);
    if (shift < 64 && (b & 0x40)) {
        v |= -((int64_t)1 << shift);
    }
    return v;
}

/* Skips a pointer of DW_EH_PE encoding enc (its value is not needed: libgcc gave the function start). */
static void skip_encoded(struct reader *r, uint8_t enc) {
    if (enc == 0xff) { /* DW_EH_PE_omit */
        return;
    }
    switch (enc & 0x0f) {
    case 0x00: r_fixed(r, 8); break; /* absptr */
    case 0x01: r_uleb(r); break;
    case 0x02: case 0x0a: r_fixed(r, 2); break;
    case 0x03: case 0x0b: r_fixed(r, 4); break;
    case 0x04: case 0x0c: r_fixed(r, 8); break;
    case 0x09: r_sleb(r); break;
    default: r->bad = 1;
    }
}

static uint64_t read_encoded_value(struct reader *r, uint8_t enc) {
    switch (enc & 0x0f) {
    case 0x00: case 0x04: return r_fixed(r, 8);
    case 0x01: return r_uleb(r);
    case 0x02: return r_fixed(r, 2);
    case 0x03: return r_fixed(r, 4);
    case 0x09: return (uint64_t)r_sleb(r);
    case 0x0a: return (uint64_t)(int16_t)r_fixed(r, 2);
    case 0x0b: return (uint64_t)(int32_t)r_fixed(r, 4);
    case 0x0c: return r_fixed(r, 8);
    default: r->bad = 1; return 0;
    }
}

/* The register rules the walker needs, as a CFA program leaves them. */
enum reg_how { SAME, AT_OFFSET, OTHER };
struct cfa_state {
    int cfa_reg;
    int64_t cfa_offset;
    int cfa_expression;
    enum reg_how rbp, ra;
    int64_t rbp_offset, ra_offset;
};

struct cie_info {
    uint64_t code_align;
    int64_t data_align;
    uint64_t ra_reg;
    uint8_t fde_encoding;
    int has_augmentation_data;
    int signal_frame;
    struct reader initial; /* the CIE's initial instructions */
};

static int parse_cie(const uint8_t *cie, struct cie_info *out) {
    struct reader r = {cie, cie + 4, 0};
    uint64_t length = r_fixed(&r, 4);
    if (length == 0 || length == 0xffffffffu) {
        return -1; /* 64-bit .eh_frame entries do not occur on x86-64 Linux */
    }
    r.end = cie + 4 + length;
    if (r_fixed(&r, 4) != 0) {
        return -1; /* a CIE has id 0 in .eh_frame */
    }
    uint64_t version = r_u8(&r);
    const char *augmentation = (const char *)r.p;
    while (r.p < r.end && *r.p) {
        r.p++;
    }
    r_u8(&r);
    if (version >= 4) {
        r_u8(&r); /* address size */
        r_u8(&r); /* segment selector size */
    }
    out->code_align = r_uleb(&r);
    out->data_align = r_sleb(&r);
    out->ra_reg = version == 1 ? r_u8(&r) : r_uleb(&r);
    out->fde_encoding = 0;
    out->has_augmentation_data = 0;
    out->signal_frame = 0;
    if (augmentation[0] == 'z') {
        uint64_t len = r_uleb(&r);
        const uint8_t *data_end = r.p + len;
        out->has_augmentation_data = 1;
        for (const char *a = augmentation + 1; *a && !r.bad; a++) {
            switch (*a) {
            case 'L': r_u8(&r); break;
            case 'P': { uint8_t enc = (uint8_t)r_u8(&r); skip_encoded(&r, enc & 0x7f); break; }
            case 'R': out->fde_encoding = (uint8_t)r_u8(&r); break;
            case 'S': out->signal_frame = 1; break;
            default: break; /* 'B', 'G' and others carry no data we need; the length skips them */
            }
        }
        r.p = data_end;
    } else if (augmentation[0]) {
        return -1; /* an augmentation this reader does not know, without a length */
    }
    if (r.bad || r.p > r.end) {
        return -1;
    }
    out->initial = (struct reader){r.p, r.end, 0};
    return 0;
}

#define STATE_STACK 8

/* Runs a CFA program until the location reaches target. Returns 0, or -1 on damage. */
static int run_program(struct reader *r, const struct cie_info *cie, uint64_t *loc, uint64_t target,
                       struct cfa_state *s, const struct cfa_state *initial, struct cfa_state *saved, int *depth) {
    while (r->p < r->end && !r->bad) {
        uint8_t op = (uint8_t)r_u8(r);
        uint8_t high = op & 0xc0, low = op & 0x3f;
        uint64_t reg, delta = 0;
        int64_t off;
        if (high == 0x40) { /* advance_loc */
            delta = low * cie->code_align;
        } else if (high == 0x80) { /* offset */
            reg = low;
            off = (int64_t)r_uleb(r) * cie->data_align;
            if (reg == REG_RBP) { s->rbp = AT_OFFSET; s->rbp_offset = off; }
            if (reg == cie->ra_reg) { s->ra = AT_OFFSET; s->ra_offset = off; }
            continue;
        } else if (high == 0xc0) { /* restore */
            if (low == REG_RBP) { s->rbp = initial->rbp; s->rbp_offset = initial->rbp_offset; }
            if (low == cie->ra_reg) { s->ra = initial->ra; s->ra_offset = initial->ra_offset; }
            continue;
        } else {
            switch (op) {
            case 0x00: continue; /* nop */
            case 0x01: return -1; /* set_loc: not emitted by gcc or LLVM for x86-64 */
            case 0x02: delta = r_u8(r) * cie->code_align; break;
            case 0x03: delta = r_fixed(r, 2) * cie->code_align; break;
            case 0x04: delta = r_fixed(r, 4) * cie->code_align; break;
            case 0x05: case 0x11: case 0x2f: /* offset_extended, _sf, GNU_negative_offset_extended */
                reg = r_uleb(r);
                off = op == 0x11 ? r_sleb(r) * cie->data_align
                    : op == 0x2f ? -(int64_t)r_uleb(r) * cie->data_align : (int64_t)r_uleb(r) * cie->data_align;
                if (reg == REG_RBP) { s->rbp = AT_OFFSET; s->rbp_offset = off; }
                if (reg == cie->ra_reg) { s->ra = AT_OFFSET; s->ra_offset = off; }
                continue;
            case 0x06: /* restore_extended */
                reg = r_uleb(r);
                if (reg == REG_RBP) { s->rbp = initial->rbp; s->rbp_offset = initial->rbp_offset; }
                if (reg == cie->ra_reg) { s->ra = initial->ra; s->ra_offset = initial->ra_offset; }
                continue;
            case 0x07: /* undefined */
                reg = r_uleb(r);
                if (reg == REG_RBP) s->rbp = OTHER;
                if (reg == cie->ra_reg) s->ra = OTHER; /* the outermost frame: nothing to return to */
                continue;
            case 0x08: /* same_value */
                reg = r_uleb(r);
                if (reg == REG_RBP) s->rbp = SAME;
                if (reg == cie->ra_reg) s->ra = OTHER;
                continue;
            case 0x09: /* register */
                reg = r_uleb(r);
                r_uleb(r);
                if (reg == REG_RBP) s->rbp = OTHER;
                if (reg == cie->ra_reg) s->ra = OTHER;
                continue;
            case 0x0a: /* remember_state */
                if (*depth == STATE_STACK) return -1;
                saved[(*depth)++] = *s;
                continue;
            case 0x0b: /* restore_state */
                if (*depth == 0) return -1;
                {
                    struct cfa_state restored = saved[--(*depth)];
                    *s = restored;
                }
                continue;
            case 0x0c: s->cfa_reg = (int)r_uleb(r); s->cfa_offset = (int64_t)r_uleb(r); s->cfa_expression = 0; continue;
            case 0x0d: s->cfa_reg = (int)r_uleb(r); s->cfa_expression = 0; continue;
            case 0x0e: s->cfa_offset = (int64_t)r_uleb(r); continue;
            case 0x0f: { uint64_t n = r_uleb(r); r->p += n; s->cfa_expression = 1; continue; }
            case 0x10: case 0x16: { /* expression, val_expression */
                reg = r_uleb(r);
                uint64_t n = r_uleb(r);
                r->p += n;
                if (reg == REG_RBP) s->rbp = OTHER;
                if (reg == cie->ra_reg) s->ra = OTHER;
                continue;
            }
            case 0x12: s->cfa_reg = (int)r_uleb(r); s->cfa_offset = r_sleb(r) * cie->data_align; s->cfa_expression = 0; continue;
            case 0x13: s->cfa_offset = r_sleb(r) * cie->data_align; continue;
            case 0x14: case 0x15: /* val_offset, _sf */
                reg = r_uleb(r);
                if (op == 0x14) r_uleb(r); else r_sleb(r);
                if (reg == REG_RBP) s->rbp = OTHER;
                if (reg == cie->ra_reg) s->ra = OTHER;
                continue;
            case 0x2e: r_uleb(r); continue; /* GNU_args_size */
            default: return -1;
            }
        }
        if (*loc + delta >= target) {
            return 0; /* the rows from here on describe later instructions */
        }
        *loc += delta;
    }
    return r->bad ? -1 : 0;
}

/* The rule for code whose rows apply before target (a return address; an exact pc + 1). */
static uint64_t compute_rule(uintptr_t target) {
    struct dwarf_eh_bases bases;
    const uint8_t *fde = _Unwind_Find_FDE((void *)(target - 1), &bases);
    if (!fde) {
        return RULE_END << KIND_SHIFT;
    }
    struct reader r = {fde, fde + 8, 0};
    uint64_t length = r_fixed(&r, 4);
    if (length == 0 || length == 0xffffffffu) {
        return RULE_UNSUPPORTED << KIND_SHIFT;
    }
    r.end = fde + 4 + length;
    const uint8_t *cie_pointer = r.p;
    uint64_t cie_offset = r_fixed(&r, 4);
    struct cie_info cie;
    if (parse_cie(cie_pointer - cie_offset, &cie) != 0) {
        return RULE_UNSUPPORTED << KIND_SHIFT;
    }
    if (cie.signal_frame) {
        return RULE_UNSUPPORTED << KIND_SHIFT;
    }
    skip_encoded(&r, cie.fde_encoding);   /* pc_begin: libgcc's bases.func */
    read_encoded_value(&r, cie.fde_encoding & 0x0f); /* pc_range */
    if (cie.has_augmentation_data) {
        uint64_t n = r_uleb(&r);
        r.p += n;
    }
    if (r.bad || r.p > r.end) {
        return RULE_UNSUPPORTED << KIND_SHIFT;
    }
    struct cfa_state initial = {.cfa_reg = REG_RSP, .cfa_offset = 8, .rbp = SAME, .ra = OTHER};
    struct cfa_state saved[STATE_STACK];
    int depth = 0;
    uint64_t loc = (uintptr_t)bases.func;
    struct reader cie_program = cie.initial;
    if (run_program(&cie_program, &cie, &loc, UINT64_MAX, &initial, &initial, saved, &depth) != 0) {
        return RULE_UNSUPPORTED << KIND_SHIFT;
    }
    struct cfa_state s = initial;
    depth = 0;
    loc = (uintptr_t)bases.func;
    if (run_program(&r, &cie, &loc, target, &s, &initial, saved, &depth) != 0) {
        return RULE_UNSUPPORTED << KIND_SHIFT;
    }
    if (s.ra == OTHER && !s.cfa_expression && (s.cfa_reg == REG_RSP || s.cfa_reg == REG_RBP)) {
        return RULE_END << KIND_SHIFT; /* the return address is undefined: the outermost frame */
    }
    if (s.cfa_expression || (s.cfa_reg != REG_RSP && s.cfa_reg != REG_RBP) || s.ra != AT_OFFSET
        || s.ra_offset != -8 || s.rbp == OTHER || s.cfa_offset < 0 || s.cfa_offset > INT32_MAX
        || (s.rbp == AT_OFFSET && (s.rbp_offset < INT16_MIN || s.rbp_offset > INT16_MAX))) {
        return RULE_UNSUPPORTED << KIND_SHIFT;
    }
    uint64_t rule = (RULE_OK << KIND_SHIFT) | (uint32_t)s.cfa_offset;
    if (s.cfa_reg == REG_RBP) {
        rule |= RULE_CFA_RBP;
    }
    if (s.rbp == AT_OFFSET) {
        rule |= RULE_RBP_SAVED | ((uint64_t)(uint16_t)(int16_t)s.rbp_offset << 32);
    }
    return rule;
}

static inline uint32_t slot_of(uintptr_t key) {
    uint64_t h = (uint64_t)key * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(h >> 40) & (RULE_SLOTS - 1);
}

/* The rule for target, from the table or worked out (and added) now. */
static inline uint64_t rule_for(uintptr_t target) {
    struct rule_slot *table = rules;
    uint32_t i = slot_of(target);
    for (int probe = 0; probe < MAX_PROBES; probe++, i = (i + 1) & (RULE_SLOTS - 1)) {
        uintptr_t key = __atomic_load_n(&table[i].key, __ATOMIC_ACQUIRE);
        if (key == target) {
            uint64_t rule = __atomic_load_n(&table[i].rule, __ATOMIC_ACQUIRE);
            if (__builtin_expect(rule != 0 && (rule >> KIND_SHIFT) != RULE_STALE, 1)) {
                return rule;
            }
            uint64_t fresh = compute_rule(target);
            if (rule != 0) {
                __atomic_compare_exchange_n(&table[i].rule, &rule, fresh, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
            }
            return fresh;
        }
        if (key == 0) {
            uint64_t fresh = compute_rule(target);
            uintptr_t empty = 0;
            if (__atomic_compare_exchange_n(&table[i].key, &empty, target, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                /* Each slot is claimed once, so the list never outgrows RULE_SLOTS. */
                uint32_t n = __atomic_fetch_add(&claimed_count, 1, __ATOMIC_RELAXED);
                __atomic_store_n(&claimed_of(table)[n], i, __ATOMIC_RELEASE);
                __atomic_store_n(&table[i].rule, fresh, __ATOMIC_RELEASE);
                return fresh;
            }
            if (empty == target) {
                return fresh; /* another thread claimed it for the same address */
            }
        }
    }
    return compute_rule(target); /* the neighbourhood is full: correct, only not cached */
}

/* Moves *pc, *sp, *fp one frame up (*target: the address whose rule applies there, pc + 1 for an
 * exact pc). 0 when the walk ends at this frame, with *complete as unwind_walk says it. */
static inline __attribute__((always_inline)) int step(uintptr_t *pc, uintptr_t *sp, uintptr_t *fp, uintptr_t *target, int *complete) {
    uint64_t rule = rule_for(*target);
    uint64_t kind = rule >> KIND_SHIFT;
    if (kind != RULE_OK) {
        *complete = kind != RULE_UNSUPPORTED;
        return 0;
    }
    uintptr_t cfa = ((rule & RULE_CFA_RBP) ? *fp : *sp) + (uint32_t)rule;
    if (cfa <= *sp || cfa - *sp > MAX_FRAME_BYTES || (cfa & 7)) {
        return 0;
    }
    uintptr_t ra = *(const uintptr_t *)(cfa - 8);
    if (rule & RULE_RBP_SAVED) {
        *fp = *(const uintptr_t *)(cfa + (int16_t)(uint16_t)(rule >> 32));
    }
    if (ra < 4096) {
        return 0;
    }
    *sp = cfa;
    *pc = ra;
    *target = ra;
    return 1;
}

int unwind_walk(uintptr_t pc, uintptr_t sp, uintptr_t fp, int exact, uintptr_t skip_start, uintptr_t skip_end,
                uintptr_t *frames, int max, int *complete) {
    *complete = 1;
    if (!__atomic_load_n(&rules, __ATOMIC_ACQUIRE)) {
        *complete = 0;
        return 0;
    }
    int depth = 0;
    uintptr_t target = exact ? pc + 1 : pc;
    int skipping = skip_end > skip_start;
    while (depth < max) {
        if (skipping && !(pc >= skip_start && pc < skip_end)) {
            skipping = 0;
        }
        if (!skipping) {
            frames[depth++] = pc;
        }
        if (!step(&pc, &sp, &fp, &target, complete)) {
            return depth;
        }
    }
    return depth;
}

uintptr_t unwind_find(uintptr_t pc, uintptr_t sp, uintptr_t fp, uintptr_t skip_start, uintptr_t skip_end,
                      int (*walk_past)(uintptr_t), int max) {
    if (!__atomic_load_n(&rules, __ATOMIC_ACQUIRE)) {
        return 0;
    }
    uintptr_t target = pc + 1;
    int complete;
    for (int seen = 0; seen < max;) {
        if (!(pc >= skip_start && pc < skip_end)) {
            if (!walk_past(pc)) {
                return pc;
            }
            seen++;
        }
        if (!step(&pc, &sp, &fp, &target, &complete)) {
            return 0;
        }
    }
    return 0;
}

void unwind_forget_unmapped(void) {
    struct rule_slot *table = __atomic_load_n(&rules, __ATOMIC_ACQUIRE);
    if (!table) {
        return;
    }
    /* An index not yet stored reads as 0: slot 0 is checked instead, which does no harm. */
    uint32_t count = __atomic_load_n(&claimed_count, __ATOMIC_ACQUIRE);
    const uint32_t *claimed = claimed_of(table);
    for (uint32_t k = 0; k < count; k++) {
        uint32_t i = __atomic_load_n(&claimed[k], __ATOMIC_ACQUIRE);
        uintptr_t key = __atomic_load_n(&table[i].key, __ATOMIC_ACQUIRE);
        if (!key) {
            continue;
        }
        uint64_t rule = __atomic_load_n(&table[i].rule, __ATOMIC_ACQUIRE);
        if (rule == 0 || (rule >> KIND_SHIFT) == RULE_STALE) {
            continue;
        }
        struct dl_find_object found;
        if (_dl_find_object((void *)(key - 1), &found) != 0) {
            __atomic_compare_exchange_n(&table[i].rule, &rule, RULE_STALE << KIND_SHIFT, 0, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED);
        }
    }
}
