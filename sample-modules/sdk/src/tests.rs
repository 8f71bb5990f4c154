//! Tests through the macros, as a module would use them: the generated C functions are called the
//! way a host calls them, and the manifests are read back from this test binary's own ELF file.

use crate::*;
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The SDK's state (panic queue, import slots) is per process; tests take turns.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    let guard = SERIAL.lock().unwrap_or_else(|p| p.into_inner());
    drain_panics();
    guard
}

/// A taken panic, copied out before the module frees it.
struct Taken {
    record: RelibPanic,
    message: String,
    entry: String,
    thread: String,
    file: String,
    backtrace: String,
    frames: Vec<usize>,
}

fn drain_panics() -> Vec<Taken> {
    let mut out = Vec::new();
    let mut record = RelibPanic::EMPTY;
    while unsafe { relib_sdk_take_panic(&mut record) } {
        let frames = unsafe { std::slice::from_raw_parts(record.frames, record.frame_count) }.to_vec();
        out.push(Taken {
            record,
            message: text(record.message),
            entry: text(record.entry),
            thread: text(record.thread_name),
            file: text(record.file),
            backtrace: text(record.backtrace),
            frames,
        });
    }
    relib_sdk_panic_free();
    out
}

fn text(s: RelibStr) -> String {
    if s.ptr.is_null() {
        return String::new();
    }
    String::from_utf8(unsafe { std::slice::from_raw_parts(s.ptr, s.len) }.to_vec()).unwrap()
}

crate::exports! {
    /// Adds.
    fn t_add(a: i32, b: i32) -> i32 { a.wrapping_add(b) }
    fn t_greet(greeting: &str, name: &str) -> String { format!("{greeting}, {name}") }
    fn t_sum(data: &[u8], seed: u32) -> u32 { data.iter().fold(seed, |acc, b| acc + *b as u32) }
    fn t_static() -> &'static str { "static text" }
    fn t_next(c: char, flag: bool) -> char { if flag { char::from_u32(c as u32 + 1).unwrap() } else { c } }
    fn t_deref(p: Option<&u64>) -> u64 { p.copied().unwrap_or(7) }
    fn t_cstr(s: *const std::ffi::c_char, out: *mut u8) -> usize { let _ = out; unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes().len() }
    fn t_boom(n: u32) -> u64 { if n > 1 { panic!("boom with {n}"); } n as u64 }
    fn t_bytes(n: usize) -> Vec<u8> { vec![0xab; n] }
    fn t_ask() -> u8 { t_answer() }
    fn t_log_now(msg: &str) -> u64 { t_log(3, msg); t_now_ns() }
}

crate::imports! {
    fn t_answer() -> u8;
    fn t_log(level: u32, msg: &str);
    fn t_now_ns() -> u64;
}

static MAIN_PANICS: AtomicBool = AtomicBool::new(false);
static MAIN_FAILS: AtomicBool = AtomicBool::new(false);

crate::main! { || -> Result<(), String> {
    if MAIN_PANICS.load(Ordering::SeqCst) {
        panic!("main was told to panic");
    }
    if MAIN_FAILS.load(Ordering::SeqCst) { Err("told to fail".to_string()) } else { Ok(()) }
} }

crate::before_unload! {}

/// Named sections of this test binary, read from the file as a host would.
fn section(name: &str) -> Vec<String> {
    let elf = std::fs::read("/proc/self/exe").unwrap();
    let u16_at = |o: usize| u16::from_le_bytes(elf[o..o + 2].try_into().unwrap()) as usize;
    let u32_at = |o: usize| u32::from_le_bytes(elf[o..o + 4].try_into().unwrap()) as usize;
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap()) as usize;
    let (shoff, shentsize, shnum, shstrndx) = (u64_at(0x28), u16_at(0x3a), u16_at(0x3c), u16_at(0x3e));
    let header = |i: usize| shoff + i * shentsize;
    let strtab = u64_at(header(shstrndx) + 0x18);
    for i in 0..shnum {
        let h = header(i);
        let name_at = strtab + u32_at(h);
        let end = elf[name_at..].iter().position(|&b| b == 0).unwrap();
        if &elf[name_at..name_at + end] == name.as_bytes() {
            let (offset, size) = (u64_at(h + 0x18), u64_at(h + 0x20));
            return elf[offset..offset + size]
                .split(|&b| b == 0)
                .filter(|e| !e.is_empty())
                .map(|e| String::from_utf8(e.to_vec()).unwrap())
                .collect();
        }
    }
    panic!("no section {name}");
}

#[test]
fn manifests_hold_one_canonical_signature_per_entry() {
    let exports = section(".relib_exports");
    for expected in [
        "t_add(i32, i32) -> i32",
        "t_greet(&str, &str) -> String",
        "t_sum(&[u8], u32) -> u32",
        "t_static() -> &str",
        "t_next(char, bool) -> char",
        "t_deref(Option<&u64>) -> u64",
        "t_cstr(*const c_char, *mut u8) -> usize",
        "t_bytes(usize) -> Vec<u8>",
        "main()",
        "before_unload()",
    ] {
        assert!(exports.contains(&expected.to_string()), "{expected} missing from {exports:?}");
    }
    let mut imports = section(".relib_imports");
    imports.sort();
    assert_eq!(imports, ["t_answer() -> u8", "t_log(u32, &str)", "t_now_ns() -> u64"]);
}

