package dev.relib.engine.elf;

/**
 * Everything glibc's dynamic loader (2.36) dereferences, sizes a mapping by, calls or writes
 * through on the word of the file, checked before {@code dlopen} so that a damaged object is
 * refused with a {@code load.invalid_elf} error instead of taking the process down: the segments
 * ({@link SegmentChecks}), the dynamic array ({@link DynamicTags}), the names, symbols, hash and
 * version tables ({@link SymbolLookupChecks}, {@link HashTableChecks}) and the relocations and
 * initializers ({@link RelocationChecks}). Each defect has a stable detail code.
 *
 * <p>What it cannot see is the code itself: a file whose instructions are damaged still crashes
 * when they run, which the worker process is there for.
 */
final class DynamicLoaderChecks {

    private DynamicLoaderChecks() {
    }

    static void check(PositionalFileReader file, ElfLayout layout) {
        LoadImage image = SegmentChecks.check(file, layout);
        DynamicTags tags = DynamicTags.read(file, layout, image);
        for (long tag : new long[] {DynamicTags.DT_HASH, DynamicTags.DT_GNU_HASH, DynamicTags.DT_SYMTAB,
                DynamicTags.DT_VERSYM, DynamicTags.DT_VERNEED, DynamicTags.DT_VERDEF, DynamicTags.DT_JMPREL,
                DynamicTags.DT_RELA, DynamicTags.DT_RELR, DynamicTags.DT_TLSDESC_PLT}) {
            tags.value(tag).ifPresent(address -> {
                if (!image.contains(address, 1)) {
                    throw file.unsafe("dynamic.address_outside_image", DynamicTags.name(tag) + " ("
                            + SegmentChecks.hex(address) + ") lies outside the loadable segments ("
                            + SegmentChecks.hex(image.start()) + "-" + SegmentChecks.hex(image.end())
                            + "); the loader adds the load base and reads there");
                }
            });
        }
        SymbolLookupChecks.Symbols symbols = SymbolLookupChecks.check(file, layout, image, tags);
        RelocationChecks.check(file, layout, image, tags, symbols);
    }
}
