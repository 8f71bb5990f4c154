/*
 * A host written in C against relib_sdk.h alone: reads the manifests from the files, loads the
 * sample SDK modules (hello, panicky, imports), binds imports, calls exports with the C types the
 * header documents, triggers panics and takes them, frees owned returns, unloads.
 *
 * Usage: host DIR   (DIR holds libhello.so, libpanicky.so, libimports.so)
 */
#define _GNU_SOURCE
#include "relib_sdk.h"

#include <dlfcn.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            failures++;                                                      \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

static int str_eq(RelibStr s, const char *want) {
    return s.len == strlen(want) && (s.len == 0 || memcmp(s.ptr, want, s.len) == 0);
}

static int str_contains(RelibStr s, const char *want) {
    return memmem(s.ptr, s.len, want, strlen(want)) != NULL;
}

/* ---- manifests, read from the file ---- */

/* Whether section SECTION of FILE holds the NUL-terminated entry WANT. */
static int manifest_has(const char *file, const char *section, const char *want) {
    FILE *f = fopen(file, "rb");
    if (!f) return 0;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *elf = malloc((size_t)size);
    int found = 0;
    if (elf && fread(elf, 1, (size_t)size, f) == (size_t)size) {
        const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
        const Elf64_Shdr *sh = (const Elf64_Shdr *)(elf + eh->e_shoff);
        const char *names = (const char *)elf + sh[eh->e_shstrndx].sh_offset;
        for (int i = 0; i < eh->e_shnum && !found; i++) {
            if (strcmp(names + sh[i].sh_name, section) != 0) continue;
            const char *p = (const char *)elf + sh[i].sh_offset, *end = p + sh[i].sh_size;
            for (; p < end; p += strlen(p) + 1) {
                if (strcmp(p, want) == 0) found = 1;
            }
        }
    }
    free(elf);
    fclose(f);
    return found;
}

/* ---- the host table ---- */

static int logged_count;
static char last_log[256];
static int answer_fails;
static int resolve_calls;
static int offer_answer = 1;
static relib_sdk_import_failed_fn import_failed;

static void host_log(uint32_t level, const uint8_t *msg, size_t len) {
    logged_count++;
    snprintf(last_log, sizeof last_log, "%u %.*s", level, (int)len, (const char *)msg);
}

static uint64_t host_now_ns(void) {
    static uint64_t t = 1000;
    return t += 250;
}

static uint8_t stub_answer(void) {
    if (answer_fails) {
        const char *why = "java.lang.ArithmeticException: / by zero";
        import_failed((const uint8_t *)why, strlen(why));
        return 0;
    }
    return 42;
}

static const void *resolve(const uint8_t *name, size_t name_len, const uint8_t *sig, size_t sig_len) {
    resolve_calls++;
    RelibStr n = {name, name_len}, s = {sig, sig_len};
    if (str_eq(n, "log") && str_eq(s, "log(u32, &str)")) return (const void *)host_log;
    if (str_eq(n, "now_ns") && str_eq(s, "now_ns() -> u64")) return (const void *)host_now_ns;
    if (offer_answer && str_eq(n, "answer") && str_eq(s, "answer() -> u8")) return (const void *)stub_answer;
    return NULL;
}

static const RelibHostApi HOST = {RELIB_SDK_ABI, 0, host_log, resolve};

/* ---- one loaded module ---- */

typedef struct Module {
    void *handle;
    const volatile uint64_t *panic_count;
    uint64_t panics_seen;
    relib_sdk_take_panic_fn take_panic;
    relib_sdk_panic_free_fn panic_free;
    relib_sdk_free_fn free_owned;
} Module;

static void *sym(Module *m, const char *name) {
    void *p = dlsym(m->handle, name);
    CHECK(p != NULL, "dlsym %s: %s", name, dlerror());
    return p;
}

