/* The crash handler, in child processes that crash: a SIGSEGV two inlined levels down in an
 * optimised C module and a SIGABRT from a helper are written to $RELIB_CRASH_FILE with the signal,
 * si_code, fault address, the faulting pc, return addresses through the module into this test, and
 * the maps; the process still dies by its signal; a handler installed before the agent's still
 * runs (after the report is written); without the variable nothing is installed. */
#include "agent_test.h"
#include <signal.h>
#include <sys/wait.h>

#define ID 70

typedef unsigned (*crash_fn)(unsigned);
typedef void (*abort_fn)(unsigned);

static char report[1 << 20];
static uintptr_t main_address;
int main(void);
static const char *cleak_path;

static const char *cleak(void) {
    static char path[4096];
    snprintf(path, sizeof path, "%s/c/libcleak_O2.so", getenv("RELIB_SAMPLES"));
    return path;
}

static __attribute__((noinline)) void call_export(void *handle, const char *name) {
    if (strcmp(name, "crash") == 0) {
        ((crash_fn)export_of(handle, name))(3);
    } else {
        ((abort_fn)export_of(handle, name))(1);
    }
    __asm__ volatile("" ::: "memory"); /* keeps this frame's return address in the stack */
}

static void on_earlier_handler(int sig) {
    (void)sig;
    _exit(42);
}

/* Forks a child that attaches cleak and calls name; returns its wait status. */
static int crash_child(const char *name, const char *file, int earlier_handler) {
    pid_t pid = fork();
    CHECK(pid >= 0, "fork");
    if (pid == 0) {
        if (file) {
            setenv("RELIB_CRASH_FILE", file, 1);
        } else {
            unsetenv("RELIB_CRASH_FILE");
        }
        if (earlier_handler) {
            signal(SIGSEGV, on_earlier_handler);
        }
        void *handle = open_module(cleak_path);
        CHECK_EQ(relib_agent_attach(handle, ID), 0);
        call_export(handle, name);
        _exit(0);
    }
    int status;
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
    return status;
}

static void read_report(const char *file) {
    FILE *f = fopen(file, "r");
    CHECK(f, "the crash file %s exists", file);
    size_t n = fread(report, 1, sizeof report - 1, f);
    report[n] = 0;
    fclose(f);
}

static uint64_t fact(const char *name) {
    char key[64];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *at = strstr(report, key);
    CHECK(at, "the report has %s:\n%.400s", name, report);
    return strtoull(at + strlen(key), NULL, 0);
}

/* The child was forked from this process after it loaded cleak, so its addresses name the same
 * code here. Whether the address's dynamic symbol is name. */
static int symbol_is(uint64_t address, const char *name) {
    Dl_info info;
    return dladdr((void *)(uintptr_t)address, &info) && info.dli_sname && strcmp(info.dli_sname, name) == 0;
}

static void *object_of(uint64_t address) {
    Dl_info info;
    return dladdr((void *)(uintptr_t)address, &info) ? info.dli_fbase : NULL;
}

/* Whether a return address lies in this test's executable (its call into cleak). */
static int in_this_test(uint64_t return_address) {
    Dl_info exe;
    return dladdr((void *)(uintptr_t)main_address, &exe) && object_of(return_address - 1) == exe.dli_fbase;
}

/* The start of the child's mapping of cleak, from the report's maps. */
static uint64_t cleak_base_in_report(void) {
    const char *maps = strstr(report, "\nmaps\n");
    CHECK(maps, "maps");
    for (const char *line = maps + 6; *line; line = strchr(line, '\n') + 1) {
        const char *end = strchr(line, '\n');
        if (!end) break;
        if (memmem(line, (size_t)(end - line), "libcleak_O2.so", 14) && memmem(line, (size_t)(end - line), " 00000000 ", 10)) {
            return strtoull(line, NULL, 16);
        }
    }
    CHECK(0, "cleak is in the maps");
    return 0;
}

static void a_segfault_is_reported_with_its_frames(const char *file, void *here) {
    int status = crash_child("crash", file, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "dies by SIGSEGV (status %#x)", status);
    read_report(file);
    CHECK(strncmp(report, "relib-crash 1\n", 14) == 0, "header");
    CHECK_EQ(fact("signal"), SIGSEGV);
    CHECK_EQ(fact("code"), SEGV_MAPERR);
    CHECK_EQ(fact("address"), 0);
    CHECK(cleak_base_in_report() == (uint64_t)(uintptr_t)object_of((uint64_t)(uintptr_t)export_of(here, "crash")),
          "the maps show cleak where it is loaded");
    CHECK(symbol_is(fact("pc"), "crash"), "the pc is in crash()");
    /* The next frame is this test's call_export: crash() was called from here. */
    CHECK(strstr(report, "\nframe "), "frames");
    uint64_t caller = fact("frame");
    CHECK(in_this_test(caller), "the first return address is this test's call, got %#llx", (unsigned long long)caller);
    CHECK(!strstr(report, "\nincomplete"), "the walk reached the end");
}

static void an_abort_is_reported_from_the_helper(const char *file, void *here) {
    int status = crash_child("crash_abort", file, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "dies by SIGABRT (status %#x)", status);
    read_report(file);
    CHECK_EQ(fact("signal"), SIGABRT);
    CHECK(!strstr(report, "\naddress "), "an abort has no fault address");
    uint64_t base = cleak_base_in_report();
    Dl_info info;
    CHECK(dladdr(export_of(here, "crash"), &info), "dladdr");
    /* abort (libc) <- give_up's cold part (cleak; crash_abort tail-calls give_up at -O2) <- this test. */
    int in_abort = 0, in_cleak = 0, in_test = 0;
    for (const char *at = strstr(report, "\nframe "); at; at = strstr(at + 1, "\nframe ")) {
        uint64_t ra = strtoull(at + 7, NULL, 0);
        in_abort |= !in_cleak && symbol_is(ra - 1, "abort");
        in_cleak |= in_abort && object_of(ra - 1) == info.dli_fbase && ra - 1 >= base;
        in_test |= in_cleak && in_this_test(ra);
    }
    CHECK(in_abort && in_cleak && in_test, "frames: abort %d, then cleak %d, then this test %d", in_abort, in_cleak, in_test);
}

static void an_earlier_handler_still_runs(const char *file) {
    unlink(file);
    int status = crash_child("crash", file, 1);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42, "the earlier handler ran (status %#x)", status);
    read_report(file);
    CHECK_EQ(fact("signal"), SIGSEGV);
}

static void without_the_variable_nothing_is_installed(const char *file) {
    unlink(file);
    int status = crash_child("crash", NULL, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "dies by SIGSEGV");
    CHECK(access(file, F_OK) != 0, "no crash file");
}

int main(void) {
    char dir[] = "/tmp/relib-crash-XXXXXX", file[4200];
    CHECK(mkdtemp(dir), "mkdtemp");
    snprintf(file, sizeof file, "%s/crash.txt", dir);
    cleak_path = cleak();
    main_address = (uintptr_t)main;
    void *here = open_module(cleak_path); /* this process's copy, to name the child's addresses */
    a_segfault_is_reported_with_its_frames(file, here);
    an_abort_is_reported_from_the_helper(file, here);
    an_earlier_handler_still_runs(file);
    without_the_variable_nothing_is_installed(file);
    unlink(file);
    rmdir(dir);
    printf("ok: crash reports\n");
    return 0;
}
