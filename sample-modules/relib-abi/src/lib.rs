//! # relib_abi: the module side of relib 0.7's host protocol, for test fixtures
//!
//! A std-only stand-in for `relib_module` 0.7 (and its `relib_interface` code generator) that the
//! shell's always-run tests build, so they can exercise relib support with no access to relib's
//! crates. Everything follows RELIB-PROTOCOL.md; this crate holds the parts every relib module has:
//!
//! * [`compilation_info!`]: the `__RELIB__CRATE_COMPILATION_INFO__` static (§1);
//! * [`exports!`], [`export!`] and [`imports!`]: user exports/imports with relib's mangling, success
//!   flag, `catch_unwind` and boxing rule (§2);
//! * [`RStr`], [`RSlice`], [`RString`], [`RVec`], [`ROption`]: abi_stable 0.11's layouts;
//! * [`protocol`]: relib's own repr(C) types (§0), used by `relib_abi_unloading`.
//!
//! The unloading core (internal exports/imports, hooks, alloc tracker) is the separate crate
//! `relib_abi_unloading`: linking it is what a relib module's `unloading` feature does.

mod abi_stable;
pub mod info;
mod macros;
pub mod protocol;

pub use abi_stable::{RSlice, RStr, RString, ROption, RVec, VecVTable};
pub use protocol::Str;

/// What the macros' expansions call; not a stable API.
#[doc(hidden)]
pub mod __private {
    use std::mem::MaybeUninit;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    /// relib's export body: `*success = 1` and the value, or `*success = 0` after a panic (whose
    /// message std's panic hook has already printed to stderr).
    ///
    /// # Safety
    /// `success` must be writable.
    pub unsafe fn run_export<R>(success: *mut bool, body: impl FnOnce() -> R) -> MaybeUninit<R> {
        match catch_unwind(AssertUnwindSafe(body)) {
            Ok(value) => {
                success.write(true);
                MaybeUninit::new(value)
            }
            Err(_) => {
                success.write(false);
                MaybeUninit::uninit()
            }
        }
    }

    /// relib_interface's check after each import call, with its exact message.
    pub fn check_import(success: bool, name: &str) {
        if !success {
            eprintln!("[relib] host panicked while executing import {name:?} of module, aborting");
            std::process::abort();
        }
    }

    /// What an import slot holds until the host binds it. relib's placeholder panics inside an
    /// `extern "C"` function (an abort without a name); this one names the slot.
    pub fn unbound_import(slot: &str) -> ! {
        eprintln!("[relib] import slot {slot} was called before the host bound it, aborting");
        std::process::abort();
    }
}

#[cfg(test)]
mod tests;
