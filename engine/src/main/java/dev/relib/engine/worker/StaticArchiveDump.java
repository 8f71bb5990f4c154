package dev.relib.engine.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dumps a static class-data archive ({@code java -Xshare:dump}) from the list of classes a JVM
 * loaded ({@code -XX:DumpLoadedClassList}). Not the dynamic archive a JVM writes at exit
 * ({@code -XX:ArchiveClassesAtExit}): on Java 17 that one leaves out every class compiled for Java 5
 * or older, and ASM's and JNR's x86 assembler's (JNR's stub generators) are, so every worker
 * loaded and verified them from the jar again. The JDK's own list ({@code lib/classlist}) is
 * added, so the archive holds at least what the JDK's default archive, which it replaces, held.
 */
final class StaticArchiveDump {

    /**
     * Renames the dump into place only once it is complete, then removes the list, any partial
     * dump and the claim ({@link ArchiveClaim}), which names the {@code sh} while it runs: the
     * dump (2-3 s) finishes after the shell that asked for it has exited, beside the launcher's
     * dump of the shell's own archive.
     */
    private static final String DUMP_THEN_RENAME = "java=$1; list=$2; writing=$3; archive=$4; claim=$5; shift 5; "
            + "echo $$ > \"$claim\"; "
            + "\"$java\" \"$@\" -Xshare:dump -XX:SharedClassListFile=\"$list\" -XX:SharedArchiveFile=\"$writing\" "
            + "&& [ -s \"$writing\" ] && mv -f \"$writing\" \"$archive\"; rm -f \"$list\" \"$writing\" \"$claim\"";

    private StaticArchiveDump() {
    }

    /**
     * Starts the dump of {@code archive} from {@code classList}, taking over {@code claim}; the
     * process that dumps and renames it, or empty when it could not be started (then there is no
     * archive, and the next worker lists its classes again).
     */
    static Optional<Process> start(Path classList, String classPath, List<String> jvmOptions, Path archive,
                                   Path claim) {
        Path merged = null;
        Path writing = null;
        try {
            merged = Files.createTempFile(archive.getParent(), archive.getFileName().toString(), ".classlist");
            Files.copy(classList, merged, StandardCopyOption.REPLACE_EXISTING);
            Path jdkList = Path.of(System.getProperty("java.home"), "lib", "classlist");
            if (Files.isRegularFile(jdkList)) {
                Files.write(merged, Files.readAllBytes(jdkList), StandardOpenOption.APPEND);
            }
            writing = Files.createTempFile(archive.getParent(), archive.getFileName().toString(), ".tmp");
            List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", DUMP_THEN_RENAME, "sh",
                    WorkerJvmOptions.javaExecutable(), merged.toString(),
                    writing.toString(), archive.toString(), claim.toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classPath));
            // The dump lists every class it skips (JFR's, a lambda it cannot resolve): not the user's
            // to read, and no pipe of the shell's is held open by it.
            return Optional.of(new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            deleteQuietly(merged);
            deleteQuietly(writing);
            return Optional.empty();
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A temporary file left in the cache directory is read by nothing and harms nothing.
            }
        }
    }
}
