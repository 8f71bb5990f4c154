package dev.relib.engine.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.OpenFd;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithWorkerEngine;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In the worker the agent is preloaded, so a close from any code in the process retires the module's
 * fd, and unload closes what the module left open (its streams' fds with their streams); with
 * --keep-leaks they stay open (issue 11).
 */
@Timeout(120)
class WorkerOpenFdsTest extends WithWorkerEngine {

    private long call(String module, String symbol, String signature, String... arguments) {
        return ((Number) engine.call(new CallRequest(ModuleRef.of(module), symbol, signature, List.of(arguments), 1,
                null)).value()).longValue();
    }

    private boolean open(long fd) {
        return call("probe", "is_open", "(i32) -> i32", Long.toString(fd)) == 1;
    }

    /** What the fd refers to (device and inode), 0 when closed: the JVM may reuse a closed number. */
    private long identity(long fd) {
        return call("probe", "fd_identity", "(i32) -> u64", Long.toString(fd));
    }

    @Test
    void aCloseFromOtherCodeRetiresTheFdAndUnloadClosesEveryLeakedOne() {
        engine.load(new LoadRequest(SampleModules.c("fdleak"), "probe", true, false));
        engine.load(LoadRequest.of(SampleModules.c("fdleak")).named("fdleak"));
        long handed = call("fdleak", "open_file", "() -> i32");
        assertThat(call("fdleak", "close_elsewhere", "(i32) -> i32", Long.toString(handed))).isZero();
        assertThat(engine.allocations(ModuleRef.of("fdleak")).fds()).isEmpty();

        assertThat(call("fdleak", "leak_fds", "() -> u32")).isEqualTo(11);
        assertThat(call("fdleak", "leak_dups", "() -> u32")).isEqualTo(3);
        List<OpenFd> leaked = engine.allocations(ModuleRef.of("fdleak")).fds();
        assertThat(leaked).hasSize(14);
        Map<Integer, Long> identities = leaked.stream().collect(Collectors.toMap(OpenFd::fd, fd -> identity(fd.fd())));
        assertThat(engine.allocations(ModuleRef.of("fdleak")).stats().preloaded()).isTrue();

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.of("fdleak")));

        assertThat(report.leaks().fds()).isEqualTo(leaked);
        UnloadStep step = report.steps().stream().filter(s -> s.name().equals("close_fds")).findFirst().orElseThrow();
        assertThat(step.outcome()).isEqualTo(UnloadStep.Outcome.WARNED);
        assertThat(step.detail()).startsWith("left open 14 file descriptors (").endsWith("; closed 14");
        assertThat(report.checkFailed()).isFalse();
        for (OpenFd fd : leaked) {
            assertThat(identity(fd.fd())).as("fd %d (%s) closed at unload", fd.fd(), fd.target())
                    .isNotEqualTo(identities.get(fd.fd()));
        }
    }

    @Test
    void keepLeaksLeavesTheFdsOpen() {
        engine.load(new LoadRequest(SampleModules.c("fdleak"), "probe", true, false));
        engine.load(LoadRequest.of(SampleModules.c("fdleak")).named("fdleak"));
        long fd = call("fdleak", "open_file", "() -> i32");

        UnloadReport report = engine.unload(new UnloadRequest(ModuleRef.of("fdleak"), true, false));

        assertThat(report.steps()).filteredOn(s -> s.name().equals("close_fds")).extracting(UnloadStep::detail)
                .singleElement().asString().contains("kept open (--keep-leaks)");
        assertThat(open(fd)).isTrue();
    }
}
