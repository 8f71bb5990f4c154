package dev.relib.shell.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;

/** valgrind on this machine's PATH, for the side-by-side suites, which skip with one line without it. */
final class Valgrind {

    private Valgrind() {
    }

    /** valgrind's path; else prints why {@code suite} is skipped and skips it. */
    static String orSkip(String suite) {
        String path = System.getenv("PATH");
        String valgrind = path == null ? null : Arrays.stream(path.split(File.pathSeparator))
                .map(dir -> Path.of(dir, "valgrind")).filter(Files::isExecutable).map(Path::toString).findFirst()
                .orElse(null);
        if (valgrind == null) {
            System.out.println(suite + ": skipped: valgrind is not installed (apt-get install valgrind)");
        }
        Assumptions.assumeTrue(valgrind != null, "valgrind is not installed");
        return valgrind;
    }
}