#[test]
fn exports_take_c_arguments_and_return_c_values() {
    let _s = serial();
    unsafe {
        assert_eq!(t_add(2, 3), 5);
        let (hi, bob) = ("hi", "bob");
        let owned = t_greet(hi.as_ptr(), hi.len(), bob.as_ptr(), bob.len());
        assert_eq!(std::slice::from_raw_parts(owned.ptr, owned.len), b"hi, bob");
        relib_sdk_free(owned.ptr, owned.len, owned.cap);
        let data = [1u8, 2, 3];
        assert_eq!(t_sum(data.as_ptr(), data.len(), 10), 16);
        assert_eq!(t_sum(std::ptr::null(), 0, 4), 4);
        assert_eq!(text(t_static()), "static text");
        assert_eq!(t_next('a' as u32, 1), 'b' as u32);
        assert_eq!(t_deref(&42u64), 42);
        assert_eq!(t_deref(std::ptr::null()), 7);
        assert_eq!(t_cstr(c"four".as_ptr(), std::ptr::null_mut()), 4);
        let bytes = t_bytes(1000);
        assert_eq!((bytes.len, bytes.cap >= 1000), (1000, true));
        assert!(std::slice::from_raw_parts(bytes.ptr, bytes.len).iter().all(|&b| b == 0xab));
        relib_sdk_free(bytes.ptr, bytes.len, bytes.cap);
    }
    assert!(drain_panics().is_empty());
}

#[test]
fn a_panicking_export_returns_zero_and_queues_the_panic() {
    let _s = serial();
    let before = relib_sdk_panic_count.load(Ordering::SeqCst);
    assert_eq!(unsafe { t_boom(5) }, 0);
    assert_eq!(relib_sdk_panic_count.load(Ordering::SeqCst), before + 1);
    assert_eq!(unsafe { t_boom(1) }, 1, "still usable after a panic");

    let taken = drain_panics();
    assert_eq!(taken.len(), 1);
    let panic = &taken[0];
    assert_eq!(panic.message, "boom with 5");
    assert_eq!(panic.entry, "t_boom");
    assert_eq!(panic.record.sequence, before + 1);
    assert!(panic.file.ends_with("tests.rs"), "{}", panic.file);
    assert!(panic.record.line > 0 && panic.record.column > 0);
    assert_eq!(panic.record.thread_id, panics::thread_id());
    assert!(panic.frames.len() > 3 && panic.frames.len() <= MAX_FRAMES);
    assert!(panic.frames.iter().all(|&ip| ip != 0));
    assert!(panic.backtrace.contains("t_boom"), "{}", panic.backtrace);
}

#[test]
fn invalid_arguments_panic_inside_the_guard() {
    let _s = serial();
    let bad = [0xffu8, 0xfe];
    let owned = unsafe { t_greet(bad.as_ptr(), bad.len(), bad.as_ptr(), 0) };
    assert!(owned.ptr.is_null());
    assert_eq!(unsafe { t_next(0xd800, 0) }, 0);
    let messages: Vec<String> = drain_panics().into_iter().map(|p| p.message).collect();
    assert!(messages[0].contains("argument `greeting` is not valid UTF-8"), "{messages:?}");
    assert!(messages[1].contains("not a Unicode scalar value"), "{messages:?}");
}

#[test]
fn panics_on_other_threads_are_queued_with_their_thread_name_and_bounded() {
    let _s = serial();
    let worker = std::thread::Builder::new()
        .name("sdk-worker".into())
        .spawn(|| panic!("worker failed"))
        .unwrap();
    assert!(worker.join().is_err());
    let taken = drain_panics();
    assert_eq!(taken.len(), 1);
    assert_eq!((taken[0].message.as_str(), taken[0].entry.as_str()), ("worker failed", ""));
    assert_eq!(taken[0].thread, "sdk-worker");

    let before = relib_sdk_panic_count.load(Ordering::SeqCst);
    for n in 0..QUEUE_CAPACITY as u32 + 4 {
        unsafe { t_boom(n + 2) };
    }
    let taken = drain_panics();
    assert_eq!(taken.len(), QUEUE_CAPACITY);
    assert_eq!(taken[0].record.sequence, before + 5, "the oldest four were dropped");
    assert_eq!(taken.last().unwrap().message, format!("boom with {}", QUEUE_CAPACITY + 5));
}

static LOGGED: Mutex<Vec<(u32, String)>> = Mutex::new(Vec::new());
static FAIL_ANSWER: AtomicBool = AtomicBool::new(false);

