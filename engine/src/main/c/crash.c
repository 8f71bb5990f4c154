/* The worker's crash report: what the shell shows (and bt and symbol answer from) after a module
 * killed the worker. For SIGSEGV, SIGBUS, SIGFPE and SIGILL in code outside the JVM, and for any
 * SIGABRT (a Rust panic across extern "C", relib's unrecoverable, abort(): the JVM writes nothing
 * for those), the handler writes to $RELIB_CRASH_FILE: the signal, si_code, fault address, the
 * crashing thread, its stack (walked with unwind.c from the interrupted registers, so the first
 * frame is the faulting instruction itself) and /proc/self/maps, which the shell needs to turn the
 * addresses into lines. Then it hands the signal on: to the JVM's handler (which writes its own
 * hs_err log and aborts), or, when there was none, to the default action, so the process still
 * dies by the signal it got.
 *
 * Faults in the JVM's code (libjvm, or anonymous memory: compiled Java, whose implicit null
 * checks and safepoint polls are SIGSEGVs the JVM expects) go straight to the JVM's handler.
 *
 * Everything here after installation is async-signal-safe: open/read/write/close, no stdio, no
 * allocation, no lock; the unwinder and _dl_find_object are warmed when the handlers are installed.
 *
 * File format (text, one fact per line; the shell's reader is NativeCrashFile):
 *   relib-crash 1
 *   signal 11
 *   code 1
 *   address 0x0          (faults only)
 *   pid 1234
 *   tid 1240
 *   thread relib-module-o
 *   pc 0x7f...           (the faulting instruction)
 *   frame 0x7f...        (return addresses, innermost first)
 *   maps
 *   ...the process's /proc/self/maps...
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include "agent_internal.h"

#define CRASH_FILE_ENV "RELIB_CRASH_FILE"
#define CRASH_FRAMES 64

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define FATAL_COUNT (int)(sizeof fatal_signals / sizeof fatal_signals[0])

static struct sigaction previous[FATAL_COUNT];
static char crash_path[4096];
static int install_tried;
static int captured;
static struct link_map *jvm_object; /* the object the previous SIGSEGV handler lives in */

/* ---- a small async-signal-safe writer ---- */

struct out {
    int fd;
    char buf[4096];
    size_t used;
};

static void flush(struct out *o) {
    size_t done = 0;
    while (done < o->used) {
        ssize_t n = write(o->fd, o->buf + done, o->used - done);
        if (n <= 0) {
            break;
        }
        done += (size_t)n;
    }
    o->used = 0;
}

static void put(struct out *o, const char *s, size_t n) {
    while (n > 0) {
        if (o->used == sizeof o->buf) {
            flush(o);
        }
        size_t room = sizeof o->buf - o->used, chunk = n < room ? n : room;
        memcpy(o->buf + o->used, s, chunk);
        o->used += chunk;
        s += chunk;
        n -= chunk;
    }
}

static void puts_(struct out *o, const char *s) {
    put(o, s, strlen(s));
}

static void put_hex(struct out *o, uint64_t v) {
    char digits[19] = "0x";
    char tmp[16];
    int n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v);
    for (int i = 0; i < n; i++) {
        digits[2 + i] = tmp[n - 1 - i];
    }
    put(o, digits, (size_t)(2 + n));
}

static void put_dec(struct out *o, int64_t v) {
    char tmp[21];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        put(o, "-", 1);
    }
    while (n > 0) {
        put(o, &tmp[--n], 1);
    }
}

static void fact_dec(struct out *o, const char *name, int64_t v) {
    puts_(o, name);
    put(o, " ", 1);
    put_dec(o, v);
    put(o, "\n", 1);
}

static void fact_hex(struct out *o, const char *name, uint64_t v) {
    puts_(o, name);
    put(o, " ", 1);
    put_hex(o, v);
    put(o, "\n", 1);
}

/* Copies a whole file (/proc/self/maps, a thread's comm) into the report. */
static void copy_file(struct out *o, const char *path, int first_line_only) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) {
        if (first_line_only) {
            char *nl = memchr(chunk, '\n', (size_t)n);
            put(o, chunk, nl ? (size_t)(nl - chunk) : (size_t)n);
            break;
        }
        put(o, chunk, (size_t)n);
    }
    close(fd);
}

/* ---- the handler ---- */

static int is_fault(int sig) {
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
}

/* A fault in code that is not the JVM's: an object other than libjvm, or a jump to unmapped memory. */
static int outside_the_jvm(int sig, const siginfo_t *info, uintptr_t pc) {
    struct dl_find_object found;
    if (_dl_find_object((void *)pc, &found) == 0) {
        return found.dlfo_link_map != jvm_object;
    }
    return sig == SIGSEGV && (uintptr_t)info->si_addr == pc;
}