static Module load(const char *dir, const char *name, char *path, size_t path_size) {
    Module m = {0};
    snprintf(path, path_size, "%s/lib%s.so", dir, name);
    m.handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!m.handle) {
        fprintf(stderr, "FAIL dlopen %s: %s\n", path, dlerror());
        exit(1);
    }
    const RelibSdkInfo *info = ((relib_sdk_info_fn)sym(&m, "relib_sdk_info"))();
    CHECK(info->abi == RELIB_SDK_ABI, "module ABI %u, host ABI %u", info->abi, RELIB_SDK_ABI);
    CHECK(info->size == sizeof(RelibSdkInfo), "info size %u", info->size);
    CHECK(str_eq(info->crate_name, name), "crate name %.*s", (int)info->crate_name.len, info->crate_name.ptr);
    CHECK(str_contains(info->rustc_version, "rustc "), "rustc %.*s", (int)info->rustc_version.len,
          info->rustc_version.ptr);
    m.panic_count = sym(&m, RELIB_SDK_PANIC_COUNT_SYMBOL);
    m.take_panic = (relib_sdk_take_panic_fn)sym(&m, "relib_sdk_take_panic");
    m.panic_free = (relib_sdk_panic_free_fn)sym(&m, "relib_sdk_panic_free");
    m.free_owned = (relib_sdk_free_fn)sym(&m, "relib_sdk_free");
    return m;
}

/* Takes the one new panic the last call should have caused; checks its message and entry. */
static void expect_panic(Module *m, const char *message_part, const char *entry) {
    uint64_t now = __atomic_load_n(m->panic_count, __ATOMIC_ACQUIRE);
    CHECK(now == m->panics_seen + 1, "panic count %lu, expected %lu", (unsigned long)now,
          (unsigned long)m->panics_seen + 1);
    m->panics_seen = now;
    RelibPanic p;
    CHECK(m->take_panic(&p), "a panic is queued");
    CHECK(p.sequence == now, "sequence %lu", (unsigned long)p.sequence);
    CHECK(str_contains(p.message, message_part), "message '%.*s'", (int)p.message.len, p.message.ptr);
    CHECK(str_eq(p.entry, entry), "entry '%.*s', expected '%s'", (int)p.entry.len, p.entry.ptr, entry);
    CHECK(p.file.len > 0 && str_contains(p.file, "src/lib.rs") && p.line > 0, "location %.*s:%u",
          (int)p.file.len, p.file.ptr, p.line);
    CHECK(p.backtrace.len > 0 && p.frame_count > 0 && p.frame_count <= 64, "stacks");
    int in_module = 0;
    for (size_t i = 0; i < p.frame_count; i++) {
        Dl_info where;
        if (dladdr((void *)(p.frames[i] - 1), &where) && strstr(where.dli_fname, "panicky")) in_module = 1;
    }
    CHECK(in_module, "a raw frame lies in the module");
    CHECK(!m->take_panic(&p) && p.message.ptr == NULL, "only one panic queued");
    m->panic_free();
}

static void unload(Module *m, int expect_before_unload) {
    relib_sdk_before_unload_fn before = (relib_sdk_before_unload_fn)dlsym(m->handle, "relib_sdk_before_unload");
    if (before) {
        int32_t status = before();
        CHECK(status == expect_before_unload, "before_unload -> %d", status);
    }
    ((relib_sdk_fini_fn)sym(m, "relib_sdk_fini"))();
    CHECK(dlclose(m->handle) == 0, "dlclose");
}

/* ---- the three samples ---- */

