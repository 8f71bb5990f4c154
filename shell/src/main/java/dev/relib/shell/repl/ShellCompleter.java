package dev.relib.shell.repl;

import dev.relib.engine.Engine;
import dev.relib.engine.ModuleRef;
import dev.relib.engine.error.EngineException;
import dev.relib.engine.model.ExportInfo;
import dev.relib.engine.model.ModuleInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jline.reader.impl.completer.FileNameCompleter;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion driven by the picocli model: command and subcommand names, each command's
 * options, and for positional arguments what their label says: PATH and FILE complete file names,
 * MOD loaded modules, TARGET exports of loaded modules, COMMAND command names, and a parameter
 * with completion candidates (the names {@code set} knows) those candidates. Modules and
 * exports come from the engine only when it is already running; completion never starts it.
 */
public final class ShellCompleter implements Completer {

    /** What a word at the cursor is, as the command model describes it. */
    public enum Kind { COMMAND, SUBCOMMAND, OPTION, PATH, MODULE, EXPORT, CHOICE, NONE }

    private final CommandLine model;
    private final Supplier<Optional<Engine>> engine;
    // Deprecated in favour of jline-builtins' copy, which would add a dependency for one class.
    @SuppressWarnings("deprecation")
    private final Completer paths = new FileNameCompleter();

    public ShellCompleter(CommandLine model, Supplier<Optional<Engine>> startedEngine) {
        this.model = model;
        this.engine = startedEngine;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (kind(words, index) == Kind.PATH) {
            paths.complete(reader, line, candidates);
            return;
        }
        for (String value : candidates(words, index)) {
            candidates.add(new Candidate(value, value, null, null, null, null, true));
        }
    }

    /** What kind of word sits at {@code index} of the typed {@code words}. */
    public Kind kind(List<String> words, int index) {
        if (index == 0) {
            return Kind.COMMAND;
        }
        if (!model.getSubcommands().containsKey(words.get(0))) {
            return Kind.NONE;
        }
        if (!model.getSubcommands().get(words.get(0)).getSubcommands().isEmpty() && index == 1) {
            return Kind.SUBCOMMAND;
        }
        String current = index < words.size() ? words.get(index) : "";
        if (current.startsWith("-")) {
            return Kind.OPTION;
        }
        return positional(words, index).map(ShellCompleter::kindOf).orElse(Kind.NONE);
    }

    /** The positional parameter the word at {@code index} fills, if the command model has one there. */
    private Optional<PositionalParamSpec> positional(List<String> words, int index) {
        CommandLine command = model.getSubcommands().get(words.get(0));
        int argStart = 1;
        if (!command.getSubcommands().isEmpty()) {
            command = command.getSubcommands().get(words.get(1));
            if (command == null) {
                return Optional.empty();
            }
            argStart = 2;
        }
        CommandSpec spec = command.getCommandSpec();
        int positional = 0;
        for (int i = argStart; i < index; i++) {
            OptionSpec option = spec.findOption(words.get(i));
            if (option != null) {
                // An optional value (--strict[=all]) is written attached, so the next word is not it.
                if (option.arity().min() > 0) {
                    if (i + 1 == index) {
                        return Optional.empty();
                    }
                    i++;
                }
            } else {
                positional++;
            }
        }
        for (PositionalParamSpec param : spec.positionalParameters()) {
            if (param.index().contains(positional)) {
                return Optional.of(param);
            }
        }
        return Optional.empty();
    }

    /** The candidates for every kind except PATH (which JLine's file-name completer serves). */
    public List<String> candidates(List<String> words, int index) {
        return switch (kind(words, index)) {
            case COMMAND -> new ArrayList<>(model.getSubcommands().keySet());
            case SUBCOMMAND -> new ArrayList<>(model.getSubcommands().get(words.get(0)).getSubcommands().keySet());
            case OPTION -> options(words);
            case MODULE -> modules();
            case EXPORT -> exports();
            case CHOICE -> choices(positional(words, index).orElseThrow());
            case PATH, NONE -> List.of();
        };
    }

    private static Kind kindOf(ArgSpec param) {
        if (param.completionCandidates() != null) {
            return Kind.CHOICE;
        }
        return switch (param.paramLabel()) {
            case "PATH", "FILE" -> Kind.PATH;
            case "MOD" -> Kind.MODULE;
            case "TARGET" -> Kind.EXPORT;
            case "COMMAND" -> Kind.COMMAND;
            default -> Kind.NONE;
        };
    }

    private static List<String> choices(ArgSpec param) {
        List<String> choices = new ArrayList<>();
        param.completionCandidates().forEach(choices::add);
        return choices;
    }

    private List<String> options(List<String> words) {
        CommandLine command = model.getSubcommands().get(words.get(0));
        if (!command.getSubcommands().isEmpty() && words.size() > 1) {
            CommandLine sub = command.getSubcommands().get(words.get(1));
            command = sub == null ? command : sub;
        }
        List<String> names = new ArrayList<>();
        for (OptionSpec option : command.getCommandSpec().options()) {
            names.add(option.longestName());
        }
        return names;
    }

    private List<String> modules() {
        List<String> names = new ArrayList<>();
        for (ModuleInfo module : loaded()) {
            names.add(module.name());
            names.add("#" + module.id());
        }
        return names;
    }

    private List<String> exports() {
        List<ModuleInfo> modules = loaded();
        List<String> names = new ArrayList<>();
        for (ModuleInfo module : modules) {
            try {
                for (ExportInfo export : engine.get().orElseThrow().exports(ModuleRef.of(module.name()))) {
                    names.add(modules.size() == 1 ? export.symbol() : module.name() + "." + export.symbol());
                }
                if (module.sdk() != null && module.sdk().hasMain()) {
                    // call main runs an SDK module's main again.
                    names.add(modules.size() == 1 ? "main" : module.name() + ".main");
                }
            } catch (EngineException e) {
                // A module unloaded between the two calls has no exports to offer.
            }
        }
        return names;
    }

    private List<ModuleInfo> loaded() {
        try {
            return engine.get().map(Engine::modules).orElse(List.of());
        } catch (EngineException e) {
            // A dead worker has nothing to offer until restart.
            return List.of();
        }
    }
}
