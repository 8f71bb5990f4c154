package dev.relib.engine.model;

import java.util.Map;

/** Names of Linux x86-64 signals and their {@code si_code} values, as gdb and psiginfo print them. */
public final class Signals {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
            Map.entry(9, "SIGKILL"), Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
            Map.entry(15, "SIGTERM"));

    /** must match: Linux asm-generic/siginfo.h */
    private static final Map<Integer, String> SENT = Map.of(
            0, "SI_USER (sent by kill)", -1, "SI_QUEUE (sent by sigqueue)", -6, "SI_TKILL (sent by tkill: raise, abort)");
    private static final Map<Integer, Map<Integer, String>> CODES = Map.of(
            11, Map.of(1, "SEGV_MAPERR (address not mapped)", 2, "SEGV_ACCERR (no permission for the access)",
                    3, "SEGV_BNDERR (bounds check failed)", 4, "SEGV_PKUERR (protection key)"),
            7, Map.of(1, "BUS_ADRALN (misaligned address)", 2, "BUS_ADRERR (no such physical address)",
                    3, "BUS_OBJERR (object-specific hardware error)"),
            8, Map.of(1, "FPE_INTDIV (integer divide by zero)", 2, "FPE_INTOVF (integer overflow)",
                    3, "FPE_FLTDIV (floating-point divide by zero)", 4, "FPE_FLTOVF (floating-point overflow)",
                    5, "FPE_FLTUND (floating-point underflow)", 6, "FPE_FLTRES (inexact result)",
                    7, "FPE_FLTINV (invalid operation)", 8, "FPE_FLTSUB (subscript out of range)"),
            4, Map.of(1, "ILL_ILLOPC (illegal opcode)", 2, "ILL_ILLOPN (illegal operand)",
                    3, "ILL_ILLADR (illegal addressing mode)", 4, "ILL_ILLTRP (illegal trap)",
                    5, "ILL_PRVOPC (privileged opcode)", 6, "ILL_PRVREG (privileged register)",
                    7, "ILL_COPROC (coprocessor error)", 8, "ILL_BADSTK (internal stack error)"));

    private Signals() {
    }

    public static String name(int signal) {
        return NAMES.getOrDefault(signal, "signal " + signal);
    }

    /** The number of a signal name ({@code SIGSEGV}), or 0. */
    public static int number(String name) {
        return NAMES.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst()
                .orElse(0);
    }

    public static String codeName(int signal, int code) {
        if (code <= 0 && SENT.containsKey(code)) {
            return SENT.get(code);
        }
        return CODES.getOrDefault(signal, Map.of()).getOrDefault(code, "si_code " + code);
    }
}
