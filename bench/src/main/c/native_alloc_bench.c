/* bench/run's C tracking rows. "untracked": the workload module dlopened in a process without the
 * agent, plain glibc, the honest baseline. "tracked": the same, in a process the agent is preloaded
 * into (as the worker is) with the module attached. Each row is the median of SAMPLES runs, in ns
 * per malloc/free pair or per kept block, on one thread and on two at once (per thread, wall time).
 * A row's first sample is a warm-up, except that of 500k kept blocks on one thread is a row of its
 * own (FirstLiveBlocks): the process's first fill of them, page faults and a table grown from
 * nothing included, which is what a module keeping blocks once costs. Each sample runs on threads
 * of its own, whose arena glibc trims as they free, so their baseline pays page faults too;
 * LiveBlocksWarm keeps the blocks on the main thread instead, whose arena hands the blocks freed by
 * the sample before back (glibc alone about 8-12 ns a block, against 12-16 on a new thread).
 * Writes JMH-shaped JSON entries to the file named by the last argument.
 *
 *   native_alloc_bench untracked|tracked WORKLOAD.so OUT.json */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PAIRS 2000000ul
#define KEPT 500000ul
#define SIZE 64ul
#define SAMPLES 7

typedef unsigned long (*pairs_fn)(unsigned long, unsigned long, void *volatile *);
typedef unsigned long (*keep_fn)(void **, unsigned long, unsigned long);
typedef void (*release_fn)(void **, unsigned long);

static pairs_fn pairs;
static keep_fn keep;
static release_fn release_blocks;
static pthread_barrier_t barrier;

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct run {
    int live;
    void **slots;
    double ns;
    void *volatile sink __attribute__((aligned(64))); /* on a line of its own: the threads share nothing */
} __attribute__((aligned(64)));

static void *one(void *arg) {
    struct run *r = arg;
    pthread_barrier_wait(&barrier);
    double start = now_ns();
    if (r->live) {
        keep(r->slots, KEPT, SIZE);
    } else {
        pairs(PAIRS, SIZE, &r->sink);
    }
    r->ns = (now_ns() - start) / (r->live ? KEPT : PAIRS);
    pthread_barrier_wait(&barrier);
    if (r->live) {
        release_blocks(r->slots, KEPT);
    }
    return NULL;
}

/* ns per operation for one sample on threads threads, new ones for each sample (the slower
 * thread's figure); threads 0: on the calling thread, whose arena keeps what earlier samples freed. */
static double sample(int threads, int live) {
    pthread_t t[2];
    struct run runs[2];
    if (threads == 0) {
        /* One slots array for all samples: freeing a large block would make glibc consolidate the
         * freed 64-byte blocks and give the arena's top back, so the next sample faults it in again. */
        static void **warm_slots;
        warm_slots = warm_slots ? warm_slots : calloc(KEPT, sizeof(void *));
        pthread_barrier_init(&barrier, NULL, 1);
        runs[0] = (struct run){live, warm_slots, 0, NULL};
        one(&runs[0]);
        pthread_barrier_destroy(&barrier);
        return runs[0].ns;
    }
    pthread_barrier_init(&barrier, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
        runs[i] = (struct run){live, live ? calloc(KEPT, sizeof(void *)) : NULL, 0, NULL};
        pthread_create(&t[i], NULL, one, &runs[i]);
    }
    double worst = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        worst = runs[i].ns > worst ? runs[i].ns : worst;
        free(runs[i].slots);
    }
    pthread_barrier_destroy(&barrier);
    return worst;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of SAMPLES samples after a warm-up, whose figure goes to *first. */
static double median(int threads, int live, double *first) {
    double s[SAMPLES];
    *first = sample(threads, live);
    for (int i = 0; i < SAMPLES; i++) {
        s[i] = sample(threads, live);
    }
    qsort(s, SAMPLES, sizeof s[0], by_value);
    return s[SAMPLES / 2];
}

/* One row to stderr and as a JMH-shaped entry to out. */
static void emit(FILE *out, int first_entry, const char *prefix, const char *name, double ns) {
    fprintf(stderr, "NativeAllocBench.%s%s: %.2f ns/op\n", prefix, name, ns);
    fprintf(out, "%s{\"benchmark\":\"dev.relib.bench.NativeAllocBench.%s%s\",\"primaryMetric\":{\"score\":%.3f,"
            "\"scoreError\":0.0,\"scoreUnit\":\"ns/op\"}}", first_entry ? "" : ",", prefix, name, ns);
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[1], "tracked") != 0 && strcmp(argv[1], "untracked") != 0)) {
        fprintf(stderr, "usage: native_alloc_bench untracked|tracked WORKLOAD.so OUT.json\n");
        return 2;
    }
    int tracked = strcmp(argv[1], "tracked") == 0;
    void *h = dlopen(argv[2], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fprintf(stderr, "native_alloc_bench: %s\n", dlerror());
        return 2;
    }
    pairs = (pairs_fn)dlsym(h, "pairs");
    keep = (keep_fn)dlsym(h, "keep");
    release_blocks = (release_fn)dlsym(h, "release");
    if (tracked) {
        int (*attach)(void *, uint32_t) = (int (*)(void *, uint32_t))dlsym(RTLD_DEFAULT, "relib_agent_attach");
        int attached = attach ? attach(h, 1) : -100;
        if (attached != 0) {
            fprintf(stderr, "native_alloc_bench: attach: %d\n", attached);
            fprintf(stderr, "native_alloc_bench: tracked needs the agent in LD_PRELOAD\n");
            return 2;
        }
    }
    struct { const char *name, *first_name; int threads, live; } rows[] = {
        {"Pairs", NULL, 1, 0}, {"PairsTwoThreads", NULL, 2, 0},
        {"LiveBlocks", "FirstLiveBlocks", 1, 1}, {"LiveBlocksTwoThreads", NULL, 2, 1},
        {"LiveBlocksWarm", NULL, 0, 1},
    };
    FILE *out = fopen(argv[3], "w");
    if (!out) {
        perror(argv[3]);
        return 2;
    }
    const char *prefix = tracked ? "tracked" : "untracked";
    fprintf(out, "[");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        double first;
        double ns = median(rows[i].threads, rows[i].live, &first);
        emit(out, i == 0, prefix, rows[i].name, ns);
        if (rows[i].first_name) {
            emit(out, 0, prefix, rows[i].first_name, first);
        }
    }
    fprintf(out, "]\n");
    fclose(out);
    return 0;
}
