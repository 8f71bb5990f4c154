// C++ allocations in every operator new/delete variant: leak() keeps one block per form, churn()
// allocates and deletes with the matching (sized, aligned, nothrow) delete, so only leak() leaves
// blocks behind.
#include <new>
#include <string>
#include <vector>

struct alignas(64) Wide {
    long v[8];
};

static int *ints;
static std::string *text;
static std::vector<long> *longs;
static int *nothrow_int;
static Wide *wide;

// new int[25], new std::string (its buffer outgrows the small-string space), new std::vector<long>(1000),
// new (std::nothrow) int, new Wide (aligned new): 5 objects, the string's and vector's buffers.
extern "C" unsigned long leak() {
    ints = new int[25];
    text = new std::string(100, 'x');
    longs = new std::vector<long>(1000);
    nothrow_int = new (std::nothrow) int(7);
    wide = new Wide();
    return ints && text && longs && nothrow_int && wide;
}

// Where each new block escapes to, so the compiler keeps every new/delete pair.
static void *volatile sink;
template <typename T> static T *seen(T *p) {
    sink = p;
    return p;
}

// n rounds of every new with its delete.
extern "C" unsigned long churn(unsigned long n) {
    unsigned long sum = 0;
    for (unsigned long i = 0; i < n; i++) {
        int *one = seen(new int(1));
        int *many = seen(new int[10]);
        Wide *w = seen(new Wide());
        Wide *ws = seen(new Wide[2]);
        int *nt = seen(new (std::nothrow) int(2));
        int *nta = seen(new (std::nothrow) int[3]);
        many[0] = 3;
        sum += *one + many[0] + *nt;
        delete one;
        delete[] many;
        delete w;
        delete[] ws;
        delete nt;
        delete[] nta;
    }
    return sum;
}
