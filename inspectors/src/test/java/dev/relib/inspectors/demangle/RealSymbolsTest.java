package dev.relib.inspectors.demangle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.testing.SampleModules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Rust symbol that real shared objects define, demangled by us and by binutils' c++filt,
 * mode for mode: c++filt (verbose) against {@link RustDemangler#keepingHashes()}, c++filt -i
 * against the default. The objects are libsheep.so from the sample build (rustc's default, v0
 * mangling) and a fixture compiled here twice, with v0 and with legacy mangling.
 *
 * <p>binutils departs from rustc-demangle, whose output we follow, in three documented ways, and
 * the reference is adjusted for exactly those: it drops a {@code .suffix} such as {@code .0}
 * that rustc-demangle keeps; in legacy names it leaves {@code $u..$} escapes of non-ASCII code
 * points undecoded; in verbose mode it writes a const's type as {@code 3: usize} where
 * rustc-demangle writes {@code 3usize} (and nothing for bool and char).
 */
@Timeout(300)
class RealSymbolsTest {

    private static final Pattern LEGACY_UNICODE_ESCAPE = Pattern.compile("\\$u([0-9a-f]{2,6})\\$");
    private static final Pattern CONST_TYPE = Pattern.compile(
            "(-?(?:\\d+|0x[0-9a-f]+)|true|false|'(?:[^'\\\\]|\\\\[^']*)'): (i8|i16|i32|i64|i128|isize|u8|u16|u32|u64|u128|usize|bool|char)(?=[,>\\]])");

    @TempDir
    static Path buildDir;

    private static Path manglingsV0;
    private static Path manglingsLegacy;

    @BeforeAll
    static void compileFixture() throws IOException {
        Path source = buildDir.resolve("manglings.rs");
        try (InputStream in = Objects.requireNonNull(RealSymbolsTest.class.getResourceAsStream("/demangle/manglings.rs"))) {
            Files.write(source, in.readAllBytes());
        }
        manglingsV0 = Binutils.rustcCdylib(source, buildDir, "v0");
        manglingsLegacy = Binutils.rustcCdylib(source, buildDir, "legacy");
    }

    @Test
    void sheepSymbolsMatchBinutils() {
        List<String> symbols = rustSymbols(SampleModules.rust("sheep"));

        assertThat(symbols).hasSizeGreaterThan(100);
        assertMatchesBinutils(symbols);
    }

    @Test
    void v0FixtureSymbolsMatchBinutils() {
        List<String> symbols = rustSymbols(manglingsV0);

        assertThat(symbols).anyMatch(s -> s.startsWith("_R") && s.contains("manglings"));
        assertMatchesBinutils(symbols);
    }

    @Test
    void legacyFixtureSymbolsMatchBinutils() {
        List<String> symbols = rustSymbols(manglingsLegacy);

        assertThat(symbols).anyMatch(s -> s.startsWith("_ZN") && s.contains("manglings"));
        assertMatchesBinutils(symbols);
    }

    @Test
    void fixtureCoversTheGrammar() {
        RustDemangler demangler = new RustDemangler();
        List<String> v0 = rustSymbols(manglingsV0).stream().map(demangler::demangleOrSelf).toList();
        List<String> legacy = rustSymbols(manglingsLegacy).stream().map(demangler::demangleOrSelf).toList();

        assertThat(v0).contains(
                "manglings::grüße",
                "manglings::日本::関数",
                "manglings::with_const::<false, '\\n', 42>",
                "manglings::with_const::<true, 'x', -7>",
                "manglings::generic::<(i8, u64, [i16; 2], &str)>",
                "<manglings::Wrapper<u8, 3>>::describe",
                "<manglings::Circle as manglings::Shape>::area",
                "manglings::total_area::{closure#0}",
                "manglings::call_fn",
                "manglings::takes_fn_ptr");
        assertThat(v0).anyMatch(s -> s.contains("dyn manglings::Shape + core::marker::Send"));
        assertThat(v0).anyMatch(s -> s.contains("dyn core::iter::traits::iterator::Iterator<Item = (u8, char)>"));
        assertThat(legacy).contains("manglings::grüße", "manglings::日本::関数", "<manglings::Circle as manglings::Shape>::area");
    }

    private static List<String> rustSymbols(Path object) {
        return Binutils.definedSymbols(object).stream().filter(s -> s.startsWith("_R") || s.startsWith("_ZN")).toList();
    }

    private static void assertMatchesBinutils(List<String> symbols) {
        for (boolean keepHashes : new boolean[] {false, true}) {
            RustDemangler demangler = keepHashes ? RustDemangler.keepingHashes() : new RustDemangler();
            List<String> reference = Binutils.cxxfilt(symbols, keepHashes);
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < symbols.size(); i++) {
                String symbol = symbols.get(i);
                String expected = adjust(symbol, reference.get(i), keepHashes);
                String actual = demangler.demangle(symbol).orElse("<not demangled>");
                if (!actual.equals(expected)) {
                    mismatches.add(symbol + "\n  ours:     " + actual + "\n  binutils: " + expected);
                }
            }
            assertThat(mismatches).as("keepingHashes=%s, %d symbols", keepHashes, symbols.size()).isEmpty();
        }
    }

    /** The binutils output with the three documented departures from rustc-demangle undone. */
    private static String adjust(String symbol, String binutils, boolean keepHashes) {
        String expected = binutils;
        int mangledEnd = symbol.startsWith("_ZN") ? symbol.indexOf("E.") + 1 : symbol.indexOf('.');
        if (mangledEnd > 0) {
            expected += symbol.substring(mangledEnd);
        }
        if (symbol.startsWith("_ZN")) {
            Matcher escape = LEGACY_UNICODE_ESCAPE.matcher(expected);
            expected = escape.replaceAll(m -> Matcher.quoteReplacement(Character.toString(Integer.parseInt(m.group(1), 16))));
        }
        if (keepHashes) {
            Matcher typed = CONST_TYPE.matcher(expected);
            expected = typed.replaceAll(m -> Matcher.quoteReplacement(
                    m.group(2).equals("bool") || m.group(2).equals("char") ? m.group(1) : m.group(1) + m.group(2)));
        }
        return expected;
    }
}
