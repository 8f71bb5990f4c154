package dev.relib.engine.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.relib.engine.error.LoadError;
import dev.relib.engine.testing.SampleModules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ElfFile#open} and {@link ElfFile#requireLoadableHere} on files that must be refused. */
class ElfValidationTest {

    private static final Path SHEEP = SampleModules.rust("sheep");

    @TempDir
    Path dir;

    @Test
    void missingFile() {
        Path missing = dir.resolve("libnothere.so");

        assertThatThrownBy(() -> ElfFile.open(missing))
                .isInstanceOf(LoadError.FileNotFound.class)
                .hasMessageContaining("libnothere.so: no such file");
    }

    @Test
    void directory() {
        assertThatThrownBy(() -> ElfFile.open(dir))
                .isInstanceOf(LoadError.NotAFile.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void unreadableFile() throws Exception {
        Path locked = ElfFixtures.write(dir, "liblocked.so", ElfFixtures.bytes(SHEEP));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(locked)).as("running as root, permissions do not apply").isFalse();

        assertThatThrownBy(() -> ElfFile.open(locked))
                .isInstanceOf(LoadError.Unreadable.class)
                .hasMessageContaining("permission denied");
    }

    @Test
    void textFile() {
        Path text = ElfFixtures.write(dir, "notes.txt", "hello world\n".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> ElfFile.open(text))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("not an ELF file (starts with \"hello wo...\"");
    }

    @Test
    void binaryNonElfFile() {
        Path binary = ElfFixtures.write(dir, "data.bin", new byte[] {0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0, 0});

        assertThatThrownBy(() -> ElfFile.open(binary))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("not an ELF file (starts with 50 4b 03 04");
    }

    @Test
    void emptyFile() {
        Path empty = ElfFixtures.write(dir, "libempty.so", new byte[0]);

        assertThatThrownBy(() -> ElfFile.open(empty))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("not an ELF file (it is empty)");
    }

    @Test
    void truncatedInsideTheIdentification() {
        assertThatThrownBy(() -> ElfFile.open(ElfFixtures.truncated(SHEEP, dir, 10)))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageEndingWith("truncated: ELF identification needs 16 bytes, file has 10");
    }

    @Test
    void truncatedInsideTheElfHeader() {
        assertThatThrownBy(() -> ElfFile.open(ElfFixtures.truncated(SHEEP, dir, 40)))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageEndingWith("truncated: ELF header needs 64 bytes, file has 40");
    }

    @Test
    void truncatedInsideTheProgramHeaders() {
        ElfHeader header = ElfFile.open(SHEEP).header();
        long tableEnd = header.programHeaderOffset() + (long) header.programHeaderCount() * ProgramHeader.ENTRY_SIZE;
        long cut = tableEnd - ProgramHeader.ENTRY_SIZE - 3;

        assertThatThrownBy(() -> ElfFile.open(ElfFixtures.truncated(SHEEP, dir, cut)))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageEndingWith("truncated: program header table needs " + tableEnd + " bytes, file has " + cut);
    }

    @Test
    void truncatedInsideTheSectionHeaderTable() {
        ElfHeader header = ElfFile.open(SHEEP).header();
        long tableEnd = header.sectionHeaderOffset() + (long) header.sectionHeaderCount() * SectionHeader.ENTRY_SIZE;
        long cut = header.sectionHeaderOffset() + 5L * SectionHeader.ENTRY_SIZE + 7;

        assertThatThrownBy(() -> ElfFile.open(ElfFixtures.truncated(SHEEP, dir, cut)))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageEndingWith("truncated: section header table needs " + tableEnd + " bytes, file has " + cut);
    }

    @Test
    void truncatedInsideTheDynamicSymbols() {
        SectionHeader dynsym = ElfFile.open(SHEEP).section(".dynsym").orElseThrow();
        long cut = dynsym.offset() + dynsym.size() / 2;

        assertThatThrownBy(() -> ElfFile.open(ElfFixtures.truncated(SHEEP, dir, cut)))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("truncated: loadable segment")
                .hasMessageEndingWith("file has " + cut);
    }

    @Test
    void truncatedInsideTheDebugInfo() {
        SectionHeader debugInfo = ElfFile.open(SHEEP).section(".debug_info").orElseThrow();
        long cut = debugInfo.offset() + 100;

        assertThatThrownBy(() -> ElfFile.open(ElfFixtures.truncated(SHEEP, dir, cut)))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("section header table out of bounds")
                .hasMessageContaining("file has " + cut + " bytes): truncated or corrupt");
    }

    @Test
    void sectionHeaderOffsetPastTheEnd() {
        Path corrupt = ElfFixtures.withU64(SHEEP, dir, ElfFixtures.E_SHOFF, 0x7000_0000_0000L);

        assertThatThrownBy(() -> ElfFile.open(corrupt))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("section header table out of bounds");
    }

    @Test
    void aarch64Object() {
        ElfFile elf = ElfFile.open(ElfFixtures.withU16(SHEEP, dir, ElfFixtures.E_MACHINE, ElfHeader.EM_AARCH64));

        assertThatThrownBy(elf::requireLoadableHere)
                .isInstanceOfSatisfying(LoadError.WrongArchitecture.class,
                        e -> assertThat(e.machine()).isEqualTo("AArch64"))
                .hasMessageContaining("built for AArch64");
    }

    @Test
    void otherMachinesAreNamedInWords() {
        assertThat(ElfHeader.machineName(ElfHeader.EM_386)).isEqualTo("x86 (32-bit)");
        assertThat(ElfHeader.machineName(243)).isEqualTo("RISC-V");
        assertThat(ElfHeader.machineName(4242)).isEqualTo("machine 4242");
        ElfFile riscv = ElfFile.open(ElfFixtures.withU16(SHEEP, dir, ElfFixtures.E_MACHINE, 243));
        assertThatThrownBy(riscv::requireLoadableHere).hasMessageContaining("built for RISC-V");
    }

    @Test
    void thirtyTwoBitObject() {
        assertThatThrownBy(() -> ElfFile.open(ElfFixtures.withByte(SHEEP, dir, ElfFixtures.E_IDENT_CLASS, 1)))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("32-bit ELF; relib loads 64-bit x86-64 objects");
    }

    @Test
    void bigEndianObject() {
        assertThatThrownBy(() -> ElfFile.open(ElfFixtures.withByte(SHEEP, dir, ElfFixtures.E_IDENT_DATA, 2)))
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("big-endian");
    }

    @Test
    void symbolTableLinkedToANonStringSection() {
        ElfFile original = ElfFile.open(SHEEP);
        SectionHeader dynsym = original.section(".dynsym").orElseThrow();
        long linkField = original.header().sectionHeaderOffset() + (long) dynsym.index() * SectionHeader.ENTRY_SIZE + 40;
        ElfFile corrupt = ElfFile.open(ElfFixtures.withU32(SHEEP, dir, linkField, dynsym.index()));

        assertThatThrownBy(corrupt::dynamicSymbols)
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("which is not a string table");
    }

    @Test
    void neededNameOutsideTheStringTable() {
        ElfFile original = ElfFile.open(SHEEP);
        SectionHeader dynamic = original.section(".dynamic").orElseThrow();
        // The first entry is a DT_NEEDED (checked below); point its name far past .dynstr.
        assertThat(original.dynamic().entries().get(0).tag()).isEqualTo(DynamicSection.DT_NEEDED);
        ElfFile corrupt = ElfFile.open(ElfFixtures.withU32(SHEEP, dir, dynamic.offset() + 8, 0x7fff_0000));

        assertThatThrownBy(corrupt::dynamic)
                .isInstanceOf(LoadError.InvalidElf.class)
                .hasMessageContaining("DT_NEEDED points at offset " + 0x7fff_0000);
    }
}
