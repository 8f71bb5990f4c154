// C++ threads and thread_local objects, as a plugin uses them: std::thread starts its thread inside
// libstdc++ (thread::_M_start_thread, which calls pthread_create through libstdc++'s own PLT) and a
// thread_local with a destructor registers it through libstdc++'s __cxa_thread_atexit, so neither
// passes the module's pthread_create or __cxa_thread_atexit_impl. Exports return counts.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace {

std::mutex lock;
std::condition_variable wake;
bool stopping = false;
std::vector<std::thread> *waiting = nullptr;
std::atomic<unsigned> destroyed{0};

struct Counted {
    unsigned touched = 0;
    ~Counted() { destroyed.fetch_add(1); }
};

thread_local Counted counted;

}  // namespace

extern "C" {

// Starts n threads that wait until stop_threads. Returns n.
unsigned start_waiting_threads(unsigned n) {
    std::lock_guard<std::mutex> guard(lock);
    stopping = false;
    if (!waiting) {
        waiting = new std::vector<std::thread>;
    }
    for (unsigned i = 0; i < n; i++) {
        waiting->emplace_back([] {
            std::unique_lock<std::mutex> held(lock);
            wake.wait(held, [] { return stopping; });
        });
    }
    return n;
}

// Ends and joins the waiting threads. Returns how many there were.
unsigned stop_threads(void) {
    std::vector<std::thread> threads;
    {
        std::lock_guard<std::mutex> guard(lock);
        stopping = true;
        if (waiting) {
            threads.swap(*waiting);
            delete waiting;
            waiting = nullptr;
        }
    }
    wake.notify_all();
    for (std::thread &t : threads) {
        t.join();
    }
    return (unsigned)threads.size();
}

// Touches this thread's thread_local (its destructor is registered on first use). Returns 1.
unsigned touch_thread_local(void) {
    counted.touched++;
    return counted.touched > 0;
}

// A std::thread that touches its own thread_local and ends: its destructor runs at that thread's
// exit. Returns how many thread_local destructors have run so far.
unsigned thread_local_on_a_thread(void) {
    std::thread([] { counted.touched++; }).join();
    return destroyed.load();
}

}  // extern "C"
