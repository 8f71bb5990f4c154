//! # relib_sdk: write modules for the relib shell
//!
//! A module built with this crate is a `cdylib` that the relib shell (or any host that follows
//! `relib_sdk.h`) loads, calls by signature and unloads. Compared with a plain `extern "C"` library:
//!
//! * exports are declared in Rust syntax with [`exports!`]; each is a C function whose body runs
//!   under `catch_unwind`, so a panic returns a zero value to the host instead of aborting it;
//! * signatures are written as text into the ELF sections `.relib_exports` and `.relib_imports`,
//!   so the host types every call without being told, and lists them without loading the file;
//! * a panic anywhere in the module is recorded (message, location, thread, raw return addresses,
//!   std's formatted backtrace) for the host to fetch with `relib_sdk_take_panic`;
//! * [`main!`] and [`before_unload!`] run at load and before unload;
//! * [`imports!`] declares functions the module needs from the host, bound at load.
//!
//! The binary contract is documented in `relib_sdk.h` and `man/relib-sdk.7`.

mod abi;
mod macros;
mod manifest;
mod panics;
mod runtime;
mod types;

pub use abi::{
    entry_status, host_flags, init_status, level, HostLogFn, HostResolveFn, RelibHostApi, RelibOwned, RelibPanic, RelibSdkInfo,
    RelibStr, RELIB_SDK_ABI,
};
pub use panics::{relib_sdk_panic_count, MAX_FRAMES, QUEUE_CAPACITY};
pub use runtime::{
    host_log, relib_sdk_fini, relib_sdk_free, relib_sdk_import_failed, relib_sdk_info, relib_sdk_init,
    relib_sdk_panic_free, relib_sdk_take_panic,
};
pub use types::{EntryResult, FfiReturn, FfiValue, ImportReturn};

/// What the macros' expansions call; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::manifest::{entry, entry_len, entry_text, type_text_matches};
    pub use crate::runtime::{bytes_arg, call_entry, call_export, check_import, str_arg, ImportSlot, RegistryEntry};
}

#[cfg(test)]
mod tests;
