// C++ whose heap blocks libstdc++'s own compiled code allocates (basic_string's _M_create and
// _M_mutate, __cxa_allocate_exception, runtime_error's message) beside blocks the module's template
// code allocates through its own operator new (vector growth, map nodes, make_shared), for the
// worker's attribution of what a runtime library allocates on a module's behalf. Every export
// returns a count, never a pointer.
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

extern "C" {

// new std::string(n, 'x'): the object (the module's operator new) and its n + 1 byte buffer
// (libstdc++'s _M_construct). Returns the length.
unsigned long leak_string(unsigned long n) {
    std::string *volatile s = new std::string(n, 'x');
    return s->size();
}

// A string grown one character at a time: libstdc++ reallocates its buffer as it grows and frees each
// old one. Returns the capacity (the buffer is capacity + 1 bytes).
unsigned long leak_grown_string(unsigned long n) {
    std::string *volatile s = new std::string;
    for (unsigned long i = 0; i < n; i++) {
        s->push_back('g');
    }
    return s->capacity();
}

// A vector of int grown by push_back: each growth is the module's new and delete. Returns the
// capacity (the buffer is 4 * capacity bytes).
unsigned long leak_grown_vector(unsigned long n) {
    std::vector<int> *volatile v = new std::vector<int>;
    for (unsigned long i = 0; i < n; i++) {
        v->push_back((int)i);
    }
    return v->capacity();
}

// A map of n int pairs: the map object and one node per entry.
unsigned long leak_map(unsigned long n) {
    std::map<int, int> *volatile m = new std::map<int, int>;
    for (unsigned long i = 0; i < n; i++) {
        (*m)[(int)i] = (int)i;
    }
    return m->size();
}

// new std::shared_ptr<long> holding make_shared's control block.
unsigned long leak_shared(unsigned long n) {
    std::shared_ptr<long> *volatile p = new std::shared_ptr<long>(std::make_shared<long>((long)n));
    return (unsigned long)**p;
}

// Throws a runtime_error with a message of n characters and catches it: the exception object and
// the message's copy are libstdc++'s allocations, both freed by the end of the catch.
unsigned long throw_and_catch(unsigned long n) {
    try {
        throw std::runtime_error(std::string(n, 'e'));
    } catch (const std::exception &e) {
        return std::string(e.what()).size();
    }
}

// Unsynchronises the standard streams from C stdio: libstdc++ gives each stream a buffer it allocates
// (for the module, while the module's call runs) and keeps in its own statics for the whole process.
unsigned long unsync_stdio(unsigned long) {
    std::ios_base::sync_with_stdio(false);
    return 1;
}

// Writes n to std::cout through whatever buffer it has now.
unsigned long say(unsigned long n) {
    std::cout << "say " << n << std::endl;
    return n;
}
}
