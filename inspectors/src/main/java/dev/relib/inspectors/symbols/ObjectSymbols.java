package dev.relib.inspectors.symbols;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ProgramHeader;
import dev.relib.engine.error.LoadError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The symbols and line table of one object file. The ELF headers are read when it is opened; the
 * function symbols ({@code .symtab}, else {@code .dynsym}) and the line table on first use, and
 * then kept, so once loaded nothing needs the file any more ({@link #loadAll()}). Never throws for
 * a damaged or vanished file: what cannot be read is absent, with the reason in
 * {@link #symbolProblem()} or {@link #lineInfoAbsence()}.
 */
public final class ObjectSymbols {

    private final Path path;
    private final ElfFile elf;
    private final List<ProgramHeader> loadSegments;
    private final String openProblem;
    private FunctionIndex functions;
    private String symbolSource;
    private String symbolProblem;
    private LineTable lineTable;
    private String lineInfoAbsence;
    private DebugInfoSections sections;
    private String sectionsProblem;
    private DebugInfo debugInfo;
    private String debugInfoAbsence;

    private ObjectSymbols(Path path, ElfFile elf, String openProblem) {
        this.path = path;
        this.elf = elf;
        this.openProblem = openProblem;
        this.loadSegments = elf == null ? List.of() : elf.programHeaders().stream().filter(ProgramHeader::isLoad).toList();
    }

    /** Reads the object's headers; a file that cannot be read gives an object with no symbols. */
    public static ObjectSymbols open(Path path) {
        try {
            return new ObjectSymbols(path, ElfFile.open(path), null);
        } catch (LoadError e) {
            return unavailable(path, e.getMessage());
        }
    }

    /** An object known only by name, whose file cannot be read. */
    public static ObjectSymbols unavailable(Path path, String reason) {
        return new ObjectSymbols(path, null, reason);
    }

    public Path path() {
        return path;
    }

    /** Reads the symbols and the line table now, so later lookups need not read the file. */
    public ObjectSymbols loadAll() {
        functions();
        lineTable();
        debugInfo();
        return this;
    }

    /**
     * The object's own virtual address of a byte at {@code fileOffset}, from the {@code PT_LOAD}
     * segment whose file bytes hold it. Empty when no segment does.
     */
    public OptionalLong virtualAddress(long fileOffset) {
        for (ProgramHeader segment : loadSegments) {
            if (fileOffset >= segment.offset() && fileOffset - segment.offset() < segment.fileSize()) {
                return OptionalLong.of(fileOffset - segment.offset() + segment.virtualAddress());
            }
        }
        return OptionalLong.empty();
    }

    /** The function holding {@code virtualAddress}, and the offset into it. */
    public Optional<SymbolMatch> lookup(long virtualAddress) {
        return functions().lookup(virtualAddress);
    }

    /** The source location of {@code virtualAddress}; empty without line info for it. */
    public Optional<SourceLocation> sourceLocation(long virtualAddress) {
        return lineTable().lookup(virtualAddress);
    }

    /**
     * The functions holding {@code virtualAddress} by {@code .debug_info}, innermost first: those
     * inlined there, then the one they were inlined into. Empty without debug info for it.
     */
    public List<InlineScope> inlineScopes(long virtualAddress) {
        DebugInfo info = debugInfo();
        return info == null ? List.of() : info.scopesAt(virtualAddress);
    }

    /** Function symbols sorted by address. */
    public List<FunctionSymbol> functionSymbols() {
        return functions().symbols();
    }

    /** The function stored under {@code name} (the raw, possibly mangled name). */
    public Optional<FunctionSymbol> find(String name) {
        return functions().symbols().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** ".symtab", ".dynsym", or "none". */
    public synchronized String symbolSource() {
        functions();
        return symbolSource;
    }

    /** Why the object's symbols could not be read, if they could not. */
    public synchronized Optional<String> symbolProblem() {
        functions();
        return Optional.ofNullable(symbolProblem);
    }

    /** The line table; empty (never null) when there is none. */
    public synchronized LineTable lineTable() {
        if (lineTable == null) {
            loadLineTable();
        }
        return lineTable;
    }

    /** Why there is no line table, or why it is incomplete: absent debug info, compression, damage. */
    public synchronized Optional<String> lineInfoAbsence() {
        lineTable();
        return Optional.ofNullable(lineInfoAbsence);
    }

    private synchronized FunctionIndex functions() {
        if (functions != null) {
            return functions;
        }
        if (elf == null) {
            symbolSource = "none";
            symbolProblem = openProblem;
            functions = FunctionIndex.of(List.of(), List.of());
            return functions;
        }
        try {
            FunctionIndex symtab = FunctionIndex.of(elf.symbols(), elf.sections());
            if (symtab.size() > 0) {
                symbolSource = ".symtab";
                functions = symtab;
            } else {
                symbolSource = ".dynsym";
                functions = FunctionIndex.of(elf.dynamicSymbols(), elf.sections());
            }
        } catch (LoadError e) {
            symbolSource = "none";
            symbolProblem = e.getMessage();
            functions = FunctionIndex.of(List.of(), List.of());
        }
        return functions;
    }

    /** The debug sections, read and inflated once for both the line table and the inlined frames. */
    private synchronized DebugInfoSections sections() {
        if (sections == null && sectionsProblem == null) {
            if (elf == null) {
                sectionsProblem = openProblem;
            } else {
                try {
                    sections = DebugInfoSections.read(elf);
                } catch (DwarfFormatException | LoadError e) {
                    sectionsProblem = e.getMessage();
                }
            }
        }
        return sections;
    }

    /** Reads the unit headers and root entries on first use; a unit's other entries only when asked about. */
    private synchronized DebugInfo debugInfo() {
        if (debugInfo != null || debugInfoAbsence != null) {
            return debugInfo;
        }
        DebugInfoSections read = sections();
        if (read == null) {
            debugInfoAbsence = sectionsProblem;
        } else if (!read.hasInfo()) {
            debugInfoAbsence = "no .debug_info (built without -g, or stripped)";
        } else {
            debugInfo = DebugInfo.read(read);
        }
        return debugInfo;
    }

    private void loadLineTable() {
        lineTable = LineTable.empty();
        DebugInfoSections read = sections();
        if (read == null) {
            lineInfoAbsence = sectionsProblem;
            return;
        }
        if (read.line() == null) {
            lineInfoAbsence = "no debug info (.debug_line absent: built without -g, or stripped)";
            return;
        }
        try {
            DebugInfo info = debugInfo();
            Map<Long, String> compilationDirectories = info == null ? Map.of() : info.compilationDirectories();
            lineTable = LineTable.parse(read.line(), read.lineStr(), read.str(), compilationDirectories);
            if (!lineTable.problems().isEmpty()) {
                lineInfoAbsence = "damaged .debug_line: " + String.join("; ", lineTable.problems());
            } else if (lineTable.isEmpty()) {
                lineInfoAbsence = ".debug_line describes no code";
            }
        } catch (DwarfFormatException e) {
            lineInfoAbsence = e.getMessage();
        }
    }

    /** How many units of {@code .debug_info} have had their entries read (the laziness tests check). */
    synchronized int debugUnitsRead() {
        DebugInfo info = debugInfo();
        return info == null ? 0 : info.unitsParsed();
    }

    /** How many units {@code .debug_info} holds. */
    synchronized int debugUnitCount() {
        DebugInfo info = debugInfo();
        return info == null ? 0 : info.unitCount();
    }

    @Override
    public String toString() {
        return "ObjectSymbols[" + path + "]";
    }
}
