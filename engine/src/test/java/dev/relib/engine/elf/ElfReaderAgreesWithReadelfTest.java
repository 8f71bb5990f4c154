package dev.relib.engine.elf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the reader finds, checked against binutils' readelf on the same files. */
class ElfReaderAgreesWithReadelfTest {

    private static final Set<String> FUNCTION_TYPES = Set.of("FUNC", "IFUNC");
    private static final Set<String> EXPORTED_BINDINGS = Set.of("GLOBAL", "WEAK");
    private static final Set<String> EXPORTED_VISIBILITIES = Set.of("DEFAULT", "PROTECTED");
    private static final Pattern NEEDED = Pattern.compile("\\(NEEDED\\)\\s+Shared library: \\[(.*)]");
    private static final Pattern BUILD_ID = Pattern.compile("Build ID: ([0-9a-f]+)");

    static List<Path> samples() {
        return List.of(SampleModules.rust("sheep"), SampleModules.c("cstr"), SampleModules.c("nodelete"));
    }

    @ParameterizedTest
    @MethodSource("samples")
    @Timeout(60)
    void exportsMatch(Path sample) throws Exception {
        List<String> expected = readelf("--dyn-syms", "-W", sample.toString()).lines()
                .map(String::trim)
                .map(line -> line.split("\\s+"))
                .filter(f -> f.length >= 8 && f[0].endsWith(":"))
                .filter(f -> FUNCTION_TYPES.contains(f[3]) && EXPORTED_BINDINGS.contains(f[4])
                        && EXPORTED_VISIBILITIES.contains(f[5]) && !f[6].equals("UND"))
                .map(f -> f[7].replaceFirst("@.*", ""))
                .sorted()
                .toList();

        assertThat(expected).isNotEmpty();
        assertThat(ElfFile.open(sample).definedFunctions()).extracting(ElfSymbol::name).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("samples")
    @Timeout(60)
    void neededAndBuildIdMatch(Path sample) throws Exception {
        List<String> needed = NEEDED.matcher(readelf("-d", sample.toString())).results()
                .map(m -> m.group(1))
                .toList();
        Matcher buildId = BUILD_ID.matcher(readelf("-n", sample.toString()));

        ElfFile elf = ElfFile.open(sample);
        assertThat(elf.dynamic().needed()).isEqualTo(needed);
        assertThat(buildId.find()).isTrue();
        assertThat(elf.buildId()).hasValue(buildId.group(1));
    }

    private static String readelf(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("readelf"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("readelf %s: %s", command, output).isZero();
        return output;
    }
}
