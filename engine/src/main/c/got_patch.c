/* Finds a loaded module's GOT slots for the hooked symbols from its dynamic section in memory and
 * repoints them. Rust cdylibs bind these symbols through R_X86_64_GLOB_DAT (.rela.dyn), C objects
 * often through R_X86_64_JUMP_SLOT (.rela.plt): both are patched. The slots sit in PT_GNU_RELRO,
 * which glibc made read-only after relocation: attach opens them with mprotect, detach writes them
 * through /proc/self/mem. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "agent_internal.h"

struct relro_query {
    uintptr_t base;
    const char *name;
    uintptr_t start, end;
};

static int find_relro(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct relro_query *q = data;
    if (info->dlpi_addr != q->base || strcmp(info->dlpi_name, q->name) != 0) {
        return 0;
    }
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_GNU_RELRO) {
            q->start = q->base + ph->p_vaddr;
            q->end = q->start + ph->p_memsz;
        }
    }
    return 1;
}

#define FAMILIES 8
static void *family_lookup(int family, uint32_t slot, uint32_t flags, const char *name) {
    switch (family) {
    case 0: return hooks_alloc_lookup(slot, flags, name);
    case 1: return hooks_thread_lookup(slot, name);
    case 2: return hooks_tls_lookup(slot, name);
    case 3: return hooks_mmap_lookup(slot, name);
    case 4: return hooks_output_lookup(slot, name);
    case 5: return hooks_cxx_lookup(slot, name);
    case 6: return hooks_libc_lookup(slot, name);
    default: return hooks_fd_lookup(slot, name);
    }
}

/* Which family of hooks has a symbol name, remembered. Each attach looks up every import of the
 * module, most are hooked by no family, and saying so took some sixty strcmp a name: most of an
 * attach's own work after its mprotect window. The family depends on the name alone (the hook itself
 * on the slot and flags too). The names are copied into a fixed arena, as the agent never calls the
 * allocator it tracks; once arena or table is full, further names are looked up every time. Callers
 * hold registry_lock, as attach does. */
#define MEMO_SLOTS 4096u
#define MEMO_ARENA (96u * 1024)
#define NO_FAMILY 0xff
struct memo_slot {
    uint32_t hash;
    uint32_t name_at; /* offset + 1 in memo_names; 0 for an empty slot */
    uint8_t family;
};
static struct memo_slot memo[MEMO_SLOTS];
static char memo_names[MEMO_ARENA];
static uint32_t memo_arena_used, memo_slots_used;

static uint32_t name_hash(const char *name, size_t *length) {
    uint32_t h = 2166136261u; /* FNV-1a */
    size_t n = 0;
    for (; name[n]; n++) {
        h = (h ^ (uint8_t)name[n]) * 16777619u;
    }
    *length = n;
    return h;
}

/* name's slot, or the empty slot where it would go. */
static struct memo_slot *memo_find(const char *name, uint32_t hash) {
    for (uint32_t i = hash & (MEMO_SLOTS - 1);; i = (i + 1) & (MEMO_SLOTS - 1)) {
        struct memo_slot *m = &memo[i];
        if (!m->name_at || (m->hash == hash && strcmp(&memo_names[m->name_at - 1], name) == 0)) {
            return m;
        }
    }
}

static void *hook_for(uint32_t slot, uint32_t flags, const char *name) {
    size_t length;
    uint32_t hash = name_hash(name, &length);
    struct memo_slot *m = memo_find(name, hash);
    if (m->name_at) {
        return m->family == NO_FAMILY ? NULL : family_lookup(m->family, slot, flags, name);
    }
    int family = NO_FAMILY;
    void *hook = NULL;
    for (int f = 0; f < FAMILIES && !hook; f++) {
        hook = family_lookup(f, slot, flags, name);
        family = hook ? f : NO_FAMILY;
    }
    /* A table kept at most half full, so every probe ends at an empty slot soon. */
    if (memo_slots_used < MEMO_SLOTS / 2 && length + 1 <= MEMO_ARENA - memo_arena_used) {
        memcpy(&memo_names[memo_arena_used], name, length + 1);
        *m = (struct memo_slot){hash, memo_arena_used + 1, (uint8_t)family};
        memo_arena_used += (uint32_t)length + 1;
        memo_slots_used++;
    }
    return hook;
}

