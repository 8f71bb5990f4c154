package dev.relib.engine.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.relib.engine.error.LoadError;
import dev.relib.engine.testing.SampleModules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copies of a real object with random bytes overwritten where the reader looks (headers, tables,
 * strings, notes): every call must either succeed or throw a {@link LoadError}, nothing else.
 */
class ElfFuzzTest {

    private static final long SEED = 0x5eed_e1fL;
    private static final int COPIES = 400;

    /** A byte range of the original that the reader interprets. */
    private record Region(long offset, long size) {
    }

    @Test
    @Timeout(120)
    void damagedCopiesFailOnlyWithLoadErrors(@TempDir Path dir) {
        Path original = SampleModules.c("cstr");
        byte[] pristine = ElfFixtures.bytes(original);
        List<Region> regions = interpretedRegions(ElfFile.open(original));
        Random random = new Random(SEED);
        int opened = 0;
        int refused = 0;

        for (int copy = 0; copy < COPIES; copy++) {
            byte[] bytes = pristine.clone();
            int changes = 1 + random.nextInt(6);
            for (int i = 0; i < changes; i++) {
                Region region = regions.get(random.nextInt(regions.size()));
                int at = (int) (region.offset() + random.nextInt((int) region.size()));
                bytes[at] = (byte) (random.nextInt(4) == 0 ? 0xff : random.nextInt(256));
            }
            Path damaged = ElfFixtures.write(dir, "libdamaged-" + copy + ".so", bytes);
            try {
                exercise(damaged);
                opened++;
            } catch (LoadError expected) {
                assertThat(expected.getMessage()).startsWith(damaged.toString());
                refused++;
            } catch (RuntimeException | Error e) {
                fail("copy " + copy + " (seed " + SEED + ") threw " + e, e);
            }
        }

        assertThat(opened).as("copies read in full").isPositive();
        assertThat(refused).as("copies refused").isPositive();
    }

    private static void exercise(Path path) {
        ElfFile elf = ElfFile.open(path);
        elf.requireLoadableHere();
        elf.dynamic();
        elf.dynamicSymbols();
        elf.definedFunctions();
        elf.symbols();
        elf.buildId();
        elf.comment();
        elf.rustcVersion();
    }

    private static List<Region> interpretedRegions(ElfFile elf) {
        ElfHeader header = elf.header();
        List<Region> regions = new ArrayList<>();
        regions.add(new Region(0, ElfHeader.SIZE));
        regions.add(new Region(header.programHeaderOffset(), (long) header.programHeaderCount() * ProgramHeader.ENTRY_SIZE));
        regions.add(new Region(header.sectionHeaderOffset(), (long) header.sectionHeaderCount() * SectionHeader.ENTRY_SIZE));
        for (String name : List.of(".dynsym", ".dynstr", ".dynamic", ".note.gnu.build-id", ".symtab", ".strtab",
                ".shstrtab", ".comment")) {
            elf.section(name).filter(s -> s.size() > 0).ifPresent(s -> regions.add(new Region(s.offset(), s.size())));
        }
        return regions.stream().filter(r -> r.size() > 0).toList();
    }
}
