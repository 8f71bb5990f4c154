/* Runs a module's exports the way the shell's scripts do, for tools that watch a whole process
 * (valgrind memcheck): leak-driver MODULE [FUNCTION [ARG [ARG]]]... , each call with up to two
 * integer arguments (an export taking fewer ignores the rest). Exits with the module still loaded,
 * as `allocs --leaks` sees it, after wiping the stack the calls ran on so no stale copy of a
 * pointer there counts as a root. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef unsigned long (*export_fn)(unsigned long, unsigned long);

static __attribute__((noinline)) void call(export_fn fn, unsigned long a, unsigned long b) {
    fn(a, b);
}

static __attribute__((noinline)) void wipe_stack(void) {
    volatile char area[64 * 1024];
    memset((char *)area, 0, sizeof area);
}

static int is_number(const char *s) {
    if (!*s) {
        return 0;
    }
    for (; *s; s++) {
        if (*s < '0' || *s > '9') {
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: leak-driver MODULE [FUNCTION [ARG [ARG]]]...\n");
        return 2;
    }
    void *module = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!module) {
        fprintf(stderr, "leak-driver: %s\n", dlerror());
        return 1;
    }
    for (int i = 2; i < argc;) {
        export_fn fn = (export_fn)dlsym(module, argv[i]);
        if (!fn) {
            fprintf(stderr, "leak-driver: no export %s\n", argv[i]);
            return 1;
        }
        unsigned long args[2] = {0, 0};
        int n = 0;
        for (i++; i < argc && n < 2 && is_number(argv[i]); i++) {
            args[n++] = strtoul(argv[i], NULL, 10);
        }
        call(fn, args[0], args[1]);
    }
    wipe_stack();
    fflush(NULL);
    _exit(0);
}
