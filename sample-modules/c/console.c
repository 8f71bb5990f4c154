/* A module that talks to the console: for the shell's Ctrl-C, pipe and output-order tests. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* Sleeps for ms milliseconds (a long call that ends by itself) and returns ms. */
uint32_t wait_ms(uint32_t ms) {
    struct timespec step = {0, 10 * 1000 * 1000};
    for (uint32_t waited = 0; waited < ms; waited += 10) {
        nanosleep(&step, NULL);
    }
    return ms;
}

/* Busy for ms milliseconds; another module (crashy) exports a spin of a different name. */
uint32_t spin(uint32_t ms) {
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 < ms);
    return ms;
}

/*
 * n lines through C stdio, alternately on stdout and stderr, as a C module prints them; a pause
 * between lines, as between a program's messages, so their order is the order they were written.
 */
void interleave(uint32_t n) {
    struct timespec pause = {0, 5 * 1000 * 1000};
    for (uint32_t i = 1; i <= n; i++) {
        if (i % 2 == 1) {
            printf("line %u on stdout\n", i);
        } else {
            fprintf(stderr, "line %u on stderr\n", i);
        }
        nanosleep(&pause, NULL);
    }
}

/* Prints a line, for the crash report's "last lines" to show or leave out. */
void say(uint32_t n) {
    printf("console says %u\n", n);
}

/* Many small exports, as a big library (sqlite3, libc) has: for exports' filter and its hint. */
#define NUMBERED(n) uint32_t numbered_##n(void) { return n; }
NUMBERED(1) NUMBERED(2) NUMBERED(3) NUMBERED(4) NUMBERED(5) NUMBERED(6) NUMBERED(7) NUMBERED(8)
NUMBERED(9) NUMBERED(10) NUMBERED(11) NUMBERED(12) NUMBERED(13) NUMBERED(14) NUMBERED(15) NUMBERED(16)
NUMBERED(17) NUMBERED(18) NUMBERED(19) NUMBERED(20) NUMBERED(21) NUMBERED(22) NUMBERED(23) NUMBERED(24)
NUMBERED(25) NUMBERED(26) NUMBERED(27) NUMBERED(28) NUMBERED(29) NUMBERED(30) NUMBERED(31) NUMBERED(32)
NUMBERED(33) NUMBERED(34) NUMBERED(35) NUMBERED(36) NUMBERED(37) NUMBERED(38) NUMBERED(39) NUMBERED(40)
NUMBERED(41) NUMBERED(42) NUMBERED(43) NUMBERED(44) NUMBERED(45)
