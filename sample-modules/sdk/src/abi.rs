//! The C-visible types of the SDK ABI. `relib_sdk.h` states the same layouts for hosts; every
//! struct here must match it field for field (the unit tests check sizes and offsets).

use std::ffi::c_void;

/// Version of the binary contract between a host and an SDK module. A host refuses a module whose
/// `relib_sdk_info()->abi` differs from the one it was written for. Must match `RELIB_SDK_ABI`
/// in relib_sdk.h.
pub const RELIB_SDK_ABI: u32 = 1;

/// Log levels for the host's `log`, and for the built-in `log(u32, &str)` import.
/// Must match `RELIB_LOG_*` in relib_sdk.h.
pub mod level {
    pub const ERROR: u32 = 1;
    pub const WARN: u32 = 2;
    pub const INFO: u32 = 3;
    pub const DEBUG: u32 = 4;
    pub const TRACE: u32 = 5;
}

/// Bits of `RelibHostApi::flags`. Must match `RELIB_SDK_HOST_*` in relib_sdk.h.
pub mod host_flags {
    /// Record raw return addresses only, no std-formatted backtrace. Formatting makes std build a
    /// symbolizer cache (about 20 MB, kept for the module's lifetime); a host that symbolizes the
    /// raw frames itself sets this.
    pub const RAW_FRAMES_ONLY: u32 = 1;
}

/// Return codes of `relib_sdk_init`. Must match `RELIB_SDK_INIT_*` in relib_sdk.h.
pub mod init_status {
    pub const OK: i32 = 0;
    /// The host table's `abi` is not `RELIB_SDK_ABI`.
    pub const ABI_MISMATCH: i32 = 1;
    /// `resolve_import` returned null for at least one declared import.
    pub const UNBOUND_IMPORTS: i32 = 2;
    /// The host table pointer was null.
    pub const NO_HOST: i32 = 3;
}

/// Return codes of `relib_sdk_main` and `relib_sdk_before_unload`. Must match relib_sdk.h.
pub mod entry_status {
    pub const OK: i32 = 0;
    /// The body panicked; the panic is queued for `relib_sdk_take_panic`.
    pub const PANICKED: i32 = 1;
    /// The body returned `Err`; its text went to the host's `log` at level ERROR.
    pub const FAILED: i32 = 2;
}

/// Borrowed bytes: a `&str` or `&[u8]` crossing the boundary. Also how an export returns
/// `&'static str` / `&'static [u8]` (16 bytes, so in `rax:rdx`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct RelibStr {
    pub ptr: *const u8,
    pub len: usize,
}

impl RelibStr {
    pub const EMPTY: RelibStr = RelibStr { ptr: std::ptr::null(), len: 0 };

    pub const fn of(text: &str) -> RelibStr {
        RelibStr { ptr: text.as_ptr(), len: text.len() }
    }

    pub const fn of_bytes(bytes: &[u8]) -> RelibStr {
        RelibStr { ptr: bytes.as_ptr(), len: bytes.len() }
    }
}

