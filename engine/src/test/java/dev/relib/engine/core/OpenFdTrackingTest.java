package dev.relib.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relib.engine.ModuleRef;
import dev.relib.engine.model.AllocationReport;
import dev.relib.engine.model.CallRequest;
import dev.relib.engine.model.CheckFinding;
import dev.relib.engine.model.LoadRequest;
import dev.relib.engine.model.OpenFd;
import dev.relib.engine.model.UnloadReport;
import dev.relib.engine.model.UnloadRequest;
import dev.relib.engine.model.UnloadStep;
import dev.relib.engine.testing.SampleModules;
import dev.relib.engine.testing.WithInProcessEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * File descriptors a module opens through its GOT, listed as valgrind --track-fds lists them, in
 * process: only the module's own closes are seen here, so a record whose fd was closed elsewhere is
 * dropped by its identity check, and unload reports leaked fds without closing any (issue 11).
 */
@Timeout(60)
class OpenFdTrackingTest extends WithInProcessEngine {

    private long call(String symbol, String signature, String... arguments) {
        return ((Number) engine.call(CallRequest.of(symbol, signature, arguments)).value()).longValue();
    }

    private List<OpenFd> fds() {
        return engine.allocations(ModuleRef.implied()).fds();
    }

    @Test
    void listsEveryKindOfLeakedFdWithWhatOpenedItAndWhatItIs() {
        engine.load(LoadRequest.of(SampleModules.c("fdleak")));
        assertThat(call("open_close_cleanly", "() -> u32")).isEqualTo(8);
        assertThat(fds()).isEmpty();

        assertThat(call("leak_fds", "() -> u32")).isEqualTo(11);
        AllocationReport report = engine.allocations(ModuleRef.implied());
        assertThat(report.fds()).extracting(OpenFd::openedBy).containsExactly("open", "socket", "pipe", "pipe",
                "eventfd", "epoll_create1", "socketpair", "socketpair", "memfd_create", "fopen", "opendir");
        assertThat(report.fds()).extracting(OpenFd::target).satisfiesExactly(
                t -> assertThat(t).isEqualTo("/dev/null"),
                t -> assertThat(t).startsWith("socket:["),
                t -> assertThat(t).startsWith("pipe:["),
                t -> assertThat(t).startsWith("pipe:["),
                t -> assertThat(t).isEqualTo("anon_inode:[eventfd]"),
                t -> assertThat(t).isEqualTo("anon_inode:[eventpoll]"),
                t -> assertThat(t).startsWith("socket:["),
                t -> assertThat(t).startsWith("socket:["),
                t -> assertThat(t).isEqualTo("/memfd:fdleak (deleted)"),
                t -> assertThat(t).isEqualTo("/dev/null"),
                t -> assertThat(t).isEqualTo("/"));
        for (OpenFd fd : report.fds()) {
            assertThat(Path.of("/proc/self/fd/" + fd.fd())).as("fd %d is open", fd.fd()).satisfies(p ->
                    assertThat(Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue());
        }
        assertThat(report.stats().fdsOpen()).isEqualTo(11);
        assertThat(report.stats().streamsOpen()).isEqualTo(2);

        assertThat(call("leak_dups", "() -> u32")).isEqualTo(3);
        assertThat(fds()).extracting(OpenFd::openedBy).endsWith("open", "dup", "fcntl");
        assertThat(engine.checkUnload(ModuleRef.implied()).findings()).extracting(CheckFinding::code).contains("open_fds");
    }

    @Test
    void closesByTheModuleRetireTheFdAndOneClosedElsewhereIsDroppedNotReported() {
        engine.load(LoadRequest.of(SampleModules.c("fdleak")));
        long mine = call("open_file", "() -> i32");
        long other = call("open_file", "() -> i32");
        // In number order; the kernel hands out the lowest free number, which another thread may just have freed.
        assertThat(fds()).extracting(OpenFd::fd).containsExactly((int) Math.min(mine, other), (int) Math.max(mine, other));

        assertThat(call("close_fd", "(i32) -> i32", Long.toString(mine))).isZero();
        // In-process this close does not pass the agent: the record is stale, and its identity check drops it.
        assertThat(call("close_elsewhere", "(i32) -> i32", Long.toString(other))).isZero();
        assertThat(fds()).isEmpty();
        assertThat(engine.allocations(ModuleRef.implied()).stats().fdsOpen()).isZero();
    }

    @Test
    void unloadReportsLeakedFdsAndInProcessClosesNone() {
        engine.load(LoadRequest.of(SampleModules.c("fdleak")));
        long fd = call("open_file", "() -> i32");

        UnloadReport report = engine.unload(new UnloadRequest(ModuleRef.implied(), false, true));

        assertThat(report.outcome()).isEqualTo(UnloadReport.Outcome.UNLOADED);
        assertThat(report.leaks().fds()).singleElement().satisfies(open -> {
            assertThat(open.fd()).isEqualTo((int) fd);
            assertThat(open.openedBy()).isEqualTo("open");
            assertThat(open.target()).isEqualTo("/dev/null");
        });
        UnloadStep step = report.steps().stream().filter(s -> s.name().equals("close_fds")).findFirst().orElseThrow();
        assertThat(step.outcome()).as("--strict fails on a leaked fd").isEqualTo(UnloadStep.Outcome.FAILED);
        assertThat(step.detail()).contains("left open 1 file descriptor (" + fd + " /dev/null from open)")
                .contains("not closed: in-process");
        assertThat(report.checkFailed()).isTrue();
        assertThat(Files.exists(Path.of("/proc/self/fd/" + fd), java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .as("in-process, the fd is left open").isTrue();
    }

    @Test
    void withStacksAnFdCarriesTheStackOfTheCallThatOpenedIt() {
        engine.load(LoadRequest.of(SampleModules.c("fdleak")).withStacks());
        call("open_file", "() -> i32");

        UnloadReport report = engine.unload(UnloadRequest.of(ModuleRef.implied()));

        OpenFd fd = report.leaks().fds().get(0);
        assertThat(fd.stackId()).isNotZero();
        assertThat(report.leaks().stackOf(fd.stackId())).isPresent();
    }
}
