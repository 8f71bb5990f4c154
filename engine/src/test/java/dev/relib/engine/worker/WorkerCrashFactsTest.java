package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.elf.ElfFile;
import dev.relib.engine.elf.ElfSymbol;
import dev.relib.engine.error.WorkerCrash;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CrashReport;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.ModuleInfo;
import dev.relib.engine.model.NativeCrash;
import dev.relib.engine.process.Mapping;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithWorkerEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a crash leaves for the shell: the signal, si_code and fault address, the faulting pc and
 * the stack as raw addresses, and the maps to read them in; from the agent's handler, or from the
 * JVM's log when the agent wrote nothing (an untracked module: no handler is installed).
 */
@Timeout(60)
class WorkerCrashFactsTest extends WithWorkerEngine {

    private static final Path CLEAK = SampleModules.c("cleak_O2");

    @Test
    void aSegfaultLeavesTheSignalFaultAddressAndTheStackFromTheAgent() {
        ModuleInfo module = engine.load(LoadRequest.of(CLEAK));

        CrashReport report = crash(module, "crash(u32) -> u32", "3");

        NativeCrash crash = report.nativeCrash();
        assertThat(crash).isNotNull();
        assertThat(crash.source()).isEqualTo(NativeCrashFiles.AGENT_SOURCE);
        assertThat(crash.signalName()).isEqualTo("SIGSEGV");
        assertThat(crash.signalCodeName()).startsWith("SEGV_MAPERR");
        assertThat(crash.faultAddress()).isZero();
        assertThat("relib-module-owner").as("the thread name, as the kernel keeps it (15 bytes)").startsWith(crash.threadName());
        assertThat(crash.threadId()).isPositive();
        assertThat(functionAt(crash, module, crash.pc())).isEqualTo("crash");
        assertThat(crash.returnAddresses()).as("the stack goes on past the module (jffi, then the JVM)").isNotEmpty();
        assertThat(crash.mappings()).anyMatch(m -> m.path().equals(module.loadedFrom().toString()));
        assertThat(crash.moduleFiles()).containsEntry(module.loadedFrom().toString(), module.name());
    }

    @Test
    void anAbortLeavesTheAbortingStack() {
        ModuleInfo module = engine.load(LoadRequest.of(CLEAK));

        CrashReport report = crash(module, "crash_abort(u32)", "1");

        NativeCrash crash = report.nativeCrash();
        assertThat(report.signal()).isEqualTo("SIGABRT");
        assertThat(crash.signalName()).isEqualTo("SIGABRT");
        assertThat(crash.faultAddress()).isNull();
        assertThat(crash.signalCodeName()).startsWith("SI_TKILL");
        assertThat(crash.returnAddresses()).as("abort's callers include cleak's give_up")
                .anyMatch(ra -> inModule(crash, module, ra - 1));
    }

    @Test
    void withoutTheAgentTheJvmsFatalErrorLogGivesTheFacts() {
        ModuleInfo module = engine.load(new LoadRequest(CLEAK, null, true, false));

        CrashReport report = crash(module, "crash(u32) -> u32", "3");

        NativeCrash crash = report.nativeCrash();
        assertThat(crash.source()).isEqualTo(NativeCrashFiles.JVM_SOURCE);
        assertThat(crash.signalName()).isEqualTo("SIGSEGV");
        assertThat(crash.signalCode()).isEqualTo(1);
        assertThat(crash.faultAddress()).isZero();
        assertThat(functionAt(crash, module, crash.pc())).isEqualTo("crash");
        assertThat(crash.threadName()).isEqualTo("relib-module-owner");
        assertThat(crash.mappings()).anyMatch(m -> m.path().equals(module.loadedFrom().toString()));
    }

    private CrashReport crash(ModuleInfo module, String signature, String argument) {
        String symbol = signature.substring(0, signature.indexOf('('));
        CallRequest call = new CallRequest(ModuleRef.of(module.name()), symbol, signature, List.of(argument), 1, null);
        assertThatThrownBy(() -> engine.call(call)).isInstanceOf(WorkerCrash.class);
        return engine.lastCrash().orElseThrow();
    }

    private static boolean inModule(NativeCrash crash, ModuleInfo module, long address) {
        return crash.mappings().stream().anyMatch(m -> m.path().equals(module.loadedFrom().toString())
                && Long.compareUnsigned(address, m.start()) >= 0 && Long.compareUnsigned(address, m.end()) < 0);
    }

    /** The name of the module's function holding an address, read from its file's symbol table. */
    private static String functionAt(NativeCrash crash, ModuleInfo module, long address) {
        Mapping first = crash.mappings().stream()
                .filter(m -> m.path().equals(module.loadedFrom().toString()) && m.offset() == 0).findFirst().orElseThrow();
        long virtual = address - first.start();
        return ElfFile.open(CLEAK).symbols().stream()
                .filter(s -> s.isFunction() && s.value() <= virtual && virtual < s.value() + s.size())
                .map(ElfSymbol::name).findFirst().orElse("?");
    }
}
