/* libc functions that return heap memory to the caller, each leaked once by leak_all(): the agent
 * must attribute every block to this module. */
#define _GNU_SOURCE
#include <dirent.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *kept[32];
static unsigned kept_count;

static void keep(void *p) {
    if (p && kept_count < 32) {
        kept[kept_count++] = p;
    }
}

static int leak_vasprintf(const char *format, ...) {
    va_list args;
    va_start(args, format);
    char *s = NULL;
    int n = vasprintf(&s, format, args);
    va_end(args);
    keep(s);
    return n;
}

static int no_dots(const struct dirent *e) {
    return e->d_name[0] != '.';
}

/* One leak per function; returns how many calls succeeded. dir must be a readable directory. */
unsigned long leak_all(const char *dir) {
    char *s = NULL;
    keep(strdup("strdup: a leaked copy"));
    keep(strndup("strndup: a leaked, truncated copy", 12));
    if (asprintf(&s, "asprintf %d", 42) >= 0) {
        keep(s);
    }
    leak_vasprintf("vasprintf %s", "text");
    keep(realpath(dir, NULL));
    keep(getcwd(NULL, 0));
    keep(valloc(100));
    keep(reallocarray(NULL, 10, 12));
    keep(tempnam(dir, "rl"));
    void *frames[4];
    int depth = backtrace(frames, 4);
    keep(backtrace_symbols(frames, depth));
    char *buffer = NULL;
    size_t size = 0;
    FILE *memory = open_memstream(&buffer, &size);
    if (memory) {
        fputs("open_memstream", memory);
        fclose(memory); /* the stream is gone; the buffer is the caller's */
        keep(buffer);
    }
    struct dirent **entries = NULL;
    int count = scandir(dir, &entries, no_dots, alphasort);
    if (count >= 0) {
        keep(entries); /* the array; each entry is leaked too */
    }
    keep(fopen(dir, "r"));  /* a FILE left open */
    keep(opendir(dir));     /* a DIR left open */
    return kept_count;
}

/* fopen/fclose and opendir/closedir pairs: nothing may stay. */
unsigned long open_and_close(const char *dir, unsigned long rounds) {
    unsigned long ok = 0;
    for (unsigned long i = 0; i < rounds; i++) {
        FILE *f = fopen(dir, "r");
        DIR *d = opendir(dir);
        ok += f && d;
        if (f) fclose(f);
        if (d) closedir(d);
    }
    return ok;
}
