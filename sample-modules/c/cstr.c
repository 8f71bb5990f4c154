/* A plain C module: C strings in and out. */
#include <stddef.h>
#include <string.h>

size_t str_length(const char *s) {
    return s ? strlen(s) : 0;
}

const char *greeting(void) {
    return "hello from C";
}
