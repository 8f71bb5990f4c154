package dev.relib.engine.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relib.engine.error.LoadError;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader on the shared objects, executables and object files the build makes. */
class ElfFileTest {

    private static final Path SHEEP = SampleModules.rust("sheep");
    private static final Path CSTR = SampleModules.c("cstr");

    @Test
    void readsTheRustSampleHeader() {
        ElfFile elf = ElfFile.open(SHEEP);

        assertThat(elf.header().elfClass()).isEqualTo(ElfHeader.ELFCLASS64);
        assertThat(elf.header().machineName()).isEqualTo("x86-64");
        assertThat(elf.header().typeName()).isEqualTo("shared object");
        assertThat(elf.fileSize()).isEqualTo(SHEEP.toFile().length());
        assertThat(elf.programHeaders()).anySatisfy(p -> assertThat(p.isLoad()).isTrue());
        assertThatCode(elf::requireLoadableHere).doesNotThrowAnyException();
    }

    @Test
    void findsTheRustExportWithItsSize() {
        ElfFile elf = ElfFile.open(SHEEP);

        List<ElfSymbol> exports = elf.definedFunctions();

        assertThat(exports).filteredOn(s -> s.name().equals("count_sheep"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.size()).isPositive();
                    assertThat(s.value()).isPositive();
                    assertThat(s.isDefined()).isTrue();
                });
        assertThat(exports).extracting(ElfSymbol::name).isSorted();
        assertThat(exports).allSatisfy(s -> assertThat(s.isFunction() && s.isExported()).isTrue());
    }

    @Test
    void readsTheRustcVersionFromTheCommentSection() {
        ElfFile elf = ElfFile.open(SHEEP);

        Optional<String> version = elf.rustcVersion();

        assertThat(version).hasValueSatisfying(v -> assertThat(v).matches("\\d+\\.\\d+\\.\\d+.*"));
        assertThat(elf.comment()).contains("rustc version " + version.orElseThrow());
    }

    @Test
    void readsTheDynamicSectionOfTheRustSample() {
        DynamicSection dynamic = ElfFile.open(SHEEP).dynamic();

        assertThat(dynamic.needed()).contains("libc.so.6");
        assertThat(dynamic.nodelete()).isFalse();
        assertThat(dynamic.pie()).isFalse();
        assertThat(dynamic.entries()).extracting(DynamicSection.Entry::tag)
                .containsOnlyOnce(DynamicSection.DT_STRTAB)
                .doesNotContain(DynamicSection.DT_NULL);
    }

    @Test
    void readsBothSymbolTablesOfAnUnstrippedBuild() {
        ElfFile elf = ElfFile.open(SHEEP);

        assertThat(elf.dynamicSymbols().get(0).name()).isEmpty();
        assertThat(elf.symbols()).hasSizeGreaterThan(elf.dynamicSymbols().size());
        assertThat(elf.symbols()).anySatisfy(s -> assertThat(s.name()).isEqualTo("count_sheep"));
        assertThat(elf.hasGnuUniqueSymbols()).isFalse();
        assertThat(elf.gnuUniqueSymbols()).isEmpty();
    }

    @Test
    void namesTheSectionsAndReadsTheirBytes() {
        ElfFile elf = ElfFile.open(SHEEP);

        assertThat(elf.sections()).extracting(SectionHeader::name)
                .contains(".dynsym", ".dynstr", ".dynamic", ".text", ".comment", ".symtab");
        for (int i = 0; i < elf.sections().size(); i++) {
            assertThat(elf.sections().get(i).index()).isEqualTo(i);
        }
        assertThat(elf.section(".dynsym")).hasValueSatisfying(s -> assertThat(s.type()).isEqualTo(SectionHeader.SHT_DYNSYM));
        assertThat(elf.section(".no-such-section")).isEmpty();
        assertThat(elf.sectionBytes(".bss")).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(elf.sectionBytes(".comment").orElseThrow())
                .hasSize((int) elf.section(".comment").orElseThrow().size());
    }

    @Test
    void readsTheGnuBuildId() {
        assertThat(ElfFile.open(SHEEP).buildId()).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{16,}"));
        assertThat(ElfFile.open(CSTR).buildId()).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{16,}"));
    }

    @Test
    void readsTheCSample() {
        ElfFile elf = ElfFile.open(CSTR);

        assertThat(elf.definedFunctions()).extracting(ElfSymbol::name).contains("greeting", "str_length");
        assertThat(elf.definedFunctions()).extracting(ElfSymbol::name).doesNotContain("strlen");
        assertThat(elf.dynamicSymbols()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("strlen");
            assertThat(s.isDefined()).isFalse();
        });
        assertThat(elf.rustcVersion()).isEmpty();
        assertThat(elf.comment()).anySatisfy(c -> assertThat(c).startsWith("GCC:"));
        assertThatCode(elf::requireLoadableHere).doesNotThrowAnyException();
    }

    @Test
    void seesNodelete() {
        ElfFile elf = ElfFile.open(SampleModules.c("nodelete"));

        assertThat(elf.dynamic().nodelete()).isTrue();
        assertThat(elf.definedFunctions()).extracting(ElfSymbol::name).contains("nodelete_answer");
        assertThatCode(elf::requireLoadableHere).doesNotThrowAnyException();
    }

    @Test
    void refusesAPositionIndependentExecutable() {
        ElfFile elf = ElfFile.open(cSampleFile("not-a-library"));

        assertThat(elf.header().type()).isEqualTo(ElfHeader.ET_DYN);
        assertThat(elf.dynamic().pie()).isTrue();
        assertThatThrownBy(elf::requireLoadableHere)
                .isInstanceOf(LoadError.NotSharedObject.class)
                .hasMessageContaining("is an ELF position-independent executable, not a shared object");
    }

    @Test
    void refusesARelocatableObjectFile() {
        ElfFile elf = ElfFile.open(cSampleFile("plain.o"));

        assertThat(elf.dynamic().entries()).isEmpty();
        assertThat(elf.dynamic().needed()).isEmpty();
        assertThat(elf.dynamicSymbols()).isEmpty();
        assertThat(elf.symbols()).anySatisfy(s -> assertThat(s.name()).isEqualTo("str_length"));
        assertThatThrownBy(elf::requireLoadableHere)
                .isInstanceOf(LoadError.NotSharedObject.class)
                .hasMessageContaining("relocatable object file");
    }

    @Test
    void namesOtherObjectTypes(@TempDir Path dir) {
        Path executable = ElfFixtures.withU16(CSTR, dir, ElfFixtures.E_TYPE, ElfHeader.ET_EXEC);
        Path core = ElfFixtures.withU16(CSTR, dir, ElfFixtures.E_TYPE, ElfHeader.ET_CORE);

        assertThatThrownBy(() -> ElfFile.open(executable).requireLoadableHere())
                .isInstanceOf(LoadError.NotSharedObject.class)
                .hasMessageContaining("is an ELF executable,");
        assertThatThrownBy(() -> ElfFile.open(core).requireLoadableHere())
                .isInstanceOf(LoadError.NotSharedObject.class)
                .hasMessageContaining("core dump");
    }

    @Test
    void readsTheRunningJvm() {
        Path libjvm = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
        assumeTrue(Files.isRegularFile(libjvm), "no server VM at " + libjvm);

        ElfFile elf = ElfFile.open(libjvm);

        assertThatCode(elf::requireLoadableHere).doesNotThrowAnyException();
        assertThat(elf.definedFunctions()).extracting(ElfSymbol::name).contains("JNI_CreateJavaVM");
        assertThat(elf.dynamic().needed()).isNotEmpty();
    }

    @Test
    void readsTheSonameOfTheLibcThisProcessUses() throws Exception {
        Optional<Path> libc = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.endsWith("/libc.so.6"))
                .map(line -> Path.of(line.substring(line.indexOf('/'))))
                .findFirst();
        assumeTrue(libc.isPresent(), "libc.so.6 is not mapped in this process");

        ElfFile elf = ElfFile.open(libc.get());

        assertThat(elf.dynamic().soname()).hasValue("libc.so.6");
        assertThat(elf.programHeaders()).anySatisfy(p -> assertThat(p.type()).isEqualTo(ProgramHeader.PT_INTERP));
        assertThatCode(elf::requireLoadableHere).doesNotThrowAnyException();
    }

    @Test
    void notesAChangeOnDiskBeforeReadingMore(@TempDir Path dir) throws Exception {
        Path copy = ElfFixtures.write(dir, "libcopy.so", ElfFixtures.bytes(CSTR));
        ElfFile elf = ElfFile.open(copy);
        Files.write(copy, new byte[] {0}, StandardOpenOption.APPEND);

        assertThatThrownBy(elf::dynamicSymbols)
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("changed on disk since it was opened");
    }

    private static Path cSampleFile(String name) {
        Path path = SampleModules.targetDir().resolve("c").resolve(name);
        assertThat(path).isRegularFile();
        return path;
    }
}
