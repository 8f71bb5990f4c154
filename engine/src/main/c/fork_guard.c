/* Ends a child process that a module forked once the module's code has returned into the host.
 *
 * A module that calls fork() and returns in both processes hands the child a copy of the whole
 * host with only the forking thread in it. The Java side ends such a child when the call returns
 * (ForkedChild), but in a multi-threaded JVM the child can block before it gets there: returning
 * from native code into Java takes VM locks that threads the fork did not copy may have held. So in
 * every child forked from inside a module, a watchdog thread watches the slot that holds the return
 * address of the module's outermost frame; once the module has returned through it (the slot no
 * longer holds that address, as the host's own calls reuse the stack), the child says so on fd 2
 * and ends. A child that stays in the module's code (a daemon, a worker process, one that execs)
 * is left alone.
 *
 * The frames are told apart with dladdr, which is safe here: glibc resets the loader's lock in the
 * child before it runs the fork handlers, and libgcc finds unwind tables through the lock-free
 * _dl_find_object. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <unwind.h>
#include "agent_internal.h"

/* Its exit status, the same as ForkedChild.EXIT_STATUS on the Java side. */
#define FORKED_CHILD_STATUS 70
#define WATCH_INTERVAL_NS (10 * 1000 * 1000)

/* FRAME_BRIDGE: JNR's native call stub, through which the host calls modules. A fork straight
 * below it came from a module that tail-called fork (or from a user's `call fork()`). */
enum frame_kind { FRAME_SYSTEM, FRAME_MODULE, FRAME_HOST, FRAME_BRIDGE };

struct boundary {
    int module_frames;
    const uintptr_t *slot;     /* where the outermost module frame's return address is kept */
    uintptr_t return_address;  /* the address in the host that frame returns to */
};

static struct boundary watched;

static int has_prefix(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static enum frame_kind kind_of(uintptr_t pc) {
    Dl_info info;
    static const char agent_marker = 0;
    Dl_info agent;
    if (!dladdr((void *)pc, &info) || !info.dli_fname || !info.dli_fname[0]) {
        return FRAME_HOST; /* code in no object: the JVM's compiled code */
    }
    if (dladdr(&agent_marker, &agent) && agent.dli_fbase == info.dli_fbase) {
        return FRAME_SYSTEM;
    }
    if (strcmp(info.dli_fname, program_invocation_name) == 0) {
        return FRAME_HOST; /* the main program */
    }
    const char *slash = strrchr(info.dli_fname, '/');
    const char *name = slash ? slash + 1 : info.dli_fname;
    if (has_prefix(name, "libc.so") || has_prefix(name, "ld-linux") || has_prefix(name, "libgcc_s")
            || has_prefix(name, "libpthread")) {
        return FRAME_SYSTEM;
    }
    if (strstr(name, "jffi") != NULL) {
        return FRAME_BRIDGE;
    }
    if (has_prefix(name, "libjvm.so") || has_prefix(name, "libjava.so")) {
        return FRAME_HOST;
    }
    return FRAME_MODULE;
}

static _Unwind_Reason_Code visit(struct _Unwind_Context *context, void *arg) {
    struct boundary *b = arg;
    uintptr_t pc = _Unwind_GetIP(context);
    enum frame_kind kind = kind_of(pc - 1); /* a return address may be just past its function */
    if (kind == FRAME_HOST || kind == FRAME_BRIDGE) {
        /* In libgcc's walk, a frame's context holds its callee's CFA: the stack pointer just
         * past the slot that holds the return address into this frame. */
        uintptr_t callee_cfa = _Unwind_GetCFA(context);
        if ((b->module_frames > 0 || kind == FRAME_BRIDGE) && callee_cfa != 0) {
            b->slot = (const uintptr_t *)(callee_cfa - sizeof(uintptr_t));
            b->return_address = pc;
        }
        return _URC_END_OF_STACK;
    }
    if (kind == FRAME_MODULE) {
        b->module_frames++;
    }
    return _URC_NO_REASON;
}

static void end_child(void) {
    char line[256];
    int n = snprintf(line, sizeof line,
                     "relib: a process the module forked (pid %d, child of %d) returned into the host "
                     "from a call into it; it was ended\n", (int)getpid(), (int)getppid());
    if (n > 0) {
        ssize_t ignored = write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        (void)ignored;
    }
    _exit(FORKED_CHILD_STATUS);
}

static void *watch(void *arg) {
    (void)arg;
    struct timespec interval = {0, WATCH_INTERVAL_NS};
    for (;;) {
        if (__atomic_load_n(watched.slot, __ATOMIC_RELAXED) != watched.return_address) {
            end_child();
        }
        while (nanosleep(&interval, NULL) != 0 && errno == EINTR) {
        }
    }
    return NULL;
}

static void in_child(void) {
    table_after_fork_child();
    struct boundary b = {0};
    _Unwind_Backtrace(visit, &b);
    if (b.slot == NULL || *b.slot != b.return_address) {
        return; /* not forked from a module's code, or a stack this walk cannot vouch for */
    }
    watched = b;
    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    pthread_create(&thread, &attr, watch, NULL);
    pthread_attr_destroy(&attr);
}

void fork_guard_init(void) {
    pthread_atfork(NULL, NULL, in_child);
}
