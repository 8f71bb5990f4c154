package dev.relib.shell.command;

import dev.relib.engine.model.AllocationStack;
import dev.relib.engine.model.OpenFd;
import dev.relib.inspectors.allocations.AllocationSites;
import dev.relib.inspectors.symbols.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * File descriptors a module opened and has not closed, as valgrind's {@code --track-fds} lists
 * them: the number, the call that opened it, what it refers to, and (with {@code load --stacks}) the
 * site in the module's code that made the call.
 */
final class OpenFdsView {

    private OpenFdsView() {
    }

    static List<String> headers(boolean withSites) {
        List<String> headers = new ArrayList<>(List.of("FD", "OPENED BY", "WHAT"));
        if (withSites) {
            headers.add("OPENED AT");
        }
        return headers;
    }

    /** @param sites null when the module was loaded without stacks */
    static List<List<String>> rows(List<OpenFd> fds, IntFunction<Optional<AllocationStack>> stackOf,
                                   AllocationSites sites) {
        return fds.stream().map(fd -> {
            List<String> row = new ArrayList<>(List.of(Integer.toString(fd.fd()), fd.openedBy(),
                    fd.target().isEmpty() ? "?" : fd.target()));
            if (sites != null) {
                row.add(stackOf.apply(fd.stackId()).flatMap(sites::site).map(Frame::location).orElse("-"));
            }
            return List.copyOf(row);
        }).toList();
    }

    /** "3 file descriptors (1 FILE/DIR stream)". */
    static String count(long fds, long streams) {
        return Quantities.count(fds, "file descriptor")
                + (streams == 0 ? "" : " (" + Quantities.count(streams, "FILE/DIR stream") + ")");
    }
}
