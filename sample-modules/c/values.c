/*
 * A plain C module for the shell's values and memory commands: echoes for every argument form,
 * out-parameters in sqlite3_open style, buffers to fill, globals to read and write, and
 * #[repr(C)] structs by pointer and by value (SSE, INTEGER, mixed and MEMORY classes of x86-64 SysV).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct slice {
    const uint8_t *data;
    size_t length;
};

/* Called as echo_bytes(&[u8]) -> &[u8] and echo_str(&str) -> &str: what arrived, returned as is. */
struct slice echo_bytes(const uint8_t *data, size_t length) {
    return (struct slice){data, length};
}

struct slice echo_str(const uint8_t *data, size_t length) {
    return (struct slice){data, length};
}

const char *echo_cstr(const char *text) {
    return text;
}

uint64_t echo_u64(uint64_t value) {
    return value;
}

int64_t echo_i64(int64_t value) {
    return value;
}

double echo_f64(double value) {
    return value;
}

float echo_f32(float value) {
    return value;
}

uint32_t echo_char(uint32_t value) {
    return value;
}

bool echo_bool(bool value) {
    return value;
}

const void *echo_ptr(const void *value) {
    return value;
}

/* sqlite3_open style: a handle through an out-parameter, a status code as the result. */
struct handle {
    char name[32];
    uint32_t uses;
};

int open_handle(const char *name, struct handle **out) {
    if (name == NULL || out == NULL) {
        return 21;
    }
    struct handle *h = calloc(1, sizeof *h);
    if (h == NULL) {
        return 7;
    }
    snprintf(h->name, sizeof h->name, "%s", name);
    *out = h;
    return 0;
}

uint32_t use_handle(struct handle *h) {
    return ++h->uses;
}

const char *handle_name(const struct handle *h) {
    return h->name;
}

void close_handle(struct handle *h) {
    free(h);
}

int divmod(uint64_t a, uint64_t b, uint64_t *quotient, uint64_t *remainder) {
    if (b == 0) {
        return -1;
    }
    *quotient = a / b;
    *remainder = a % b;
    return 0;
}

void minmax(const double *values, size_t count, double *min, double *max) {
    *min = values[0];
    *max = values[0];
    for (size_t i = 1; i < count; i++) {
        *min = values[i] < *min ? values[i] : *min;
        *max = values[i] > *max ? values[i] : *max;
    }
}

/* Buffers the caller owns. */
size_t fill(uint8_t *buffer, size_t length, uint8_t value) {
    memset(buffer, value, length);
    return length;
}

int write_greeting(char *buffer, size_t capacity, const char *name) {
    return snprintf(buffer, capacity, "hello, %s", name);
}

uint64_t sum_u32(const uint32_t *values, size_t count) {
    uint64_t sum = 0;
    for (size_t i = 0; i < count; i++) {
        sum += values[i];
    }
    return sum;
}

/* Globals to print, read and write. */
uint32_t COUNTER = 7;
int64_t SIGNED_GLOBAL = -42;
double RATIO = 0.25;
const char GREETING[] = "hi there";
const char *const GREETING_POINTER = "pointed at";

uint32_t bump(void) {
    return ++COUNTER;
}

/* Structs: two doubles (SSE, SSE), mixed int/float (INTEGER, INTEGER), and 24 bytes (MEMORY). */
struct point {
    double x;
    double y;
};

struct mixed {
    int32_t a;
    float b;
    int64_t c;
};

struct big {
    int64_t a;
    int64_t b;
    int64_t c;
};

struct pair_f32 {
    float x;
    float y;
};

double point_dot(struct point p, struct point q) {
    return p.x * q.x + p.y * q.y;
}

double point_dot_ptr(const struct point *p, const struct point *q) {
    return p->x * q->x + p->y * q->y;
}

struct point point_scale(struct point p, double k) {
    return (struct point){p.x * k, p.y * k};
}

void point_scale_in_place(struct point *p, double k) {
    p->x *= k;
    p->y *= k;
}

double mixed_sum(struct mixed m) {
    return (double)m.a + (double)m.b + (double)m.c;
}

struct mixed mixed_make(int32_t a, float b, int64_t c) {
    return (struct mixed){a, b, c};
}

int64_t big_sum(struct big b) {
    return b.a + b.b + b.c;
}

struct big big_make(int64_t start) {
    return (struct big){start, start + 1, start + 2};
}

float pair_f32_sum(struct pair_f32 p) {
    return p.x + p.y;
}

/* How many times byte occurs: a large argument checked without printing it back. */
size_t count_byte(const uint8_t *data, size_t length, uint8_t byte) {
    size_t count = 0;
    for (size_t i = 0; i < length; i++) {
        count += data[i] == byte;
    }
    return count;
}
