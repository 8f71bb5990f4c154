package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.SessionHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fds a module leaves open, under valgrind {@code --track-fds=yes} (through sample-modules'
 * leak-driver, which dlopens the module, calls the exports and exits with it loaded) and through the
 * shell ({@code load --stacks}, the same calls, {@code allocs}): the same number of fds, the same
 * files among those valgrind names by path, and site by site the same fds opened at each line of the
 * module (valgrind's frame in the module, the shell's OPENED AT). valgrind's records of fds inherited from its parent (its own
 * log, anything the test JVM passed on) are left out, as are the three standard ones. Skipped, with
 * one line, where valgrind is not installed.
 */
@Timeout(300)
class ValgrindFdSideBySideTest {

    /** "Open file descriptor 4: /dev/null", "Open AF_UNIX socket 5: <unknown>". */
    private static final Pattern OPEN = Pattern.compile("^==\\d+== Open (.*?) (\\d+):\\s?(.*)$");
    private static final Pattern TOTAL = Pattern.compile("FILE DESCRIPTORS: (\\d+) open \\((\\d+) std\\) at exit");
    private static final List<String> CALLS = List.of("leak_fds", "leak_dups", "open_close_cleanly");
    /** valgrind's frame in the module: "by 0x4853223: leak_fds (fdleak.c:21)". */
    private static final Pattern VALGRIND_SITE = Pattern.compile(": (\\w+) \\(fdleak\\.c:(\\d+)\\)");
    /** The shell's OPENED AT column: "leak_fds at /.../fdleak.c:21". */
    private static final Pattern SHELL_SITE = Pattern.compile("(\\w+) at \\S*fdleak\\.c:(\\d+)\\s*$");

    private static String valgrind;

    /**
     * One fd valgrind found open at exit: its number, the path it names (empty for pipes, sockets,
     * ...), and the function and line in the module that opened it.
     */
    record ValgrindFd(int fd, String path, String site) {
    }

    @BeforeAll
    static void findValgrind() {
        valgrind = Valgrind.orSkip("ValgrindFdSideBySideTest");
    }

    @Test
    void theFdsLeftOpenAreValgrindsTrackFdsList(@TempDir Path dir) throws Exception {
        Path module = SampleModules.c("fdleak");
        List<ValgrindFd> memcheck = underValgrind(module, dir);
        List<JsonNode> shell = throughShell(module);
        List<String> shellSites = shellSites(module);

        StringBuilder table = new StringBuilder(String.format("%n%-28s %-28s%n", "VALGRIND", "SHELL"));
        for (int i = 0; i < Math.max(memcheck.size(), shell.size()); i++) {
            table.append(String.format("%-28s %-28s%n",
                    i < memcheck.size() ? memcheck.get(i).path().isEmpty() ? "(no path)" : memcheck.get(i).path() : "",
                    i < shell.size() ? shell.get(i).path("openedBy").asText() + " " + shell.get(i).path("target").asText() : ""));
        }
        System.out.println("fds left open, side by side, " + module.getFileName() + ":" + table);
        assertThat(shell).as("shell vs valgrind --track-fds" + table).hasSameSizeAs(memcheck).hasSize(14);
        // valgrind names a file by its path and leaves pipes, sockets, anonymous inodes and memfds unnamed.
        List<String> valgrindPaths = memcheck.stream().map(ValgrindFd::path).filter(p -> p.startsWith("/")).sorted().toList();
        List<String> shellPaths = shell.stream().map(fd -> fd.path("target").asText())
                .filter(t -> t.startsWith("/") && !t.startsWith("/memfd:")).sorted().toList();
        assertThat(shellPaths).as("the files both name" + table).isEqualTo(valgrindPaths);
        List<String> valgrindSites = memcheck.stream().map(ValgrindFd::site).sorted().toList();
        System.out.println("sites, valgrind: " + valgrindSites + "\nsites, shell:    " + shellSites.stream().sorted().toList());
        assertThat(shellSites).as("where each fd was opened").containsExactlyInAnyOrderElementsOf(valgrindSites);
    }

    private static List<ValgrindFd> underValgrind(Path module, Path dir) throws Exception {
        Path log = dir.resolve("valgrind.log");
        List<String> command = new ArrayList<>(List.of(valgrind, "--tool=memcheck", "--track-fds=yes",
                "--log-file=" + log, SampleModules.targetDir().resolve("c/leak-driver").toString(), module.toString()));
        command.addAll(CALLS);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile())
                .start();
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("valgrind finished").isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.log"))).isZero();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("valgrind's fd summary").anyMatch(l -> TOTAL.matcher(l).find());
        List<ValgrindFd> open = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = OPEN.matcher(lines.get(i));
            if (!m.find()) {
                continue;
            }
            boolean inherited = i + 1 < lines.size() && lines.get(i + 1).contains("<inherited from parent>");
            int fd = Integer.parseInt(m.group(2));
            if (inherited || fd <= 2) {
                System.out.println("valgrind record left out (" + (inherited ? "inherited from its parent" : "standard")
                        + ", not the module's): " + lines.get(i).replaceFirst("^==\\d+== ", ""));
                continue;
            }
            String name = m.group(3).trim();
            String site = null;
            for (int j = i + 1; j < lines.size() && site == null && !OPEN.matcher(lines.get(j)).find(); j++) {
                Matcher frame = VALGRIND_SITE.matcher(lines.get(j));
                if (frame.find()) {
                    site = frame.group(1) + ":" + frame.group(2);
                }
            }
            open.add(new ValgrindFd(fd, name.equals("<unknown>") ? "" : name, site));
        }
        open.sort(java.util.Comparator.comparingInt(ValgrindFd::fd)); // valgrind lists the newest first
        return open;
    }

    /** The OPENED AT of each fd row of {@code allocs}, as "function:line". */
    private static List<String> shellSites(Path module) {
        try (SessionHarness shell = SessionHarness.human(Mode.WORKER)) {
            shell.run("load --stacks " + module + "; " + String.join("; ", CALLS.stream().map(c -> "call " + c + "() -> u32").toList()));
            shell.clear();
            assertThat(shell.run("allocs")).as(shell.err.toString()).isZero();
            List<String> sites = new ArrayList<>();
            shell.out.toString().lines().forEach(line -> {
                Matcher m = SHELL_SITE.matcher(line);
                if (m.find()) {
                    sites.add(m.group(1) + ":" + m.group(2));
                }
            });
            return sites;
        }
    }

    private static List<JsonNode> throughShell(Path module) throws Exception {
        try (SessionHarness shell = SessionHarness.json(Mode.WORKER)) {
            shell.run("load " + module + "; " + String.join("; ", CALLS.stream().map(c -> "call " + c + "() -> u32").toList()));
            shell.clear();
            assertThat(shell.run("allocs")).as(shell.err.toString()).isZero();
            JsonNode report = new ObjectMapper().readTree(shell.out.toString().lines().reduce((a, b) -> b).orElseThrow())
                    .path("result").path("modules").get(0);
            List<JsonNode> fds = new ArrayList<>();
            report.path("fds").forEach(fds::add);
            return fds;
        }
    }
}
