package dev.relib.inspectors.demangle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Legacy ({@code _ZN...E}) symbols: the cases of rustc-demangle's test suite plus escapes and
 * symbols rustc 1.95 emits with {@code -C symbol-mangling-version=legacy}. Each row gives the
 * default output (hash hidden) and the output of {@link RustDemangler#keepingHashes()}.
 */
class LegacyDemanglingTest {

    private final RustDemangler hidingHashes = new RustDemangler();
    private final RustDemangler keepingHashes = RustDemangler.keepingHashes();

    static Stream<Arguments> symbols() {
        return Stream.of(
                same("_ZN4testE", "test"),
                same("_ZN4test1a2bcE", "test::a::bc"),
                // Escapes.
                same("_ZN4$RP$E", ")"),
                same("_ZN4$LP$E", "("),
                same("_ZN4$SP$E", "@"),
                same("_ZN8$RF$testE", "&test"),
                same("_ZN8$BP$test4foobE", "*test::foob"),
                same("_ZN9$u20$test4foobE", " test::foob"),
                same("_ZN35Bar$LT$$u5b$u32$u3b$$u20$4$u5d$$GT$E", "Bar<[u32; 4]>"),
                same("_ZN13test$u20$test4foobE", "test test::foob"),
                same("_ZN12test$BP$test4foobE", "test*test::foob"),
                same("_ZN37a$u7e$b$u27$c$u22$d$u7b$e$u7d$f$u2b$gE", "a~b'c\"d{e}f+g"),
                same("_ZN11a$C$b$u3d$cE", "a,b=c"),
                // An escape that is not one stops decoding; the rest of the segment is literal.
                same("_ZN10foo$XX$bar3bazE", "foo$XX$bar::baz"),
                same("_ZN11foo$u0a$bar3bazE", "foo$u0a$bar::baz"),
                // Prefixes used on Windows and macOS.
                same("ZN4testE", "test"),
                same("ZN13test$u20$test4foobE", "test test::foob"),
                same("ZN12test$RF$test4foobE", "test&test::foob"),
                hashed("__ZN5alloc9allocator6Layout9for_value17h02a996811f781011E",
                        "alloc::allocator::Layout::for_value", "::h02a996811f781011"),
                hashed("__ZN38_$LT$core..option..Option$LT$T$GT$$GT$6unwrap18_MSG_FILE_LINE_COL17haf7cb8d5824ee659E",
                        "<core::option::Option<T>>::unwrap::_MSG_FILE_LINE_COL", "::haf7cb8d5824ee659"),
                hashed("__ZN4core5slice89_$LT$impl$u20$core..iter..traits..IntoIterator$u20$for$u20$$RF$$u27$a$u20$$u5b$T$u5d$$GT$9into_iter17h450e234d27262170E",
                        "core::slice::<impl core::iter::traits::IntoIterator for &'a [T]>::into_iter", "::h450e234d27262170"),
                // A leading "_$" segment loses its underscore.
                same("_ZN13_$LT$test$GT$E", "<test>"),
                same("_ZN28_$u7b$$u7b$closure$u7d$$u7d$E", "{{closure}}"),
                same("_ZN15__STATIC_FMTSTRE", "__STATIC_FMTSTR"),
                same("_ZN71_$LT$Test$u20$$u2b$$u20$$u27$static$u20$as$u20$foo..Bar$LT$Test$GT$$GT$3barE",
                        "<Test + 'static as foo::Bar<Test>>::bar"),
                hashed("_ZN3foo17h05af221e174051e9E", "foo", "::h05af221e174051e9"),
                // Hash edge cases: any length of hex after 'h', only as the last segment.
                hashed("_ZN3foo20h05af221e174051e9abcE", "foo", "::h05af221e174051e9abc"),
                hashed("_ZN3foo5h05afE", "foo", "::h05af"),
                same("_ZN17h05af221e174051e93fooE", "h05af221e174051e9::foo"),
                same("_ZN3foo16ffaf221e174051e9E", "foo::ffaf221e174051e9"),
                same("_ZN3foo17hg5af221e174051e9E", "foo::hg5af221e174051e9"),
                // ThinLTO suffixes are dropped; other dotted suffixes are kept.
                same("_ZN3fooE.llvm.9D1C9369", "foo"),
                same("_ZN3fooE.llvm.9D1C9369@@16", "foo"),
                same("_ZN3fooE.llvm.1234567", "foo"),
                hashed("_ZN9backtrace3foo17hbb467fcdaea5d79bE.llvm.A5310EB9", "backtrace::foo", "::hbb467fcdaea5d79b"),
                row("_ZN4core5slice77_$LT$impl$u20$core..ops..index..IndexMut$LT$I$GT$$u20$for$u20$$u5b$T$u5d$$GT$9index_mut17haf9727c2edfbc47bE.exit.i.i",
                        "core::slice::<impl core::ops::index::IndexMut<I> for [T]>::index_mut.exit.i.i",
                        "core::slice::<impl core::ops::index::IndexMut<I> for [T]>::index_mut::haf9727c2edfbc47b.exit.i.i"),
                hashed("_ZN151_$LT$alloc..boxed..Box$LT$alloc..boxed..FnBox$LT$A$C$$u20$Output$u3d$R$GT$$u20$$u2b$$u20$$u27$a$GT$$u20$as$u20$core..ops..function..FnOnce$LT$A$GT$$GT$9call_once17h69e8f44b3723e1caE",
                        "<alloc::boxed::Box<alloc::boxed::FnBox<A, Output=R> + 'a> as core::ops::function::FnOnce<A>>::call_once",
                        "::h69e8f44b3723e1ca"),
                hashed("_ZN88_$LT$core..result..Result$LT$$u21$$C$$u20$E$GT$$u20$as$u20$std..process..Termination$GT$6report17hfc41d0da4a40b3e8E",
                        "<core::result::Result<!, E> as std::process::Termination>::report", "::hfc41d0da4a40b3e8"),
                hashed("_ZN11utf8_idents157_$u10e1$$u10d0$$u10ed$$u10db$$u10d4$$u10da$$u10d0$$u10d3$_$u10d2$$u10d4$$u10db$$u10e0$$u10d8$$u10d4$$u10da$$u10d8$_$u10e1$$u10d0$$u10d3$$u10d8$$u10da$$u10d8$17h21634fd5714000aaE",
                        "utf8_idents::საჭმელად_გემრიელი_სადილი", "::h21634fd5714000aa"),
                // Emitted by rustc 1.95 for the test fixture.
                hashed("_ZN4core3ptr42drop_in_place$LT$alloc..string..String$GT$17h68265e9a20d8fba2E",
                        "core::ptr::drop_in_place<alloc::string::String>", "::h68265e9a20d8fba2"),
                hashed("_ZN50_$LT$$LP$U$C$T$RP$$u20$as$u20$core..fmt..Debug$GT$3fmt17hb061cbedbd566a8dE",
                        "<(U,T) as core::fmt::Debug>::fmt", "::hb061cbedbd566a8d"),
                hashed("_ZN4core3ptr9const_ptr33_$LT$impl$u20$$BP$const$u20$T$GT$13is_aligned_to17had9ce2ee4c4633a4E",
                        "core::ptr::const_ptr::<impl *const T>::is_aligned_to", "::had9ce2ee4c4633a4"),
                hashed("_ZN5alloc3fmt6format28_$u7b$$u7b$closure$u7d$$u7d$17h9649da49933ecb65E",
                        "alloc::fmt::format::{{closure}}", "::h9649da49933ecb65"),
                hashed("_ZN9manglings13gr$ufc$$udf$e17h4549f326d40f2f39E", "manglings::grüße", "::h4549f326d40f2f39"));
    }

    @ParameterizedTest
    @MethodSource("symbols")
    void demangles(String mangled, String withoutHash, String withHash) {
        assertThat(hidingHashes.demangle(mangled)).contains(withoutHash);
        assertThat(keepingHashes.demangle(mangled)).contains(withHash);
    }

    @Test
    void demangleOrSelfPassesOtherNamesThrough() {
        assertThat(hidingHashes.demangleOrSelf("_ZN3foo3barE")).isEqualTo("foo::bar");
        assertThat(hidingHashes.demangleOrSelf("memcpy")).isEqualTo("memcpy");
        assertThat(hidingHashes.demangleOrSelf("_ZN3fooE.llvm moocow")).isEqualTo("_ZN3fooE.llvm moocow");
    }

    private static Arguments same(String mangled, String demangled) {
        return arguments(mangled, demangled, demangled);
    }

    private static Arguments hashed(String mangled, String demangled, String hashSegment) {
        return arguments(mangled, demangled, demangled + hashSegment);
    }

    private static Arguments row(String mangled, String withoutHash, String withHash) {
        return arguments(mangled, withoutHash, withHash);
    }
}
