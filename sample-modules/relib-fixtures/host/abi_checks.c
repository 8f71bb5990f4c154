/*
 * Static checks of a module's relib ABI, from its file and its symbols, before any of its code
 * runs: the compilation-info string and whether the unloading flag agrees with the internal
 * symbols; and, for a fixture and the genuine module it mirrors, that every relib symbol of the
 * genuine one exists in the fixture with the same ELF type, binding and (for data) size.
 */
#define _GNU_SOURCE
#include "elf_symbols.h"
#include "harness.h"

#include <dlfcn.h>
#include <elf.h>
#include <string.h>

static const char *const INTERNAL_EXPORTS[] = {"init", "exit", "take_cached_allocs_before_exit", "lock_module_allocator",
                                               "spawned_threads_count", "run_thread_local_dtors", "misc_cleanup",
                                               "set_dealloc_callback"};
static const char *const INTERNAL_IMPORTS[] = {"on_alloc", "on_cached_allocs", "unrecoverable", "is_ptr_allocated"};
static const char *const HOOKS[] = {"pthread_create",     "__cxa_thread_atexit_impl", "mmap64",
                                    "munmap",             "pthread_key_create",       "pthread_key_delete"};

#define COUNT(array) (sizeof array / sizeof array[0])

/* How many of the unloading core's 18 symbols the file defines with the right type and size. */
static size_t unloading_symbols(const ElfSymbols *symbols) {
    size_t found = 0;
    char name[128];
    for (size_t i = 0; i < COUNT(INTERNAL_EXPORTS); i++) {
        snprintf(name, sizeof name, "__relib_____Internal___Exports____%s", INTERNAL_EXPORTS[i]);
        const ElfSymbol *s = elf_find_symbol(symbols, name);
        found += s && s->type == STT_FUNC;
    }
    for (size_t i = 0; i < COUNT(INTERNAL_IMPORTS); i++) {
        snprintf(name, sizeof name, "__relib_____Internal___Imports____%s", INTERNAL_IMPORTS[i]);
        const ElfSymbol *s = elf_find_symbol(symbols, name);
        found += s && s->type == STT_OBJECT && s->size == 8;
    }
    for (size_t i = 0; i < COUNT(HOOKS); i++) {
        const ElfSymbol *s = elf_find_symbol(symbols, HOOKS[i]);
        found += s && s->type == STT_FUNC;
    }
    return found;
}

void check_compilation_info(const char *label, const char *path, const char *rustc_fields, const char *relib_version) {
    ElfSymbols symbols;
    CHECK(elf_read_symbols(path, &symbols), "%s: %s is a 64-bit ELF shared object", label, path);
    const ElfSymbol *info_symbol = elf_find_symbol(&symbols, "__RELIB__CRATE_COMPILATION_INFO__");
    CHECK(info_symbol && info_symbol->type == STT_OBJECT && info_symbol->size == 16,
          "%s: __RELIB__CRATE_COMPILATION_INFO__ is a 16-byte Str static", label);

    void *handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    const RelibStr *info = handle ? dlsym(handle, "__RELIB__CRATE_COMPILATION_INFO__") : NULL;
    char text[512] = "";
    if (info) snprintf(text, sizeof text, "%.*s", (int)info->len, (const char *)info->ptr);
    char expected_prefix[600];
    snprintf(expected_prefix, sizeof expected_prefix, "%s|%s|", rustc_fields, relib_version);
    size_t prefix = strlen(expected_prefix), len = strlen(text);
    CHECK(len == prefix + 1 && strncmp(text, expected_prefix, prefix) == 0 && (text[prefix] == '0' || text[prefix] == '1'),
          "%s: info is \"%s{0|1}\": \"%s\"", label, expected_prefix, text);

    size_t found = unloading_symbols(&symbols);
    int unloading = len > 0 && text[len - 1] == '1';
    CHECK(found == (unloading ? 18u : 0u), "%s: unloading flag %d and %zu of the 18 unloading-core symbols agree", label,
          unloading, found);
    for (size_t i = 0; handle && unloading && i < COUNT(INTERNAL_IMPORTS); i++) {
        char name[128];
        snprintf(name, sizeof name, "__relib_____Internal___Imports____%s", INTERNAL_IMPORTS[i]);
        void **slot = dlsym(handle, name);
        CHECK(slot && *slot != NULL, "%s: slot %s starts with a placeholder", label, name);
    }
    if (handle) dlclose(handle);
    elf_free_symbols(&symbols);
}

static int is_relib_symbol(const char *name, int user_symbols) {
    static const char *const ALWAYS[] = {"__RELIB__CRATE_COMPILATION_INFO__", "__relib__main", "__post__relib__main",
                                         "__relib__before_unload", "__post__relib__before_unload"};
    for (size_t i = 0; i < COUNT(ALWAYS); i++) {
        if (strcmp(name, ALWAYS[i]) == 0) return 1;
    }
    for (size_t i = 0; i < COUNT(HOOKS); i++) {
        if (strcmp(name, HOOKS[i]) == 0) return 1;
    }
    if (strncmp(name, "__relib_____Internal___", 23) == 0) return 1;
    return user_symbols && (strncmp(name, "__relib__", 9) == 0 || strncmp(name, "__post__relib__", 15) == 0);
}

void check_symbols_agree(const char *label, const char *genuine_path, const char *fixture_path, int user_symbols) {
    ElfSymbols genuine, fixture;
    CHECK(elf_read_symbols(genuine_path, &genuine) && elf_read_symbols(fixture_path, &fixture), "%s: both files read", label);
    size_t compared = 0;
    for (size_t i = 0; i < genuine.count; i++) {
        const ElfSymbol *g = &genuine.symbols[i];
        if (!is_relib_symbol(g->name, user_symbols)) continue;
        compared++;
        const ElfSymbol *f = elf_find_symbol(&fixture, g->name);
        CHECK(f != NULL, "%s: the fixture defines %s", label, g->name);
        if (!f) continue;
        CHECK(f->type == g->type && f->binding == g->binding, "%s: %s has relib's ELF type %u and binding %u (fixture: %u, %u)",
              label, g->name, g->type, g->binding, f->type, f->binding);
        CHECK(g->type != STT_OBJECT || f->size == g->size, "%s: data symbol %s is %llu bytes, as relib's (fixture: %llu)", label,
              g->name, (unsigned long long)g->size, (unsigned long long)f->size);
    }
    for (size_t i = 0; i < fixture.count; i++) {
        const char *name = fixture.symbols[i].name;
        if (is_relib_symbol(name, 0)) CHECK(elf_find_symbol(&genuine, name), "%s: relib's module also defines %s", label, name);
    }
    CHECK(compared > 0, "%s: relib symbols compared", label);
    elf_free_symbols(&genuine);
    elf_free_symbols(&fixture);
}
