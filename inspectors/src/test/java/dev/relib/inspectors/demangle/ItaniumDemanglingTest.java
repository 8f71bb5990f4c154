package dev.relib.inspectors.demangle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The C++ demangler against binutils' {@code c++filt -i} (what addr2line -C prints): every name it
 * demangles must read exactly as c++filt reads it; names it does not handle stay mangled. The
 * corpus is every C++ symbol libstdc++ exports, plus hand-picked shapes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ItaniumDemanglingTest {

    @Test
    void namesOfCommonShapesReadAsCxxfiltReadsThem() {
        assertDemangles("_ZN3foo3barEv", "foo::bar()");
        assertDemangles("_ZNK3foo3barEi", "foo::bar(int) const");
        assertDemangles("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back(int const&)");
        assertDemangles("_Z1fPFviE", "f(void (*)(int))");
        assertDemangles("_Z1fPA10_i", "f(int (*) [10])");
        assertDemangles("_Z1fM1AKFvvE", "f(void (A::*)() const)");
        assertDemangles("_ZN12_GLOBAL__N_13fooEv", "(anonymous namespace)::foo()");
        assertDemangles("_Z3maxIiET_S0_S0_", "int max<int>(int, int)");
        assertDemangles("_ZTVN10__cxxabiv117__class_type_infoE", "vtable for __cxxabiv1::__class_type_info");
        assertDemangles("_ZZ4mainE5local", "main::local");
        assertDemangles("_Z4makeILi3EEvv", "void make<3>()");
        assertDemangles("_ZN1AC2Ev", "A::A()");
        assertDemangles("_ZN1AD1Ev", "A::~A()");
        assertDemangles("_ZNSsC1Ev", "std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string()");
        assertDemangles("_Z3fooRKSs", "foo(std::string const&)");
        assertDemangles("_ZlsRSoRKi", "operator<<(std::ostream&, int const&)");
        assertDemangles("_Z6helperv.constprop.0", "helper() [clone .constprop.0]");
    }

    @Test
    void whatItCannotReadStaysMangled() {
        assertThat(ItaniumDemangler.demangle("_Z1fIiEDTcl1gfp_EET_")).as("decltype expression").isEmpty();
        assertThat(ItaniumDemangler.demangle("_ZN3foo")).as("truncated").isEmpty();
        assertThat(ItaniumDemangler.demangle("main")).isEmpty();
        assertThat(ItaniumDemangler.demangle("_ZN3foo3barE17h0123456789abcdefE")).as("trailing garbage").isEmpty();
    }

    @Test
    void libstdcxxsExportsReadAsCxxfiltReadsThem() throws Exception {
        Path libstdcxx = libstdcxx();
        assumeTrue(libstdcxx != null, "libstdc++ or binutils not found: skipped");
        List<String> names = Binutils.definedDynamicSymbols(libstdcxx).stream()
                .filter(n -> n.startsWith("_Z")).distinct().toList();
        List<String> expected = Binutils.cxxfilt(names, false);
        List<String> disagreements = new ArrayList<>();
        int demangled = 0;
        for (int i = 0; i < names.size(); i++) {
            var ours = ItaniumDemangler.demangle(names.get(i));
            if (ours.isPresent()) {
                demangled++;
                if (!ours.get().equals(expected.get(i))) {
                    disagreements.add(names.get(i) + "\n    c++filt: " + expected.get(i) + "\n    ours:    " + ours.get());
                }
            }
        }
        System.out.printf("c++filt agreement on libstdc++'s exports: %d demangled of %d, %d disagree, %d left mangled%n",
                demangled - disagreements.size(), names.size(), disagreements.size(), names.size() - demangled);
        assertThat(disagreements).as("names demangled differently from c++filt").isEmpty();
        assertThat(demangled).as("names demangled of " + names.size()).isGreaterThan(names.size() * 9 / 10);
    }

    private static void assertDemangles(String mangled, String expected) {
        assertThat(ItaniumDemangler.demangle(mangled)).as(mangled).hasValue(expected);
    }

    private static Path libstdcxx() throws IOException, InterruptedException {
        try {
            Process process = new ProcessBuilder("g++", "-print-file-name=libstdc++.so.6").start();
            String path = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor(30, TimeUnit.SECONDS);
            Path found = Path.of(path);
            return found.isAbsolute() && Files.exists(found) ? found.toRealPath() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
