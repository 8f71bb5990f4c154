/*
 * The host test of the relib 0.7 fixtures: relib_host's load and unload sequences (relib_host.c)
 * run against each fixture with relib's reference outcome (relib's test scenarios, §9 of
 * RELIB-PROTOCOL.md); then the same scenarios against the genuine relib modules where they exist,
 * which shows that the fixtures and relib agree. Scenarios that must abort the process run in a
 * child (this program re-executed with --child) whose stderr is checked.
 *
 * Usage: host_test FIXTURES_DIR GENUINE_DIR RUSTC_FIELDS
 *   FIXTURES_DIR  cargo's target/debug with librelib_fx_*.so
 *   GENUINE_DIR   folder of genuine relib modules (skipped with a line when absent)
 *   RUSTC_FIELDS  "{rustc}|{host}|{llvm}" from `rustc -vV`, the host's own compilation info
 */
#define _GNU_SOURCE
#include "harness.h"

#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXPORT(name) "__relib__Exports_" name

static char host_u[512]; /* a host built with "unloading" */
static char host_n[512]; /* a host built without it */
static const char *rustc_fields;
static const char *fixtures_dir;

static void set_host_info(const char *fields) {
    rustc_fields = fields;
    snprintf(host_u, sizeof host_u, "%s|0.7.0|1", fields);
    snprintf(host_n, sizeof host_n, "%s|0.7.0|0", fields);
}

