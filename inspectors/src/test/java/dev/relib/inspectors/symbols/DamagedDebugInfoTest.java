package dev.relib.inspectors.symbols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.SectionHeader;
import dev.relib.engine.loader.DynamicLinker;
import dev.relib.engine.testing.SampleModules;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Copies of the samples with damaged debug sections: no exception escapes, and no line is invented. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DamagedDebugInfoTest {

    private final DynamicLinker linker = new DynamicLinker();
    private final LoadedObjects loaded = new LoadedObjects(linker);

    @TempDir
    Path temp;

    @AfterEach
    void closeObjects() {
        loaded.closeAll();
    }

    @Test
    void aDamagedLineTableHeaderLeavesTheFunctionAndSaysThereIsNoLine() throws Exception {
        // Offset 4 of the unit is its version: 99 is no DWARF version.
        Path damaged = damagedCopy(SampleModules.c("cstr"), "libcstr-badversion.so", ".debug_line", 4, new byte[] {99, 0});
        long handle = loaded.open(damaged);

        Frame frame = new Symbolizer(new SymbolCache(), UnaryOperator.identity())
                .symbolize(linker.symbol(handle, "str_length"), AddressSpace.capture());

        assertThat(frame.function()).isEqualTo("str_length");
        assertThat(frame.debugInfo()).isFalse();
        assertThat(frame.file()).isNull();
        assertThat(frame.missing()).contains("damaged .debug_line").contains("version 99");
        assertThat(frame.toString()).endsWith("(no line info)");
    }

    @Test
    void aZeroLineRangeIsRejectedRatherThanDividedBy() throws Exception {
        // DWARF 5 header: length 4, version 2, address and selector sizes 2, header length 4,
        // then minimum instruction length, maximum operations, default_is_stmt, line_base, line_range.
        Path damaged = damagedCopy(SampleModules.c("cstr"), "libcstr-linerange.so", ".debug_line", 16, new byte[] {0});

        ObjectSymbols symbols = ObjectSymbols.open(damaged);

        assertThat(symbols.lineTable().isEmpty()).isTrue();
        assertThat(symbols.lineInfoAbsence()).hasValueSatisfying(r -> assertThat(r).contains("line range 0"));
    }

    @Test
    void aUnitLengthPastTheSectionStopsReadingWithAReason() throws Exception {
        byte[] huge = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7fff_0000).array();
        Path damaged = damagedCopy(SampleModules.rust("sheep"), "libsheep-length.so", ".debug_line", 0, huge);

        ObjectSymbols symbols = ObjectSymbols.open(damaged);

        assertThat(symbols.lineTable().isEmpty()).isTrue();
        assertThat(symbols.lineInfoAbsence()).hasValueSatisfying(r -> assertThat(r).contains("runs past the section"));
        assertThat(symbols.find("count_sheep")).isPresent();
    }

    @Test
    void oneDamagedUnitLeavesTheOthersReadable() throws Exception {
        Path sheep = SampleModules.rust("sheep");
        // The first unit is count_sheep's crate; damaging its version leaves the std units intact.
        Path damaged = damagedCopy(sheep, "libsheep-firstunit.so", ".debug_line", 4, new byte[] {1, 0});
        ObjectSymbols intact = ObjectSymbols.open(sheep);
        ObjectSymbols symbols = ObjectSymbols.open(damaged);
        FunctionSymbol countSheep = symbols.find("count_sheep").orElseThrow();

        assertThat(symbols.sourceLocation(countSheep.address())).isEmpty();
        assertThat(symbols.lineTable().problems()).hasSize(1);
        assertThat(symbols.lineTable().unitCount()).isEqualTo(intact.lineTable().unitCount());
        assertThat(symbols.lineTable().rowCount()).isPositive().isLessThan(intact.lineTable().rowCount());
    }

    @Test
    void randomDamageToDebugSectionsNeverThrows() throws Exception {
        Path original = SampleModules.c("cstr");
        byte[] bytes = Files.readAllBytes(original);
        ElfFile elf = ElfFile.open(original);
        List<SectionHeader> debug = elf.sections().stream().filter(s -> s.name().startsWith(".debug_")).toList();
        List<FunctionSymbol> functions = ObjectSymbols.open(original).functionSymbols();
        Random random = new Random(20_240_601);
        Path copy = temp.resolve("libcstr-fuzz.so");
        int withoutRows = 0;

        for (int round = 0; round < 300; round++) {
            byte[] damaged = bytes.clone();
            SectionHeader section = debug.get(random.nextInt(debug.size()));
            for (int hit = 0; hit < 1 + random.nextInt(4); hit++) {
                damaged[(int) (section.offset() + random.nextInt((int) section.size()))] = (byte) random.nextInt(256);
            }
            Files.write(copy, damaged);

            ObjectSymbols symbols = ObjectSymbols.open(copy);
            assertThatCode(() -> functions.forEach(f -> symbols.sourceLocation(f.address())))
                    .as("round " + round + ", " + section.name()).doesNotThrowAnyException();
            if (symbols.lineTable().isEmpty()) {
                withoutRows++;
                assertThat(symbols.lineInfoAbsence()).as("round " + round).isPresent();
            }
        }
        assertThat(withoutRows).as("some damage must make the table unreadable").isPositive();
    }

    @Test
    void randomDamageToDebugInfoNeverThrowsAndKeepsTheFunctionNames() throws Exception {
        Path original = SampleModules.c("cleak_O2");
        byte[] bytes = Files.readAllBytes(original);
        ElfFile elf = ElfFile.open(original);
        List<SectionHeader> sections = elf.sections().stream()
                .filter(s -> List.of(".debug_info", ".debug_abbrev", ".debug_rnglists", ".debug_str").contains(s.name()))
                .toList();
        List<FunctionSymbol> functions = ObjectSymbols.open(original).functionSymbols();
        Random random = new Random(20_261_201);
        Path copy = temp.resolve("libcleak-fuzz.so");
        int withoutScopes = 0;

        for (int round = 0; round < 300; round++) {
            byte[] damaged = bytes.clone();
            SectionHeader section = sections.get(random.nextInt(sections.size()));
            for (int hit = 0; hit < 1 + random.nextInt(4); hit++) {
                damaged[(int) (section.offset() + random.nextInt((int) section.size()))] = (byte) random.nextInt(256);
            }
            Files.write(copy, damaged);

            ObjectSymbols symbols = ObjectSymbols.open(copy);
            for (FunctionSymbol f : functions) {
                List<InlineScope> scopes = assertDoesNotThrow(() -> symbols.inlineScopes(f.address() + f.size() / 2),
                        "round " + round + ", " + section.name());
                assertThat(symbols.lookup(f.address())).as("round " + round).isPresent();
                if (scopes.isEmpty()) {
                    withoutScopes++;
                }
            }
        }
        assertThat(withoutScopes).as("some damage must make units unreadable").isPositive();
    }

    private Path damagedCopy(Path original, String name, String section, int offsetInSection, byte[] replacement)
            throws Exception {
        SectionHeader header = ElfFile.open(original).section(section).orElseThrow();
        byte[] bytes = Files.readAllBytes(original);
        System.arraycopy(replacement, 0, bytes, (int) (header.offset() + offsetInSection), replacement.length);
        Path copy = temp.resolve(name);
        Files.write(copy, bytes);
        return copy;
    }
}
