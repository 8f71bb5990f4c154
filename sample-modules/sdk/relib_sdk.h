/*
 * relib_sdk.h: the binary interface between a host and a module built with the Rust crate
 * relib_sdk (Linux x86-64, SysV calling convention). The relib shell is one such host; this header
 * lets any C host be another. man relib-sdk(7) tells the same story with examples.
 *
 * Every layout and constant here must match sample-modules/sdk/src/abi.rs (its unit tests check
 * sizes and offsets).
 *
 * A host, in order:
 *   1. Reads the module's ELF sections ".relib_exports" and ".relib_imports" from the file (no
 *      loading needed): NUL-terminated signature texts, one per entry, e.g. "add(i32, i32) -> i32".
 *      Several objects may contribute to a section: treat it as a sequence of entries, skip empty
 *      ones (padding), never assume a header. Entries "main()" and "before_unload()" stand for
 *      relib_sdk_main and relib_sdk_before_unload. A file with a ".relib_exports" section and a
 *      "relib_sdk_info" export is an SDK module.
 *   2. Checks the imports against what it can provide, and refuses the load listing the missing ones.
 *   3. dlopen; calls relib_sdk_info() and refuses any abi other than RELIB_SDK_ABI, naming both.
 *   4. Calls relib_sdk_init(&host); RELIB_SDK_INIT_UNBOUND_IMPORTS means resolve_import returned
 *      NULL for at least one import (it is asked for every import, so the host can list them all).
 *   5. Calls relib_sdk_main() if exported, and exports as their signatures say.
 *   6. After any call: if *relib_sdk_panic_count changed, calls relib_sdk_take_panic() until it
 *      returns false, then relib_sdk_panic_free().
 *   7. At unload: relib_sdk_before_unload() if exported, then relib_sdk_fini(), then dlclose.
 */
#ifndef RELIB_SDK_H
#define RELIB_SDK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. relib_sdk_info()->abi must equal it. */
#define RELIB_SDK_ABI 1u

/* Section names. */
#define RELIB_SDK_EXPORTS_SECTION ".relib_exports"
#define RELIB_SDK_IMPORTS_SECTION ".relib_imports"

/* Log levels: RelibHostApi.log and the built-in import log(u32, &str). */
#define RELIB_LOG_ERROR 1u
#define RELIB_LOG_WARN 2u
#define RELIB_LOG_INFO 3u
#define RELIB_LOG_DEBUG 4u
#define RELIB_LOG_TRACE 5u

/* RelibHostApi.flags bits. */
/* Record raw return addresses only, no std-formatted backtrace. Formatting makes the module's std
 * build a symbolizer cache (measured 21-24 MB for the samples) that it keeps until unload, where a
 * tracking host sees it as the module's memory; a host that symbolizes frames itself sets this. */
#define RELIB_SDK_HOST_RAW_FRAMES_ONLY 1u

/* relib_sdk_init results. */
#define RELIB_SDK_INIT_OK 0
#define RELIB_SDK_INIT_ABI_MISMATCH 1    /* host->abi != RELIB_SDK_ABI */
#define RELIB_SDK_INIT_UNBOUND_IMPORTS 2 /* resolve_import returned NULL for some import */
#define RELIB_SDK_INIT_NO_HOST 3         /* host was NULL */

/* relib_sdk_main / relib_sdk_before_unload results. */
#define RELIB_SDK_ENTRY_OK 0
#define RELIB_SDK_ENTRY_PANICKED 1 /* queued: take it with relib_sdk_take_panic */
#define RELIB_SDK_ENTRY_FAILED 2   /* the body returned Err; its text went to host->log (ERROR) */

/* Borrowed bytes (a &str or &[u8]); also the return of an export typed "-> &str" / "-> &[u8]":
 * 16 bytes, returned in rax:rdx. Not NUL-terminated. */
typedef struct RelibStr {
    const uint8_t *ptr; /* offset 0 */
    size_t len;         /* offset 8 */
} RelibStr;

/* The return of an export typed "-> String" or "-> Vec<u8>": 24 bytes, so the caller passes a
 * hidden pointer to it in rdi and the declared arguments start at rsi (SysV "sret"); declaring the
 * function as returning RelibOwned, as below, makes the C compiler do exactly that. Give it back
 * with relib_sdk_free(ptr, len, cap). ptr is NULL when the export panicked. */
typedef struct RelibOwned {
    uint8_t *ptr; /* offset 0 */
    size_t len;   /* offset 8 */
    size_t cap;   /* offset 16 */
} RelibOwned;

/* Static data, valid while the module is loaded. abi is the first field in every ABI version. */
typedef struct RelibSdkInfo {
    uint32_t abi;            /* offset 0 */
    uint32_t size;           /* offset 4: sizeof(RelibSdkInfo) as the module knows it (72) */
    RelibStr sdk_version;    /* offset 8: relib_sdk crate version */
    RelibStr rustc_version;  /* offset 24: "rustc 1.95.0 (...)" */
    RelibStr crate_name;     /* offset 40: the module's package name */
    RelibStr crate_version;  /* offset 56: the module's package version */
} RelibSdkInfo;             /* 72 bytes */

