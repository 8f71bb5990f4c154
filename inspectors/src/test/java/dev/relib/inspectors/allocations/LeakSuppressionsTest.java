package dev.relib.inspectors.allocations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.inspectors.symbols.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeakSuppressionsTest {

    private static Frame frame(String function, String file, int line) {
        return new Frame(0x1000, "/lib/libm.so", function, 0, file, line, 0, true, null);
    }

    @Test
    void functionPatternsGlobAndFileLinePatternsMatchAPathSuffix() {
        LeakSuppressions s = LeakSuppressions.parse("""
                # known leaks
                std::io::*      # std's buffers

                make_record
                src/cache.c:42
                """);
        assertThat(s.suppressions()).extracting(LeakSuppressions.Suppression::line).containsExactly(2, 4, 5);
        assertThat(s.match(List.of(frame("std::io::stdio::stdout", null, 0)))).map(LeakSuppressions.Suppression::line)
                .contains(2);
        assertThat(s.match(List.of(frame("make_record_twice", "a.c", 1)))).as("a whole-name match").isEmpty();
        assertThat(s.match(List.of(frame("other", "a.c", 1), frame("make_record", "a.c", 9))))
                .map(LeakSuppressions.Suppression::pattern).contains("make_record");
        assertThat(s.match(List.of(frame("f", "/home/me/proj/src/cache.c", 42)))).isPresent();
        assertThat(s.match(List.of(frame("f", "/home/me/proj/src/mycache.c", 42)))).as("not a file name suffix").isEmpty();
        assertThat(s.match(List.of(frame("f", "/home/me/proj/src/cache.c", 43)))).isEmpty();
    }

    @Test
    void aPatternThatHidesEverythingOrLineZeroIsRefusedWithItsLine() {
        assertThatThrownBy(() -> LeakSuppressions.parse("ok\n**\n")).hasMessageContaining("line 2")
                .hasMessageContaining("would hide every leak");
        assertThatThrownBy(() -> LeakSuppressions.parse("lib.c:0")).hasMessageContaining("line 1");
        assertThat(LeakSuppressions.parse("# nothing\n\n").isEmpty()).isTrue();
    }
}
