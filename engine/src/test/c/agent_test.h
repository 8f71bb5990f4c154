/* Shared by the agent's C tests: find and load the sample modules, check, and unload them in the
 * order NATIVE-NOTES prescribes. The Makefile passes the samples directory as RELIB_SAMPLES. */
#ifndef AGENT_TEST_H
#define AGENT_TEST_H

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "relib_agent.h"

#define CHECK(cond, ...) do { \
        if (!(cond)) { \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__); \
            fprintf(stderr, "\n"); \
            exit(1); \
        } \
    } while (0)

#define CHECK_EQ(actual, expected) do { \
        long long a_ = (long long)(actual), e_ = (long long)(expected); \
        CHECK(a_ == e_, "got %lld, expected %lld", a_, e_); \
    } while (0)

/* $RELIB_SAMPLES/SUBDIR/libNAME.so; each caller's path lives until its next call. */
static inline const char *sample_path(char path[4096], const char *subdir, const char *name) {
    const char *dir = getenv("RELIB_SAMPLES");
    CHECK(dir && *dir, "RELIB_SAMPLES is not set");
    snprintf(path, 4096, "%s/%s/lib%s.so", dir, subdir, name);
    return path;
}

/* sample("leaky") -> $RELIB_SAMPLES/debug/libleaky.so */
static inline const char *sample(const char *crate) {
    static char path[4096];
    return sample_path(path, "debug", crate);
}

/* sample_release("frames") -> $RELIB_SAMPLES/release/libframes.so (only frames has a release build) */
static inline const char *sample_release(const char *crate) {
    static char path[4096];
    return sample_path(path, "release", crate);
}

/* c_sample("fdleak") -> $RELIB_SAMPLES/c/libfdleak.so (sample-modules/c) */
static inline const char *c_sample(const char *name) {
    static char path[4096];
    return sample_path(path, "c", name);
}

static inline void *open_module(const char *path) {
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    CHECK(handle, "dlopen %s: %s", path, dlerror());
    return handle;
}

static inline void *export_of(void *handle, const char *name) {
    void *f = dlsym(handle, name);
    CHECK(f, "dlsym %s: %s", name, dlerror());
    return f;
}

static inline relib_agent_stats_t stats_of(uint32_t id) {
    relib_agent_stats_t s;
    CHECK_EQ(relib_agent_stats(id, &s), 0);
    return s;
}

/* Whether /proc/self/maps has a mapping of exactly this file. */
static inline int mapped(const char *path) {
    FILE *maps = fopen("/proc/self/maps", "r");
    CHECK(maps, "open /proc/self/maps");
    char line[4096];
    int found = 0;
    size_t len = strlen(path);
    while (!found && fgets(line, sizeof line, maps)) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        size_t n = strlen(line);
        found = n >= len && strcmp(line + n - len, path) == 0 && line[n - len - 1] == ' ';
    }
    fclose(maps);
    return found;
}

/* The unload order from NATIVE-NOTES, after the module's threads have ended. */
static inline void unload_module(void *handle, uint32_t id) {
    CHECK(relib_agent_run_tls_destructors(id) >= 0, "run tls destructors");
    CHECK(relib_agent_run_key_destructors_and_delete(id, NULL) >= 0, "run key destructors");
    CHECK(relib_agent_disable_tls_destructors(id) >= 0, "disable tls destructors");
    CHECK(relib_agent_free_blocks(id, NULL) >= 0, "free blocks");
    CHECK(relib_agent_unmap_mappings(id, NULL) >= 0, "unmap mappings");
    CHECK_EQ(relib_agent_detach(id), 0);
    CHECK(dlclose(handle) == 0, "dlclose: %s", dlerror());
    CHECK_EQ(relib_agent_forget(id), 0);
}

#endif
