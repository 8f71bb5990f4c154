package dev.relib.inspectors.demangle;

/**
 * A demangled path and whatever followed the mangled name in the symbol (such as the
 * {@code .exit.i.i} of an LLVM branch label), which the facade decides to keep or reject.
 */
record Demangling(String name, String suffix) {
}
