/* Reads the defined entries of .dynsym (see elf_symbols.h). */
#include "elf_symbols.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int elf_read_symbols(const char *path, ElfSymbols *out) {
    out->symbols = NULL;
    out->count = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *elf = size > (long)sizeof(Elf64_Ehdr) ? malloc((size_t)size) : NULL;
    int ok = elf && fread(elf, 1, (size_t)size, f) == (size_t)size && memcmp(elf, ELFMAG, SELFMAG) == 0 &&
             elf[EI_CLASS] == ELFCLASS64;
    fclose(f);
    if (!ok) {
        free(elf);
        return 0;
    }
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(elf + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM) continue;
        const Elf64_Sym *syms = (const Elf64_Sym *)(elf + sh[i].sh_offset);
        const char *names = (const char *)elf + sh[sh[i].sh_link].sh_offset;
        size_t n = sh[i].sh_size / sizeof(Elf64_Sym);
        out->symbols = calloc(n, sizeof(ElfSymbol));
        for (size_t k = 0; k < n; k++) {
            if (syms[k].st_shndx == SHN_UNDEF || syms[k].st_name == 0) continue;
            out->symbols[out->count++] = (ElfSymbol){strdup(names + syms[k].st_name), ELF64_ST_TYPE(syms[k].st_info),
                                                     ELF64_ST_BIND(syms[k].st_info), syms[k].st_size};
        }
    }
    free(elf);
    return out->symbols != NULL;
}

const ElfSymbol *elf_find_symbol(const ElfSymbols *symbols, const char *name) {
    for (size_t i = 0; i < symbols->count; i++) {
        if (strcmp(symbols->symbols[i].name, name) == 0) return &symbols->symbols[i];
    }
    return NULL;
}

void elf_free_symbols(ElfSymbols *symbols) {
    for (size_t i = 0; i < symbols->count; i++) free(symbols->symbols[i].name);
    free(symbols->symbols);
    symbols->symbols = NULL;
    symbols->count = 0;
}
