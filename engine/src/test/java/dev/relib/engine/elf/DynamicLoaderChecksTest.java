package dev.relib.engine.elf;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.error.LoadError;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One damage per test to what glibc's loader trusts, each of which took the worker down at
 * {@code dlopen} before these checks: each is refused with its detail code.
 */
class DynamicLoaderChecksTest {

    private static final Path CSTR = SampleModules.c("cstr");

    @TempDir
    Path dir;

    private final ElfFile original = ElfFile.open(CSTR);

    private static void assertRefused(Path damaged, String detail, String message) {
        ElfFile elf = ElfFile.open(damaged);
        assertThatThrownBy(elf::requireSafeToLoad)
                .isInstanceOfSatisfying(LoadError.InvalidElf.class, e -> org.assertj.core.api.Assertions
                        .assertThat(e.detail()).isEqualTo(detail))
                .hasMessageContaining(message)
                .hasMessageEndingWith("[" + detail + "]");
    }

    /** The file offset of the value of the first dynamic entry with {@code tag}. */
    private long dynamicValue(long tag) {
        SectionHeader dynamic = original.section(".dynamic").orElseThrow();
        List<DynamicSection.Entry> entries = original.dynamic().entries();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).tag() == tag) {
                return dynamic.offset() + 16L * i + 8;
            }
        }
        throw new IllegalStateException("no tag " + tag);
    }

    @Test
    void theUndamagedFilePasses() {
        assertThatCode(original::requireSafeToLoad).doesNotThrowAnyException();
    }

    @Test
    void overlappingLoadSegments() {
        List<ProgramHeader> loads = original.programHeaders().stream().filter(ProgramHeader::isLoad).toList();
        ProgramHeader second = loads.get(1);
        long vaddrField = original.header().programHeaderOffset() + (long) second.index() * ProgramHeader.ENTRY_SIZE + 16;
        Path damaged = ElfFixtures.withU64(CSTR, dir, (int) vaddrField, second.virtualAddress() - 0x1000);

        assertRefused(damaged, "load.order", "starts before PT_LOAD segment");
    }

    @Test
    void stringTableOutsideTheImage() {
        Path damaged = ElfFixtures.withU64(CSTR, dir, (int) dynamicValue(DynamicTags.DT_STRTAB), 0x7fff_0000L);

        assertRefused(damaged, "strtab.outside_image", "the dynamic string table (DT_STRTAB 0x7fff0000");
    }

    @Test
    void relocationsWithoutTheirEntrySize() {
        long tagField = dynamicValue(DynamicTags.DT_RELAENT) - 8;
        Path damaged = ElfFixtures.withU64(CSTR, dir, (int) tagField, 0x6fff_fe00L);

        assertRefused(damaged, "dynamic.missing_entry", "it has DT_RELA but no DT_RELAENT");
    }

    @Test
    void gnuHashWithAnEmptyBloomFilter() {
        SectionHeader hash = original.section(".gnu.hash").orElseThrow();
        Path damaged = ElfFixtures.withU32(CSTR, dir, hash.offset() + 8, 0);

        assertRefused(damaged, "gnu_hash.bad_table", "bloom filter of 0 words");
    }

    @Test
    void aVersionIndexPastTheVersionTables() {
        SectionHeader versym = original.section(".gnu.version").orElseThrow();
        Path damaged = ElfFixtures.withU32(CSTR, dir, versym.offset() + 2, 0x7ff0);

        assertRefused(damaged, "version.bad_index", "has version index 32752");
    }

    @Test
    void anInitializerThatIsNotAFunctionStart() {
        long init = original.dynamic().value(DynamicTags.DT_INIT).orElseThrow();
        Path damaged = ElfFixtures.withU64(CSTR, dir, (int) dynamicValue(DynamicTags.DT_INIT), init + 1);

        assertRefused(damaged, "init.not_code", "DT_INIT (0x" + Long.toHexString(init + 1) + ") is neither the start");
    }

    @Test
    void aRelocationThatWritesIntoCode() {
        SectionHeader rela = original.section(".rela.dyn").orElseThrow();
        long text = original.section(".text").orElseThrow().address();
        Path damaged = ElfFixtures.withU64(CSTR, dir, (int) rela.offset(), text);

        assertRefused(damaged, "reloc.bad_target", "outside the writable segments");
    }
}
