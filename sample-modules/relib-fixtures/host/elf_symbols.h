/* The defined dynamic symbols of a shared object, read from the file (nothing of it runs). */
#ifndef RELIB_ELF_SYMBOLS_H
#define RELIB_ELF_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *name;
    unsigned char type;    /* STT_FUNC, STT_OBJECT, ... */
    unsigned char binding; /* STB_GLOBAL, STB_WEAK, ... */
    uint64_t size;
} ElfSymbol;

typedef struct {
    ElfSymbol *symbols;
    size_t count;
} ElfSymbols;

/* Reads .dynsym of path; returns 0 (and an empty list) if the file is not a readable 64-bit ELF. */
int elf_read_symbols(const char *path, ElfSymbols *out);
const ElfSymbol *elf_find_symbol(const ElfSymbols *symbols, const char *name);
void elf_free_symbols(ElfSymbols *symbols);

#endif
