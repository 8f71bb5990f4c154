package dev.relib.engine.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.error.LoadError;
import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The loader checks refuse nothing that a real linker made: every sample module and system library passes. */
class RealObjectsAreSafeToLoadTest {

    @Test
    void sampleModulesAndSystemLibrariesPass() throws IOException {
        List<Path> objects = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.list(SampleModules.targetDir().resolve("debug")),
                Files.list(SampleModules.targetDir().resolve("c")))) {
            files.filter(f -> f.getFileName().toString().endsWith(".so")).forEach(objects::add);
        }
        // The JDK's own libraries and the system's most used ones: GNU ld, gold and lld output, C and C++,
        // -Wl,-init functions, empty GNU hash tables, versioned symbols. -Drelib.checks.all-system-libraries
        // checks every library in the system directories instead (a minute or two).
        boolean all = Boolean.getBoolean("relib.checks.all-system-libraries");
        String common = "lib(c|m|stdc\\+\\+|gcc_s|z|numa|ffi|crypto|ssl|jvm|java|nio|net|zip|jli|syslookup|verify)\\.so.*";
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                System.getProperty("java.home") + "/lib", System.getProperty("java.home") + "/lib/server")) {
            if (Files.isDirectory(Path.of(dir))) {
                try (Stream<Path> files = Files.list(Path.of(dir))) {
                    files.filter(f -> f.getFileName().toString().matches(all ? ".*\\.so(\\.[0-9.]+)?" : common)
                                    && Files.isRegularFile(f))
                            .forEach(objects::add);
                }
            }
        }
        List<String> refused = new ArrayList<>();
        int checked = 0;
        for (Path object : objects) {
            ElfFile elf;
            try {
                elf = ElfFile.open(object);
                elf.requireLoadableHere();
            } catch (LoadError notASharedObjectForHere) {
                continue;
            }
            try {
                elf.requireSafeToLoad();
                checked++;
            } catch (LoadError.InvalidElf e) {
                refused.add(e.getMessage());
            }
        }
        assertThat(refused).isEmpty();
        assertThat(checked).as("objects checked").isGreaterThan(20);
    }
}
