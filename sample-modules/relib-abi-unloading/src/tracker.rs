//! `AllocTracker<A>`: relib's global-allocator wrapper (RELIB-PROTOCOL.md §3.1). Every alloc and
//! dealloc is cached in a map keyed by pointer (a later op on the same pointer replaces the entry);
//! when the map holds `CACHE_SIZE` entries it is drained to the host through `on_cached_allocs`, on
//! the allocating thread, while both mutexes are held. The host keeps the live set; at unload it
//! hands back what is still live and `exit` frees it.
//!
//! The map and the transport buffer are reserved inside `init(…, enable_alloc_tracker = true)`,
//! with those two allocations reported straight to `on_alloc`: they are how a host sees that a
//! tracker exists, and they guarantee that caching never allocates while the map is locked.

use crate::internal;
use crate::state::{assert_allocator_is_still_accessible, module_id, unrecoverable};
use relib_abi::protocol::{Allocation, AllocatorOp, StableLayout};
use std::alloc::{GlobalAlloc, Layout};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

/// relib 0.7's cache size: the number of distinct pointers cached before a flush.
pub const CACHE_SIZE: usize = 20_000;

/// Set only while `init` reserves the cache: allocations then go to `on_alloc` directly.
static ALLOC_INIT: AtomicBool = AtomicBool::new(false);
/// Set once `init` has reserved the cache.
static CACHE_RESERVED: AtomicBool = AtomicBool::new(false);
/// Set while `exit` frees the host's list: those frees are neither validated nor cached.
static UNLOAD_DEALLOCATION: AtomicBool = AtomicBool::new(false);

type Cache = HashMap<usize, AllocatorOp, BuildHasherDefault<PointerHasher>>;

static CACHE: Mutex<Cache> = Mutex::new(HashMap::with_hasher(BuildHasherDefault::new()));
static TRANSPORT: Mutex<Vec<AllocatorOp>> = Mutex::new(Vec::new());

/// Heap pointers are distinct and 8- or 16-byte aligned: one multiply spreads them well, and unlike
/// std's RandomState it needs no thread-local keys inside the allocator.
#[derive(Default)]
pub struct PointerHasher(u64);

impl Hasher for PointerHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, value: usize) {
        self.0 = (value as u64 ^ (value as u64 >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The global allocator of a relib module with unloading: `#[global_allocator] static A:
/// AllocTracker<System> = AllocTracker::new(System);`, or wrapping a custom allocator.
pub struct AllocTracker<A> {
    allocator: A,
    validate_deallocs: bool,
}

impl<A> AllocTracker<A> {
    pub const fn new(allocator: A) -> Self {
        AllocTracker { allocator, validate_deallocs: false }
    }

    /// relib_module's `dealloc_validation` feature: every dealloc of a pointer that is neither in
    /// the cache nor in the host's live set (`is_ptr_allocated`) is unrecoverable.
    pub const fn with_dealloc_validation(allocator: A) -> Self {
        AllocTracker { allocator, validate_deallocs: true }
    }
}

// SAFETY: delegates every allocation to `A` and only records what `A` returned.
unsafe impl<A: GlobalAlloc> GlobalAlloc for AllocTracker<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        assert_allocator_is_still_accessible();
        let ptr = self.allocator.alloc(layout);
        if ALLOC_INIT.load(Ordering::SeqCst) {
            internal::call_on_alloc(module_id(), ptr, layout.into());
        } else if !ptr.is_null() {
            cache(AllocatorOp::Alloc(Allocation { ptr, layout: layout.into() }));
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        assert_allocator_is_still_accessible();
        let unloading = UNLOAD_DEALLOCATION.load(Ordering::SeqCst);
        if self.validate_deallocs && !unloading && !is_ptr_valid(ptr) {
            unrecoverable("invalid pointer was passed to dealloc of global allocator");
        }
        self.allocator.dealloc(ptr, layout);
        if !unloading {
            cache(AllocatorOp::Dealloc(Allocation { ptr, layout: layout.into() }));
        }
    }
}

fn lock_cache() -> MutexGuard<'static, Cache> {
    CACHE.lock().unwrap_or_else(|_| unrecoverable("failed to lock ALLOCS_CACHE"))
}

fn lock_transport() -> MutexGuard<'static, Vec<AllocatorOp>> {
    TRANSPORT.lock().unwrap_or_else(|_| unrecoverable("failed to lock TRANSPORT_BUFFER"))
}

fn cache(op: AllocatorOp) {
    if !CACHE_RESERVED.load(Ordering::SeqCst) {
        // relib's tracker would grow its map here while holding the map's lock: a self-deadlock
        // on the module's first allocation. A fixture says why instead of hanging.
        unrecoverable(
            "AllocTracker was used before init(.., enable_alloc_tracker = true) reserved its cache \
             (relib 0.7's tracker deadlocks here)",
        );
    }
    let mut cache = lock_cache();
    cache.insert(op.ptr() as usize, op);
    if cache.len() == CACHE_SIZE {
        send(&mut cache);
    }
}

/// Drains the cache to the host; the slice is valid only during the call.
fn send(cache: &mut Cache) {
    let mut transport = lock_transport();
    transport.extend(cache.drain().map(|(_, op)| op));
    internal::call_on_cached_allocs(module_id(), &transport);
    transport.clear();
}

/// `take_cached_allocs_before_exit`: flushes even when nothing is cached (the host expects a call).
pub fn flush_cache() {
    send(&mut lock_cache());
}

pub fn init() {
    ALLOC_INIT.store(true, Ordering::SeqCst);
    lock_cache().reserve(CACHE_SIZE);
    lock_transport().reserve(CACHE_SIZE);
    ALLOC_INIT.store(false, Ordering::SeqCst);
    CACHE_RESERVED.store(true, Ordering::SeqCst);
}

/// `exit`: frees each allocation the host still holds for this module through the module's own
/// global allocator, without validating or recording those frees.
pub fn free_leaked(allocs: &[Allocation]) {
    UNLOAD_DEALLOCATION.store(true, Ordering::SeqCst);
    for allocation in allocs {
        // SAFETY: the host returns exactly the (ptr, layout) pairs this module reported as live.
        unsafe { std::alloc::dealloc(allocation.ptr, StableLayout::to_layout(allocation.layout)) };
    }
    UNLOAD_DEALLOCATION.store(false, Ordering::SeqCst);
}

/// relib's check: known to the cache (under any op) or to the host's live set.
fn is_ptr_valid(ptr: *mut u8) -> bool {
    let cached = lock_cache().contains_key(&(ptr as usize));
    cached || internal::call_is_ptr_allocated(module_id(), ptr)
}