/* The host's side. Must not unwind (no C++ exception, no Java exception) into the module. */
typedef void (*relib_host_log_fn)(uint32_t level, const uint8_t *msg, size_t len);
/* Address of a C-ABI function implementing import NAME with SIGNATURE (the .relib_imports text,
 * e.g. "answer() -> u8"), or NULL. Neither string is NUL-terminated. */
typedef const void *(*relib_host_resolve_fn)(const uint8_t *name, size_t name_len,
                                            const uint8_t *signature, size_t signature_len);

/* Passed to relib_sdk_init; copied, so it may live on the host's stack. */
typedef struct RelibHostApi {
    uint32_t abi;                         /* offset 0: RELIB_SDK_ABI */
    uint32_t flags;                       /* offset 4: RELIB_SDK_HOST_* bits, else 0 */
    relib_host_log_fn log;                /* offset 8: may be NULL */
    relib_host_resolve_fn resolve_import; /* offset 16: may be NULL when there are no imports */
} RelibHostApi;                           /* 24 bytes */

/* One captured panic. Every pointer refers to module memory valid until the next
 * relib_sdk_take_panic or relib_sdk_panic_free. Strings are UTF-8, not NUL-terminated. */
typedef struct RelibPanic {
    uint64_t sequence;     /* offset 0: 1 for the module's first panic */
    uint64_t thread_id;    /* offset 8: kernel tid (gettid) of the panicking thread */
    RelibStr message;      /* offset 16 */
    RelibStr file;         /* offset 32: empty when the panic had no location */
    uint32_t line;         /* offset 48 */
    uint32_t column;       /* offset 52 */
    RelibStr thread_name;  /* offset 56: pthread_getname_np (at most 15 bytes) */
    RelibStr entry;        /* offset 72: export name, "main", "before_unload", or empty (another thread) */
    RelibStr backtrace;    /* offset 88: std::backtrace::Backtrace::force_capture(), as std prints
                              it; empty under RELIB_SDK_HOST_RAW_FRAMES_ONLY */
    const uintptr_t *frames; /* offset 104: raw return addresses, innermost first (SDK and std
                                panic frames come first) */
    size_t frame_count;    /* offset 112: at most 64 */
} RelibPanic;              /* 120 bytes */

/* What every SDK module exports (look them up with dlsym; the typedefs are for the pointers). */
typedef const RelibSdkInfo *(*relib_sdk_info_fn)(void);
typedef int32_t (*relib_sdk_init_fn)(const RelibHostApi *host);
typedef int32_t (*relib_sdk_main_fn)(void);          /* optional export relib_sdk_main */
typedef int32_t (*relib_sdk_before_unload_fn)(void); /* optional export relib_sdk_before_unload */
typedef void (*relib_sdk_free_fn)(uint8_t *ptr, size_t len, size_t cap);
typedef bool (*relib_sdk_take_panic_fn)(RelibPanic *out); /* false (and *out zeroed) when none */
typedef void (*relib_sdk_panic_free_fn)(void);
typedef void (*relib_sdk_fini_fn)(void); /* drops what the SDK holds; call last, before dlclose */
/* From inside an import's implementation, on the calling thread: the import failed (say, a Java
 * exception). Return a zero value; the module's import wrapper then panics with this message, so
 * the failure is caught and queued like any panic and nothing unwinds through native frames. */
typedef void (*relib_sdk_import_failed_fn)(const uint8_t *msg, size_t len);

/* Data export relib_sdk_panic_count: `uint64_t` (atomic), the number of panics recorded since load.
 * Read it at its dlsym address after a call (an acquire load); a change means take_panic. */
#define RELIB_SDK_PANIC_COUNT_SYMBOL "relib_sdk_panic_count"

/* Each panic is queued, at most this many; older ones are dropped (gaps in sequence show it). */
#define RELIB_SDK_PANIC_QUEUE 16

/*
 * Calling an export: its manifest entry says how. Each parameter type is one C argument, except
 * &str and &[u8], which are two: a pointer, then a size_t length. Types map as:
 *   bool -> uint8_t (0 or 1; nonzero reads as true)      char -> uint32_t (a Unicode scalar value)
 *   i8..i64, u8..u64 -> int8_t..uint64_t                  isize / usize -> intptr_t / size_t
 *   f32 / f64 -> float / double                            *const T, *mut T, Option<&T> -> pointer
 *   *const c_char -> const char * (a C string)             &str, &[u8] -> (const uint8_t *, size_t)
 * Returns: "()" (no "->" in the entry) -> void; the types above -> the same C type;
 *   &str / &[u8] -> RelibStr (rax:rdx); String / Vec<u8> -> RelibOwned (sret).
 * A panicking export returns zero: 0, 0.0, false, NULL, an empty RelibStr / RelibOwned.
 *
 * Example: entry "greet(&str) -> String" is
 *     RelibOwned greet(const uint8_t *name, size_t name_len);
 */

#ifdef __cplusplus
}
#endif

#endif /* RELIB_SDK_H */
