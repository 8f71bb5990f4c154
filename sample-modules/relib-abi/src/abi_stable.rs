//! Std-only types with abi_stable 0.11's layouts, the types relib users put in their interfaces.
//! Layouts were read from the DWARF of genuine relib 0.7 modules (`llvm-dwarfdump --name=RVec<u8>`):
//!
//! | type | layout |
//! | --- | --- |
//! | `RSlice<T>` | {data: *const T @0, length @8}, 16 B |
//! | `RStr` | {inner: RSlice<u8>}, 16 B |
//! | `RVec<T>` | {buffer @0, length @8, capacity @16, vtable @24}, 32 B |
//! | `RString` | {inner: RVec<u8>}, 32 B |
//! | `ROption<T>` | `#[repr(u8)]` enum: tag u8 @0 (RSome = 0, RNone = 1), T at T's alignment |
//!
//! abi_stable's `vtable` points to a static `VecVTable` {type_id, destructor, grow_capacity_to,
//! shrink_to_fit}; ours is a static of the same shape whose functions only this module calls. A host
//! copies `buffer`/`length` and frees the value through the export's `__post__` function, never
//! through the vtable, so the vtable's contents are not part of the protocol.

use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;

/// abi_stable's `RSlice<'a, T>`.
#[repr(C)]
pub struct RSlice<'a, T> {
    data: *const T,
    length: usize,
    _marker: PhantomData<&'a [T]>,
}

impl<T> Clone for RSlice<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for RSlice<'_, T> {}

impl<'a, T> RSlice<'a, T> {
    pub const fn from_slice(slice: &'a [T]) -> Self {
        RSlice { data: slice.as_ptr(), length: slice.len(), _marker: PhantomData }
    }

    pub fn as_slice(&self) -> &'a [T] {
        if self.length == 0 {
            &[]
        } else {
            // SAFETY: built from a live `&'a [T]`, or handed over the boundary as one.
            unsafe { std::slice::from_raw_parts(self.data, self.length) }
        }
    }

    pub fn len(&self) -> usize {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }
}

impl<'a, T> From<&'a [T]> for RSlice<'a, T> {
    fn from(slice: &'a [T]) -> Self {
        RSlice::from_slice(slice)
    }
}

/// abi_stable's `RStr<'a>`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct RStr<'a> {
    inner: RSlice<'a, u8>,
}

impl<'a> RStr<'a> {
    pub const fn from_str(text: &'a str) -> Self {
        RStr { inner: RSlice::from_slice(text.as_bytes()) }
    }

    pub fn as_str(&self) -> &'a str {
        // A host that passes non-UTF-8 bytes has broken the contract; say so rather than guess.
        std::str::from_utf8(self.inner.as_slice()).expect("RStr holds invalid UTF-8")
    }

    /// `&self[from..]`, as abi_stable's `RStr::slice(from..)`.
    pub fn slice_from(&self, from: usize) -> RStr<'a> {
        RStr::from_str(&self.as_str()[from..])
    }
}

impl<'a> From<&'a str> for RStr<'a> {
    fn from(text: &'a str) -> Self {
        RStr::from_str(text)
    }
}

impl Deref for RStr<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for RStr<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq for RStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Debug for RStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The shape of abi_stable's `VecVTable`: four function pointers.
#[repr(C)]
pub struct VecVTable<T> {
    type_id: extern "C" fn() -> usize,
    destructor: unsafe extern "C" fn(&mut RVec<T>),
    grow_capacity_to: unsafe extern "C" fn(&mut RVec<T>, usize),
    shrink_to_fit: unsafe extern "C" fn(&mut RVec<T>),
}

/// abi_stable's `RVec<T>`: owns its buffer in this module's global allocator.
#[repr(C)]
pub struct RVec<T> {
    buffer: *mut T,
    length: usize,
    capacity: usize,
    vtable: *const VecVTable<T>,
}

// SAFETY: an RVec owns its elements like a Vec does.
unsafe impl<T: Send> Send for RVec<T> {}
unsafe impl<T: Sync> Sync for RVec<T> {}

impl<T> RVec<T> {
    fn vtable() -> *const VecVTable<T> {
        const {
            &VecVTable {
                type_id: vec_type_id::<T>,
                destructor: vec_destructor::<T>,
                grow_capacity_to: vec_grow_capacity_to::<T>,
                shrink_to_fit: vec_shrink_to_fit::<T>,
            }
        }
    }

    pub fn new() -> Self {
        Vec::new().into()
    }

