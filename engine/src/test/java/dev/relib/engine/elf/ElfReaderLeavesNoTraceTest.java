package dev.relib.engine.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The before-load and final unload checks look for the module's file in {@code /proc/self/maps};
 * reading the file must not put it there, nor keep it open.
 */
class ElfReaderLeavesNoTraceTest {

    @Test
    void readingEverythingLeavesNoMappingAndNoOpenDescriptor() throws IOException {
        Path sheep = SampleModules.rust("sheep").toRealPath();

        ElfFile elf = ElfFile.open(sheep);
        assertThat(elf.sections()).isNotEmpty();
        assertThat(elf.symbols()).isNotEmpty();
        assertThat(elf.definedFunctions()).isNotEmpty();
        assertThat(elf.dynamic().needed()).isNotEmpty();
        assertThat(elf.sectionBytes(".text")).isPresent();
        assertThat(elf.buildId()).isPresent();
        assertThat(elf.comment()).isNotEmpty();

        assertThat(Files.readAllLines(Path.of("/proc/self/maps")))
                .noneMatch(line -> line.endsWith(sheep.toString()));
        assertThat(openFiles()).doesNotContain(sheep);
    }

    private static List<Path> openFiles() throws IOException {
        List<Path> targets = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : descriptors.toList()) {
                try {
                    targets.add(Files.readSymbolicLink(fd));
                } catch (IOException closedMeanwhile) {
                    // The listing's own descriptor is gone by the time it is read; nothing to record.
                }
            }
        }
        return targets;
    }
}