static char *join(const char *dir, const char *file) {
    char *path = malloc(strlen(dir) + strlen(file) + 2);
    sprintf(path, "%s/%s", dir, file);
    return path;
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static void outcome(const char *label, int failures_before) {
    printf("%s %s\n", failures == failures_before ? "ok  " : "FAIL", label);
    fflush(stdout);
}

/* Unload with the module's and the host's stderr lines (warnings, dbg!) kept out of the report. */
static RelibResult quiet_unload(RelibModule *m) {
    Capture err;
    capture_start(&err, 2);
    RelibResult result = relib_unload(m, NULL, NULL);
    free(capture_end(&err));
    return result;
}

/* Calls `main() -> ()` and checks that it succeeded and printed marker. */
static void check_main_prints(const RelibModule *m, const char *marker) {
    Capture out;
    capture_start(&out, 1);
    int main_ok = call_void_export(m, "__relib__main");
    char *printed = capture_end(&out);
    CHECK(main_ok && strstr(printed, marker), "main printed %s: %s", marker, printed);
    free(printed);
}

/* ---- main and its return kinds (relib's exportify scenarios), on a host without unloading ---- */

typedef enum { MAIN_UNIT, MAIN_U64, MAIN_RSTRING, MAIN_PANIC } MainKind;

static void scenario_main(const char *label, const char *path, MainKind kind, const char *marker, const RelibImport *imports,
                          size_t count) {
    int before = failures;
    RelibModule m;
    RelibResult r = relib_load(&m, path, host_n, false, false, imports, count);
    CHECK(r == RELIB_OK, "%s loads on a host without unloading: %s (%s)", label, relib_result_name(r), m.info);
    if (r == RELIB_OK) {
        void *main_fn = module_symbol(&m, "__relib__main");
        void (*post)(void *) = (void (*)(void *))dlsym(m.handle, "__post__relib__main");
        CHECK((post != NULL) == (kind == MAIN_RSTRING), "__post__relib__main exists only for the boxed RString main");
        Capture out, err;
        capture_start(&out, 1);
        capture_start(&err, 2);
        Flag ok = FLAG_UNWRITTEN;
        uint64_t number = 0;
        RelibVec *text = NULL;
        if (kind == MAIN_U64) {
            number = ((uint64_t(*)(Flag *))main_fn)(&ok);
        } else if (kind == MAIN_RSTRING) {
            text = ((RelibVec * (*)(Flag *)) main_fn)(&ok);
        } else {
            ((void (*)(Flag *))main_fn)(&ok);
        }
        char *stderr_text = capture_end(&err);
        char *stdout_text = capture_end(&out);
        CHECK(strstr(stdout_text, marker) != NULL, "%s printed %s: %s", label, marker, stdout_text);
        if (kind == MAIN_PANIC) {
            CHECK(ok == 0 && strstr(stderr_text, "expected panic"), "main panicked: success %u, stderr %s", ok, stderr_text);
        } else {
            CHECK(succeeded(ok, "main"), "main succeeded: %s", stderr_text);
        }
        if (kind == MAIN_U64) CHECK(number == UINT64_MAX, "main returned u64::MAX (%llu)", (unsigned long long)number);
        if (kind == MAIN_RSTRING && ok == 1) {
            RelibStr s = {text->buffer, text->length};
            CHECK(str_equals(s, "ret_heap_main") && text->capacity >= text->length, "main returned RString \"ret_heap_main\"");
            post(text);
        }
        free(stderr_text);
        free(stdout_text);
    }
    outcome(label, before); /* a host without unloading never closes a module */
}

/* ---- exports and imports without unloading (no_unloading, panic_in_interface_module) ---- */

static void scenario_no_unloading(const char *label, const char *path, const RelibImport *imports, size_t count,
                                  const char *marker) {
    int before = failures;
    RelibModule m;
    RelibResult r = relib_load(&m, path, host_n, false, false, imports, count);
    CHECK(r == RELIB_OK, "%s loads: %s", label, relib_result_name(r));
    if (r == RELIB_OK) {
        check_main_prints(&m, marker);
        Flag ok = FLAG_UNWRITTEN;
        int32_t back = ((int32_t(*)(Flag *, int32_t))module_symbol(&m, EXPORT("primitive_ret")))(&ok, INT32_MIN);
        CHECK(succeeded(ok, "primitive_ret") && back == INT32_MIN, "primitive_ret(i32::MIN)");
        ok = FLAG_UNWRITTEN;
        RelibStr word = {(const uint8_t *)"owned", 5};
        RelibVec *copy = ((RelibVec * (*)(Flag *, RelibStr)) module_symbol(&m, EXPORT("ref_owned_ret")))(&ok, word);
        if (succeeded(ok, "ref_owned_ret")) {
            CHECK(str_equals((RelibStr){copy->buffer, copy->length}, "owned"), "ref_owned_ret copies its argument");
            ((void (*)(void *))module_symbol(&m, "__post__relib__Exports_ref_owned_ret"))(copy);
        }
        Capture err;
        capture_start(&err, 2);
        int panicked = call_void_export(&m, EXPORT("panic")) == 0;
        char *panic_text = capture_end(&err);
        CHECK(panicked && strstr(panic_text, "expected panic"), "Exports::panic gives success = 0: %s", panic_text);
        free(panic_text);
    }
    outcome(label, before);
}

/* ---- unloads relib refuses: the module is leaked, as relib_host leaves it ---- */

static void scenario_refused_unload(const char *label, const char *path, RelibResult expected) {
    int before = failures;
    RelibModule m;
    RelibResult r = relib_load(&m, path, host_u, true, true, NULL, 0);
    CHECK(r == RELIB_OK, "%s loads: %s", label, relib_result_name(r));
    if (r == RELIB_OK) {
        CHECK(call_void_export(&m, "__relib__main"), "main succeeded");
        if (expected == RELIB_THREADS_STILL_RUNNING) {
            CHECK(m.spawned_threads_count() == 1, "the sleeping thread is counted (%llu)", (unsigned long long)m.spawned_threads_count());
        }
        RelibResult unloaded = quiet_unload(&m);
        CHECK(unloaded == expected, "unload returns %s (got %s)", relib_result_name(expected), relib_result_name(unloaded));
        RelibModule again;
        CHECK(relib_load(&again, path, host_u, true, true, NULL, 0) == RELIB_MODULE_ALREADY_LOADED,
              "the refused module stays loaded: the next load is ModuleAlreadyLoaded");
    }
    outcome(label, before);
}

/* ---- a clean unloading cycle with a main that prints a marker ---- */

static void scenario_simple_unloading(const char *label, const char *path, bool tracker, const char *marker,
                                      size_t leaked_size) {
    int before = failures;
    for (int cycle = 1; cycle <= 2; cycle++) {
        RelibModule m;
        RelibResult r = relib_load(&m, path, host_u, true, tracker, NULL, 0);
        CHECK(r == RELIB_OK, "%s loads: %s", label, relib_result_name(r));
        if (r != RELIB_OK) break;
        RelibAllocStats init = relib_alloc_stats(m.id);
        CHECK(init.on_alloc_calls == (tracker ? 2u : 0u), "init reported %d reservations (got %llu)", tracker ? 2 : 0,
              (unsigned long long)init.on_alloc_calls);
        check_main_prints(&m, marker);
        if (leaked_size) {
            m.take_cached_allocs_before_exit();
            CHECK(relib_live_block_of_size(m.id, leaked_size, 1, NULL), "main's leak of %zu byte(s) is live", leaked_size);
        }
        RelibResult unloaded = quiet_unload(&m);
        CHECK(unloaded == RELIB_OK, "%s unloads: %s", label, relib_result_name(unloaded));
        CHECK(!tracker || m.exit_count >= (leaked_size ? 3u : 2u), "exit freed the live set (%zu blocks)", m.exit_count);
        CHECK(!relib_maps_contain(path), "%s is gone from /proc/self/maps", path);
    }
    outcome(label, before);
}

/* An unloading_core module with its own allocator and no AllocTracker: nothing reaches the host. */
static void scenario_untracked_allocator(const char *label, const char *path) {
    int before = failures;
    for (int enable = 0; enable <= 1; enable++) {
        RelibModule m;
        RelibResult r = relib_load(&m, path, host_u, true, enable, NULL, 0);
        CHECK(r == RELIB_OK, "%s loads: %s", label, relib_result_name(r));
        if (r != RELIB_OK) break;
        CHECK(relib_alloc_stats(m.id).on_alloc_calls == 0, "init(enable_alloc_tracker=%d) reports nothing: no tracker", enable);
        check_main_prints(&m, "allocations before");
        RelibResult unloaded = quiet_unload(&m);
        CHECK(unloaded == RELIB_OK && m.exit_count == 0, "unloads with an empty live set: %s", relib_result_name(unloaded));
        CHECK(m.warned_no_tracker == (enable == 1), "relib_host warns about the missing tracker only when it was enabled");
        CHECK(!relib_maps_contain(path), "%s is gone from /proc/self/maps", path);
    }
    outcome(label, before);
}

/* ---- compilation-info mismatches: refused at load, library closed again ---- */

static void scenario_mismatch(const char *label, const char *path, bool unloading_host, const char *module_info_tail) {
    int before = failures;
    RelibModule m;
    RelibResult r = relib_load(&m, path, unloading_host ? host_u : host_n, unloading_host, true, NULL, 0);
    size_t len = strlen(m.info), tail = strlen(module_info_tail);
    CHECK(r == RELIB_MODULE_COMPILATION_MISMATCH, "%s is refused: %s", label, relib_result_name(r));
    CHECK(len > tail && strcmp(m.info + len - tail, module_info_tail) == 0, "its info ends with %s: %s", module_info_tail, m.info);
    CHECK(!relib_maps_contain(path), "the refused module was closed");
    outcome(label, before);
}

/* ---- relib's multiple_modules: copies loaded, used and unloaded on their own threads at once ---- */

typedef struct {
    char path[4096];
    RelibResult loaded, unloaded;
    int calls_ok;
} CopyRun;

static int copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buffer[1 << 16];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buffer, 1, sizeof buffer, in)) > 0) ok = fwrite(buffer, 1, n, out) == n;
    if (in) fclose(in);
    if (out && fclose(out) != 0) ok = 0;
    return ok;
}

