package dev.relib.inspectors.demangle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the tools the reference side of the comparisons comes from: nm, c++filt and rustc. */
final class Binutils {

    private Binutils() {
    }

    /** The names of the symbols an object defines, from {@code nm --defined-only}. */
    static List<String> definedSymbols(Path object) {
        List<String> names = new ArrayList<>();
        for (String line : run(List.of("nm", "--defined-only", object.toString()), List.of(), null)) {
            String[] fields = line.trim().split("\\s+");
            names.add(fields[fields.length - 1]);
        }
        return names;
    }

    /** The names of the dynamic symbols an object defines, from {@code nm -D --defined-only}. */
    static List<String> definedDynamicSymbols(Path object) {
        List<String> names = new ArrayList<>();
        for (String line : run(List.of("nm", "-D", "--defined-only", object.toString()), List.of(), null)) {
            String[] fields = line.trim().split("\\s+");
            String name = fields[fields.length - 1];
            int version = name.indexOf('@');
            names.add(version < 0 ? name : name.substring(0, version));
        }
        return names;
    }

    /**
     * binutils' demangler over each symbol, line for line: {@code c++filt} keeps hashes
     * (its verbose mode), {@code c++filt -i} hides them.
     */
    static List<String> cxxfilt(List<String> symbols, boolean keepHashes) {
        List<String> command = keepHashes ? List.of("c++filt") : List.of("c++filt", "-i");
        List<String> out = run(command, symbols, null);
        if (out.size() != symbols.size()) {
            throw new IllegalStateException("c++filt returned " + out.size() + " lines for " + symbols.size());
        }
        return out;
    }

    /** Compiles a Rust source to a cdylib with the given symbol mangling. */
    static Path rustcCdylib(Path source, Path outDir, String mangling) {
        Path out = outDir.resolve("lib" + mangling + ".so");
        List<String> command = new ArrayList<>(List.of("rustc", "--crate-type", "cdylib", "--edition", "2021",
                "-C", "symbol-mangling-version=" + mangling, "-o", out.toString(), source.toString()));
        String bootstrap = null;
        if (mangling.equals("legacy")) {
            // rustc made v0 the default and put legacy behind -Z unstable-options.
            command.addAll(Arrays.asList("-Z", "unstable-options"));
            bootstrap = "1";
        }
        run(command, List.of(), bootstrap);
        return out;
    }

    private static List<String> run(List<String> command, List<String> input, String rustcBootstrap) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (rustcBootstrap != null) {
            builder.environment().put("RUSTC_BOOTSTRAP", rustcBootstrap);
        }
        try {
            Process process = builder.start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try (Writer stdin = process.outputWriter(StandardCharsets.UTF_8)) {
                for (String line : input) {
                    stdin.write(line);
                    stdin.write('\n');
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + process.exitValue());
            }
            return output.join().lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
