package dev.relib.inspectors.demangle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * v0 ({@code _R}) symbols: the cases of rustc-demangle's test suite, one or more per production of
 * RFC 2603, and symbols rustc 1.95 emits. Each row gives the default output and the output of
 * {@link RustDemangler#keepingHashes()} (crate disambiguators, typed integer constants).
 */
class V0DemanglingTest {

    private final RustDemangler hidingHashes = new RustDemangler();
    private final RustDemangler keepingHashes = RustDemangler.keepingHashes();

    static Stream<Arguments> paths() {
        return Stream.of(
                same("_RC4f128", "f128"),
                same("_RNvC6_123foo3bar", "123foo::bar"),
                row("_RNvCs1234_3foo3bar", "foo::bar", "foo[3c1c0]::bar"),
                row("_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y",
                        "utf8_idents::საჭმელად_გემრიელი_სადილი",
                        "utf8_idents[317d481089b8c8fe]::საჭმელად_გემრიელი_სადილი"),
                row("_RNvCsjRHfZozxIli_9manglingsu9gre_6ka8l", "manglings::grüße", "manglings[e7648578da3d57c2]::grüße"),
                row("_RNvNtCsjRHfZozxIli_9manglingsu6wgv71au7kdvt68h",
                        "manglings::日本::関数", "manglings[e7648578da3d57c2]::日本::関数"),
                // Closures and shims, with and without disambiguators and names.
                row("_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_",
                        "cc::spawn::{closure#0}::{closure#0}",
                        "cc[4d6468d6c9fd4bb3]::spawn::{closure#0}::{closure#0}"),
                same("_RNCNvC3foo3bars_0", "foo::bar::{closure#1}"),
                same("_RNCNvC3foo3bar5inner", "foo::bar::{closure:inner#0}"),
                same("_RNSNvC3foo3bar6vtable", "foo::bar::{shim:vtable#0}"),
                // Inherent impls, trait impls, and <T as Trait> paths, with backrefs.
                same("_RNvMNtC3foo3barNtB2_3Baz3new", "<foo::bar::Baz>::new"),
                same("_RNvXNtC3foo3barNtB2_3BazNtC3std5Clone5clone", "<foo::bar::Baz as std::Clone>::clone"),
                same("_RNvYNtC3foo3BazNtC3std5Clone5clone", "<foo::Baz as std::Clone>::clone"),
                row("_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpositionNCNgNpB9_6memchr7memrchrs_0E0Bb_",
                        "<core::slice::Iter<u8> as core::iter::iterator::Iterator>::rposition::<core::slice::memchr::memrchr::{closure#1}>::{closure#0}",
                        "<core[846817f741e54dfd]::slice::Iter<u8> as core[846817f741e54dfd]::iter::iterator::Iterator>::rposition::<core[846817f741e54dfd]::slice::memchr::memrchr::{closure#1}>::{closure#0}"),
                row("_RNvMs_CsjRHfZozxIli_9manglingsINtB4_7WrapperhKj3_E8describeB4_",
                        "<manglings::Wrapper<u8, 3>>::describe",
                        "<manglings[e7648578da3d57c2]::Wrapper<u8, 3usize>>::describe"),
                same("_RNvMNtNtCsgEmfK2I1SDS_4core3ptr9const_ptrPu13is_aligned_toCsjRHfZozxIli_9manglings",
                        "<*const ()>::is_aligned_to"),
                // Generic arguments: types, placeholders, lifetimes; dyn with associated types.
                same("_RINvC3foo3barpE", "foo::bar::<_>"),
                same("_RINvC3foo3barL_E", "foo::bar::<'_>"),
                same("_RINvC3foo3barabcdefhijlmnostuxyzE",
                        "foo::bar::<i8, bool, char, f64, str, f32, u8, isize, usize, i32, u32, i128, u128, i16, u16, (), i64, u64, !>"),
                row("_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbuBiw2_3std",
                        "alloc::alloc::box_free::<dyn alloc::boxed::FnBox<(), Output = ()>>",
                        "alloc[f15a878b47eb696b]::alloc::box_free::<dyn alloc[f15a878b47eb696b]::boxed::FnBox<(), Output = ()>>"),
                // Suffixes: ThinLTO's is dropped, others are kept.
                same("_RC3foo.llvm.9D1C9369", "foo"),
                same("_RC3foo.llvm.9D1C9369@@16", "foo"),
                same("_RNvC9backtrace3foo.llvm.A5310EB9", "backtrace::foo"),
                row("_RNvNtNtNtNtCs92dm3009vxr_4rand4rngs7adapter9reseeding4fork23FORK_HANDLER_REGISTERED.0.0",
                        "rand::rngs::adapter::reseeding::fork::FORK_HANDLER_REGISTERED.0.0",
                        "rand[693ea8e72247470f]::rngs::adapter::reseeding::fork::FORK_HANDLER_REGISTERED.0.0"),
                // Other prefixes: Windows drops the underscore, macOS adds one.
                same("RNvC3foo3bar", "foo::bar"),
                same("__RNvC3foo3bar", "foo::bar"));
    }

    /** Types, each as the self type of an impl path: {@code _RMC0<type>} prints {@code <type>}. */
    static Stream<Arguments> types() {
        return Stream.of(
                same("Sh", "[u8]"),
                row("Ahj4_", "[u8; 4]", "[u8; 4usize]"),
                same("ThlE", "(u8, i32)"),
                same("ThE", "(u8,)"),
                same("TE", "()"),
                same("u", "()"),
                same("Ph", "*const u8"),
                same("Oh", "*mut u8"),
                same("RL_h", "&u8"),
                same("QRh", "&mut &u8"),
                same("FvEu", "fn(...)"),
                same("FG_RL0_hERL0_h", "for<'a> fn(&'a u8) -> &'a u8"),
                same("FG0_RL1_hRL0_tEu", "for<'a, 'b> fn(&'a u8, &'b u16)"),
                same("FUKClEz", "unsafe extern \"C\" fn(i32) -> !"),
                same("FK13system_unwindEu", "extern \"system-unwind\" fn()"),
                same("DNtC3foo1ANtC3foo1BEL_", "dyn foo::A + foo::B"),
                same("FG_RL0_DNtC3foo5TraitEL0_Eu", "for<'a> fn(&'a dyn foo::Trait + 'a)"),
                same("DG_INtC3foo5TraitRL0_hEp6OutputRL0_tEL_", "dyn for<'a> foo::Trait<&'a u8, Output = &'a u16>"),
                row("INtC8arrayvec8ArrayVechKj7b_E", "arrayvec::ArrayVec<u8, 123>", "arrayvec::ArrayVec<u8, 123usize>"),
                row("WmRm1_m9_", "u32 is 1..=9", "u32 is 1u32..=9u32"),
                row("WmORm1_m2_Rm5_m6_E", "u32 is 1..=2 | 5..=6", "u32 is 1u32..=2u32 | 5u32..=6u32"),
                // Six nested backrefs double the output each time: 2^6 placeholders.
                same("TTTTTTpB8_EB7_EB6_EB5_EB4_EB3_E", "((((((_, _), (_, _)), ((_, _), (_, _))), (((_, _), (_, _)), ((_, _), (_, _)))), "
                        + "((((_, _), (_, _)), ((_, _), (_, _))), (((_, _), (_, _)), ((_, _), (_, _))))), "
                        + "(((((_, _), (_, _)), ((_, _), (_, _))), (((_, _), (_, _)), ((_, _), (_, _)))), "
                        + "((((_, _), (_, _)), ((_, _), (_, _))), (((_, _), (_, _)), ((_, _), (_, _))))))"));
    }

    /** Const generic arguments: {@code _RIC0K<const>E} prints {@code ::<const>}. */
    static Stream<Arguments> constants() {
        return Stream.of(
                same("p", "_"),
                row("j7b_", "123", "123usize"),
                row("hb_", "11", "11u8"),
                row("off00ff00ff00ff00ff_", "0xff00ff00ff00ff00ff", "0xff00ff00ff00ff00ffu128"),
                row("s98_", "152", "152i16"),
                row("anb_", "-11", "-11i8"),
                row("yffffffffffffffff_", "18446744073709551615", "18446744073709551615u64"),
                same("b0_", "false"),
                same("b1_", "true"),
                same("c76_", "'v'"),
                same("c22_", "'\"'"),
                same("c27_", "'\\''"),
                same("ca_", "'\\n'"),
                same("c2202_", "'∂'"),
                same("e616263_", "{*\"abc\"}"),
                same("e27_", "{*\"'\"}"),
                same("e090a_", "{*\"\\t\\n\"}"),
                same("ee28882c3bc_", "{*\"∂ü\"}"),
                same("ee183a1e18390e183ade1839be18394e1839ae18390e183935fe18392e18394e1839be183a0e18398e18394e1839ae183985fe183a1e18390e18393e18398e1839ae18398_",
                        "{*\"საჭმელად_გემრიელი_სადილი\"}"),
                same("Re616263_", "\"abc\""),
                same("Rp", "{&_}"),
                row("Rh7b_", "{&123}", "{&123u8}"),
                same("Rb0_", "{&false}"),
                same("Rc58_", "{&'X'}"),
                row("RRRh0_", "{&&&0}", "{&&&0u8}"),
                same("RRRe_", "{&&\"\"}"),
                same("QAE", "{&mut []}"),
                same("AE", "{[]}"),
                row("Ah1_h2_h3_E", "{[1, 2, 3]}", "{[1u8, 2u8, 3u8]}"),
                same("ARe61_Re62_Re63_E", "{[\"a\", \"b\", \"c\"]}"),
                row("AAh1_h2_EAh3_h4_EE", "{[[1, 2], [3, 4]]}", "{[[1u8, 2u8], [3u8, 4u8]]}"),
                same("TE", "{()}"),
                row("Tj0_E", "{(0,)}", "{(0usize,)}"),
                row("Th1_b0_E", "{(1, false)}", "{(1u8, false)}"),
                row("TRe616263_c78_RAh1_h2_h3_EE", "{(\"abc\", 'x', &[1, 2, 3])}", "{(\"abc\", 'x', &[1u8, 2u8, 3u8])}"),
                same("VNvINtNtC4core6option6OptionjE4NoneU", "{core::option::Option::<usize>::None}"),
                row("VNvINtNtC4core6option6OptionjE4SomeTj0_E",
                        "{core::option::Option::<usize>::Some(0)}", "{core::option::Option::<usize>::Some(0usize)}"),
                row("VNtC3foo3BarS1sRe616263_2chc78_5sliceRAh1_h2_h3_EE",
                        "{foo::Bar { s: \"abc\", ch: 'x', slice: &[1, 2, 3] }}",
                        "{foo::Bar { s: \"abc\", ch: 'x', slice: &[1u8, 2u8, 3u8] }}"));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void demanglesPaths(String mangled, String hidden, String kept) {
        assertThat(hidingHashes.demangle(mangled)).contains(hidden);
        assertThat(keepingHashes.demangle(mangled)).contains(kept);
    }

    @ParameterizedTest
    @MethodSource("types")
    void demanglesTypes(String mangled, String hidden, String kept) {
        assertThat(hidingHashes.demangle("_RMC0" + mangled)).contains("<" + hidden + ">");
        assertThat(keepingHashes.demangle("_RMC0" + mangled)).contains("<" + kept + ">");
    }

    @ParameterizedTest
    @MethodSource("constants")
    void demanglesConstants(String mangled, String hidden, String kept) {
        assertThat(hidingHashes.demangle("_RIC0K" + mangled + "E")).contains("::<" + hidden + ">");
        assertThat(keepingHashes.demangle("_RIC0K" + mangled + "E")).contains("::<" + kept + ">");
    }

    @Test
    void depthIsReleasedBetweenSiblings() {
        // Twice the depth limit of siblings: only nesting may count against it.
        for (String[] leaf : new String[][] {{"p", "_"}, {"Rp", "&_"}, {"C1x", "x"}}) {
            StringBuilder mangled = new StringBuilder("_RIC0p");
            StringBuilder expected = new StringBuilder("::<_");
            for (int i = 0; i < 2 * V0Parser.MAX_DEPTH; i++) {
                mangled.append(leaf[0]);
                expected.append(", ").append(leaf[1]);
            }
            mangled.append('E');
            expected.append('>');

            assertThat(hidingHashes.demangle(mangled.toString())).contains(expected.toString());
        }
    }

    @Test
    void nestingJustUnderTheLimitDemangles() {
        String mangled = "_RMC0" + "R".repeat(V0Parser.MAX_DEPTH - 10) + "h";

        assertThat(hidingHashes.demangle(mangled)).contains("<" + "&".repeat(V0Parser.MAX_DEPTH - 10) + "u8>");
    }

    private static Arguments same(String mangled, String demangled) {
        return arguments(mangled, demangled, demangled);
    }

    private static Arguments row(String mangled, String hidden, String kept) {
        return arguments(mangled, hidden, kept);
    }
}