static void *run_copy(void *arg) {
    CopyRun *run = arg;
    RelibModule m;
    run->loaded = relib_load(&m, run->path, host_u, true, true, TEST_IMPORTS, TEST_IMPORT_COUNT);
    if (run->loaded != RELIB_OK) return NULL;
    Flag a = FLAG_UNWRITTEN, b = FLAG_UNWRITTEN;
    size_t churned = ((size_t(*)(Flag *, size_t))dlsym(m.handle, EXPORT("churn")))(&a, 25000);
    ((void (*)(Flag *, size_t))dlsym(m.handle, EXPORT("leak")))(&b, 1 << 20);
    run->calls_ok = a == 1 && b == 1 && churned == 25000 && relib_alloc_stats(m.id).on_cached_allocs_calls >= 1;
    run->unloaded = relib_unload(&m, NULL, NULL);
    return NULL;
}

static void scenario_multiple_modules(const char *fixture) {
    int before = failures;
    char dir[] = "/tmp/relib-host-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
    enum { COPIES = 4 };
    CopyRun runs[COPIES];
    pthread_t threads[COPIES];
    for (int i = 0; i < COPIES; i++) {
        memset(&runs[i], 0, sizeof runs[i]);
        snprintf(runs[i].path, sizeof runs[i].path, "%s/librelib_fx_unloading_%d.so", dir, i);
        CHECK(copy_file(fixture, runs[i].path), "copy %s to %s", fixture, runs[i].path);
    }
    Capture out;
    capture_start(&out, 1);
    for (int i = 0; i < COPIES; i++) pthread_create(&threads[i], NULL, run_copy, &runs[i]);
    for (int i = 0; i < COPIES; i++) pthread_join(threads[i], NULL);
    free(capture_end(&out));
    for (int i = 0; i < COPIES; i++) {
        CHECK(runs[i].loaded == RELIB_OK && runs[i].calls_ok && runs[i].unloaded == RELIB_OK, "copy %d: load %s, unload %s", i,
              relib_result_name(runs[i].loaded), relib_result_name(runs[i].unloaded));
        CHECK(!relib_maps_contain(runs[i].path), "copy %d is gone from /proc/self/maps", i);
        unlink(runs[i].path);
    }
    rmdir(dir);
    outcome("fixture unloading: 4 copies loaded, flushed and unloaded on 4 threads at once", before);
}

