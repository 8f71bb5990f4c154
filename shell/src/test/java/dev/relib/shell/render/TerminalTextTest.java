package dev.relib.shell.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {

    @Test
    void controlCharactersAreShownAsEscapesAndTextIsLeftAlone() {
        assertThat(TerminalText.escapeControls("plain\ttext, ünïcode")).isEqualTo("plain\ttext, ünïcode");
        assertThat(TerminalText.escapeControls("\u001b[31mred\u001b[0m")).isEqualTo("\\x1b[31mred\\x1b[0m");
        assertThat(TerminalText.escapeControls("over\rwrite\u0007\u007f\u009b2J")).isEqualTo("over\\rwrite\\x07\\x7f\\u{9b}2J");
    }
}
