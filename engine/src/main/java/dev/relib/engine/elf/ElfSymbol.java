package dev.relib.engine.elf;

/**
 * One entry of {@code .dynsym} or {@code .symtab}.
 *
 * @param value        the symbol's virtual address in the object (add the load base for a live address)
 * @param sectionIndex {@code st_shndx}: 0 for undefined, 0xfff1 for absolute
 */
public record ElfSymbol(String name, long value, long size, int type, int binding, int visibility, int sectionIndex) {

    /** Size of an ELF64 symbol table entry in bytes. */
    public static final int ENTRY_SIZE = 24;
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_TLS = 6;
    public static final int STT_GNU_IFUNC = 10;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    /** glibc marks an object with such a symbol NODELETE once the symbol is bound. */
    public static final int STB_GNU_UNIQUE = 10;
    public static final int STV_DEFAULT = 0;
    public static final int STV_INTERNAL = 1;
    public static final int STV_HIDDEN = 2;
    public static final int STV_PROTECTED = 3;
    public static final int SHN_UNDEF = 0;

    /** A function, including GNU indirect functions (resolved by a resolver at load time). */
    public boolean isFunction() {
        return type == STT_FUNC || type == STT_GNU_IFUNC;
    }

    /** Defined in this object, as opposed to imported from another. */
    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF;
    }

    public boolean isGnuUnique() {
        return binding == STB_GNU_UNIQUE;
    }

    /** Whether another object can bind to it: global or weak, default or protected visibility. */
    public boolean isExported() {
        return isDefined()
                && (binding == STB_GLOBAL || binding == STB_WEAK || binding == STB_GNU_UNIQUE)
                && (visibility == STV_DEFAULT || visibility == STV_PROTECTED);
    }

    static ElfSymbol decode(String name, byte[] table, int at) {
        int info = LittleEndian.u8(table, at + 4);
        int other = LittleEndian.u8(table, at + 5);
        return new ElfSymbol(name, LittleEndian.u64(table, at + 8), LittleEndian.u64(table, at + 16),
                info & 0xf, info >>> 4, other & 0x3, LittleEndian.u16(table, at + 6));
    }
}
