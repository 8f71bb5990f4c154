/* Allocations a runtime library makes on a tracked module's behalf, in the worker (agent preloaded).
 * A module's std::string buffer is allocated by libstdc++'s own compiled code (basic_string::_M_create
 * calls operator new through libstdc++'s PLT, which calls malloc through libstdc++'s), so no GOT hook
 * of the module sees it; only the process-wide malloc does. When that malloc's caller lies in a
 * runtime library's code (libstdc++, libgcc_s: a cheap check against ranges cached here), the stack
 * is walked a few frames up with unwind.c's cached rules, past runtime frames only, and the block is
 * the module's whose code comes next. A walk that meets any other object first (the JVM, an untracked
 * library) attributes nothing, so only what the runtime did for the module itself is the module's.
 *
 * libc is not a runtime library here: it keeps much of what it allocates for the whole process
 * (stdio buffers, locale data, resolver and NSS state, strerror's buffer), and a block attributed to
 * a module is freed at its unload. The libc calls whose every allocation is the caller's are hooked
 * by name instead (hooks_libc.c). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include "tracking.h"

struct code_range {
    uintptr_t start, end;
};

struct runtime_range runtime_ranges[RUNTIME_RANGES];

/* Each attached module's executable segments (a linker script may split text in two). */
#define MODULE_RANGES 2
static struct code_range module_code[SLOTS][MODULE_RANGES];
static int uses_runtime[SLOTS]; /* the module needs libstdc++ (DT_NEEDED): the only ones walked for */
static uint32_t slots_in_use; /* above the highest slot ever attached, so a lookup visits only those */
static uintptr_t agent_start, agent_end;

/* Frames walked from the malloc: the agent's own, then a few in the runtime (operator new,
 * basic_string::_M_create, _M_construct, ...), then the module's. */
#define WALK_DEPTH 16

static const char *basename_of(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

int behalf_is_runtime(const char *path) {
    const char *name = basename_of(path);
    return strncmp(name, "libstdc++.so", 12) == 0 || strncmp(name, "libgcc_s.so", 11) == 0;
}

struct scan_state {
    int runtimes;
    uintptr_t probe; /* an address in the agent */
    uintptr_t module_base;
    const char *module_name;
    uint32_t slot;
};

static void exec_segments(struct dl_phdr_info *info, struct code_range *out, int cap) {
    int n = 0;
    for (int i = 0; i < info->dlpi_phnum && n < cap; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
            out[n].start = info->dlpi_addr + ph->p_vaddr;
            out[n].end = out[n].start + ph->p_memsz;
            n++;
        }
    }
}

static int find_runtimes(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct scan_state *st = data;
    struct code_range code[1] = {{0, 0}};
    exec_segments(info, code, 1);
    if (st->probe >= code[0].start && st->probe < code[0].end) {
        agent_start = code[0].start;
        agent_end = code[0].end;
    } else if (info->dlpi_name && behalf_is_runtime(info->dlpi_name) && code[0].end && st->runtimes < RUNTIME_RANGES) {
        runtime_ranges[st->runtimes].start = code[0].start;
        __atomic_store_n(&runtime_ranges[st->runtimes].span, code[0].end - code[0].start, __ATOMIC_RELEASE);
        st->runtimes++;
    }
    return 0;
}

static int find_module_code(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct scan_state *st = data;
    if (info->dlpi_addr != st->module_base || strcmp(info->dlpi_name, st->module_name) != 0) {
        return 0;
    }
    struct code_range code[MODULE_RANGES] = {{0, 0}};
    exec_segments(info, code, MODULE_RANGES);
    for (int i = 0; i < MODULE_RANGES; i++) {
        module_code[st->slot][i].start = code[i].start;
        __atomic_store_n(&module_code[st->slot][i].end, code[i].end, __ATOMIC_RELEASE);
    }
    return 1;
}

/* Whether the module names libstdc++ in its DT_NEEDED entries: a module that does not (C, Rust)
 * costs nothing here, neither the walk's rule table nor the scan of libstdc++'s data at unload. */
static int needs_libstdcxx(const struct link_map *lm) {
    const char *strtab = NULL;
    for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_STRTAB) {
            strtab = (const char *)(d->d_un.d_ptr < lm->l_addr ? d->d_un.d_ptr + lm->l_addr : d->d_un.d_ptr);
        }
    }
    for (const ElfW(Dyn) *d = lm->l_ld; strtab && d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_NEEDED && strncmp(strtab + d->d_un.d_val, "libstdc++.so", 12) == 0) {
            return 1;
        }
    }
    return 0;
}

int behalf_slot_uses_runtime(uint32_t slot) {
    return uses_runtime[slot];
}

void behalf_attach(uint32_t slot, void *dl_handle, uintptr_t base, const char *name) {
    struct link_map *lm = NULL;
    uses_runtime[slot] = 0;
    if (!agent_preloaded || dlinfo(dl_handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm || !needs_libstdcxx(lm)
            || unwind_prepare() != 0) {
        return; /* in-process the process-wide malloc is glibc's: nothing here would run */
    }
    uses_runtime[slot] = 1;
    struct scan_state st = {0, (uintptr_t)behalf_attach, base, name, slot};
    dl_iterate_phdr(find_module_code, &st);
    if (slot >= slots_in_use) {
        __atomic_store_n(&slots_in_use, slot + 1, __ATOMIC_RELEASE);
    }
    /* Runtime libraries loaded since the last attach (the module may have brought libstdc++ in). */
    dl_iterate_phdr(find_runtimes, &st);
    for (int i = st.runtimes; i < RUNTIME_RANGES; i++) {
        __atomic_store_n(&runtime_ranges[i].span, 0, __ATOMIC_RELEASE);
    }
}

void behalf_detach(uint32_t slot) {
    for (int i = 0; i < MODULE_RANGES; i++) {
        __atomic_store_n(&module_code[slot][i].end, 0, __ATOMIC_RELEASE);
    }
    for (uint32_t s = 0; s < slots_in_use; s++) {
        if (module_code[s][0].end) {
            return;
        }
    }
    /* No module attached: what the runtime allocates is nobody's, and nobody pays for asking. */
    for (int i = 0; i < RUNTIME_RANGES; i++) {
        __atomic_store_n(&runtime_ranges[i].span, 0, __ATOMIC_RELEASE);
    }
}

static int module_of(uintptr_t pc) {
    int in_use = (int)__atomic_load_n(&slots_in_use, __ATOMIC_ACQUIRE);
    for (int s = 0; s < in_use; s++) {
        for (int i = 0; i < MODULE_RANGES; i++) {
            uintptr_t end = __atomic_load_n(&module_code[s][i].end, __ATOMIC_ACQUIRE);
            if (end && pc >= module_code[s][i].start && pc < end) {
                return s;
            }
        }
    }
    return -1;
}

/* Frames in the runtime are walked past; the pc is a return address, one past its call. */
static int runtime_frame(uintptr_t pc) {
    return behalf_runtime_code(pc - 1);
}

void behalf_note(void *p, size_t size, size_t align) {
    uintptr_t pc, sp, fp;
    UNWIND_HERE(pc, sp, fp);
    uintptr_t caller = unwind_find(pc, sp, fp, agent_start, agent_end, runtime_frame, WALK_DEPTH);
    int slot = caller ? module_of(caller - 1) : -1;
    if (slot >= 0) {
        note_alloc((uint32_t)slot, p, size, align, stacks_capture_if_asked((uint32_t)slot));
    }
}