/* ---- scenarios that must abort: run in a child, stderr checked ---- */

static const char *self_path;

static void expect_abort(const char *label, const char *scenario, const char *path, const char *expected) {
    int before = failures;
    int pipe_fds[2];
    CHECK(pipe(pipe_fds) == 0, "pipe");
    fflush(NULL);
    pid_t child = fork();
    if (child == 0) {
        dup2(pipe_fds[1], 1);
        dup2(pipe_fds[1], 2);
        close(pipe_fds[0]);
        execl(self_path, self_path, "--child", scenario, path, rustc_fields, (char *)NULL);
        _exit(127);
    }
    close(pipe_fds[1]);
    char output[65536];
    size_t got = 0;
    struct pollfd pfd = {pipe_fds[0], POLLIN, 0};
    time_t deadline = time(NULL) + 60;
    while (got < sizeof output - 1 && time(NULL) < deadline && poll(&pfd, 1, 1000) >= 0) {
        if (!(pfd.revents & (POLLIN | POLLHUP))) continue;
        ssize_t n = read(pipe_fds[0], output + got, sizeof output - 1 - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    output[got] = '\0';
    close(pipe_fds[0]);
    int status = 0;
    if (time(NULL) >= deadline) kill(child, SIGKILL);
    waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT, "%s: the process aborts (status 0x%x)", label, status);
    CHECK(strstr(output, expected) != NULL, "%s: stderr has \"%s\":\n%s", label, expected, output);
    outcome(label, before);
}

static RelibModule child_load(const char *path, bool unloading, bool tracker, const RelibImport *imports, size_t count) {
    RelibModule m;
    RelibResult r = relib_load(&m, path, unloading ? host_u : host_n, unloading, tracker, imports, count);
    if (r != RELIB_OK) {
        fprintf(stderr, "child: load %s: %s\n", path, relib_result_name(r));
        exit(3);
    }
    return m;
}

static void child_call(const RelibModule *m, const char *symbol) {
    Flag ok = FLAG_UNWRITTEN;
    ((void (*)(Flag *))dlsym(m->handle, symbol))(&ok);
}

static int run_child(const char *scenario, const char *path) {
    if (strcmp(scenario, "dealloc_validation") == 0) {
        RelibModule m = child_load(path, true, true, NULL, 0);
        child_call(&m, "__relib__main");
        child_call(&m, EXPORT("dealloc_invalid"));
    } else if (strcmp(scenario, "call_host_panic") == 0) {
        const char *name = strrchr(path, '/');
        bool fixture = name && strstr(name, "relib_fx_no_unloading");
        RelibModule m = fixture ? child_load(path, false, false, NO_UNLOADING_IMPORTS, NO_UNLOADING_IMPORT_COUNT)
                                : child_load(path, false, false, TEST_IMPORTS, TEST_IMPORT_COUNT);
        child_call(&m, EXPORT("call_host_panic"));
    } else if (strcmp(scenario, "unset_internal_import") == 0) {
        void *handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL | RTLD_DEEPBIND);
        void (*init)(size_t, uint64_t, bool) = (void (*)(size_t, uint64_t, bool))dlsym(handle, "__relib_____Internal___Exports____init");
        init((size_t)pthread_self(), 1, true);
    } else if (strcmp(scenario, "unbound_import") == 0) {
        RelibModule m = child_load(path, true, true, NULL, 0);
        child_call(&m, EXPORT("call_imports"));
    } else if (strcmp(scenario, "allocator_locked") == 0) {
        RelibModule m = child_load(path, true, true, NULL, 0);
        Flag ok = FLAG_UNWRITTEN;
        ((void (*)(Flag *, uint64_t, uint8_t))dlsym(m.handle, EXPORT("spawn_background_threads")))(&ok, m.id, 1);
        m.lock_module_allocator();
        child_call(&m, EXPORT("join_background_threads"));
    } else if (strcmp(scenario, "tracker_without_init") == 0) {
        RelibModule m = child_load(path, true, false, NULL, 0);
        child_call(&m, "__relib__main");
    } else {
        fprintf(stderr, "child: unknown scenario %s\n", scenario);
        return 2;
    }
    fprintf(stderr, "child: %s returned instead of aborting\n", scenario);
    return 0;
}

