/* Misbehaviours that must reach only the worker, never the shell, and be reported as what they are:
 * a stop signal, a fork that returns into the host, a daemon child holding the worker's descriptors,
 * closed stdio before a crash, a module that dlcloses itself, a crash in a destructor at unload, and
 * output that imitates the worker's protocol or drives the terminal. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static volatile int crash_in_destructor;

/* Stops the whole worker process, as a module waiting for a debugger to attach would. */
void raise_sigstop(void) {
    raise(SIGSTOP);
}

/* fork() and return in both processes: the child is a copy of the host that must not go on serving. */
int fork_and_return(void) {
    volatile int child = fork(); /* not a tail call: this function's frame is on the stack at the fork */
    return child;
}

/* A child that stays in this module's code for ms milliseconds, then exits with status 5. */
int fork_child_stays(int ms) {
    pid_t child = fork();
    if (child == 0) {
        usleep((useconds_t)ms * 1000);
        _exit(5);
    }
    return (int)child;
}

/* A daemon: a child in its own session that keeps every inherited descriptor open for a minute. */
int spawn_daemon(void) {
    pid_t child = fork();
    if (child == 0) {
        setsid();
        sleep(60);
        _exit(0);
    }
    return (int)child;
}

/* Runs a program through the shell, as system(3) users do; its descriptors are what the host left open. */
int run_sleeper(void) {
    return system("sleep 60 &");
}

/* Closes stdout and stderr, then writes through a null pointer: the JVM's banner has nowhere to go. */
uint32_t close_stdio_then_segv(void) {
    close(1);
    close(2);
    *(volatile uint32_t *)0 = 1;
    return 0;
}

/* A second reference to this very module (RTLD_NOLOAD adds one to the count), or null. */
__attribute__((noinline)) static void *reference_to_myself(void) {
    Dl_info info;
    return dladdr((void *)reference_to_myself, &info) ? dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD) : NULL;
}

/* Drops the host's reference to this very module: two dlcloses take away both references. The
 * second is a tail call, so dlclose returns to the caller, not into the module it just unmapped. */
__attribute__((optimize("O2", "optimize-sibling-calls")))
int unload_myself(void) {
    void *self = reference_to_myself();
    if (!self) {
        return -1;
    }
    dlclose(self);
    return dlclose(self);
}

/* From now on the destructor that runs at dlclose writes through a null pointer. */
void crash_at_unload(void) {
    crash_in_destructor = 1;
}

__attribute__((destructor)) static void faults_fini(void) {
    if (crash_in_destructor) {
        *(volatile int *)0 = 1;
    }
}

/* Prints the worker's old sync marker followed by something that is not a number. */
void print_fake_marker(void) {
    fputs("before", stdout);
    fputc(0, stdout);
    fputs("relib-sync:not-a-number\n", stdout);
    fputc(0, stdout);
    fputs("relib-sync:99999\n", stdout);
    fflush(stdout);
}

/* Terminal control: colour, clear screen, a window title, a carriage return over the line. */
void print_escapes(void) {
    printf("\x1b[31mred\x1b[0m \x1b[2J\x1b]0;owned\x07 hidden\rvisible\n");
    fflush(stdout);
}

/* Prints n bytes with no newline, then one. */
void print_bytes(uint64_t n) {
    for (uint64_t i = 0; i < n; i++) {
        putchar('a' + (int)(i % 26));
    }
    putchar('\n');
    fflush(stdout);
}

/* Writes through a null pointer. */
uint32_t segfault(void) {
    *(volatile uint32_t *)0 = 1;
    return 0;
}

/* An ordinary answer, to show the worker still serves. */
int segfault_free_answer(void) {
    return 7;
}
