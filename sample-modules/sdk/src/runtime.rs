//! The SDK's own C exports (`relib_sdk_*`) and what the macros' generated code calls.
//!
//! Declarations made by the macros reach this code through a linker section: each `imports!` entry
//! and each macro's crate-name record is a `RegistryEntry` placed in section `relib_sdk_registry`,
//! which the linker gathers from every object file and brackets with `__start_relib_sdk_registry` /
//! `__stop_relib_sdk_registry` (the name is a C identifier so that it does).

use crate::abi::{self, RelibHostApi, RelibPanic, RelibSdkInfo, RelibStr, RELIB_SDK_ABI};
use crate::panics;
use std::cell::Cell;
use std::ffi::c_void;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// Where an import's host function pointer lives once `relib_sdk_init` has bound it.
pub struct ImportSlot(AtomicPtr<c_void>);

impl ImportSlot {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> ImportSlot {
        ImportSlot(AtomicPtr::new(std::ptr::null_mut()))
    }

    /// The bound function; panics (inside the caller's guard) when the host never bound it.
    pub fn get(&self, signature: &str) -> *mut c_void {
        let f = self.0.load(Ordering::Acquire);
        if f.is_null() {
            panic!("import `{signature}` is not bound (relib_sdk_init has not run or failed)");
        }
        f
    }
}

const KIND_SENTINEL: usize = 0;
const KIND_IMPORT: usize = 1;
const KIND_CRATE: usize = 2;

/// One record in section `relib_sdk_registry`. All fields are pointer-sized so that records from
/// different objects pack without padding.
#[repr(C)]
pub struct RegistryEntry {
    kind: usize,
    a: &'static str,
    b: &'static str,
    slot: Option<&'static ImportSlot>,
}

impl RegistryEntry {
    /// An import: its name, its signature text, its slot.
    pub const fn import(name: &'static str, signature: &'static str, slot: &'static ImportSlot) -> RegistryEntry {
        RegistryEntry { kind: KIND_IMPORT, a: name, b: signature, slot: Some(slot) }
    }

    /// The module's package name and version, emitted by every SDK macro.
    pub const fn crate_name(name: &'static str, version: &'static str) -> RegistryEntry {
        RegistryEntry { kind: KIND_CRATE, a: name, b: version, slot: None }
    }
}

/// Makes sure the section exists (so the bracketing symbols are defined) in every SDK module; its
/// text pointer gives it a relocation like every other record, so all land in one writable section.
#[used]
#[unsafe(link_section = "relib_sdk_registry")]
static SENTINEL: RegistryEntry = RegistryEntry { kind: KIND_SENTINEL, a: "relib_sdk", b: "", slot: None };

unsafe extern "C" {
    // Declared as bytes: only their addresses matter.
    static __start_relib_sdk_registry: u8;
    static __stop_relib_sdk_registry: u8;
}

fn registry() -> &'static [RegistryEntry] {
    std::hint::black_box(&SENTINEL);
    // SAFETY: the linker brackets the section, which holds only `RegistryEntry` values.
    unsafe {
        let start = (&raw const __start_relib_sdk_registry).cast::<RegistryEntry>();
        let stop = (&raw const __stop_relib_sdk_registry).cast::<RegistryEntry>();
        let count = (stop as usize - start as usize) / std::mem::size_of::<RegistryEntry>();
        std::slice::from_raw_parts(start, count)
    }
}

/// (name, signature) of every import the module declares, in link order.
pub fn declared_imports() -> impl Iterator<Item = (&'static str, &'static str, &'static ImportSlot)> {
    registry().iter().filter(|e| e.kind == KIND_IMPORT).filter_map(|e| e.slot.map(|slot| (e.a, e.b, slot)))
}

static INFO: OnceLock<RelibSdkInfo> = OnceLock::new();

/// ABI version, SDK version, rustc version, the module's crate name and version. Static data.
#[unsafe(no_mangle)]
pub extern "C" fn relib_sdk_info() -> *const RelibSdkInfo {
    INFO.get_or_init(|| {
        let (name, version) = registry()
            .iter()
            .find(|e| e.kind == KIND_CRATE)
            .map_or(("", ""), |e| (e.a, e.b));
        RelibSdkInfo {
            abi: RELIB_SDK_ABI,
            size: std::mem::size_of::<RelibSdkInfo>() as u32,
            sdk_version: RelibStr::of(env!("CARGO_PKG_VERSION")),
            rustc_version: RelibStr::of(env!("RELIB_SDK_RUSTC_VERSION")),
            crate_name: RelibStr::of(name),
            crate_version: RelibStr::of(version),
        }
    })
}

/// The host's `log`, stored as an address (0 = none) so it needs no lock.
static HOST_LOG: AtomicUsize = AtomicUsize::new(0);

/// Installs the panic hook, keeps the host's `log` and flags, and binds every declared import through
/// `resolve_import`, asking for all of them even after a miss so the host can list every unbound one.
///
/// # Safety
/// `host` must be null or point to a valid `RelibHostApi` whose functions stay callable while the
/// module is loaded.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn relib_sdk_init(host: *const RelibHostApi) -> i32 {
    panics::ensure_hook();
    let Some(host) = host.as_ref() else {
        return abi::init_status::NO_HOST;
    };
    if host.abi != RELIB_SDK_ABI {
        return abi::init_status::ABI_MISMATCH;
    }
    HOST_LOG.store(host.log.map_or(0, |f| f as usize), Ordering::Release);
    panics::set_format_backtrace(host.flags & abi::host_flags::RAW_FRAMES_ONLY == 0);
    let mut unbound = 0;
    for (name, signature, slot) in declared_imports() {
        let f = match host.resolve_import {
            Some(resolve) => resolve(name.as_ptr(), name.len(), signature.as_ptr(), signature.len()),
            None => std::ptr::null(),
        };
        slot.0.store(f as *mut c_void, Ordering::Release);
        if f.is_null() {
            unbound += 1;
        }
    }
    if unbound == 0 {
        abi::init_status::OK
    } else {
        abi::init_status::UNBOUND_IMPORTS
    }
}

