/* Cost of a tracked Box::new/drop pair next to an untracked one, in one process: two copies of
 * libleaky.so, one attached, each calling box_roundtrip(PAIRS); on one thread and on two at once.
 * Also pairs whose blocks stay alive a while (HELD allocations, then their frees), which do not
 * fit in a thread's cache and go through the shared table; and a third copy attached with
 * RELIB_AGENT_CAPTURE_STACKS, for what a call stack per allocation costs.
 * Not part of `make test` (timings are no pass/fail on a shared machine); run with `make bench`.
 *
 *   bench_alloc                       ns/pair for both copies and their ratio
 *   bench_alloc tracked|untracked N   just N calls into one copy, for instruction counts:
 *     valgrind --tool=callgrind --collect-atstart=no --toggle-collect=box_roundtrip bench_alloc tracked 200
 */
#include <pthread.h>
#include <time.h>
#include "agent_test.h"

#define PAIRS 1000
#define CALLS_PER_SAMPLE 100
#define SAMPLES 41
#define TRACKED_ID 77
#define STACKS_ID 78
#define STACK_CALLS 2 /* a stack capture costs far more than a pair: fewer calls per sample */
#define HELD 64

typedef uint64_t (*roundtrip_fn)(uint64_t);
typedef uint8_t *(*alloc_raw_fn)(size_t);
typedef void (*free_raw_fn)(uint8_t *, size_t);

static roundtrip_fn tracked, untracked, stacked;
static alloc_raw_fn alloc_tracked, alloc_untracked;
static free_raw_fn free_tracked, free_untracked;
static pthread_barrier_t barrier;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Copies the sample so each dlopen gets its own object. */
static void copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    CHECK(in && out, "copy %s to %s", from, to);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        CHECK(fwrite(buf, 1, n, out) == n, "write %s", to);
    }
    fclose(in);
    CHECK(fclose(out) == 0, "close %s", to);
}

static double ns_per_pair_of(roundtrip_fn f, int calls) {
    uint64_t start = now_ns();
    for (int i = 0; i < calls; i++) {
        CHECK_EQ(f(PAIRS), (uint64_t)PAIRS * (PAIRS - 1) / 2);
    }
    return (double)(now_ns() - start) / ((double)calls * PAIRS);
}

static double ns_per_pair(roundtrip_fn f) {
    return ns_per_pair_of(f, CALLS_PER_SAMPLE);
}

/* HELD blocks allocated, then freed, PAIRS times over (through alloc_raw/free_raw, so the call into
 * the module is part of both sides). */
static double ns_per_held_pair(alloc_raw_fn alloc, free_raw_fn release) {
    uint8_t *held[HELD];
    uint64_t start = now_ns();
    for (int i = 0; i < CALLS_PER_SAMPLE * PAIRS / HELD; i++) {
        for (int k = 0; k < HELD; k++) {
            held[k] = alloc(24);
        }
        for (int k = 0; k < HELD; k++) {
            release(held[k], 24);
        }
    }
    return (double)(now_ns() - start) / ((double)(CALLS_PER_SAMPLE * PAIRS / HELD) * HELD);
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct series {
    double tracked[SAMPLES], untracked[SAMPLES];
};

/* Alternates the two copies sample by sample, so machine load hits both alike; with a barrier so
 * two threads measure the same copy at the same time. */
static void *measure(void *arg) {
    struct series *s = arg;
    ns_per_pair(untracked);
    ns_per_pair(tracked);
    for (int i = 0; i < SAMPLES; i++) {
        pthread_barrier_wait(&barrier);
        s->untracked[i] = ns_per_pair(untracked);
        pthread_barrier_wait(&barrier);
        s->tracked[i] = ns_per_pair(tracked);
    }
    return NULL;
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, by_value);
    return v[n / 2];
}

static void report(const char *label, struct series *s, int threads) {
    double t[SAMPLES * 2], u[SAMPLES * 2];
    int n = 0;
    for (int k = 0; k < threads; k++) {
        for (int i = 0; i < SAMPLES; i++, n++) {
            t[n] = s[k].tracked[i];
            u[n] = s[k].untracked[i];
        }
    }
    double tm = median(t, n), um = median(u, n);
    printf("%-12s untracked %6.2f ns/pair (min %6.2f)  tracked %6.2f ns/pair (min %6.2f)  ratio %.2fx (of minima %.2fx)\n",
           label, um, u[0], tm, t[0], tm / um, t[0] / u[0]);
}

static void run_threads(int threads, struct series *s) {
    pthread_t t[2];
    pthread_barrier_init(&barrier, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
        CHECK_EQ(pthread_create(&t[i], NULL, measure, &s[i]), 0);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
    }
    pthread_barrier_destroy(&barrier);
}

int main(int argc, char **argv) {
    char dir[] = "/tmp/relib-bench-XXXXXX", a[4096], b[4096], c[4096];
    CHECK(mkdtemp(dir), "mkdtemp");
    snprintf(a, sizeof a, "%s/libleaky-tracked.so", dir);
    snprintf(b, sizeof b, "%s/libleaky-untracked.so", dir);
    copy_file(sample("leaky"), a);
    copy_file(sample("leaky"), b);
    snprintf(c, sizeof c, "%s/libleaky-stacks.so", dir);
    copy_file(sample("leaky"), c);
    void *ht = open_module(a), *hu = open_module(b), *hs = open_module(c);
    CHECK_EQ(relib_agent_attach(ht, TRACKED_ID), 0);
    CHECK_EQ(relib_agent_attach_flags(hs, STACKS_ID, RELIB_AGENT_CAPTURE_STACKS), 0);
    stacked = (roundtrip_fn)export_of(hs, "box_roundtrip");
    tracked = (roundtrip_fn)export_of(ht, "box_roundtrip");
    untracked = (roundtrip_fn)export_of(hu, "box_roundtrip");
    alloc_tracked = (alloc_raw_fn)export_of(ht, "alloc_raw");
    alloc_untracked = (alloc_raw_fn)export_of(hu, "alloc_raw");
    free_tracked = (free_raw_fn)export_of(ht, "free_raw");
    free_untracked = (free_raw_fn)export_of(hu, "free_raw");

    if (argc == 3) {
        roundtrip_fn f = strcmp(argv[1], "tracked") == 0 ? tracked : untracked;
        for (long i = atol(argv[2]); i > 0; i--) {
            f(PAIRS);
        }
    } else {
        struct series s[2];
        run_threads(1, s);
        report("1 thread", s, 1);
        run_threads(2, s);
        report("2 threads", s, 2);
        for (int i = 0; i < SAMPLES; i++) {
            s[0].untracked[i] = ns_per_held_pair(alloc_untracked, free_untracked);
            s[0].tracked[i] = ns_per_held_pair(alloc_tracked, free_tracked);
        }
        report("held 64", s, 1);
        for (int i = 0; i < SAMPLES; i++) {
            s[0].untracked[i] = ns_per_pair_of(untracked, STACK_CALLS);
            s[0].tracked[i] = ns_per_pair_of(stacked, STACK_CALLS);
        }
        report("stacks", s, 1);
    }
    CHECK_EQ(stats_of(TRACKED_ID).live_blocks, 0);
    CHECK_EQ(stats_of(STACKS_ID).live_blocks, 0);
    unload_module(ht, TRACKED_ID);
    unload_module(hs, STACKS_ID);
    CHECK(dlclose(hu) == 0, "dlclose: %s", dlerror());
    unlink(a);
    unlink(b);
    unlink(c);
    rmdir(dir);
    return 0;
}
