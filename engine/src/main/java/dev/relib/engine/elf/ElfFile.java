package dev.relib.engine.elf;

import dev.relib.engine.error.LoadError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A 64-bit little-endian ELF object on disk, read without mapping it and without keeping it open.
 * {@link #open} reads and checks only the headers and section names; symbol tables, the dynamic
 * section and notes are read on first use and kept. Every method that reads the file throws a
 * {@link LoadError} (mostly {@link LoadError.InvalidElf}) when the file is malformed, and
 * {@code InvalidElf} when the file changed on disk since {@code open}.
 */
public final class ElfFile {

    private static final String RUSTC_PREFIX = "rustc version ";

    private final PositionalFileReader file;
    private final ElfLayout layout;
    private DynamicSection dynamic;
    private List<ElfSymbol> dynamicSymbols;
    private List<ElfSymbol> symbols;
    private List<ElfSymbol> definedFunctions;
    private List<ElfSymbol> gnuUniqueSymbols;
    private List<String> comment;
    private Optional<String> rustcVersion;
    private Optional<String> buildId;
    private boolean safeToLoad;
    private final Map<Class<?>, Object> derived = new HashMap<>();

    private ElfFile(PositionalFileReader file, ElfLayout layout) {
        this.file = file;
        this.layout = layout;
    }

    /**
     * Checks that {@code path} is a readable, well-formed 64-bit little-endian ELF file whose
     * header tables, segments and sections all lie inside it.
     *
     * @throws LoadError.FileNotFound, LoadError.NotAFile, LoadError.Unreadable, LoadError.InvalidElf
     */
    public static ElfFile open(Path path) {
        PositionalFileReader file = PositionalFileReader.of(path);
        return new ElfFile(file, ElfLayoutReader.read(file));
    }

    /**
     * Checks that this process could {@code dlopen} the object: built for x86-64, and a shared
     * object rather than an executable (PIE included), a relocatable object or a core dump.
     *
     * @throws LoadError.WrongArchitecture, LoadError.NotSharedObject
     */
    public void requireLoadableHere() {
        ElfHeader header = layout.header();
        if (header.machine() != ElfHeader.EM_X86_64) {
            throw new LoadError.WrongArchitecture(file.path(), header.machineName());
        }
        if (header.type() != ElfHeader.ET_DYN) {
            throw new LoadError.NotSharedObject(file.path(), header.typeName());
        }
        if (dynamic().pie()) {
            throw new LoadError.NotSharedObject(file.path(), "position-independent executable");
        }
    }

    /**
     * Checks what the dynamic loader would trust without checking: segments, the dynamic array,
     * string, symbol, hash and version tables, relocations and initializers. Done once per file.
     *
     * @throws LoadError.InvalidElf with a {@link LoadError.InvalidElf#detail() detail} code naming the defect
     */
    public synchronized void requireSafeToLoad() {
        if (!safeToLoad) {
            DynamicLoaderChecks.check(file, layout);
            safeToLoad = true;
        }
    }

    public Path path() {
        return file.path();
    }

    /** The file's size in bytes when it was opened. */
    public long fileSize() {
        return file.size();
    }

    public ElfHeader header() {
        return layout.header();
    }

    public List<ProgramHeader> programHeaders() {
        return layout.programHeaders();
    }

    /** Every section in table order, index 0 being the null section; empty when stripped of section headers. */
    public List<SectionHeader> sections() {
        return layout.sections();
    }

    /** The first section called {@code name}. */
    public Optional<SectionHeader> section(String name) {
        for (SectionHeader section : layout.sections()) {
            if (section.name().equals(name)) {
                return Optional.of(section);
            }
        }
        return Optional.empty();
    }

    /** A copy of the named section's bytes; an empty array for sections with no file bytes ({@code .bss}). */
    public Optional<byte[]> sectionBytes(String name) {
        return section(name).map(s -> s.hasFileBytes() ? file.read(s.offset(), s.size(), s.label()) : new byte[0]);
    }

    public synchronized DynamicSection dynamic() {
        if (dynamic == null) {
            dynamic = DynamicSectionReader.read(file, layout);
        }
        return dynamic;
    }

    /** {@code .dynsym} in table order (index 0 is the null symbol); empty when there is none. */
    public synchronized List<ElfSymbol> dynamicSymbols() {
        if (dynamicSymbols == null) {
            dynamicSymbols = SymbolTableReader.read(file, layout, SectionHeader.SHT_DYNSYM);
        }
        return dynamicSymbols;
    }

    /** {@code .symtab} in table order; empty when the object is stripped. */
    public synchronized List<ElfSymbol> symbols() {
        if (symbols == null) {
            symbols = SymbolTableReader.read(file, layout, SectionHeader.SHT_SYMTAB);
        }
        return symbols;
    }

    /**
     * The module's exports: functions defined in {@code .dynsym} with global or weak binding and
     * default or protected visibility, sorted by name.
     */
    public synchronized List<ElfSymbol> definedFunctions() {
        if (definedFunctions == null) {
            definedFunctions = dynamicSymbols().stream()
                    .filter(s -> s.isFunction() && s.isExported() && !s.isGnuUnique())
                    .sorted(Comparator.comparing(ElfSymbol::name))
                    .toList();
        }
        return definedFunctions;
    }

    /** Dynamic symbols with {@code STB_GNU_UNIQUE} binding; any of them pins the object after {@code dlclose}. */
    public synchronized List<ElfSymbol> gnuUniqueSymbols() {
        if (gnuUniqueSymbols == null) {
            gnuUniqueSymbols = dynamicSymbols().stream().filter(ElfSymbol::isGnuUnique).toList();
        }
        return gnuUniqueSymbols;
    }

    public boolean hasGnuUniqueSymbols() {
        return !gnuUniqueSymbols().isEmpty();
    }

    /** The non-empty NUL-separated strings of {@code .comment}: compiler and linker versions. */
    public synchronized List<String> comment() {
        if (comment != null) {
            return comment;
        }
        byte[] bytes = sectionBytes(".comment").orElse(new byte[0]);
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == 0) {
                if (i > start) {
                    strings.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                }
                start = i + 1;
            }
        }
        comment = List.copyOf(strings);
        return comment;
    }

    /** The rustc that built the object, from {@code .comment}: "1.95.0 (59807616e 2026-04-14)". */
    public synchronized Optional<String> rustcVersion() {
        if (rustcVersion == null) {
            rustcVersion = comment().stream()
                    .filter(s -> s.startsWith(RUSTC_PREFIX))
                    .map(s -> s.substring(RUSTC_PREFIX.length()).trim())
                    .findFirst();
        }
        return rustcVersion;
    }

    /**
     * What {@code derive} makes of this file, made once and kept with its tables (keyed by the class
     * that derives it): a facet of the contents alone, such as an SDK manifest or relib's view of the
     * exports. A reload asks them of every generation, and its copy's tables are the same each time.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T derived(Class<?> by, Function<ElfFile, T> derive) {
        Object value = derived.get(by);
        if (value == null) {
            value = derive.apply(this);
            derived.put(by, value);
        }
        return (T) value;
    }

    /** The {@code NT_GNU_BUILD_ID} note in lower-case hex. */
    public synchronized Optional<String> buildId() {
        if (buildId == null) {
            buildId = NoteReader.buildId(file, layout);
        }
        return buildId;
    }

    @Override
    public String toString() {
        return "ElfFile[" + file.path() + ", " + layout.header().typeName() + ", " + layout.header().machineName() + "]";
    }
}
