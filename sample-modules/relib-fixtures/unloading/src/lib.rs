//! The full unloading fixture: relib's test module (`testing/module`, feature `unloading`, with
//! `dealloc_validation`) with the same `Exports`/`Imports` names and checks, scaled down (1 MiB where
//! relib uses 200 MB), plus probes a host test needs: `leak(bytes)`, `churn` (forces a cache flush),
//! `mmap_leak`, `pthread_key_leak`, `backtrace`, a parked thread, and ROption/RVec<u32> returns.
//! The contract of every export and import is in `relib-fixtures/README.md`.

use relib_abi::{RSlice, RStr, RString, ROption, RVec};
use relib_abi_unloading::AllocTracker;
use std::alloc::System;
use std::cell::Cell;
use std::hint::black_box;
use std::mem::forget;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::thread::{self, JoinHandle};

mod probes;

relib_abi::compilation_info!(unloading);

#[global_allocator]
static ALLOC_TRACKER: AllocTracker<System> = AllocTracker::with_dealloc_validation(System);

/// Length of what `alloc_mem` returns (relib's test module returns 200 MB).
pub const ALLOC_MEM_LEN: usize = 1 << 20;

mod imports {
    use relib_abi::{RStr, RString, RVec};

    relib_abi::imports! {
        trait Imports;
        fn empty();
        fn empty_default();
        fn dbg_default();
        fn ref_(r: RStr<'_>);
        fn ref_ret<'a>(r: RStr<'a>) -> RStr<'a>;
        fn ref_ret2<'a>(r: RStr<'a>, r2: RStr<'a>) -> RStr<'a>;
        fn _params_lt_and_output_without<'a>(r: RStr<'a>, r2: RStr<'a>) -> RString;
        fn ref_owned_ret(r: RStr<'_>) -> RString;
        fn primitive(p: i32);
        fn primitive_ret(p: i32) -> i32;
        fn alloc_mem() -> RVec<u8>;
        fn panic();
        fn thread_local_drop_called();
    }
}

relib_abi::export! {
    fn main() {
        println!("[module] main called");
        let vec = black_box(vec![1u8; ALLOC_MEM_LEN]);
        println!("[module] allocated {} bytes", vec.len());
        drop(vec);
        // std caches per-thread data on the first spawn; relib's test module warms it up here too.
        thread::spawn(|| {}).join().unwrap();
    }

    fn before_unload() {
        println!("[module] before_unload");
    }
}

relib_abi::exports! {
    trait Exports;

    fn empty() {}

    fn empty_default() {}

    fn dbg_default() {
        dbg!();
    }

    fn ref_(r: RStr<'_>) {
        assert_eq!(r, *"1".repeat(100));
    }

    fn ref_ret<'a>(r: RStr<'a>) -> RStr<'a> {
        r.slice_from(1)
    }

    fn ref_ret2<'a>(r: RStr<'a>, _r2: RStr<'a>) -> RStr<'a> {
        r
    }

    fn _params_lt_and_output_without<'a>(_r: RStr<'a>, _r2: RStr<'a>) -> RString {
        unreachable!()
    }

    fn ref_owned_ret(r: RStr<'_>) -> RString {
        r.into()
    }

    fn primitive(p: i32) {
        assert_eq!(p, i32::MAX);
    }

    fn primitive_ret(p: i32) -> i32 {
        assert_eq!(p, i32::MIN);
        p
    }

    fn alloc_mem() -> RVec<u8> {
        vec![1u8; ALLOC_MEM_LEN].into()
    }

    fn panic() {
        panic!("expected panic");
    }

    fn call_host_panic() {
        unsafe { imports::panic() }
    }

    fn leak(bytes: usize) {
        forget(black_box(vec![1u8; bytes]));
    }

    fn thread_locals() {
        thread_locals_on_both_threads()
    }

    fn call_imports() {
        call_every_import()
    }

    fn only_called_once() -> bool {
        static CALLED: AtomicBool = AtomicBool::new(false);
        !CALLED.swap(true, Ordering::SeqCst)
    }

    fn spawn_background_threads(module_id: u64, how_many: u8) {
        for i in 0..how_many {
            let handle = thread::spawn(move || {
                thread::park();
                println!("[module: {module_id}] thread {i} unparked");
            });
            background_threads().push(handle);
        }
    }

    fn join_background_threads() {
        for handle in background_threads().drain(..).collect::<Vec<_>>() {
            handle.thread().unpark();
            handle.join().unwrap();
        }
    }

    fn spawn_thread() {
        probes::spawn_parked_thread()
    }

    fn join_thread() -> bool {
        probes::join_parked_thread()
    }

    fn churn(count: usize) -> usize {
        probes::churn(count)
    }

    fn mmap_leak() -> usize {
        probes::map_own_file()
    }

    fn pthread_key_leak() -> u32 {
        probes::create_pthread_key()
    }

    fn backtrace() -> bool {
        probes::backtrace_names_this_file()
    }

    fn maybe_u32(n: u32) -> ROption<u32> {
        if n == 0 { ROption::RNone } else { ROption::RSome(n) }
    }

    fn count_to(n: u32) -> RVec<u32> {
        (1..=n).collect::<Vec<_>>().into()
    }

    fn sum(values: RSlice<'_, u32>) -> u64 {
        values.as_slice().iter().map(|&v| u64::from(v)).sum()
    }
}

