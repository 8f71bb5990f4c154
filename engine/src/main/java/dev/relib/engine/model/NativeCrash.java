package dev.relib.engine.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.relib.engine.process.Mapping;
import java.util.List;
import java.util.Map;

/**
 * What a native crash of the worker left behind, as read by the shell before the worker's
 * directory was removed: the signal and its siginfo, the crashing thread, its native stack as raw
 * addresses, and the process's mappings to symbolize them in. Values only: the shell symbolizes.
 *
 * @param source        where the facts come from: "relib agent" (its crash handler's file) or
 *                      "JVM fatal error log" (hs_err, when the agent wrote none)
 * @param signalNumber  e.g. 11
 * @param signalCode    {@code si_code}: e.g. 1 (SEGV_MAPERR), or -6 (SI_TKILL: abort's raise)
 * @param faultAddress  {@code si_addr} for SIGSEGV, SIGBUS, SIGFPE and SIGILL; null for other signals
 * @param pc            the instruction the thread was executing
 * @param returnAddresses its stack after pc, innermost first (each a call's return address)
 * @param complete      false when the walk stopped at a frame it could not unwind (the stack is longer)
 * @param threadId      the crashing thread's tid (0 when unknown)
 * @param threadName    its name, or null
 * @param javaFrames    the JVM's Java frames of that thread, as its log prints them (may be empty)
 * @param mappings      the process's mappings when it crashed
 * @param moduleFiles   loaded modules' files (as mapped) by module name, for naming the module that crashed
 */
public record NativeCrash(String source, int signalNumber, int signalCode, Long faultAddress, long pc,
                          List<Long> returnAddresses, boolean complete, long threadId, String threadName,
                          List<String> javaFrames, List<Mapping> mappings, Map<String, String> moduleFiles) {

    public NativeCrash {
        returnAddresses = List.copyOf(returnAddresses);
        javaFrames = List.copyOf(javaFrames);
        mappings = List.copyOf(mappings);
        moduleFiles = Map.copyOf(moduleFiles);
    }

    /** The mappings are for symbolizing in this process; a JSON report carries the frames instead. */
    @Override
    @JsonIgnore
    public List<Mapping> mappings() {
        return mappings;
    }

    @Override
    @JsonIgnore
    public Map<String, String> moduleFiles() {
        return moduleFiles;
    }

    public NativeCrash withModuleFiles(Map<String, String> files) {
        return new NativeCrash(source, signalNumber, signalCode, faultAddress, pc, returnAddresses, complete, threadId,
                threadName, javaFrames, mappings, files);
    }

    /** {@code SIGSEGV}, or "signal N" for one without a name here. */
    public String signalName() {
        return Signals.name(signalNumber);
    }

    /** {@code SEGV_MAPERR (address not mapped)}, or the number. */
    public String signalCodeName() {
        return Signals.codeName(signalNumber, signalCode);
    }
}
