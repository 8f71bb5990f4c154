package dev.relib.inspectors.symbols;

/**
 * One level of the code holding an address, from {@code .debug_info}: a function inlined there, or
 * the function it was inlined into.
 *
 * @param name        the function's name as DWARF records it: its linkage (mangled) name when it
 *                    has one, else its plain name; null when neither can be read
 * @param linkageName whether {@code name} is a linkage name (and so worth demangling)
 * @param inlined     whether this level was inlined into the next one
 * @param callFile    for an inlined level: the file of the call it replaced, in the caller; else null
 * @param callLine    for an inlined level: that call's line (0 when unknown)
 * @param callColumn  for an inlined level: that call's column (0 when unknown)
 */
public record InlineScope(String name, boolean linkageName, boolean inlined, String callFile, int callLine, int callColumn) {
}
