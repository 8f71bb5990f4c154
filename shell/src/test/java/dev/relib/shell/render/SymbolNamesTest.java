package dev.relib.shell.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SymbolNamesTest {

    @Test
    void showsRustAndCxxNamesDemangledWithHashesHiddenAndOtherNamesAsTheyAre() {
        assertThat(SymbolNames.display("_ZN4core3fmt5write17h1234567890abcdefE")).isEqualTo("core::fmt::write");
        assertThat(SymbolNames.display("_RNvCs1234_5sheep11count_sheep")).isEqualTo("sheep::count_sheep");
        assertThat(SymbolNames.display("count_sheep")).isEqualTo("count_sheep");
        assertThat(SymbolNames.display("_Z3fooi")).isEqualTo("foo(int)");
        assertThat(SymbolNames.display("_Z3foo" + "DTcl1gEE")).as("a C++ name it cannot read").isEqualTo("_Z3fooDTcl1gEE");
    }
}