/* ---- the genuine relib modules ---- */

/* The rustc|host|llvm fields of a genuine module, read without running any of its code. */
static int genuine_fields(const char *path, char *fields, size_t size) {
    void *handle = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    const RelibStr *info = handle ? dlsym(handle, "__RELIB__CRATE_COMPILATION_INFO__") : NULL;
    int ok = info != NULL;
    if (ok) {
        snprintf(fields, size, "%.*s", (int)info->len, (const char *)info->ptr);
        for (int bars = 0, i = (int)strlen(fields) - 1; i >= 0; i--) {
            if (fields[i] == '|' && ++bars == 2) fields[i] = '\0';
        }
    }
    if (handle) dlclose(handle);
    return ok;
}

/* Whether the genuine modules are there and were built by this rustc; says why not otherwise. */
static int genuine_available(const char *dir) {
    char *probe = join(dir, "liblive_reload_module.so");
    char fields[512];
    if (!exists(dir) || !exists(probe)) {
        printf("skip genuine relib modules: %s not found (the tests against them run where ../shared/relib-modules exists)\n", dir);
        return 0;
    }
    if (!genuine_fields(probe, fields, sizeof fields) || strcmp(fields, rustc_fields) != 0) {
        printf("skip genuine relib modules: built by %s, this rustc is %s; relib_host would refuse them all\n", fields, rustc_fields);
        return 0;
    }
    return 1;
}

#define G(file) join(dir, file)

/* What can be checked from the genuine files without running them. */
static void check_genuine_files(const char *dir) {
    printf("-- genuine relib 0.7 modules in %s\n", dir);
    static const char *const GENUINE[] = {"liblive_reload_module.so", "libcustom_global_alloc.so",
                                          "libcustom_global_alloc-unloading.so", "libtest_module-before_unload_panic.so",
                                          "libtest_module-exportify+panic_main.so", "libtest_module-exportify+ret_heap_main.so",
                                          "libtest_module-exportify+ret_primitive_main.so", "libtest_module-exportify.so",
                                          "libtest_module-threads_check.so", "libtest_module-unloading.so"};
    int before = failures;
    for (size_t i = 0; i < sizeof GENUINE / sizeof GENUINE[0]; i++) check_compilation_info(GENUINE[i], G(GENUINE[i]), rustc_fields, "0.7.0");
    outcome("genuine: compilation info of all 10, unloading flag agrees with the internal symbols", before);
    /* each fixture against the genuine module it mirrors */
    static const struct {
        const char *genuine, *fixture;
        int user_symbols;
    } PAIRS[] = {
        {"libtest_module-unloading.so", "unloading", 1},
        {"libtest_module-exportify.so", "main_unit", 0},
        {"libtest_module-exportify+ret_primitive_main.so", "main_u64", 0},
        {"libtest_module-exportify+ret_heap_main.so", "main_rstring", 0},
        {"libtest_module-exportify+panic_main.so", "main_panic", 0},
        {"libtest_module-threads_check.so", "threads_check", 0},
        {"libtest_module-before_unload_panic.so", "before_unload_panic", 0},
        {"libcustom_global_alloc-unloading.so", "custom_alloc_tracked", 0},
    };
    before = failures;
    for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++) {
        char fixture[4096];
        snprintf(fixture, sizeof fixture, "%s/librelib_fx_%s.so", fixtures_dir, PAIRS[i].fixture);
        check_symbols_agree(PAIRS[i].fixture, G(PAIRS[i].genuine), fixture, PAIRS[i].user_symbols);
    }
    outcome("genuine vs fixtures: every relib symbol of 8 genuine modules has the same type, binding and size in its fixture",
            before);
}

