/* File descriptors of each major kind, left open or closed, for the agent's fd tracking (issue 11)
 * and the side-by-side check with valgrind --track-fds=yes. Every export takes no argument or
 * integers only, so sample-modules' leak-driver can call it under valgrind. */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Leaks a file, a socket, a pipe, an eventfd, an epoll fd, a socket pair, a memfd, a FILE's fd and a
 * DIR's fd; returns how many fds (11). */
unsigned leak_fds(void) {
    unsigned n = 0;
    int pair[2];
    n += open("/dev/null", O_RDONLY) >= 0;
    n += socket(AF_UNIX, SOCK_STREAM, 0) >= 0;
    n += pipe(pair) == 0 ? 2 : 0;
    n += eventfd(0, EFD_CLOEXEC) >= 0;
    n += epoll_create1(EPOLL_CLOEXEC) >= 0;
    n += socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) == 0 ? 2 : 0;
    n += memfd_create("fdleak", MFD_CLOEXEC) >= 0;
    n += fopen("/dev/null", "r") != NULL;
    n += opendir("/") != NULL;
    return n;
}

/* Leaks copies of one file's fd: the original, a dup and an fcntl(F_DUPFD_CLOEXEC); returns 3. */
unsigned leak_dups(void) {
    int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    return 1 + (dup(fd) >= 0) + (fcntl(fd, F_DUPFD_CLOEXEC, 0) >= 0);
}

/* Opens one of each kind and closes every one (close, fclose, closedir); returns how many it opened. */
unsigned open_close_cleanly(void) {
    unsigned n = 0;
    int fds[8];
    int count = 0;
    int pair[2];
    if ((fds[count] = open("/dev/null", O_RDONLY)) >= 0) count++;
    if ((fds[count] = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0) count++;
    if (pipe(pair) == 0) {
        fds[count++] = pair[0];
        fds[count++] = pair[1];
    }
    if ((fds[count] = eventfd(0, 0)) >= 0) count++;
    if ((fds[count] = dup(fds[0])) >= 0) count++;
    for (int i = 0; i < count; i++) {
        n += close(fds[i]) == 0;
    }
    FILE *f = fopen("/dev/null", "r");
    if (f) {
        n += fclose(f) == 0;
    }
    DIR *d = opendir("/");
    if (d) {
        n += closedir(d) == 0;
    }
    return n;
}

/* An fd of /dev/null the module keeps until close_fd or close_elsewhere. */
int open_file(void) {
    return open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int close_fd(int fd) {
    return close(fd);
}

/* Closes fd as another library would: through the process's close, not the module's GOT slot. */
int close_elsewhere(int fd) {
    int (*process_close)(int) = (int (*)(int))dlsym(RTLD_DEFAULT, "close");
    return process_close ? process_close(fd) : -1;
}

/* 1 when fd is an open file descriptor of the process. */
int is_open(int fd) {
    return fcntl(fd, F_GETFD) != -1;
}

/* What fd refers to, as device and inode mixed into one number; 0 when it is closed. Once a module's
 * fd is closed the process may reuse its number for something else (the JVM opens files too), so
 * "closed" is told by what the number refers to, not by whether it is open. */
unsigned long fd_identity(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0 ? ((unsigned long)st.st_dev << 40) ^ (unsigned long)st.st_ino ^ 1 : 0;
}
