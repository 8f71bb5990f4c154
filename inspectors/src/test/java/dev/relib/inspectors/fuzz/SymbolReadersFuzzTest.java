package dev.relib.inspectors.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.relib.inspectors.demangle.RustDemangler;
import dev.relib.inspectors.symbols.LineTable;
import java.util.Map;

/**
 * Coverage-guided fuzzing of what reads symbol names and debug info from modules: the Rust
 * demangler (legacy and v0) must answer or decline, never throw; the DWARF line-table reader must
 * read what it can and report the rest as problems, never throw. Every build replays the kept
 * inputs; fuzz with
 * {@code JAZZER_FUZZ=1 mvn -pl inspectors -am verify -Dtest=SymbolReadersFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SymbolReadersFuzzTest {

    private static final RustDemangler DEMANGLER = new RustDemangler();

    @FuzzTest(maxDuration = "2m")
    void demanglingNeverThrows(FuzzedDataProvider data) {
        String prefix = data.pickValue(new String[] {"", "_R", "_ZN", "__R", "_RNv", "_ZN4core"});
        DEMANGLER.demangle(prefix + data.consumeRemainingAsString());
    }

    @FuzzTest(maxDuration = "2m")
    void lineTablesNeverThrow(FuzzedDataProvider data) {
        byte[] strings = data.consumeBytes(data.consumeInt(0, 64));
        byte[] lineStrings = data.consumeBytes(data.consumeInt(0, 64));
        byte[] program = data.consumeRemainingAsBytes();
        LineTable table = LineTable.parse(program, lineStrings, strings, Map.of());
        table.lookup(data.remainingBytes());
        table.files();
    }
}
