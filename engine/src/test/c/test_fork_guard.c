/* The fork guard: a child that a module forked and that returned into the host (here, this
 * program) is ended with status 70 and a line on stderr, at once rather than when it would have
 * finished; a child that stays in the module's code, and one the host forks itself, are left to
 * run and exit as they choose. */
#include "agent_test.h"
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>

typedef int (*fork_fn)(void);
typedef int (*fork_stays_fn)(int);

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static int wait_status(pid_t pid) {
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid %d", (int)pid);
    CHECK(WIFEXITED(status), "child %d did not exit (status 0x%x)", (int)pid, status);
    return WEXITSTATUS(status);
}

static void a_child_returned_into_the_host_is_ended(void *faults) {
    char log[] = "/tmp/relib-fork-guard-XXXXXX";
    int fd = mkstemp(log);
    CHECK(fd >= 0, "mkstemp");
    int saved = dup(2);
    dup2(fd, 2);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int pid = ((fork_fn)export_of(faults, "fork_and_return"))();
    if (pid == 0) {
        sleep(10); /* the host's own code, as a JVM child blocked on a lock would be */
        _exit(0);
    }
    dup2(saved, 2);
    close(saved);
    CHECK(pid > 0, "fork_and_return");
    CHECK_EQ(wait_status(pid), 70);
    CHECK(seconds_since(&start) < 5, "ended after %.1f s", seconds_since(&start));
    char text[512] = {0};
    CHECK(pread(fd, text, sizeof text - 1, 0) > 0, "nothing on the child's stderr");
    char expected[128];
    snprintf(expected, sizeof expected, "a process the module forked (pid %d, child of %d)", pid, (int)getpid());
    CHECK(strstr(text, expected) && strstr(text, "it was ended"), "stderr: %s", text);
    close(fd);
    unlink(log);
}

static void a_child_in_the_modules_code_is_left_alone(void *faults) {
    int pid = ((fork_stays_fn)export_of(faults, "fork_child_stays"))(300);
    CHECK(pid > 0, "fork_child_stays");
    CHECK_EQ(wait_status(pid), 5);
}

static void a_child_the_host_forks_is_left_alone(void) {
    pid_t pid = fork();
    if (pid == 0) {
        usleep(300 * 1000);
        _exit(3);
    }
    CHECK(pid > 0, "fork");
    CHECK_EQ(wait_status(pid), 3);
}

int main(void) {
    /* The guard is installed when the agent is loaded; this reference keeps it linked. */
    CHECK(relib_agent_abi() == RELIB_AGENT_ABI, "agent ABI");
    char path[4096];
    snprintf(path, sizeof path, "%s/c/libfaults.so", getenv("RELIB_SAMPLES"));
    void *faults = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    CHECK(faults != NULL, "dlopen %s: %s", path, dlerror());
    a_child_returned_into_the_host_is_ended(faults);
    a_child_in_the_modules_code_is_left_alone(faults);
    a_child_the_host_forks_is_left_alone();
    dlclose(faults);
    printf("fork guard: ok\n");
    return 0;
}