/* relib's reference behaviour of each genuine module, with the same host and checks as the fixtures. */
static void run_genuine_scenarios(const char *dir) {
    printf("-- genuine relib 0.7 modules: relib's scenarios\n");
    int before;
    scenario_main("genuine exportify: main() -> ()", G("libtest_module-exportify.so"), MAIN_UNIT, "[module] default main", TEST_IMPORTS, TEST_IMPORT_COUNT);
    scenario_main("genuine exportify+ret_primitive_main: main() -> u64::MAX", G("libtest_module-exportify+ret_primitive_main.so"),
                  MAIN_U64, "[module] ret_primitive_main", TEST_IMPORTS, TEST_IMPORT_COUNT);
    scenario_main("genuine exportify+ret_heap_main: main() -> RString", G("libtest_module-exportify+ret_heap_main.so"), MAIN_RSTRING,
                  "[module] ret_heap_main", TEST_IMPORTS, TEST_IMPORT_COUNT);
    scenario_main("genuine exportify+panic_main: main panics", G("libtest_module-exportify+panic_main.so"), MAIN_PANIC,
                  "[module] panic_main", TEST_IMPORTS,
                  TEST_IMPORT_COUNT);
    scenario_refused_unload("genuine threads_check: ThreadsStillRunning", G("libtest_module-threads_check.so"),
                            RELIB_THREADS_STILL_RUNNING);
    scenario_refused_unload("genuine before_unload_panic: BeforeUnloadPanicked", G("libtest_module-before_unload_panic.so"),
                            RELIB_BEFORE_UNLOAD_PANICKED);
    scenario_simple_unloading("genuine live_reload: main, unload, twice", G("liblive_reload_module.so"), true, "change me!", 0);
    scenario_simple_unloading("genuine custom_global_alloc-unloading: AllocTracker<Counter>", G("libcustom_global_alloc-unloading.so"),
                              true, "allocations before", 1);
    scenario_main("genuine custom_global_alloc: no unloading", G("libcustom_global_alloc.so"), MAIN_UNIT, "allocations before", NULL, 0);
    UnloadingTarget genuine = {"genuine test_module-unloading", G("libtest_module-unloading.so"), 1, 200u << 20, 200u << 20};
    before = failures;
    scenario_unloading(&genuine, host_u);
    outcome("genuine test_module-unloading: relib's unloading scenario, two cycles", before);
    scenario_mismatch("genuine live_reload on a host without unloading", G("liblive_reload_module.so"), false, "|0.7.0|1");
    expect_abort("genuine exportify: an import the host fails aborts the module", "call_host_panic", G("libtest_module-exportify.so"),
                 "[relib] host panicked while executing import \"panic\" of module, aborting");
    expect_abort("genuine test_module-unloading: allocating after lock_module_allocator", "allocator_locked",
                 G("libtest_module-unloading.so"), "module allocator was invoked while module was in the process of unloading");
}
#undef G

