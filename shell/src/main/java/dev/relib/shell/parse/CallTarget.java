package dev.relib.shell.parse;

import dev.relib.engine.ModuleRef;
import java.util.Collection;

/**
 * What {@code call} and {@code sig} name: {@code [MOD.]SYMBOL[SIGNATURE]}.
 *
 * @param module    the module named before the first '.', or implied
 * @param symbol    the export's symbol
 * @param signature {@code (u32) -> &str}, or null when none was written
 */
public record CallTarget(ModuleRef module, String symbol, String signature) {

    /**
     * Reads a target recognized by {@link CallTargetRecognizer}. {@code MOD.SYMBOL} is split at the
     * first '.' only when the prefix names a loaded module (by name or {@code #id}), so symbols that
     * contain dots stay whole.
     */
    public static CallTarget parse(String target, Collection<String> loadedModuleRefs) {
        int paren = target.indexOf('(');
        int arrow = target.indexOf("->");
        String head = paren < 0 ? target : target.substring(0, paren);
        String signature = paren < 0 ? null : target.substring(paren).strip();
        if (paren < 0 && arrow > 0) {
            // "main -> u64": no parameters, only the return type.
            head = target.substring(0, arrow).strip();
            signature = "() " + target.substring(arrow).strip();
        }
        ModuleRef module = ModuleRef.implied();
        int dot = head.indexOf('.');
        if (dot > 0 && loadedModuleRefs.contains(head.substring(0, dot))) {
            module = ModuleRef.of(head.substring(0, dot));
            head = head.substring(dot + 1);
        }
        return new CallTarget(module, head.strip(), signature);
    }

    /** The symbol with its signature, as the engine's parser and the user read it. */
    public String symbolWithSignature() {
        return signature == null ? symbol : symbol + signature;
    }
}