static void test_hello(const char *dir) {
    char path[4096];
    Module m = load(dir, "hello", path, sizeof path);
    const char *entries[] = {"add(i32, i32) -> i32", "greet(&str) -> String", "checksum(&[u8]) -> u32",
                             "repeat_byte(u8, usize) -> Vec<u8>", "version() -> &str", "main()",
                             "before_unload()", "cstr_len(*const c_char) -> usize",
                             "point_sum(Option<&Point>) -> i32", "noop()"};
    for (size_t i = 0; i < sizeof entries / sizeof *entries; i++)
        CHECK(manifest_has(path, RELIB_SDK_EXPORTS_SECTION, entries[i]), "%s in .relib_exports", entries[i]);

    CHECK(((relib_sdk_init_fn)sym(&m, "relib_sdk_init"))(&HOST) == RELIB_SDK_INIT_OK, "init");
    CHECK(((relib_sdk_main_fn)sym(&m, "relib_sdk_main"))() == RELIB_SDK_ENTRY_OK, "main");

    CHECK(((int32_t(*)(int32_t, int32_t))sym(&m, "add"))(2, 3) == 5, "add");
    RelibOwned greeting = ((RelibOwned(*)(const uint8_t *, size_t))sym(&m, "greet"))((const uint8_t *)"bob", 3);
    CHECK(greeting.len == 10 && memcmp(greeting.ptr, "hello, bob", 10) == 0 && greeting.cap >= 10, "greet");
    m.free_owned(greeting.ptr, greeting.len, greeting.cap);
    RelibOwned bytes = ((RelibOwned(*)(uint8_t, size_t))sym(&m, "repeat_byte"))(0x5a, 4096);
    CHECK(bytes.len == 4096 && bytes.ptr[0] == 0x5a && bytes.ptr[4095] == 0x5a, "repeat_byte");
    m.free_owned(bytes.ptr, bytes.len, bytes.cap);
    const uint8_t data[] = {1, 2, 3};
    CHECK(((uint32_t(*)(const uint8_t *, size_t))sym(&m, "checksum"))(data, 3) == ((1u << 10) ^ (2u << 5) ^ 3u),
          "checksum");
    RelibStr version = ((RelibStr(*)(void))sym(&m, "version"))();
    CHECK(str_eq(version, "0.1.0"), "version");
    CHECK(((uint8_t(*)(uint8_t))sym(&m, "negate"))(0) == 1, "negate");
    CHECK(((uint64_t(*)(uint64_t, uint64_t))sym(&m, "add_u64"))(UINT64_MAX, 2) == 1, "add_u64");
    CHECK(((double (*)(double, double))sym(&m, "distance"))(3.0, 4.0) == 5.0, "distance");
    CHECK(((float (*)(float, float))sym(&m, "scale_f32"))(1.5f, 2.0f) == 3.0f, "scale_f32");
    CHECK(((uint32_t(*)(uint32_t))sym(&m, "next_char"))('y') == 'z', "next_char");
    CHECK(((size_t(*)(const char *))sym(&m, "cstr_len"))("four") == 4, "cstr_len");
    const char *c_greeting = ((const char *(*)(void))sym(&m, "greeting_cstr"))();
    CHECK(strcmp(c_greeting, "hello from C land") == 0, "greeting_cstr");
    struct { int32_t x, y; } point = {4, 5};
    CHECK(((int32_t(*)(const void *))sym(&m, "point_sum"))(&point) == 9, "point_sum");
    CHECK(((int32_t(*)(const void *))sym(&m, "point_sum"))(NULL) == -1, "point_sum(None)");
    CHECK(*m.panic_count == 0, "no panic in hello");
    unload(&m, RELIB_SDK_ENTRY_OK);
}