int main(int argc, char **argv) {
    report = fdopen(dup(2), "w");
    self_path = "/proc/self/exe";
    if (argc == 5 && strcmp(argv[1], "--child") == 0) {
        set_host_info(argv[4]);
        return run_child(argv[2], argv[3]);
    }
    if (argc != 4) {
        fprintf(stderr, "usage: %s FIXTURES_DIR GENUINE_DIR RUSTC_FIELDS\n", argv[0]);
        return 2;
    }
    static char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) self[n] = '\0', self_path = self;
    set_host_info(argv[3]);
    /* relib_host's already-loaded and final checks look for the path as given inside
     * /proc/self/maps, which lists absolute paths */
    char *dir = realpath(argv[1], NULL);
    char *genuine_dir = realpath(argv[2], NULL);
    if (!dir) {
        fprintf(stderr, "host_test: no fixtures at %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    fixtures_dir = dir;
#define F(name) join(dir, "librelib_fx_" name ".so")
    printf("-- relib 0.7 fixtures in %s (host info %s)\n", dir, host_u);
    static const char *const FIXTURES[] = {"unloading", "main_unit", "main_u64", "main_rstring", "main_panic",
                                           "no_unloading", "threads_check", "before_unload_panic", "dealloc_validation",
                                           "custom_alloc", "custom_alloc_tracked", "version_mismatch"};
    int before = failures;
    for (size_t i = 0; i < sizeof FIXTURES / sizeof FIXTURES[0]; i++) {
        const char *version = strcmp(FIXTURES[i], "version_mismatch") == 0 ? "0.6.0" : "0.7.0";
        char file[128];
        snprintf(file, sizeof file, "librelib_fx_%s.so", FIXTURES[i]);
        check_compilation_info(FIXTURES[i], join(dir, file), rustc_fields, version);
    }
    outcome("fixtures: compilation info of all 12, unloading flag agrees with the internal symbols", before);
    int genuine = genuine_dir && genuine_available(genuine_dir);
    if (!genuine_dir) genuine_available(argv[2]);
    if (genuine) check_genuine_files(genuine_dir);
    printf("-- relib 0.7 fixtures: relib's scenarios\n");
    /* before anything loads them: a host without unloading never closes what it loaded */
    scenario_mismatch("fixture version-mismatch: relib 0.6.0", F("version_mismatch"), true, "|0.6.0|1");
    scenario_mismatch("fixture main-unit on a host with unloading", F("main_unit"), true, "|0.7.0|0");
    scenario_mismatch("fixture unloading on a host without unloading", F("unloading"), false, "|0.7.0|1");
    UnloadingTarget fixture = {"fixture unloading", F("unloading"), 0, 1u << 20, 48u << 20};
    before = failures;
    scenario_unloading(&fixture, host_u);
    outcome("fixture unloading: relib's unloading scenario plus probes, two cycles", before);
    scenario_multiple_modules(fixture.path);
    scenario_main("fixture main-unit: main() -> ()", F("main_unit"), MAIN_UNIT, "[module] default main", NULL, 0);
    scenario_main("fixture main-u64: main() -> u64::MAX", F("main_u64"), MAIN_U64, "[module] ret_primitive_main", NULL, 0);
    scenario_main("fixture main-rstring: main() -> RString", F("main_rstring"), MAIN_RSTRING, "[module] ret_heap_main", NULL, 0);
    scenario_main("fixture main-panic: main panics", F("main_panic"), MAIN_PANIC, "[module] panic_main", NULL, 0);
    scenario_no_unloading("fixture no-unloading: exports, imports, panic", F("no_unloading"), NO_UNLOADING_IMPORTS,
                          NO_UNLOADING_IMPORT_COUNT, "[module] hello world (no unloading)");
    scenario_refused_unload("fixture threads-check: ThreadsStillRunning", F("threads_check"), RELIB_THREADS_STILL_RUNNING);
    scenario_refused_unload("fixture before-unload-panic: BeforeUnloadPanicked", F("before_unload_panic"),
                            RELIB_BEFORE_UNLOAD_PANICKED);
    scenario_simple_unloading("fixture custom-alloc-tracked: AllocTracker<Counter>", F("custom_alloc_tracked"), true,
                              "allocations before", 1);
    scenario_untracked_allocator("fixture custom-alloc: own allocator, no AllocTracker", F("custom_alloc"));
    expect_abort("fixture dealloc-validation: invalid pointer to dealloc", "dealloc_validation", F("dealloc_validation"),
                 "[module id: 1] something unrecoverable happened: invalid pointer was passed to dealloc of global allocator");
    expect_abort("fixture no-unloading: an import the host fails aborts the module", "call_host_panic", F("no_unloading"),
                 "[relib] host panicked while executing import \"panic\" of module, aborting");
    expect_abort("fixture unloading: allocating after lock_module_allocator", "allocator_locked", F("unloading"),
                 "module allocator was invoked while module was in the process of unloading");
    expect_abort("fixture unloading: init before the internal slots are filled", "unset_internal_import", F("unloading"),
                 "[relib] internal import on_alloc was called before the host filled its slot");
    expect_abort("fixture unloading: an unbound import slot", "unbound_import", F("unloading"),
                 "[relib] import slot __relib__Imports_empty was called before the host bound it");
    expect_abort("fixture unloading: AllocTracker without init(.., true)", "tracker_without_init", F("unloading"),
                 "AllocTracker was used before init");
#undef F
    if (genuine) run_genuine_scenarios(genuine_dir);
    printf("relib host test: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