static void write_report(int sig, const siginfo_t *info, const ucontext_t *uc) {
    int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return;
    }
    static struct out o;
    o.fd = fd;
    o.used = 0;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
    uintptr_t fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
    puts_(&o, "relib-crash 1\n");
    fact_dec(&o, "signal", sig);
    fact_dec(&o, "code", info->si_code);
    if (is_fault(sig)) {
        fact_hex(&o, "address", (uint64_t)(uintptr_t)info->si_addr);
    }
    fact_dec(&o, "pid", getpid());
    fact_dec(&o, "tid", syscall(SYS_gettid));
    puts_(&o, "thread ");
    copy_file(&o, "/proc/thread-self/comm", 1);
    puts_(&o, "\n");
    fact_hex(&o, "pc", pc);
    uintptr_t frames[CRASH_FRAMES];
    int complete, n;
    if (sig == SIGSEGV && (uintptr_t)info->si_addr == pc) {
        /* A call to a bad address: the caller's return address is on top of the stack. */
        n = unwind_walk(*(const uintptr_t *)sp, sp + 8, fp, 0, 0, 0, frames, CRASH_FRAMES, &complete);
    } else {
        n = unwind_walk(pc, sp, fp, 1, 0, 0, frames, CRASH_FRAMES, &complete);
        /* The walk's first frame is pc itself, already written. */
        if (n > 0) {
            memmove(frames, frames + 1, (size_t)(n - 1) * sizeof *frames);
            n--;
        }
    }
    for (int i = 0; i < n; i++) {
        fact_hex(&o, "frame", frames[i]);
    }
    if (!complete) {
        puts_(&o, "incomplete\n");
    }
    puts_(&o, "maps\n");
    copy_file(&o, "/proc/self/maps", 0);
    flush(&o);
    close(fd);
}

/* Hands the signal to whoever had it before: the JVM, a user's handler, or the default action. */
static void pass_on(int index, int sig, siginfo_t *info, void *context) {
    const struct sigaction *p = &previous[index];
    if (p->sa_flags & SA_SIGINFO) {
        if ((void *)p->sa_sigaction != (void *)SIG_DFL && (void *)p->sa_sigaction != (void *)SIG_IGN) {
            p->sa_sigaction(sig, info, context);
            return;
        }
    } else if (p->sa_handler == SIG_IGN) {
        return;
    } else if (p->sa_handler != SIG_DFL) {
        p->sa_handler(sig);
        return;
    }
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(sig, &fallback, NULL);
    /* A fault re-executes its instruction on return and dies by default; a sent signal (abort's
     * raise) is sent again, delivered when this handler returns. */
    if (!is_fault(sig) || info->si_code <= 0) {
        raise(sig);
    }
}

static void on_fatal(int sig, siginfo_t *info, void *context) {
    int index = 0;
    while (index < FATAL_COUNT && fatal_signals[index] != sig) {
        index++;
    }
    if (index == FATAL_COUNT) {
        return;
    }
    const ucontext_t *uc = context;
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    if ((sig == SIGABRT || outside_the_jvm(sig, info, pc)) && !__atomic_exchange_n(&captured, 1, __ATOMIC_ACQ_REL)) {
        write_report(sig, info, uc);
    }
    pass_on(index, sig, info, context);
}

void crash_install(void) {
    if (install_tried) {
        return;
    }
    install_tried = 1;
    const char *path = getenv(CRASH_FILE_ENV);
    if (!path || !*path || strlen(path) >= sizeof crash_path || unwind_prepare() != 0) {
        return;
    }
    memcpy(crash_path, path, strlen(path) + 1);
    struct sigaction current;
    if (sigaction(SIGSEGV, NULL, &current) == 0 && (current.sa_flags & SA_SIGINFO)
        && (void *)current.sa_sigaction != (void *)SIG_DFL) {
        Dl_info info;
        void *object = NULL;
        if (dladdr1((void *)current.sa_sigaction, &info, &object, RTLD_DL_LINKMAP)) {
            jvm_object = object;
        }
    }
    /* Binds _dl_find_object now, outside any handler. */
    struct dl_find_object found;
    _dl_find_object((void *)(uintptr_t)crash_install, &found);
    for (int i = 0; i < FATAL_COUNT; i++) {
        struct sigaction old, mine;
        if (sigaction(fatal_signals[i], NULL, &old) != 0) {
            continue;
        }
        memset(&mine, 0, sizeof mine);
        mine.sa_sigaction = on_fatal;
        mine.sa_mask = old.sa_mask; /* what the JVM blocks in its handler, blocked in ours too */
        mine.sa_flags = (old.sa_flags & (SA_ONSTACK | SA_RESTART)) | SA_SIGINFO | SA_ONSTACK;
        sigaction(fatal_signals[i], &mine, &previous[i]);
    }
}
