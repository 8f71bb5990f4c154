/* Attach repoints a module's GOT slots and detach gives them back: after detach the module's RELRO
 * (where a Rust cdylib's GOT lives) holds exactly the bytes it held before attach and is read-only
 * again, and a C module's lazily bound .got.plt slots are back as well. Detach writes RELRO through
 * /proc/self/mem, attach through an mprotect window; both are checked here from the outside. */
#include "agent_test.h"
#include <elf.h>
#include <link.h>
#include <stdint.h>

typedef void (*leak_bytes_fn)(size_t);

struct relro {
    uintptr_t start, end;
    const char *name;
};

static int find_relro(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct relro *r = data;
    if (strcmp(info->dlpi_name, r->name) != 0) return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
            r->start = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
            r->end = r->start + info->dlpi_phdr[i].p_memsz;
        }
    }
    return 1;
}

/* The sealed part of RELRO: glibc makes whole pages read-only only. */
static struct relro relro_of(void *handle) {
    struct link_map *lm = NULL;
    CHECK(dlinfo(handle, RTLD_DI_LINKMAP, &lm) == 0 && lm, "dlinfo");
    struct relro r = {0, 0, lm->l_name};
    dl_iterate_phdr(find_relro, &r);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    r.start &= ~(page - 1);
    r.end &= ~(page - 1);
    return r;
}

/* The permissions /proc/self/maps gives the mapping that holds address, as "rw-p". */
static void permissions_at(uintptr_t address, char perms[5]) {
    FILE *maps = fopen("/proc/self/maps", "r");
    CHECK(maps, "open /proc/self/maps");
    char line[4096];
    perms[0] = 0;
    while (fgets(line, sizeof line, maps)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && address >= lo && address < hi) {
            memcpy(perms, p, 5);
            break;
        }
    }
    fclose(maps);
    CHECK(perms[0], "no mapping holds %#lx", (unsigned long)address);
}

/* The address of the module's GOT slot for an imported symbol (GLOB_DAT or JUMP_SLOT), or 0. */
static void **slot_of(void *handle, const char *symbol) {
    struct link_map *lm = NULL;
    CHECK(dlinfo(handle, RTLD_DI_LINKMAP, &lm) == 0 && lm, "dlinfo");
    const ElfW(Sym) *symtab = NULL;
    const char *strtab = NULL;
    const ElfW(Rela) *tables[2] = {NULL, NULL};
    size_t sizes[2] = {0, 0};
    for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_SYMTAB) symtab = (const ElfW(Sym) *)d->d_un.d_ptr;
        if (d->d_tag == DT_STRTAB) strtab = (const char *)d->d_un.d_ptr;
        if (d->d_tag == DT_RELA) tables[0] = (const ElfW(Rela) *)d->d_un.d_ptr;
        if (d->d_tag == DT_RELASZ) sizes[0] = d->d_un.d_val;
        if (d->d_tag == DT_JMPREL) tables[1] = (const ElfW(Rela) *)d->d_un.d_ptr;
        if (d->d_tag == DT_PLTRELSZ) sizes[1] = d->d_un.d_val;
    }
    for (int t = 0; t < 2; t++) {
        for (size_t i = 0; tables[t] && i < sizes[t] / sizeof(ElfW(Rela)); i++) {
            uint32_t type = ELF64_R_TYPE(tables[t][i].r_info);
            const ElfW(Sym) *sym = &symtab[ELF64_R_SYM(tables[t][i].r_info)];
            if ((type == R_X86_64_GLOB_DAT || type == R_X86_64_JUMP_SLOT) && sym->st_shndx == SHN_UNDEF
                    && strcmp(strtab + sym->st_name, symbol) == 0) {
                return (void **)(lm->l_addr + tables[t][i].r_offset);
            }
        }
    }
    return NULL;
}

static void check_rust_module(void) {
    void *leaky = open_module(sample("leaky"));
    struct relro r = relro_of(leaky);
    void **malloc_slot = slot_of(leaky, "malloc");
    CHECK(malloc_slot, "libleaky.so imports malloc through its GOT");
    CHECK((uintptr_t)malloc_slot >= r.start && (uintptr_t)malloc_slot < r.end,
          "a Rust cdylib's GOT is sealed (full RELRO)");
    size_t length = r.end - r.start;
    unsigned char *before = malloc(length);
    memcpy(before, (const void *)r.start, length);
    void *original = *malloc_slot;
    char perms[5];

    CHECK_EQ(relib_agent_attach(leaky, 60), 0);
    CHECK(*malloc_slot != original, "attach repoints malloc");
    permissions_at((uintptr_t)malloc_slot, perms);
    CHECK(strcmp(perms, "r--p") == 0, "RELRO read-only again after attach, not %s", perms);
    ((leak_bytes_fn)export_of(leaky, "leak_bytes"))(100);
    CHECK_EQ(stats_of(60).live_bytes, 100);
    CHECK_EQ(relib_agent_free_blocks(60, NULL), 1);

    CHECK_EQ(relib_agent_detach(60), 0);
    CHECK(*malloc_slot == original, "detach gives malloc's slot back");
    CHECK(memcmp(before, (const void *)r.start, length) == 0, "RELRO holds what it held before attach");
    permissions_at((uintptr_t)malloc_slot, perms);
    CHECK(strcmp(perms, "r--p") == 0, "RELRO read-only after detach, not %s", perms);
    /* Detached: the module's allocations go straight to libc and count nowhere. */
    uint64_t allocs = stats_of(60).total_allocs;
    ((leak_bytes_fn)export_of(leaky, "leak_bytes"))(16);
    CHECK_EQ(stats_of(60).total_allocs, allocs);
    CHECK(dlclose(leaky) == 0, "dlclose: %s", dlerror());
    CHECK_EQ(relib_agent_forget(60), 0);
    free(before);
}

static void check_c_module(void) {
    void *cleak = open_module(c_sample("cleak_O2"));
    void **malloc_slot = slot_of(cleak, "malloc");
    CHECK(malloc_slot, "libcleak_O2.so imports malloc through its GOT");
    void *original = *malloc_slot;
    CHECK_EQ(relib_agent_attach(cleak, 61), 0);
    CHECK(*malloc_slot != original, "attach repoints malloc");
    CHECK_EQ(relib_agent_detach(61), 0);
    CHECK(*malloc_slot == original, "detach gives malloc's slot back");
    CHECK(dlclose(cleak) == 0, "dlclose: %s", dlerror());
    CHECK_EQ(relib_agent_forget(61), 0);
}

int main(void) {
    check_rust_module();
    check_c_module();
    printf("ok: detach restores the GOT byte for byte and leaves RELRO read-only\n");
    return 0;
}