    pub fn as_slice(&self) -> &[T] {
        // SAFETY: buffer/length/capacity always come from a Vec<T> (see From<Vec<T>>).
        unsafe { std::slice::from_raw_parts(self.buffer, self.length) }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn into_vec(self) -> Vec<T> {
        let this = ManuallyDrop::new(self);
        // SAFETY: the fields were taken from a Vec<T> allocated by this module's global allocator.
        unsafe { Vec::from_raw_parts(this.buffer, this.length, this.capacity) }
    }

    /// Grows the capacity to at least `capacity` through the vtable, as abi_stable's `reserve` does.
    pub fn reserve_total(&mut self, capacity: usize) {
        // SAFETY: the vtable belongs to this RVec's element type.
        unsafe { ((*self.vtable).grow_capacity_to)(self, capacity) }
    }

    pub fn shrink_to_fit(&mut self) {
        // SAFETY: as above.
        unsafe { ((*self.vtable).shrink_to_fit)(self) }
    }

    fn take_vec(&mut self) -> Vec<T> {
        let empty = Vec::new();
        let mut empty = ManuallyDrop::new(empty);
        let (buffer, length, capacity) = (self.buffer, self.length, self.capacity);
        self.buffer = empty.as_mut_ptr();
        self.length = 0;
        self.capacity = 0;
        // SAFETY: the fields came from a Vec<T> of this module.
        unsafe { Vec::from_raw_parts(buffer, length, capacity) }
    }

    fn put_vec(&mut self, vec: Vec<T>) {
        let mut vec = ManuallyDrop::new(vec);
        self.buffer = vec.as_mut_ptr();
        self.length = vec.len();
        self.capacity = vec.capacity();
    }
}

extern "C" fn vec_type_id<T>() -> usize {
    std::mem::size_of::<T>()
}

unsafe extern "C" fn vec_destructor<T>(this: &mut RVec<T>) {
    drop(this.take_vec());
}

unsafe extern "C" fn vec_grow_capacity_to<T>(this: &mut RVec<T>, capacity: usize) {
    let mut vec = this.take_vec();
    vec.reserve(capacity.saturating_sub(vec.len()));
    this.put_vec(vec);
}

unsafe extern "C" fn vec_shrink_to_fit<T>(this: &mut RVec<T>) {
    let mut vec = this.take_vec();
    vec.shrink_to_fit();
    this.put_vec(vec);
}

impl<T> Default for RVec<T> {
    fn default() -> Self {
        RVec::new()
    }
}

impl<T> From<Vec<T>> for RVec<T> {
    fn from(vec: Vec<T>) -> Self {
        let mut vec = ManuallyDrop::new(vec);
        RVec { buffer: vec.as_mut_ptr(), length: vec.len(), capacity: vec.capacity(), vtable: RVec::vtable() }
    }
}

impl<T> Drop for RVec<T> {
    fn drop(&mut self) {
        // SAFETY: the vtable belongs to this RVec's element type.
        unsafe { ((*self.vtable).destructor)(self) }
    }
}

/// Reads only `buffer` and `length`, as abi_stable's `Clone` does: this is what lets a host hand the
/// module a boxed RVec laid out in the host's own memory (RELIB-PROTOCOL.md §2.3).
impl<T: Clone> Clone for RVec<T> {
    fn clone(&self) -> Self {
        self.as_slice().to_vec().into()
    }
}

impl<T> Deref for RVec<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: fmt::Debug> fmt::Debug for RVec<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl<T: PartialEq> PartialEq for RVec<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

/// abi_stable's `RString`.
#[repr(C)]
#[derive(Clone, Default, PartialEq)]
pub struct RString {
    inner: RVec<u8>,
}

impl RString {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.inner.as_slice()).expect("RString holds invalid UTF-8")
    }

    pub fn as_rstr(&self) -> RStr<'_> {
        RStr::from_str(self.as_str())
    }

    pub fn into_string(self) -> String {
        String::from_utf8(self.inner.into_vec()).expect("RString holds invalid UTF-8")
    }
}

impl From<String> for RString {
    fn from(text: String) -> Self {
        RString { inner: text.into_bytes().into() }
    }
}

impl From<&str> for RString {
    fn from(text: &str) -> Self {
        text.to_string().into()
    }
}

impl From<RStr<'_>> for RString {
    fn from(text: RStr<'_>) -> Self {
        text.as_str().into()
    }
}

impl Deref for RString {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for RString {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for RString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for RString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// abi_stable's `ROption<T>`.
#[repr(u8)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ROption<T> {
    RSome(T),
    RNone,
}

impl<T> From<Option<T>> for ROption<T> {
    fn from(option: Option<T>) -> Self {
        match option {
            Some(value) => ROption::RSome(value),
            None => ROption::RNone,
        }
    }
}

impl<T> ROption<T> {
    pub fn into_option(self) -> Option<T> {
        match self {
            ROption::RSome(value) => Some(value),
            ROption::RNone => None,
        }
    }
}

const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(size_of::<RSlice<u32>>() == 16 && offset_of!(RSlice<u32>, length) == 8);
    assert!(size_of::<RStr>() == 16);
    assert!(size_of::<RVec<u8>>() == 32);
    assert!(offset_of!(RVec<u8>, length) == 8 && offset_of!(RVec<u8>, capacity) == 16);
    assert!(offset_of!(RVec<u8>, vtable) == 24);
    assert!(size_of::<RString>() == 32);
    assert!(size_of::<VecVTable<u8>>() == 32);
    assert!(size_of::<ROption<u8>>() == 2 && size_of::<ROption<u32>>() == 8);
    assert!(size_of::<ROption<u64>>() == 16 && size_of::<ROption<RString>>() == 40);
};