static void test_panicky(const char *dir) {
    char path[4096];
    Module m = load(dir, "panicky", path, sizeof path);
    CHECK(((relib_sdk_init_fn)sym(&m, "relib_sdk_init"))(&HOST) == RELIB_SDK_INIT_OK, "init");
    CHECK(((relib_sdk_main_fn)sym(&m, "relib_sdk_main"))() == RELIB_SDK_ENTRY_PANICKED, "main panics");
    expect_panic(&m, "main panicked on purpose", "main");

    int32_t (*divide)(int32_t, int32_t) = (int32_t(*)(int32_t, int32_t))sym(&m, "divide");
    CHECK(divide(1, 0) == 0, "a panicking export returns zero");
    expect_panic(&m, "divide(1, 0)", "divide");
    CHECK(divide(9, 3) == 3, "usable after a panic");
    CHECK(((uint32_t(*)(void))sym(&m, "still_alive"))() == 7, "still_alive");

    RelibOwned none = ((RelibOwned(*)(const uint8_t *, size_t))sym(&m, "explode"))((const uint8_t *)"kaboom", 6);
    CHECK(none.ptr == NULL && none.len == 0, "an owned return is empty after a panic");
    expect_panic(&m, "kaboom", "explode");

    RelibHostApi raw_frames = HOST;
    raw_frames.flags = RELIB_SDK_HOST_RAW_FRAMES_ONLY;
    CHECK(((relib_sdk_init_fn)sym(&m, "relib_sdk_init"))(&raw_frames) == RELIB_SDK_INIT_OK, "init, raw frames");
    CHECK(divide(2, 0) == 0, "panics again");
    RelibPanic raw;
    CHECK(m.take_panic(&raw) && raw.backtrace.len == 0 && raw.frame_count > 0, "raw frames only");
    m.panics_seen = *m.panic_count;
    m.panic_free();

    CHECK(((uint64_t(*)(void))sym(&m, "panic_in_thread"))() == 1, "the worker panicked");
    RelibPanic p;
    CHECK(m.take_panic(&p) && str_eq(p.thread_name, "panicky-worker") && str_eq(p.entry, ""),
          "worker panic: thread '%.*s'", (int)p.thread_name.len, p.thread_name.ptr);
    m.panics_seen = *m.panic_count;
    m.panic_free();

    unload(&m, RELIB_SDK_ENTRY_PANICKED);
}

static void test_imports(const char *dir) {
    char path[4096];
    Module m = load(dir, "imports", path, sizeof path);
    CHECK(manifest_has(path, RELIB_SDK_IMPORTS_SECTION, "answer() -> u8"), "answer in .relib_imports");
    CHECK(manifest_has(path, RELIB_SDK_IMPORTS_SECTION, "log(u32, &str)"), "log in .relib_imports");
    CHECK(manifest_has(path, RELIB_SDK_IMPORTS_SECTION, "now_ns() -> u64"), "now_ns in .relib_imports");
    relib_sdk_init_fn init = (relib_sdk_init_fn)sym(&m, "relib_sdk_init");
    import_failed = (relib_sdk_import_failed_fn)sym(&m, "relib_sdk_import_failed");

    RelibHostApi other_abi = HOST;
    other_abi.abi = RELIB_SDK_ABI + 1;
    CHECK(init(&other_abi) == RELIB_SDK_INIT_ABI_MISMATCH, "ABI mismatch");

    offer_answer = 0;
    resolve_calls = 0;
    CHECK(init(&HOST) == RELIB_SDK_INIT_UNBOUND_IMPORTS, "answer unbound");
    CHECK(resolve_calls == 3, "every import asked for, got %d", resolve_calls);
    offer_answer = 1;
    CHECK(init(&HOST) == RELIB_SDK_INIT_OK, "all bound");

    CHECK(((relib_sdk_main_fn)sym(&m, "relib_sdk_main"))() == RELIB_SDK_ENTRY_OK, "main");
    CHECK(strcmp(last_log, "3 imports: main ran") == 0, "main logged '%s'", last_log);
    uint32_t (*ask)(void) = (uint32_t(*)(void))sym(&m, "ask");
    CHECK(ask() == 84, "ask through the stub");
    CHECK(strcmp(last_log, "3 imports: the host answered 42") == 0, "logged '%s'", last_log);
    CHECK(((uint64_t(*)(uint32_t))sym(&m, "elapsed_ns"))(1000) == 250, "now_ns twice");

    answer_fails = 1;
    CHECK(ask() == 0, "a failing import fails the export");
    answer_fails = 0;
    RelibPanic p;
    CHECK(m.take_panic(&p) && str_contains(p.message, "import `answer() -> u8` failed in the host: "
                                                      "java.lang.ArithmeticException: / by zero"),
          "import failure: '%.*s'", (int)p.message.len, p.message.ptr);
    m.panic_free();
    CHECK(ask() == 84, "recovered");
    unload(&m, RELIB_SDK_ENTRY_OK);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    test_hello(argv[1]);
    test_panicky(argv[1]);
    test_imports(argv[1]);
    if (failures) {
        fprintf(stderr, "sdk host test: %d check(s) failed\n", failures);
        return 1;
    }
    printf("sdk host test: hello, panicky, imports ok\n");
    return 0;
}