static int in_relro(const struct got_patch *patch, uintptr_t a) {
    return a >= patch->relro_start && a < patch->relro_end;
}

/* The lowest and highest slot address inside RELRO; high is 0 when no slot is there. */
static void relro_span(const struct got_patch *patch, uintptr_t *low, uintptr_t *high) {
    *low = UINTPTR_MAX;
    *high = 0;
    for (int i = 0; i < patch->count; i++) {
        uintptr_t a = (uintptr_t)patch->slots[i].address;
        if (in_relro(patch, a)) {
            *low = a < *low ? a : *low;
            *high = a > *high ? a : *high;
        }
    }
}

/*
 * Stores values[i] into slot i, for every slot, each store atomic. Slots inside RELRO are written
 * through one writable window over the pages they span: each mprotect that takes write access away
 * costs a TLB shootdown across the JVM's threads, and one pair per slot made detach most of a reload.
 */
static int store_all(const struct got_patch *patch, void *const values[]) {
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t low, high;
    relro_span(patch, &low, &high);
    int window = high != 0;
    if (window) {
        low &= ~(page - 1);
        high = (high & ~(page - 1)) + page;
        if (mprotect((void *)low, high - low, PROT_READ | PROT_WRITE) != 0) {
            return -RELIB_AGENT_E_MPROTECT;
        }
    }
    for (int i = 0; i < patch->count; i++) {
        __atomic_store_n(patch->slots[i].address, values[i], __ATOMIC_RELEASE);
    }
    if (window) {
        mprotect((void *)low, high - low, PROT_READ);
    }
    return 0;
}

static void collect(const ElfW(Rela) *rela, size_t count, uintptr_t base, const ElfW(Sym) *symtab,
                    const char *strtab, uint32_t slot, uint32_t flags, struct got_patch *patch, void **hooks) {
    for (size_t i = 0; i < count && patch->count < MAX_GOT_SLOTS; i++) {
        uint32_t type = ELF64_R_TYPE(rela[i].r_info);
        if (type != R_X86_64_GLOB_DAT && type != R_X86_64_JUMP_SLOT) {
            continue;
        }
        const ElfW(Sym) *sym = &symtab[ELF64_R_SYM(rela[i].r_info)];
        if (sym->st_shndx != SHN_UNDEF) {
            continue; /* the module's own definition, not libc's */
        }
        void *hook = hook_for(slot, flags, strtab + sym->st_name);
        if (hook) {
            void **address = (void **)(base + rela[i].r_offset);
            hooks[patch->count] = hook;
            patch->slots[patch->count++] = (struct got_slot){address, *address};
        }
    }
}

int got_attach(void *dl_handle, uint32_t slot, uint32_t flags, struct got_patch *patch) {
    struct link_map *lm = NULL;
    if (dlinfo(dl_handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm) {
        return -RELIB_AGENT_E_DLINFO;
    }
    uintptr_t base = lm->l_addr;
    uintptr_t symtab = 0, strtab = 0, rela = 0, jmprel = 0;
    size_t relasz = 0, pltrelsz = 0;
    for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_SYMTAB: symtab = d->d_un.d_ptr; break;
        case DT_STRTAB: strtab = d->d_un.d_ptr; break;
        case DT_RELA: rela = d->d_un.d_ptr; break;
        case DT_RELASZ: relasz = d->d_un.d_val; break;
        case DT_JMPREL: jmprel = d->d_un.d_ptr; break;
        case DT_PLTRELSZ: pltrelsz = d->d_un.d_val; break;
        default: break;
        }
    }
    if (!symtab || !strtab) {
        return -RELIB_AGENT_E_DYNAMIC;
    }
    /* glibc relocates these in memory; other loaders may leave them base-relative. */
#define ABSOLUTE(v) ((v) && (v) < base ? (v) + base : (v))
    symtab = ABSOLUTE(symtab);
    strtab = ABSOLUTE(strtab);
    rela = ABSOLUTE(rela);
    jmprel = ABSOLUTE(jmprel);
