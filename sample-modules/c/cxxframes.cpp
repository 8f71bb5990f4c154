// A C++ module for the symbolizer: namespaces, a class template with inline members, a lambda,
// operators and std::vector, built with -O2 so most of it is inlined into the exports. Its frames
// are checked against addr2line -i -f -C, names included (demangled from DWARF linkage names).
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace shapes {

template <typename T>
class Grid {
public:
    explicit Grid(unsigned n) : cells_(n) {}

    T &at(unsigned i) { return cells_.at(i); } // cxxframes: Grid::at

    T sum() const {
        T total{};
        for (const T &cell : cells_) {
            total += cell;
        }
        return total;
    }

    Grid &operator+=(T value) {
        for (T &cell : cells_) {
            cell += value; // cxxframes: Grid::operator+=
        }
        return *this;
    }

private:
    std::vector<T> cells_;
};

inline char *duplicate(const char *text) {
    size_t n = std::strlen(text);
    char *copy = static_cast<char *>(std::malloc(n + 1)); // cxxframes: duplicate allocates
    std::memcpy(copy, text, n + 1);
    return copy;
}

} // namespace shapes

extern "C" long grid_sum(unsigned n) {
    shapes::Grid<long> grid(n);
    grid += 3;
    auto square = [&grid](unsigned i) { return grid.at(i) * grid.at(i); }; // cxxframes: the lambda
    long total = grid.sum();
    for (unsigned i = 0; i < n; i++) {
        total += square(i);
    }
    return total;
}

extern "C" unsigned name_length(const char *name) {
    std::string text(name);
    text += "!";
    char *copy = shapes::duplicate(text.c_str());
    unsigned n = static_cast<unsigned>(std::strlen(copy));
    std::free(copy);
    return n;
}

extern "C" long grid_at(unsigned n, unsigned i) {
    shapes::Grid<long> grid(n);
    return grid.at(i); // out of range: std::out_of_range, which crosses extern "C" and aborts
}
