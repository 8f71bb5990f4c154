package dev.relib.engine.model;

/**
 * A host import defined in the shell ({@code import stub answer() -> u8 = 42}): it answers SDK
 * modules loaded afterwards that import a function of this name and signature.
 *
 * @param name      the import's name
 * @param signature canonical signature, e.g. {@code answer() -> u8}
 * @param value     what it returns, as written ({@code 42}), or the failure it raises
 * @param fails     the stub fails with {@code value} as its message ({@code = fail "text"}), for
 *                  testing how a module handles an import that fails in the host
 */
public record ImportStub(String name, String signature, String value, boolean fails) {

    /** How the shell writes it back: {@code answer() -> u8 = 42}. */
    public String definition() {
        return signature + " = " + (fails ? "fail " + quoted(value) : value);
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
