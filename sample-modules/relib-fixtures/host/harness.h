/* What host_test.c and test_imports.c share: checks, output capture, symbol lookup. */
#ifndef RELIB_HARNESS_H
#define RELIB_HARNESS_H

#include "relib_host.h"

#include <stdio.h>

extern int failures;
extern int checks;
/* The test's own stderr, which output captures never redirect. */
extern FILE *report;

#define CHECK(cond, ...)                                                         \
    do {                                                                         \
        checks++;                                                                \
        if (!(cond)) {                                                           \
            failures++;                                                          \
            fprintf(report, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);     \
            fprintf(report, __VA_ARGS__);                                        \
            fputc('\n', report);                                                 \
            fflush(report);                                                      \
        }                                                                        \
    } while (0)

/* Redirects fd (1 or 2) into a temporary file until capture_end, which returns what was written
 * (malloc'd, NUL-terminated). */
typedef struct {
    int fd;
    int saved;
    FILE *file;
} Capture;
void capture_start(Capture *capture, int fd);
char *capture_end(Capture *capture);

/* dlsym that counts a missing symbol as a failure. */
void *module_symbol(const RelibModule *module, const char *name);
/* Whether a relib success flag was written as exactly 1 (0 means the module panicked; anything else
 * means the module never wrote it). */
int succeeded(uint8_t success, const char *what);
int str_equals(RelibStr s, const char *text);

/* relib's success flag; the host initialises it to a value the module never writes. */
typedef uint8_t Flag;
#define FLAG_UNWRITTEN 0xAA
/* Calls a `void f(bool *success)` export and returns whether it succeeded. */
int call_void_export(const RelibModule *module, const char *symbol);

/* ---- static ABI checks (abi_checks.c) ---- */

/* The info string is "{rustc_fields}|{relib_version}|{0|1}" and its flag agrees with the presence of
 * the unloading core's 18 symbols. */
void check_compilation_info(const char *label, const char *path, const char *rustc_fields, const char *relib_version);
/* Every relib symbol of the genuine module (with user_symbols: also its __relib__ exports and import
 * slots) exists in the fixture with the same type, binding and data size; the fixture's internal
 * symbols exist in the genuine module. */
void check_symbols_agree(const char *label, const char *genuine_path, const char *fixture_path, int user_symbols);

/* ---- scenarios (unloading_scenario.c) ---- */

typedef struct {
    const char *label;
    const char *path;
    int genuine;          /* relib's own test module: only relib's exports exist */
    size_t alloc_mem_len; /* what Exports::alloc_mem returns */
    size_t leak_bytes;    /* what Exports::leak leaks */
} UnloadingTarget;

/* relib's `unloading` scenario: two load/call/unload cycles with every export. */
void scenario_unloading(const UnloadingTarget *target, const char *host_info);

/* ---- the host side of relib's test interface (test_shared::imports::Imports) ---- */

typedef enum { DROP_NONE, DROP_NOT_CALLED, DROP_CALLED } DropState;

typedef struct {
    int empty, empty_default, dbg_default, ref_, ref_ret, ref_ret2, ref_owned_ret;
    int primitive, primitive_ret, alloc_mem, panic, thread_local_drop_called, posts;
} ImportCalls;

extern ImportCalls import_calls;
extern DropState thread_local_drop_state;
/* Length of the vector the alloc_mem import returns (relib's test host: 200 MB). */
extern size_t alloc_mem_len;

/* All 13 imports of relib's test interface, as relib's test host binds them; `panic` fails
 * (success = 0), as relib's panicking implementation does (panic_in_interface_host). */
extern const RelibImport TEST_IMPORTS[];
extern const size_t TEST_IMPORT_COUNT;
/* The imports of the no-unloading fixture (panic, primitive_ret, ref_owned_ret). */
extern const RelibImport NO_UNLOADING_IMPORTS[];
extern const size_t NO_UNLOADING_IMPORT_COUNT;

#endif
