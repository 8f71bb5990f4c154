package dev.relib.shell.it;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real samples and the bad files the shell must explain. */
final class Fixtures {

    static final Path SHEEP = SampleModules.rust("sheep");
    static final Path CALC = SampleModules.rust("calc");
    static final Path CSTR = SampleModules.c("cstr");
    static final Path NODELETE = SampleModules.c("nodelete");
    static final Path NEEDS_GONE = SampleModules.c("needsgone");
    static final Path CRASHY = SampleModules.rust("crashy");
    static final Path THREADS = SampleModules.rust("threads");
    /** Echoes, out-parameters, buffers, globals and structs: sample-modules/c/values.c. */
    static final Path VALUES = SampleModules.c("values");

    private Fixtures() {
    }

    /** Main's arguments that select {@code mode}, followed by {@code rest}. */
    static String[] args(EngineFactory.Mode mode, String... rest) {
        List<String> args = new ArrayList<>();
        if (mode == EngineFactory.Mode.IN_PROCESS) {
            args.add("--in-process");
        }
        args.addAll(List.of(rest));
        return args.toArray(String[]::new);
    }

    static Path notElf(Path dir) throws IOException {
        return Files.writeString(dir.resolve("libnotes.so"), "these are notes, not a library\n");
    }

    /** A real shared object whose header says AArch64 (e_machine 183). */
    static Path wrongArchitecture(Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(CSTR);
        bytes[18] = (byte) 183;
        bytes[19] = 0;
        return Files.write(dir.resolve("libarm.so"), bytes);
    }
}
