package dev.relib.engine.elf;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.relib.engine.error.LoadError;
import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the ELF reader and the loader checks: the fuzzer's bytes say which
 * bytes of a real object (libcstr.so) to overwrite and with what, or where to cut it, so the
 * mutations stay near the shapes that reach deep code. Any exception but a {@link LoadError} is a
 * finding. Every build replays the kept inputs in {@code ElfReaderFuzzTestInputs/}; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -pl engine -am verify -Dtest=ElfReaderFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ElfReaderFuzzTest {

    private static final byte[] ORIGINAL = read(SampleModules.c("cstr"));
    private static final Path FILE = temporaryFile();

    @FuzzTest(maxDuration = "5m")
    void damagedObjectsFailOnlyWithLoadErrors(FuzzedDataProvider data) throws IOException {
        byte[] bytes = ORIGINAL.clone();
        int changes = data.consumeInt(1, 8);
        for (int i = 0; i < changes && data.remainingBytes() > 0; i++) {
            int at = data.consumeInt(0, bytes.length - 1);
            int width = data.pickValue(new int[] {1, 2, 4, 8});
            for (int b = 0; b < width && at + b < bytes.length; b++) {
                bytes[at + b] = data.consumeByte();
            }
        }
        int length = data.consumeBoolean() ? data.consumeInt(0, bytes.length) : bytes.length;
        Files.write(FILE, java.util.Arrays.copyOf(bytes, length));
        try {
            ElfFile elf = ElfFile.open(FILE);
            elf.requireLoadableHere();
            elf.requireSafeToLoad();
            elf.dynamic();
            elf.dynamicSymbols();
            elf.definedFunctions();
            elf.symbols();
            elf.buildId();
            elf.rustcVersion();
        } catch (LoadError expected) {
            // A clean refusal is what a damaged file should get.
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("relib-fuzz-", ".so");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
