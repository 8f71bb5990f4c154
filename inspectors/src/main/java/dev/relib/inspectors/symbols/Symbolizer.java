package dev.relib.inspectors.symbols;

import dev.relib.engine.process.Mapping;
import dev.relib.inspectors.demangle.SymbolDemangler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Turns addresses into frames: the object that held the address when it was captured (from an
 * {@link AddressSpace}), the function from the object's symbol table, and the source line from
 * its DWARF line table. Never throws for an address it cannot resolve: the frame says what is
 * missing and why.
 */
public final class Symbolizer {

    private final SymbolCache cache;
    private final UnaryOperator<String> demangler;

    /** A symbolizer with its own cache that shows Rust and C++ names demangled, Rust hashes hidden. */
    public Symbolizer() {
        this(new SymbolCache());
    }

    /** A symbolizer over a shared cache that shows Rust and C++ names demangled, Rust hashes hidden. */
    public Symbolizer(SymbolCache cache) {
        this(cache, new SymbolDemangler()::demangleOrSelf);
    }

    /**
     * @param demangler turns a raw symbol name into the name shown (Rust legacy and v0 names, C++
     *                  names); names it does not recognise must come back unchanged
     */
    public Symbolizer(SymbolCache cache, UnaryOperator<String> demangler) {
        this.cache = cache;
        this.demangler = demangler;
    }

    public SymbolCache cache() {
        return cache;
    }

    /** One frame per address (the function holding it; see {@link #symbolize(long, AddressSpace)}). */
    public List<Frame> symbolize(long[] addresses, AddressSpace space) {
        List<Frame> frames = new ArrayList<>(addresses.length);
        for (long address : addresses) {
            frames.add(symbolize(address, space));
        }
        return frames;
    }

    /**
     * A backtrace's frames: each is a return address, the instruction after a call, so its function
     * and line are those of {@code address - 1} (the call itself), as gdb and addr2line -i read them.
     * An address in inlined code gives a frame per inlined function, innermost first, then the
     * function they were inlined into; the frames keep the addresses as given.
     */
    public List<Frame> symbolizeReturnAddresses(long[] returnAddresses, AddressSpace space) {
        List<Frame> frames = new ArrayList<>(returnAddresses.length);
        for (long address : returnAddresses) {
            frames.addAll(returnAddressFrames(address, space));
        }
        return frames;
    }

    /** The frames of one return address, innermost first: see {@link #symbolizeReturnAddresses}. */
    public List<Frame> returnAddressFrames(long returnAddress, AddressSpace space) {
        List<Frame> call = frames(returnAddress - 1, space);
        List<Frame> frames = new ArrayList<>(call.size());
        for (Frame frame : call) {
            boolean hasOffset = frame.function() != null && !frame.inlined();
            frames.add(frame.at(returnAddress, hasOffset ? frame.offset() + 1 : 0));
        }
        return frames;
    }

    /** The function a return address lies in: the last of {@link #returnAddressFrames}. */
    public Frame symbolizeReturnAddress(long returnAddress, AddressSpace space) {
        List<Frame> frames = returnAddressFrames(returnAddress, space);
        return frames.get(frames.size() - 1);
    }

    /**
     * The function holding {@code address}, with the line in that function: where the address is in
     * inlined code, the line of the outermost inlined call (the function's own line), as gdb shows
     * the frame. {@link #frames} gives the inlined levels too.
     */
    public Frame symbolize(long address, AddressSpace space) {
        List<Frame> frames = frames(address, space);
        return frames.get(frames.size() - 1);
    }

    /**
     * Every level of code at {@code address}, innermost first: a frame per inlined function (marked
     * {@link Frame#inlined}, with its own line), then the function they were inlined into (with the
     * line of the call that was inlined). One frame where nothing was inlined. Never empty.
     */
    public List<Frame> frames(long address, AddressSpace space) {
        Optional<Mapping> mapping = space.mappingAt(address);
        if (mapping.isEmpty()) {
            return List.of(Frame.unmapped(address));
        }
        Mapping found = mapping.get();
        if (!found.isFile()) {
            String name = found.path().isEmpty() ? "[anon]" : found.path();
            return List.of(new Frame(address, name, null, 0, null, 0, 0, false, "not a file mapping"));
        }
        ObjectKey key = ObjectKey.of(found);
        try {
            return inObject(address, found, key, cache.get(key));
        } catch (RuntimeException e) {
            // A reader bug or an input it never anticipated must not take the caller's report down.
            return List.of(new Frame(address, key.path(), null, 0, null, 0, 0, false, "symbolization failed: " + e));
        }
    }

