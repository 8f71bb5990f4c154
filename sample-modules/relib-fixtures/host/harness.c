/* Checks, output capture and symbol lookup shared by the host test's files. */
#define _GNU_SOURCE
#include "harness.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int failures;
int checks;
FILE *report;

void capture_start(Capture *capture, int fd) {
    fflush(stdout);
    fflush(stderr);
    capture->fd = fd;
    capture->saved = dup(fd);
    capture->file = tmpfile();
    if (capture->saved < 0 || !capture->file) {
        perror("relib host test: capture");
        exit(2);
    }
    dup2(fileno(capture->file), fd);
}

char *capture_end(Capture *capture) {
    fflush(stdout);
    fflush(stderr);
    dup2(capture->saved, capture->fd);
    close(capture->saved);
    long size = ftell(capture->file);
    char *text = malloc((size_t)(size > 0 ? size : 0) + 1);
    rewind(capture->file);
    size_t got = size > 0 ? fread(text, 1, (size_t)size, capture->file) : 0;
    text[got] = '\0';
    fclose(capture->file);
    return text;
}

void *module_symbol(const RelibModule *module, const char *name) {
    void *address = module->handle ? dlsym(module->handle, name) : NULL;
    CHECK(address != NULL, "%s exports %s", module->path, name);
    return address;
}

int succeeded(uint8_t success, const char *what) {
    CHECK(success == 0 || success == 1, "%s wrote the success flag as 0 or 1, not 0x%02x", what, success);
    return success == 1;
}

int str_equals(RelibStr s, const char *text) {
    return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

int call_void_export(const RelibModule *module, const char *symbol) {
    void (*fn)(Flag *) = (void (*)(Flag *))module_symbol(module, symbol);
    if (!fn) return 0;
    Flag ok = FLAG_UNWRITTEN;
    fn(&ok);
    return succeeded(ok, symbol);
}
