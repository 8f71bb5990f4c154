package dev.relib.engine.elf;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The dynamic section: what the dynamic linker reads. Empty (no entries) for objects without one,
 * such as relocatable object files and static executables.
 *
 * @param entries every entry up to {@code DT_NULL}, in file order
 * @param needed  {@code DT_NEEDED} library names, in file order
 * @param flags   {@code DT_FLAGS}, 0 when absent
 * @param flags1  {@code DT_FLAGS_1}, 0 when absent
 */
public record DynamicSection(
        List<Entry> entries,
        List<String> needed,
        Optional<String> soname,
        Optional<String> rpath,
        Optional<String> runpath,
        long flags,
        long flags1) {

    /** One {@code Elf64_Dyn}: a tag and its value (a number, an address or a string table offset). */
    public record Entry(long tag, long value) {
    }

    /** Size of an ELF64 dynamic entry in bytes. */
    public static final int ENTRY_SIZE = 16;
    public static final long DT_NULL = 0;
    public static final long DT_NEEDED = 1;
    public static final long DT_STRTAB = 5;
    public static final long DT_STRSZ = 10;
    public static final long DT_SONAME = 14;
    public static final long DT_RPATH = 15;
    public static final long DT_BIND_NOW = 24;
    public static final long DT_RUNPATH = 29;
    public static final long DT_FLAGS = 30;
    public static final long DT_FLAGS_1 = 0x6ffffffbL;
    public static final long DF_BIND_NOW = 0x8;
    public static final long DF_1_NOW = 0x1;
    public static final long DF_1_NODELETE = 0x8;
    public static final long DF_1_PIE = 0x08000000L;

    static final DynamicSection NONE = new DynamicSection(List.of(), List.of(), Optional.empty(),
            Optional.empty(), Optional.empty(), 0, 0);

    public DynamicSection {
        entries = List.copyOf(entries);
        needed = List.copyOf(needed);
    }

    /** {@code DF_1_NODELETE} ({@code -z nodelete}): {@code dlclose} never unmaps the object. */
    public boolean nodelete() {
        return (flags1 & DF_1_NODELETE) != 0;
    }

    /** {@code DF_1_PIE}: a position-independent executable, which glibc refuses to {@code dlopen}. */
    public boolean pie() {
        return (flags1 & DF_1_PIE) != 0;
    }

    /** Whether all symbols are bound at load time ({@code -z now}). */
    public boolean bindNow() {
        return (flags & DF_BIND_NOW) != 0 || (flags1 & DF_1_NOW) != 0 || value(DT_BIND_NOW).isPresent();
    }

    /** The value of the first entry with {@code tag}. */
    public OptionalLong value(long tag) {
        return entries.stream().filter(e -> e.tag() == tag).mapToLong(Entry::value).findFirst();
    }
}
