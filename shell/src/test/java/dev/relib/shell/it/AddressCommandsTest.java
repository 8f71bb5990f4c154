package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.SessionHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/** addr, symbol, and {@code &MOD.SYMBOL} arguments. */
@Timeout(60)
class AddressCommandsTest {

    @EachEngine
    void addrAndSymbolResolveEachOtherWithTheSourceLine(Mode mode) throws Exception {
        Path source = SampleModules.targetDir().getParent().resolve("sheep/src/lib.rs");
        List<String> lines = Files.readAllLines(source);
        int definition = 1 + lines.indexOf(lines.stream().filter(l -> l.contains("fn count_sheep")).findFirst().orElseThrow());
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + Fixtures.SHEEP);
            shell.clear();

            assertThat(shell.run("addr count_sheep")).isZero();
            Matcher found = Pattern.compile("count_sheep = (0x[0-9a-f]+) \\(libsheep\\.so\\+0x[0-9a-f]+, \\d+ bytes\\) at (.*):(\\d+)")
                    .matcher(shell.out.toString());
            assertThat(found.find()).as(shell.out.toString()).isTrue();
            assertThat(found.group(2)).endsWith("sheep/src/lib.rs");
            assertThat(Integer.parseInt(found.group(3))).isBetween(definition - 1, definition + 1);

            long address = Long.parseUnsignedLong(found.group(1).substring(2), 16);
            shell.clear();
            assertThat(shell.run("symbol 0x" + Long.toHexString(address + 4))).isZero();
            assertThat(shell.out.toString()).contains("count_sheep+0x4").contains("(libsheep.so)").contains("lib.rs:");

            shell.clear();
            assertThat(shell.run("symbol 0x10")).isZero();
            assertThat(shell.out.toString()).contains("unmapped");
            assertThat(shell.run("symbol zzz")).isNotZero();
            assertThat(shell.err.toString()).contains("'zzz' is not an address");
        }
    }

    @EachEngine
    void passesAnotherModulesExportAsAFunctionPointer(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + SampleModules.rust("relay") + "; load " + SampleModules.rust("fuse"));
            shell.clear();

            assertThat(shell.run("call relay.run_callback(*const u8, u32) -> u32 &fuse.explode 0")).isZero();
            assertThat(shell.out.toString().strip()).isEqualTo("1");
        }
    }
}
