package dev.relib.engine.model;

/**
 * A file descriptor a module opened and has not closed, as valgrind's {@code --track-fds} lists it.
 *
 * @param fd       its number
 * @param openedBy the function the module called: {@code open}, {@code socket}, {@code pipe2}, {@code fopen}
 *                 (the fd of a FILE stream), {@code opendir} (of a DIR stream), ...
 * @param target   what it refers to, as {@code /proc/self/fd} names it: a path, {@code socket:[INODE]},
 *                 {@code pipe:[INODE]}, {@code anon_inode:[eventfd]}
 * @param stackId  the {@link AllocationStack} of the call that opened it; 0 when the module was loaded without stacks
 */
public record OpenFd(int fd, String openedBy, String target, int stackId) {
}
