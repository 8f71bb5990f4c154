package dev.relib.shell.command;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/** The session's model built a command at a time: the same model as the whole one, in the end. */
class LazyCommandModelTest {

    @Test
    void aCommandIsBuiltWhenFirstNamedAndReadsAsInTheWholeModel() {
        LazyCommandModel lazy = new LazyCommandModel();
        CommandLine whole = SessionCommands.model();

        assertThat(lazy.has("load")).isTrue();
        assertThat(lazy.root().getSubcommands()).containsOnlyKeys("load");
        assertThat(lazy.has("exit")).as("an alias builds its command").isTrue();
        assertThat(lazy.root().getSubcommands()).containsOnlyKeys("load", "quit", "exit");
        assertThat(lazy.has("bogus")).isFalse();

        CommandLine load = lazy.root().getSubcommands().get("load");
        assertThat(load.getUsageMessage(Ansi.OFF)).isEqualTo(whole.getSubcommands().get("load").getUsageMessage(Ansi.OFF))
                .startsWith("Usage: relib load");
        CommandLine call = lazy.with("call").getSubcommands().get("call");
        assertThat(call.isUnmatchedOptionsArePositionalParams()).as("-inf is a call's argument").isTrue();
        assertThat(call.isCaseInsensitiveEnumValuesAllowed()).isTrue();
        assertThat(lazy.with("check").getSubcommands().get("check").getSubcommands()).containsKeys("load", "unload");
    }

    @Test
    void theCompleteModelHoldsEveryCommandInHelpsOrderAndKeepsTheOnesBuilt() {
        LazyCommandModel lazy = new LazyCommandModel();
        lazy.has("unload");
        CommandLine built = lazy.root().getSubcommands().get("unload");
        lazy.root().setUsageHelpWidth(60);

        CommandLine complete = lazy.complete();
        assertThat(complete.getSubcommands().keySet()).containsExactlyElementsOf(SessionCommands.model().getSubcommands().keySet());
        assertThat(complete.getSubcommands().get("unload")).isSameAs(built);
        assertThat(complete.getSubcommands().get("load").getUsageHelpWidth()).as("the width set before").isEqualTo(60);
        assertThat(lazy.with("load")).isSameAs(complete);
    }
}