unsafe extern "C" fn host_log(level: u32, msg: *const u8, len: usize) {
    let text = String::from_utf8_lossy(std::slice::from_raw_parts(msg, len)).into_owned();
    LOGGED.lock().unwrap().push((level, text));
}

unsafe extern "C" fn host_answer() -> u8 {
    if FAIL_ANSWER.load(Ordering::SeqCst) {
        let why = "java.lang.IllegalStateException: no answer";
        relib_sdk_import_failed(why.as_ptr(), why.len());
        return 0;
    }
    42
}

unsafe extern "C" fn host_now() -> u64 {
    123_456
}

unsafe extern "C" fn resolve_all(name: *const u8, len: usize, sig: *const u8, sig_len: usize) -> *const c_void {
    let name = std::str::from_utf8(std::slice::from_raw_parts(name, len)).unwrap();
    let sig = std::str::from_utf8(std::slice::from_raw_parts(sig, sig_len)).unwrap();
    match (name, sig) {
        ("t_answer", "t_answer() -> u8") => host_answer as *const c_void,
        ("t_log", "t_log(u32, &str)") => host_log as *const c_void,
        ("t_now_ns", "t_now_ns() -> u64") => host_now as *const c_void,
        _ => std::ptr::null(),
    }
}

unsafe extern "C" fn resolve_log_only(name: *const u8, len: usize, sig: *const u8, sig_len: usize) -> *const c_void {
    let found = resolve_all(name, len, sig, sig_len);
    if found == host_log as *const c_void { found } else { std::ptr::null() }
}

fn host(resolve: HostResolveFn) -> RelibHostApi {
    RelibHostApi { abi: RELIB_SDK_ABI, flags: 0, log: Some(host_log), resolve_import: Some(resolve) }
}

#[test]
fn init_binds_imports_and_reports_unbound_ones() {
    let _s = serial();
    unsafe {
        let wrong_abi = RelibHostApi { abi: RELIB_SDK_ABI + 1, ..host(resolve_all) };
        assert_eq!(relib_sdk_init(&wrong_abi), init_status::ABI_MISMATCH);
        assert_eq!(relib_sdk_init(std::ptr::null()), init_status::NO_HOST);

        assert_eq!(relib_sdk_init(&host(resolve_log_only)), init_status::UNBOUND_IMPORTS);
        assert_eq!(t_ask(), 0);
        let taken = drain_panics();
        assert!(taken[0].message.contains("import `t_answer() -> u8` is not bound"), "{}", taken[0].message);

        assert_eq!(relib_sdk_init(&host(resolve_all)), init_status::OK);
        assert_eq!(t_ask(), 42);
        let msg = "from the module";
        assert_eq!(t_log_now(msg.as_ptr(), msg.len()), 123_456);
        assert!(LOGGED.lock().unwrap().contains(&(3, "from the module".to_string())));

        FAIL_ANSWER.store(true, Ordering::SeqCst);
        assert_eq!(t_ask(), 0);
        FAIL_ANSWER.store(false, Ordering::SeqCst);
        let taken = drain_panics();
        assert_eq!(
            taken[0].message,
            "import `t_answer() -> u8` failed in the host: java.lang.IllegalStateException: no answer"
        );
        assert_eq!(t_ask(), 42, "a failure is reported once");
    }
}

#[test]
fn main_and_before_unload_report_status() {
    let _s = serial();
    assert_eq!(relib_sdk_main(), entry_status::OK);
    assert_eq!(relib_sdk_before_unload(), entry_status::OK);
    MAIN_PANICS.store(true, Ordering::SeqCst);
    assert_eq!(relib_sdk_main(), entry_status::PANICKED);
    MAIN_PANICS.store(false, Ordering::SeqCst);
    let taken = drain_panics();
    assert_eq!((taken[0].message.as_str(), taken[0].entry.as_str()), ("main was told to panic", "main"));
    MAIN_FAILS.store(true, Ordering::SeqCst);
    unsafe { relib_sdk_init(&host(resolve_all)) };
    assert_eq!(relib_sdk_main(), entry_status::FAILED);
    MAIN_FAILS.store(false, Ordering::SeqCst);
    assert!(LOGGED.lock().unwrap().contains(&(level::ERROR, "main failed: told to fail".to_string())));
}

#[test]
fn info_names_abi_versions_and_crate() {
    let info = unsafe { &*relib_sdk_info() };
    assert_eq!(info.abi, RELIB_SDK_ABI);
    assert_eq!(info.size as usize, std::mem::size_of::<RelibSdkInfo>());
    assert_eq!(text(info.sdk_version), env!("CARGO_PKG_VERSION"));
    assert!(text(info.rustc_version).starts_with("rustc 1."), "{}", text(info.rustc_version));
    assert_eq!(text(info.crate_name), "relib_sdk");
    assert_eq!(text(info.crate_version), env!("CARGO_PKG_VERSION"));
}

#[test]
fn fini_drops_queued_panics() {
    let _s = serial();
    unsafe { t_boom(9) };
    relib_sdk_fini();
    assert!(drain_panics().is_empty());
}
