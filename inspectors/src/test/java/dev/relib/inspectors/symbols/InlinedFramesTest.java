package dev.relib.inspectors.symbols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every frame of a corpus of addresses, inlined ones included, against {@code addr2line -i -f -C}:
 * C at -O0 and -O2 (DWARF 5, DWARF 4, 64-bit DWARF, zlib-compressed), Rust debug and release (v0
 * mangling). The objects are dlopened and the addresses symbolized from this process's mappings.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class InlinedFramesTest {

    private static final String UNKNOWN_LINE = "(no line)";

    private final DynamicLinker linker = new DynamicLinker();
    private final LoadedObjects loaded = new LoadedObjects(linker);
    private final Symbolizer symbolizer = new Symbolizer();

    @AfterEach
    void closeObjects() {
        loaded.closeAll();
    }

    @Test
    void cAtO0AgreesWithAddr2line() throws Exception {
        assertAgrees(SampleModules.c("cleak_O0"), Corpus.everyByteOfExports());
    }

    @Test
    void cAtO2AgreesWithAddr2line() throws Exception {
        assertAgrees(SampleModules.c("cleak_O2"), Corpus.everyByteOfExports());
    }

    @Test
    void cAtO2WithDwarf4AndCompressedSectionsAgreesWithAddr2line() throws Exception {
        assertAgrees(SampleModules.c("cleak_O2_dwarf4"), Corpus.everyByteOfExports());
        assertAgrees(SampleModules.c("cleak_O2_gz"), Corpus.everyByteOfExports());
    }

    /** C++ at -O2: names demangled from DWARF linkage names, templates and a lambda inlined. */
    @Test
    void cxxAtO2AgreesWithAddr2line() throws Exception {
        assertAgrees(SampleModules.c("cxxframes"), Corpus.everyByteOfExports());
    }

    /**
     * binutils 2.40's addr2line misreads gcc's 64-bit DWARF 5 line tables (it takes their 8-byte
     * string offsets for 4-byte ones), so the 64-bit build is held to addr2line's answers for the
     * 32-bit build of the same code, after checking that the code is the same.
     */
    @Test
    void cAtO2With64BitDwarfGivesTheFramesOfThe32BitBuild() throws Exception {
        Path dwarf64 = SampleModules.c("cleak_O2_dwarf64");
        Path dwarf32 = SampleModules.c("cleak_O2");
        assertThat(ElfFile.open(dwarf64).sectionBytes(".text").orElseThrow())
                .isEqualTo(ElfFile.open(dwarf32).sectionBytes(".text").orElseThrow());
        assertThat(ElfFile.open(dwarf64).section(".text").orElseThrow().address())
                .isEqualTo(ElfFile.open(dwarf32).section(".text").orElseThrow().address());
        assertAgrees(dwarf64, dwarf32, Corpus.everyByteOfExports());
    }

    @Test
    void rustDebugAgreesWithAddr2line() throws Exception {
        assertAgrees(SampleModules.rust("frames"), Corpus.sampled(1500));
    }

    @Test
    void rustReleaseWithV0ManglingAgreesWithAddr2line() throws Exception {
        assertAgrees(SampleModules.rustRelease("frames"), Corpus.sampled(3000));
    }

    /**
     * LLVM's DWARF 5: indexed strings, addresses and range lists ({@code DW_FORM_strx}, {@code addrx},
     * {@code rnglistx}), beside std's precompiled DWARF 4 units in the same object. binutils 2.40's
     * addr2line misreads these units (file 0, indexed range lists) and elfutils 0.188's drops inlined
     * levels, so the build is held to addr2line's answers for the DWARF 4 build of the same code.
     */
    @Test
    void rustReleaseWithDwarf5GivesTheFramesOfTheDwarf4Build(@TempDir Path temp) throws Exception {
        Path dwarf5 = rustcRelease(temp, 5);
        Path dwarf4 = rustcRelease(temp, 4);
        assertThat(ElfFile.open(dwarf5).sectionBytes(".text").orElseThrow())
                .isEqualTo(ElfFile.open(dwarf4).sectionBytes(".text").orElseThrow());
        assertAgrees(dwarf5, dwarf4, Corpus.sampled(2000));
    }

    private static Path rustcRelease(Path dir, int dwarfVersion) throws Exception {
        Path object = dir.resolve("dwarf" + dwarfVersion).resolve("libframes.so");
        java.nio.file.Files.createDirectories(object.getParent());
        Tools.run("rustc", "--crate-type", "cdylib", "--edition", "2021", "-C", "opt-level=2", "-g",
                "-C", "dwarf-version=" + dwarfVersion, "-C", "symbol-mangling-version=v0", "-C", "codegen-units=1",
                "-o", object.toString(), SourceLines.source("frames/src/lib.rs").toString());
        return object;
    }

    @Test
    void onlyTheUnitCoveringAnAddressIsRead() throws Exception {
        Path object = SampleModules.rustRelease("frames");
        long handle = loaded.open(object);
        ObjectSymbols symbols = ObjectSymbols.open(object);
        long siteVec = symbols.find("site_vec").orElseThrow().address();

        List<Frame> frames = symbolizer.frames(linker.loadBias(handle) + siteVec + 0x10, AddressSpace.capture());
        List<InlineScope> scopes = symbols.inlineScopes(siteVec + 0x10);

        assertThat(frames).last().extracting(Frame::function).isEqualTo("site_vec");
        assertThat(scopes).isNotEmpty();
        assertThat(symbols.debugUnitCount()).isGreaterThan(10);
        assertThat(symbols.debugUnitsRead()).isEqualTo(1);
    }

    private void assertAgrees(Path object, Corpus corpus) throws Exception {
        assertAgrees(object, object, corpus);
    }

    /** @param oracle the object addr2line reads: {@code object} itself, or a build with the same code */
    private void assertAgrees(Path object, Path oracle, Corpus corpus) throws Exception {
        assumeTrue(Addr2LineFrames.available(), "addr2line is not installed: skipped");
        long handle = loaded.open(object);
        long bias = linker.loadBias(handle);
        AddressSpace space = AddressSpace.capture();
        List<Long> addresses = corpus.addresses(ObjectSymbols.open(object));
        Map<Long, List<Addr2LineFrames.Expected>> expected = Addr2LineFrames.frames(oracle, addresses);
        List<String> disagreements = new ArrayList<>();
        int frames = 0;
        int inlined = 0;
        int lambdas = 0;
        for (long address : addresses) {
            List<String> want = new ArrayList<>(expected.get(address).stream()
                    .map(e -> e.function() + " at " + lineOrUnknown(e.location())).toList());
            List<Frame> got = symbolizer.frames(bias + address, space);
            List<String> have = got.stream().map(InlinedFramesTest::asAddr2line).toList();
            lambdas += acceptLambdaLevels(want, have);
            if (!have.equals(want)) {
                disagreements.add("0x" + Long.toHexString(address) + ": addr2line " + want + ", symbolizer " + have);
            }
            frames += want.size();
            inlined += want.size() - 1;
        }
        System.out.printf("addr2line agreement %s: %d of %d addresses, %d frames (%d inlined)%s%n",
                object.getParent().getFileName() + "/" + object.getFileName(),
                addresses.size() - disagreements.size(), addresses.size(), frames, inlined,
                lambdas == 0 ? "" : "; " + lambdas + " inlined lambda levels named operator() where addr2line repeats"
                        + " the caller's name");
        assertThat(disagreements).as(object.getFileName().toString()).isEmpty();
    }

    /**
     * binutils 2.40 cannot name an inlined C++ lambda (its DWARF origin is an artificial, unnamed
     * class's {@code operator()} with no linkage name) and prints the caller's name for that level;
     * the symbolizer says {@code operator()}. Where exactly that differs, at the same line, the
     * level counts as agreeing (and is counted). Returns how many such levels were accepted.
     */
    private static int acceptLambdaLevels(List<String> want, List<String> have) {
        int accepted = 0;
        for (int i = 0; i + 1 < want.size() && i + 1 < have.size(); i++) {
            String caller = want.get(i + 1).substring(0, want.get(i + 1).indexOf(" at "));
            if (have.get(i).startsWith("operator() at ") && want.get(i).equals(caller + have.get(i).substring(10))) {
                want.set(i, have.get(i));
                accepted++;
            }
        }
        return accepted;
    }

    /** A frame as addr2line -f -C prints it: an unknown function is "??". */
    private static String asAddr2line(Frame frame) {
        String function = frame.function() == null ? "??" : frame.function();
        String location = frame.file() == null || frame.line() == 0 ? UNKNOWN_LINE : frame.file() + ":" + frame.line();
        return function + " at " + location;
    }

    /**
     * Where no line is known, addr2line prints "??:0", "??:?", or the name of the unit with ":?";
     * the symbolizer says it has no line. Both mean "no line", and compare equal.
     */
    private static String lineOrUnknown(String location) {
        return location.endsWith(":?") || location.equals("??:0") ? UNKNOWN_LINE : location;
    }
}