/// An owned `String` or `Vec<u8>` handed to the host, which gives it back to
/// `relib_sdk_free(ptr, len, cap)`. 24 bytes, so returned through a hidden pointer (SysV "sret").
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct RelibOwned {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

impl RelibOwned {
    pub const EMPTY: RelibOwned = RelibOwned { ptr: std::ptr::null_mut(), len: 0, cap: 0 };
}

/// What `relib_sdk_info` points at: static data, valid while the module is loaded.
#[repr(C)]
#[derive(Debug)]
pub struct RelibSdkInfo {
    /// Always the first field, in every ABI version, so any host can read it.
    pub abi: u32,
    /// Size of this struct in bytes, for hosts that read a newer layout.
    pub size: u32,
    pub sdk_version: RelibStr,
    pub rustc_version: RelibStr,
    /// The module's package name and version (`CARGO_PKG_NAME`, `CARGO_PKG_VERSION`).
    pub crate_name: RelibStr,
    pub crate_version: RelibStr,
}

// SAFETY: the pointers refer to string literals with static lifetime.
unsafe impl Sync for RelibSdkInfo {}
unsafe impl Send for RelibSdkInfo {}

/// `void log(uint32_t level, const uint8_t *msg, size_t len)`
pub type HostLogFn = unsafe extern "C" fn(level: u32, msg: *const u8, len: usize);

/// `const void *resolve_import(const uint8_t *name, size_t name_len, const uint8_t *sig, size_t sig_len)`:
/// the address of a C-ABI function implementing the import, or null when the host has none.
pub type HostResolveFn =
    unsafe extern "C" fn(name: *const u8, name_len: usize, sig: *const u8, sig_len: usize) -> *const c_void;

/// The host's table, passed to `relib_sdk_init`. The SDK copies what it needs; the host may free it
/// after init returns.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct RelibHostApi {
    pub abi: u32,
    /// `host_flags` bits.
    pub flags: u32,
    pub log: Option<HostLogFn>,
    pub resolve_import: Option<HostResolveFn>,
}

/// One captured panic, filled by `relib_sdk_take_panic`. Every pointer refers to memory the module
/// owns until the next `relib_sdk_take_panic` or `relib_sdk_panic_free`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct RelibPanic {
    /// 1 for the module's first panic; equals `relib_sdk_panic_count` right after it was recorded.
    pub sequence: u64,
    /// Kernel thread id (`gettid`) of the panicking thread.
    pub thread_id: u64,
    pub message: RelibStr,
    /// Source location; empty file and zero line when the panic carried none.
    pub file: RelibStr,
    pub line: u32,
    pub column: u32,
    /// The thread's name as the kernel knows it (`pthread_getname_np`, at most 15 bytes).
    pub thread_name: RelibStr,
    /// The SDK entry point running on that thread: an export's name, `main`, `before_unload`, or
    /// empty for a panic outside any (a thread the module started).
    pub entry: RelibStr,
    /// `std::backtrace::Backtrace::force_capture()` as std formats it.
    pub backtrace: RelibStr,
    /// Raw return addresses from `_Unwind_Backtrace`, innermost first.
    pub frames: *const usize,
    pub frame_count: usize,
}

impl RelibPanic {
    pub const EMPTY: RelibPanic = RelibPanic {
        sequence: 0,
        thread_id: 0,
        message: RelibStr::EMPTY,
        file: RelibStr::EMPTY,
        line: 0,
        column: 0,
        thread_name: RelibStr::EMPTY,
        entry: RelibStr::EMPTY,
        backtrace: RelibStr::EMPTY,
        frames: std::ptr::null(),
        frame_count: 0,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn layouts_match_relib_sdk_h() {
        assert_eq!(size_of::<RelibStr>(), 16);
        assert_eq!(size_of::<RelibOwned>(), 24);
        assert_eq!(size_of::<RelibSdkInfo>(), 72);
        assert_eq!(offset_of!(RelibSdkInfo, sdk_version), 8);
        assert_eq!(offset_of!(RelibSdkInfo, crate_version), 56);
        assert_eq!(size_of::<RelibHostApi>(), 24);
        assert_eq!(offset_of!(RelibHostApi, log), 8);
        assert_eq!(offset_of!(RelibHostApi, resolve_import), 16);
        assert_eq!(size_of::<RelibPanic>(), 120);
        assert_eq!(offset_of!(RelibPanic, message), 16);
        assert_eq!(offset_of!(RelibPanic, file), 32);
        assert_eq!(offset_of!(RelibPanic, line), 48);
        assert_eq!(offset_of!(RelibPanic, column), 52);
        assert_eq!(offset_of!(RelibPanic, thread_name), 56);
        assert_eq!(offset_of!(RelibPanic, entry), 72);
        assert_eq!(offset_of!(RelibPanic, backtrace), 88);
        assert_eq!(offset_of!(RelibPanic, frames), 104);
        assert_eq!(offset_of!(RelibPanic, frame_count), 112);
    }
}