/// Writes `message` to the host's log at `level` (see [`crate::level`]); a no-op before init.
pub fn host_log(level: u32, message: &str) {
    let f = HOST_LOG.load(Ordering::Acquire);
    if f != 0 {
        // SAFETY: stored from `RelibHostApi::log` by `relib_sdk_init`.
        let f: abi::HostLogFn = unsafe { std::mem::transmute(f) };
        unsafe { f(level, message.as_ptr(), message.len()) };
    }
}

/// Frees a `String` or `Vec<u8>` an export returned. Null `ptr` is ignored.
///
/// # Safety
/// The three values must be exactly a `RelibOwned` this module returned and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn relib_sdk_free(ptr: *mut u8, len: usize, cap: usize) {
    if !ptr.is_null() {
        drop(Vec::from_raw_parts(ptr, len, cap));
    }
}

/// Takes the oldest queued panic into `*out`; false (and `*out` zeroed) when none is queued.
///
/// # Safety
/// `out` must be null or valid for writing one `RelibPanic`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn relib_sdk_take_panic(out: *mut RelibPanic) -> bool {
    let mut record = RelibPanic::EMPTY;
    let found = panics::take(&mut record);
    if let Some(out) = out.as_mut() {
        *out = record;
    }
    found
}

/// Frees the panic the last `relib_sdk_take_panic` described.
#[unsafe(no_mangle)]
pub extern "C" fn relib_sdk_panic_free() {
    panics::free_taken();
}

/// Frees everything the SDK itself holds (queued panics, import failure texts). The host calls it
/// at unload after `before_unload`, so the leak report shows only the module's own blocks.
#[unsafe(no_mangle)]
pub extern "C" fn relib_sdk_fini() {
    panics::clear();
    *lock_failures() = Vec::new();
    HOST_LOG.store(0, Ordering::Release);
    for (_, _, slot) in declared_imports() {
        slot.0.store(std::ptr::null_mut(), Ordering::Release);
    }
}

/// Failures reported by the host for imports, by kernel thread id.
static IMPORT_FAILURES: Mutex<Vec<(u64, String)>> = Mutex::new(Vec::new());

thread_local! {
    static IMPORT_FAILED: Cell<bool> = const { Cell::new(false) };
}

fn lock_failures() -> std::sync::MutexGuard<'static, Vec<(u64, String)>> {
    IMPORT_FAILURES.lock().unwrap_or_else(|p| p.into_inner())
}

/// Called by the host from inside an import's implementation (same thread) when it failed, e.g. a
/// Java exception: the import returns zero to the module, whose wrapper then panics with `message`,
/// so the failure is caught and reported like any panic and nothing unwinds through native frames.
///
/// # Safety
/// `message` must be valid for `len` bytes (UTF-8; invalid bytes are replaced).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn relib_sdk_import_failed(message: *const u8, len: usize) {
    let text = if message.is_null() {
        String::new()
    } else {
        String::from_utf8_lossy(std::slice::from_raw_parts(message, len)).into_owned()
    };
    let tid = panics::thread_id();
    let mut failures = lock_failures();
    failures.retain(|(t, _)| *t != tid);
    failures.push((tid, text));
    IMPORT_FAILED.set(true);
}

/// After an import returns: panics if the host reported it failed.
pub fn check_import(signature: &str) {
    if IMPORT_FAILED.replace(false) {
        let tid = panics::thread_id();
        let mut failures = lock_failures();
        let message = failures.iter().position(|(t, _)| *t == tid).map(|i| failures.swap_remove(i).1);
        drop(failures);
        panic!("import `{signature}` failed in the host: {}", message.unwrap_or_default());
    }
}

/// Runs an export's body under the panic guard and converts its result.
pub fn call_export<R: crate::FfiReturn>(name: &'static str, body: impl FnOnce() -> R) -> R::Raw {
    match panics::guard(name, body) {
        Some(value) => value.into_raw(),
        None => R::failure(),
    }
}

/// Runs `main` or `before_unload` and turns the outcome into its status code.
pub fn call_entry<R: crate::EntryResult>(name: &'static str, body: impl FnOnce() -> R) -> i32 {
    match panics::guard(name, || body().into_outcome()) {
        Some(Ok(())) => abi::entry_status::OK,
        Some(Err(text)) => {
            host_log(abi::level::ERROR, &format!("{name} failed: {text}"));
            abi::entry_status::FAILED
        }
        None => abi::entry_status::PANICKED,
    }
}

/// Reads a `&str` argument passed as (ptr, len); not UTF-8 panics inside the export's guard.
///
/// # Safety
/// `ptr` must be valid for `len` bytes for the duration of the call, or null with `len` 0.
pub unsafe fn str_arg<'a>(ptr: *const u8, len: usize, param: &str) -> &'a str {
    std::str::from_utf8(bytes_arg(ptr, len))
        .unwrap_or_else(|e| panic!("argument `{param}` is not valid UTF-8: {e}"))
}

/// Reads a `&[u8]` argument passed as (ptr, len).
///
/// # Safety
/// As for [`str_arg`].
pub unsafe fn bytes_arg<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}
