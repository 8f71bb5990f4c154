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

    private void loadLineTable() {
        lineTable = LineTable.empty();
        if (elf == null) {
            lineInfoAbsence = openProblem;
            return;
        }
        try {
            Optional<byte[]> debugLine = DebugSections.read(elf, "line");
            if (debugLine.isEmpty()) {
                lineInfoAbsence = "no debug info (.debug_line absent: built without -g, or stripped)";
                return;
            }
            byte[] debugStr = DebugSections.read(elf, "str").orElse(null);
            byte[] debugLineStr = DebugSections.read(elf, "line_str").orElse(null);
            DebugStrings strings = new DebugStrings(debugStr, debugLineStr);
            Map<Long, String> compilationDirectories = CompilationDirectories.read(
                    DebugSections.read(elf, "info").orElse(null), DebugSections.read(elf, "abbrev").orElse(null), strings);
            lineTable = LineTable.parse(debugLine.get(), debugLineStr, debugStr, compilationDirectories);
            if (!lineTable.problems().isEmpty()) {
                lineInfoAbsence = "damaged .debug_line: " + String.join("; ", lineTable.problems());
            } else if (lineTable.isEmpty()) {
                lineInfoAbsence = ".debug_line describes no code";
            }
        } catch (DwarfFormatException | LoadError e) {
            lineInfoAbsence = e.getMessage();
        }
    }

    @Override
    public String toString() {
        return "ObjectSymbols[" + path + "]";
    }
}