    /** A function of a mapped object, at its address in the process. */
    public record MappedFunction(String name, long address, long size) {
    }

    /**
     * The functions of the object that holds {@code anyAddress}, whose shown (demangled) names pass
     * {@code test}, at their addresses in that process; empty when the address is in no object file.
     */
    public List<MappedFunction> functionsNamed(long anyAddress, AddressSpace space, Predicate<String> test) {
        Optional<Mapping> mapping = space.mappingAt(anyAddress);
        if (mapping.isEmpty() || !mapping.get().isFile()) {
            return List.of();
        }
        ObjectSymbols symbols = cache.get(ObjectKey.of(mapping.get()));
        OptionalLong virtual = symbols.virtualAddress(anyAddress - mapping.get().start() + mapping.get().offset());
        if (virtual.isEmpty()) {
            return List.of();
        }
        long bias = anyAddress - virtual.getAsLong();
        List<MappedFunction> found = new ArrayList<>();
        for (FunctionSymbol function : symbols.functionSymbols()) {
            String name = demangler.apply(function.name());
            if (test.test(name)) {
                found.add(new MappedFunction(name, bias + function.address(), function.size()));
            }
        }
        return found;
    }

    private List<Frame> inObject(long address, Mapping mapping, ObjectKey key, ObjectSymbols symbols) {
        long fileOffset = address - mapping.start() + mapping.offset();
        OptionalLong virtual = symbols.virtualAddress(fileOffset);
        if (virtual.isEmpty()) {
            String why = symbols.symbolProblem().orElse("file offset 0x" + Long.toHexString(fileOffset)
                    + " lies in no loadable segment");
            return List.of(new Frame(address, key.path(), null, 0, null, 0, 0, false, why));
        }
        long objectAddress = virtual.getAsLong();
        Optional<SymbolMatch> match = symbols.lookup(objectAddress);
        Optional<SourceLocation> location = symbols.sourceLocation(objectAddress);
        String symbolName = match.map(m -> demangler.apply(m.symbol().name())).orElse(null);
        long offset = match.map(SymbolMatch::offset).orElse(0L);
        List<InlineScope> scopes = symbols.inlineScopes(objectAddress);
        String file = location.map(SourceLocation::file).orElse(null);
        int line = location.map(SourceLocation::line).orElse(0);
        int column = location.map(SourceLocation::column).orElse(0);
        if (scopes.isEmpty() || scopes.size() == 1 && !scopes.get(0).inlined()) {
            String function = scopes.isEmpty() ? symbolName : nameOf(scopes.get(0), symbolName);
            String missing = missing(symbols, match.isPresent(), location.isPresent());
            return List.of(new Frame(address, key.path(), function, offset, file, line, column, file != null, missing));
        }
        List<Frame> frames = new ArrayList<>(scopes.size() + 1);
        for (InlineScope scope : scopes) {
            if (scope.inlined()) {
                frames.add(new Frame(address, key.path(), nameOf(scope, null), 0, file, line, column, file != null,
                        file == null ? "no line table row covers the address" : null, true));
                file = scope.callFile();
                line = scope.callLine();
                column = scope.callColumn();
            } else {
                frames.add(outer(address, key, nameOf(scope, symbolName), offset, file, line, column, symbols, match));
                return frames;
            }
        }
        // The outermost level was inlined into code the debug info does not describe.
        frames.add(outer(address, key, symbolName, offset, file, line, column, symbols, match));
        return frames;
    }

    private Frame outer(long address, ObjectKey key, String function, long offset, String file, int line, int column,
            ObjectSymbols symbols, Optional<SymbolMatch> match) {
        return new Frame(address, key.path(), function, offset, file, line, column, file != null,
                missing(symbols, match.isPresent() || function != null, file != null));
    }

    /** The name DWARF gives the scope (a linkage name demangled); {@code fallback} when it gives none. */
    private String nameOf(InlineScope scope, String fallback) {
        if (scope.name() == null) {
            return fallback;
        }
        return scope.linkageName() ? demangler.apply(scope.name()) : scope.name();
    }

    private static String missing(ObjectSymbols symbols, boolean hasFunction, boolean hasLine) {
        List<String> reasons = new ArrayList<>(2);
        if (!hasFunction) {
            reasons.add(symbols.symbolProblem().orElse("no function symbol covers the address (" + symbols.symbolSource() + ")"));
        }
        if (!hasLine) {
            reasons.add(symbols.lineInfoAbsence().orElse("no line table row covers the address"));
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }
}
