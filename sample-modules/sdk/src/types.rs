//! How each supported Rust type crosses the C boundary. `&str` and `&[u8]` parameters are not here:
//! they become two C arguments (pointer, then length), which the macros spell out.
//!
//! Every type carries `SIG`, the text the host's signature syntax uses for it; the macros check at
//! compile time that the type as written matches it (so a type alias, whose text the host could not
//! parse, is refused with a clear message).

use crate::abi::{RelibOwned, RelibStr};

/// A value passed by value in one C argument or return register.
pub trait FfiValue: Sized {
    /// The C-ABI type that carries it.
    type Raw: Copy;
    /// Host signature text; a trailing space or `&` means "this prefix, then any type".
    const SIG: &'static str;
    fn into_raw(self) -> Self::Raw;
    /// # Safety
    /// `raw` must be what the host passed for this type (a valid pointer for `Option<&T>`).
    unsafe fn from_raw(raw: Self::Raw) -> Self;
    /// What a failed call returns (zero, false, null).
    fn zero() -> Self::Raw;
}

macro_rules! same_repr {
    ($($t:ty => $sig:literal),* $(,)?) => {$(
        impl FfiValue for $t {
            type Raw = $t;
            const SIG: &'static str = $sig;
            fn into_raw(self) -> $t { self }
            unsafe fn from_raw(raw: $t) -> $t { raw }
            fn zero() -> $t { 0 as $t }
        }
    )*};
}

same_repr! {
    i8 => "i8", i16 => "i16", i32 => "i32", i64 => "i64", isize => "isize",
    u8 => "u8", u16 => "u16", u32 => "u32", u64 => "u64", usize => "usize",
    f32 => "f32", f64 => "f64",
}

/// One byte, 0 or 1; any nonzero byte from the host reads as true.
impl FfiValue for bool {
    type Raw = u8;
    const SIG: &'static str = "bool";
    fn into_raw(self) -> u8 {
        self as u8
    }
    unsafe fn from_raw(raw: u8) -> bool {
        raw != 0
    }
    fn zero() -> u8 {
        0
    }
}

/// A Unicode scalar value in a `u32`; a value that is not one panics (inside the export's guard).
impl FfiValue for char {
    type Raw = u32;
    const SIG: &'static str = "char";
    fn into_raw(self) -> u32 {
        self as u32
    }
    unsafe fn from_raw(raw: u32) -> char {
        char::from_u32(raw).unwrap_or_else(|| panic!("{raw:#x} is not a Unicode scalar value (char argument)"))
    }
    fn zero() -> u32 {
        0
    }
}

impl<T> FfiValue for *const T {
    type Raw = *const T;
    const SIG: &'static str = "*const ";
    fn into_raw(self) -> *const T {
        self
    }
    unsafe fn from_raw(raw: *const T) -> *const T {
        raw
    }
    fn zero() -> *const T {
        std::ptr::null()
    }
}

impl<T> FfiValue for *mut T {
    type Raw = *mut T;
    const SIG: &'static str = "*mut ";
    fn into_raw(self) -> *mut T {
        self
    }
    unsafe fn from_raw(raw: *mut T) -> *mut T {
        raw
    }
    fn zero() -> *mut T {
        std::ptr::null_mut()
    }
}

/// A nullable pointer: null is `None`.
impl<'a, T> FfiValue for Option<&'a T> {
    type Raw = *const T;
    const SIG: &'static str = "Option<&";
    fn into_raw(self) -> *const T {
        self.map_or(std::ptr::null(), |r| r as *const T)
    }
    unsafe fn from_raw(raw: *const T) -> Option<&'a T> {
        raw.as_ref()
    }
    fn zero() -> *const T {
        std::ptr::null()
    }
}

/// What an export may return.
pub trait FfiReturn: Sized {
    type Raw;
    const SIG: &'static str;
    fn into_raw(self) -> Self::Raw;
    fn failure() -> Self::Raw;
}

impl<T: FfiValue> FfiReturn for T {
    type Raw = T::Raw;
    const SIG: &'static str = T::SIG;
    fn into_raw(self) -> T::Raw {
        FfiValue::into_raw(self)
    }
    fn failure() -> T::Raw {
        T::zero()
    }
}

impl FfiReturn for () {
    type Raw = ();
    const SIG: &'static str = "()";
    fn into_raw(self) {}
    fn failure() {}
}

/// Handed over as (ptr, len, cap); the host frees it with `relib_sdk_free`.
impl FfiReturn for String {
    type Raw = RelibOwned;
    const SIG: &'static str = "String";
    fn into_raw(self) -> RelibOwned {
        FfiReturn::into_raw(self.into_bytes())
    }
    fn failure() -> RelibOwned {
        RelibOwned::EMPTY
    }
}

impl FfiReturn for Vec<u8> {
    type Raw = RelibOwned;
    const SIG: &'static str = "Vec<u8>";
    fn into_raw(self) -> RelibOwned {
        let mut bytes = std::mem::ManuallyDrop::new(self);
        RelibOwned { ptr: bytes.as_mut_ptr(), len: bytes.len(), cap: bytes.capacity() }
    }
    fn failure() -> RelibOwned {
        RelibOwned::EMPTY
    }
}

impl FfiReturn for &'static str {
    type Raw = RelibStr;
    const SIG: &'static str = "&str";
    fn into_raw(self) -> RelibStr {
        RelibStr::of(self)
    }
    fn failure() -> RelibStr {
        RelibStr::EMPTY
    }
}

impl FfiReturn for &'static [u8] {
    type Raw = RelibStr;
    const SIG: &'static str = "&[u8]";
    fn into_raw(self) -> RelibStr {
        RelibStr::of_bytes(self)
    }
    fn failure() -> RelibStr {
        RelibStr::EMPTY
    }
}

/// What an import (a host function) may return: no owned values, since the module could not free
/// host memory.
pub trait ImportReturn: Sized {
    type Raw;
    const SIG: &'static str;
    /// # Safety
    /// `raw` must be what the host's function returned for this type.
    unsafe fn from_raw(raw: Self::Raw) -> Self;
}

impl<T: FfiValue> ImportReturn for T {
    type Raw = T::Raw;
    const SIG: &'static str = T::SIG;
    unsafe fn from_raw(raw: T::Raw) -> T {
        FfiValue::from_raw(raw)
    }
}

impl ImportReturn for () {
    type Raw = ();
    const SIG: &'static str = "()";
    unsafe fn from_raw(_: ()) {}
}

/// The result of `main` or `before_unload`: `()` or `Result<(), E>`.
pub trait EntryResult {
    /// `Err(text)` for a failure to report.
    fn into_outcome(self) -> Result<(), String>;
}

impl EntryResult for () {
    fn into_outcome(self) -> Result<(), String> {
        Ok(())
    }
}

impl<E: std::fmt::Display> EntryResult for Result<(), E> {
    fn into_outcome(self) -> Result<(), String> {
        self.map_err(|e| e.to_string())
    }
}
