/**
 * Reads ELF64 x86-64 objects from disk: header, program and section headers, the dynamic section
 * ({@code DT_NEEDED}, {@code DT_SONAME}, {@code DT_RPATH}/{@code DT_RUNPATH}, {@code DT_FLAGS},
 * {@code DT_FLAGS_1}), {@code .dynsym} and {@code .symtab}, {@code .comment} (the rustc version)
 * and the GNU build id. {@link dev.relib.engine.elf.ElfFile} is the entry point.
 *
 * <p>Two rules shape it. The file is never mapped: a mapping would show in
 * {@code /proc/self/maps}, which the before-load check ("is this device and inode mapped?") and
 * the final unload check ("is the module's file still mapped?") read, so every read is a
 * positional {@code FileChannel} read into a heap array, and no descriptor is kept open between
 * calls. And a corrupt or hostile file yields a typed {@link dev.relib.engine.error.LoadError}
 * with a message, never an index, size or memory exception: every offset and count is bounded by
 * the file's size before it is used.
 *
 * <p>Why not net.fornwall:jelf (0.9.0, MIT), which reads ELF in Java: measured against these
 * needs, it misses both rules and some of the data. {@code ElfFile.from(File)} reads the whole
 * file into one array (about 20 MB for libjvm.so on every open, and its {@code int} cast of the
 * length fails past 2 GiB); {@code from(MappedByteBuffer)} maps the file; and
 * {@code from(BackingFile)} pulls bytes one call at a time through an interface that its lazily
 * parsed sections keep using after {@code from} returns, so a file-backed implementation would
 * hold a descriptor open. On 500 copies of libcstr.so with random header bytes overwritten, it
 * threw {@code ArrayIndexOutOfBoundsException} (13), {@code NegativeArraySizeException} (12),
 * {@code NullPointerException} and {@code ArithmeticException} besides its own
 * {@code ElfException}, so every call would need a catch-all that would also hide our own bugs.
 * It has no accessors for {@code DT_SONAME} or {@code DT_RPATH}, reads only the first note of a
 * note section and never the {@code PT_NOTE} segments, and keeps counts in signed {@code short}s.
 * What relib needs is a small subset of ELF, so this package reads that subset itself.
 */
package dev.relib.engine.elf;