fn background_threads() -> std::sync::MutexGuard<'static, Vec<JoinHandle<()>>> {
    static HANDLES: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());
    HANDLES.lock().unwrap()
}

/// relib's `thread_locals`: a TLS value with a destructor on the calling (owner) thread, which must
/// run during unload and call the host's `thread_local_drop_called`; another on a spawned thread,
/// whose destructor runs when that thread exits.
fn thread_locals_on_both_threads() {
    struct CallsHostOnDrop {
        mem: Vec<u8>,
    }
    impl Drop for CallsHostOnDrop {
        fn drop(&mut self) {
            unsafe { imports::thread_local_drop_called() }
        }
    }
    struct SetsFlagOnDrop {
        mem: Vec<u8>,
    }
    static DROP_IN_THREAD_CALLED: AtomicBool = AtomicBool::new(false);
    impl Drop for SetsFlagOnDrop {
        fn drop(&mut self) {
            DROP_IN_THREAD_CALLED.store(true, Ordering::SeqCst);
        }
    }
    thread_local! {
        static OWNER_TLS: CallsHostOnDrop = CallsHostOnDrop { mem: vec![1u8; ALLOC_MEM_LEN] };
        static PLAIN_TLS: Cell<Vec<u8>> = Cell::new(vec![2u8; ALLOC_MEM_LEN]);
        static THREAD_TLS: SetsFlagOnDrop = SetsFlagOnDrop { mem: vec![3u8; ALLOC_MEM_LEN] };
    }

    OWNER_TLS.with(|v| assert_eq!(v.mem.len(), ALLOC_MEM_LEN));
    PLAIN_TLS.with(|v| {
        let mem = v.take();
        assert_eq!(mem.len(), ALLOC_MEM_LEN);
        v.set(mem);
    });
    thread::spawn(|| THREAD_TLS.with(|v| assert_eq!(v.mem.len(), ALLOC_MEM_LEN))).join().unwrap();
    assert!(DROP_IN_THREAD_CALLED.load(Ordering::SeqCst), "the spawned thread's TLS destructor ran");
}

/// relib's `call_imports`: calls every import and checks what the host returned.
fn call_every_import() {
    unsafe {
        imports::empty();
        imports::empty_default();
        imports::dbg_default();

        let string = "1".repeat(100);
        let str = RStr::from(string.as_str());
        imports::ref_(str);
        assert_eq!(imports::ref_owned_ret(str), *string);
        assert_eq!(imports::ref_ret(str), string[1..]);
        assert_eq!(imports::ref_ret2(str, str), str);
        imports::primitive(i32::MAX);
        assert_eq!(imports::primitive_ret(i32::MIN), i32::MIN);

        let mem = imports::alloc_mem();
        assert!(!mem.is_empty() && mem.iter().all(|&b| b == 1), "alloc_mem returns a non-empty vector of 1s");
        drop(mem);

        let _unused = || imports::_params_lt_and_output_without(str, str);
    }
}
