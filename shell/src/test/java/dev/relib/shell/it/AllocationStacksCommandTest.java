package dev.relib.shell.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.Engine;
import dev.relib.engine.InProcessEngine;
import dev.relib.engine.testing.SampleModules;
import dev.relib.shell.EngineFactory.Mode;
import dev.relib.shell.SessionHarness;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** load --stacks, allocs --stacks and allocs --by site on the leaky sample, its lines read from its source. */
@Timeout(60)
class AllocationStacksCommandTest {

    private static final String LEAKY = SampleModules.rust("leaky").toString();
    private static final Path SOURCE = SampleModules.targetDir().getParent().resolve("leaky/src/lib.rs");

    /** The 1-based line of the sample's source that contains text. */
    private static int lineOf(String text) throws IOException {
        List<String> lines = Files.readAllLines(SOURCE);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in " + SOURCE);
    }

    @EachEngine
    void stacksStartAtTheModulesOwnCodeWithSourceLines(Mode mode) throws IOException {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load --stacks " + LEAKY + "; call leak_via_nested(usize) 5000");
            shell.clear();

            assertThat(shell.run("allocs --stacks")).isZero();

            String out = shell.out.toString();
            String inner = "leaky::nested_inner at .*leaky/src/lib.rs:" + lineOf("// leak_via_nested allocates here");
            String outer = "leaky::nested_outer at .*leaky/src/lib.rs:" + lineOf("black_box(nested_inner(n));");
            String export = "leak_via_nested at .*leaky/src/lib.rs:" + lineOf("    nested_outer(n);");
            assertThat(out).contains("where the largest live blocks of leaky were allocated")
                    .containsPattern("0x[0-9a-f]+ 5,000 bytes at " + inner + "\\n")
                    .containsPattern("\\n => " + inner + " \\(libleaky.so\\)\\n\\s+" + outer + " \\(libleaky.so\\)\\n\\s+"
                            + export + " \\(libleaky.so\\)");
            assertThat(out).as("the whole stack: std's allocation path above the site")
                    .containsPattern("\\n    <?alloc::.* at /rustc/[0-9a-f]+/library/alloc/src/.*\\n(.*\\n)* => leaky::nested_inner");
        }
    }

    @EachEngine
    void bySiteGroupsBlocksByTheirInnermostModuleFrameLargestFirst(Mode mode) throws IOException {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load --stacks " + LEAKY + "; call leak_via_nested(usize) 100 --repeat 3;"
                    + " call leak_bytes(usize) 50000");
            shell.clear();

            assertThat(shell.run("allocs --by site")).isZero();

            String out = shell.out.toString();
            assertThat(out).containsPattern("leaky\\s+1\\s+50,000\\s+leak_bytes\\s+.*leaky/src/lib.rs:"
                    + lineOf("std::mem::forget(Vec::<u8>::with_capacity(n));"));
            assertThat(out).containsPattern("leaky\\s+3\\s+300\\s+leaky::nested_inner\\s+.*leaky/src/lib.rs:"
                    + lineOf("// leak_via_nested allocates here"));
            assertThat(out.indexOf("leak_bytes")).isLessThan(out.indexOf("nested_inner"));
        }
    }

    @EachEngine
    void withoutStacksSaysHowToGetThem(Mode mode) {
        try (SessionHarness shell = SessionHarness.human(mode)) {
            shell.run("load " + LEAKY + "; call leak_via_nested(usize) 100");
            shell.clear();

            assertThat(shell.run("allocs --stacks")).isZero();
            assertThat(shell.out.toString()).contains("leaky was loaded without stacks").contains("load --stacks");

            shell.clear();
            assertThat(shell.run("allocs --by site")).isZero();
            assertThat(shell.out.toString()).contains("leaky was loaded without stacks").contains("load --stacks");
        }
    }

    @Test
    void unloadAsksAboutStacksOnlyOnceASessionLoadedAModuleWithThem() throws IOException {
        List<String> asked = new CopyOnWriteArrayList<>();
        Engine real = InProcessEngine.start();
        Engine counting = (Engine) Proxy.newProxyInstance(Engine.class.getClassLoader(), new Class<?>[] {Engine.class},
                (proxy, method, args) -> {
                    asked.add(method.getName());
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (SessionHarness shell = SessionHarness.human(() -> counting)) {
            assertThat(shell.run("load " + LEAKY + "; call leak_bytes(usize) 100; unload")).isZero();
            assertThat(asked).as("no stacks can have been recorded: nothing asked before the unload")
                    .containsExactly("load", "call", "unload");

            asked.clear();
            shell.clear();
            assertThat(shell.run("load --stacks " + LEAKY + "; call leak_bytes(usize) 100; unload")).isZero();
            assertThat(asked).containsSubsequence("info", "addressSpace", "unload");
            assertThat(shell.out.toString()).as("the leak grouped by the site its stack names")
                    .contains("1 block of 100 bytes definitely lost at leak_bytes (lib.rs:"
                            + lineOf("std::mem::forget(Vec::<u8>::with_capacity(n));") + ")");
        }
    }
}