#undef ABSOLUTE

    patch->base = base;
    strncpy(patch->name, lm->l_name, sizeof patch->name - 1);
    patch->name[sizeof patch->name - 1] = '\0';
    struct relro_query q = {base, lm->l_name, 0, 0};
    dl_iterate_phdr(find_relro, &q);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    patch->relro_start = q.start & ~(page - 1);
    patch->relro_end = q.end & ~(page - 1); /* glibc seals whole pages only */
    patch->count = 0;

    void *hooks[MAX_GOT_SLOTS];
    const ElfW(Sym) *syms = (const ElfW(Sym) *)symtab;
    if (rela) {
        collect((const ElfW(Rela) *)rela, relasz / sizeof(ElfW(Rela)), base, syms, (const char *)strtab,
                slot, flags, patch, hooks);
    }
    if (jmprel) {
        collect((const ElfW(Rela) *)jmprel, pltrelsz / sizeof(ElfW(Rela)), base, syms,
                (const char *)strtab, slot, flags, patch, hooks);
    }
    int r = store_all(patch, hooks);
    if (r != 0) {
        patch->count = 0;
    }
    return r;
}

struct presence_query {
    uintptr_t base;
    const char *name;
    int found;
};

static int find_module(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct presence_query *q = data;
    q->found = info->dlpi_addr == q->base && strcmp(info->dlpi_name, q->name) == 0;
    return q->found;
}

/* The fd of /proc/self/mem and the process it was opened in: a forked child must not write
 * through its parent's. Used by the owner thread only, under the registry lock. */
static int mem_fd = -1;
static pid_t mem_fd_pid;

static int proc_self_mem(void) {
    pid_t pid = getpid();
    if (mem_fd >= 0 && mem_fd_pid != pid) {
        close(mem_fd);
        mem_fd = -1;
    }
    if (mem_fd < 0) {
        mem_fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
        mem_fd_pid = pid;
    }
    return mem_fd;
}

/*
 * Writes the RELRO slots' values in one pwrite to /proc/self/mem, which the kernel lets through
 * read-only pages (FOLL_FORCE) without changing the mapping, so no TLB shootdown: with another
 * thread running, the two mprotects of store_all cost about 30 us, this about 1. The span is read
 * first and written back with only the patched slots changed: nothing else writes RELRO after
 * relocation. The copy is not a word-atomic store, so it is for detach only, when no module thread
 * runs and the module is closed next. Returns 0 when it could not (no /proc, a kernel or LSM that
 * refuses forced writes) and the caller falls back to store_all.
 */
static int store_relro_through_mem(const struct got_patch *patch, void *const values[]) {
    uintptr_t low, high;
    relro_span(patch, &low, &high);
    if (high == 0) {
        return 0;
    }
    int fd = proc_self_mem();
    if (fd < 0) {
        return 0;
    }
    /* In pieces of a stack buffer's size, each starting at the next slot not yet written. */
    void *span[512];
    uintptr_t from = low;
    while (from <= high) {
        uintptr_t to = high + sizeof(void *);
        if (to - from > sizeof span) {
            to = from + sizeof span;
        }
        memcpy(span, (const void *)from, to - from);
        uintptr_t next = UINTPTR_MAX;
        for (int i = 0; i < patch->count; i++) {
            uintptr_t a = (uintptr_t)patch->slots[i].address;
            if (!in_relro(patch, a)) {
                continue;
            }
            if (a >= from && a < to) {
                span[(a - from) / sizeof(void *)] = values[i];
            } else if (a >= to && a < next) {
                next = a;
            }
        }
        if (pwrite(fd, span, to - from, (off_t)from) != (ssize_t)(to - from)) {
            return 0;
        }
        from = next;
    }
    for (int i = 0; i < patch->count; i++) {
        if (!in_relro(patch, (uintptr_t)patch->slots[i].address)) {
            __atomic_store_n(patch->slots[i].address, values[i], __ATOMIC_RELEASE);
        }
    }
    return 1;
}

int got_detach(struct got_patch *patch) {
    /* A module that dlclosed its own handle is unmapped: its GOT pages are gone, or someone else's. */
    struct presence_query q = {patch->base, patch->name, 0};
    dl_iterate_phdr(find_module, &q);
    if (!q.found) {
        patch->count = 0;
        return -RELIB_AGENT_E_GONE;
    }
    void *originals[MAX_GOT_SLOTS];
    for (int i = 0; i < patch->count; i++) {
        originals[i] = patch->slots[i].original;
    }
    return store_relro_through_mem(patch, originals) ? 0 : store_all(patch, originals);
}
