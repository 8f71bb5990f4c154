package dev.relib.inspectors.symbols;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Which addresses of an object a comparison covers: object-relative virtual addresses. */
interface Corpus {

    List<Long> addresses(ObjectSymbols symbols);

    /** Every byte of every global function of the object (small C samples). */
    static Corpus everyByteOfExports() {
        return symbols -> {
            List<Long> addresses = new ArrayList<>();
            for (FunctionSymbol f : symbols.functionSymbols()) {
                for (long a = f.address(); a < f.address() + f.size(); a++) {
                    addresses.add(a);
                }
            }
            return addresses;
        };
    }

    /** {@code count} addresses spread evenly over the sized functions, plus their first bytes. */
    static Corpus sampled(int count) {
        return symbols -> {
            List<FunctionSymbol> functions = symbols.functionSymbols().stream().filter(f -> f.size() > 0).toList();
            long total = functions.stream().mapToLong(FunctionSymbol::size).sum();
            long step = Math.max(1, total / count);
            TreeSet<Long> addresses = new TreeSet<>();
            long position = 0;
            for (FunctionSymbol f : functions) {
                addresses.add(f.address());
                for (long a = f.address() + Math.floorMod(-position, step); a < f.address() + f.size(); a += step) {
                    addresses.add(a);
                }
                position += f.size();
            }
            return new ArrayList<>(addresses);
        };
    }
}
