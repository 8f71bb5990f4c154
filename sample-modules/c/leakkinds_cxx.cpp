// C++ heap blocks in valgrind's leak kinds, from operator new in its common forms, for the
// side-by-side suite against valgrind. Every export returns a count, never a pointer.
#include <cstring>
#include <string>
#include <vector>

namespace {
std::vector<long> *kept_numbers; // a static holds it: still reachable (and its buffer too)
}

extern "C" {

// new int[25], never deleted: definitely lost.
unsigned leak_int_array(unsigned) {
    int *volatile p = new int[25];
    std::memset(p, 0, 25 * sizeof(int));
    return 1;
}

// new std::string of a long text: the string object definitely lost, its heap buffer indirectly.
unsigned leak_string(unsigned) {
    std::string *volatile s = new std::string(100, 'x');
    return s->size() > 0;
}

// new std::vector<long>(1000): the vector definitely lost, its 8,000-byte buffer indirectly.
unsigned leak_vector(unsigned) {
    std::vector<long> *volatile v = new std::vector<long>(1000);
    return v->size() > 0;
}

// A vector a static points at: both blocks still reachable.
unsigned keep_numbers(unsigned n) {
    delete kept_numbers;
    kept_numbers = new std::vector<long>(n);
    return n;
}
}
