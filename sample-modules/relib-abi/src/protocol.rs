//! The repr(C) types of relib's own host<->module ABI (RELIB-PROTOCOL.md §0). Sizes and offsets are
//! checked at compile time below, so a change that breaks the protocol does not build.

use std::alloc::Layout;
use std::marker::PhantomData;

pub type ModuleId = u64;

/// `&[T]` across the boundary: {ptr @0, len @8}.
#[repr(C)]
pub struct RawSlice<T> {
    pub ptr: *const T,
    pub len: usize,
    _marker: PhantomData<*const T>,
}

impl<T> RawSlice<T> {
    pub const fn new(ptr: *const T, len: usize) -> Self {
        RawSlice { ptr, len, _marker: PhantomData }
    }

    pub const fn from_slice(slice: &[T]) -> Self {
        RawSlice::new(slice.as_ptr(), slice.len())
    }

    /// # Safety
    /// `ptr`/`len` must describe a live slice for `'a` (a null `ptr` is taken as empty).
    pub unsafe fn as_slice<'a>(&self) -> &'a [T] {
        if self.len == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(self.ptr, self.len)
        }
    }
}

impl<T> Clone for RawSlice<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for RawSlice<T> {}

/// relib's `Str`: UTF-8 bytes, not NUL-terminated; the type of `__RELIB__CRATE_COMPILATION_INFO__`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Str(pub RawSlice<u8>);

// SAFETY: a Str only ever points at bytes that outlive it and are never written.
unsafe impl Send for Str {}
unsafe impl Sync for Str {}

impl Str {
    pub const fn from_static(bytes: &'static [u8]) -> Self {
        Str(RawSlice::from_slice(bytes))
    }

    pub const fn const_from(text: &str) -> Self {
        Str(RawSlice::from_slice(text.as_bytes()))
    }
}

/// {size @0, align @8}.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct StableLayout {
    pub size: usize,
    pub align: usize,
}

impl From<Layout> for StableLayout {
    fn from(layout: Layout) -> Self {
        StableLayout { size: layout.size(), align: layout.align() }
    }
}

impl StableLayout {
    /// # Safety
    /// Must come from a valid `Layout` (the host only hands back what the module reported).
    pub unsafe fn to_layout(self) -> Layout {
        Layout::from_size_align_unchecked(self.size, self.align)
    }
}

/// One live block: {ptr @0, size @8, align @16}.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Allocation {
    pub ptr: *mut u8,
    pub layout: StableLayout,
}

// SAFETY: an Allocation is a record of a block, passed between the module and its host; only the
// module that made the block ever dereferences or frees it.
unsafe impl Send for Allocation {}
unsafe impl Sync for Allocation {}

/// One cached allocator operation: {tag: u32 @0 (0 = Alloc, 1 = Dealloc), Allocation @8}.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AllocatorOp {
    Alloc(Allocation),
    Dealloc(Allocation),
}

impl AllocatorOp {
    pub fn ptr(&self) -> *mut u8 {
        match self {
            AllocatorOp::Alloc(a) | AllocatorOp::Dealloc(a) => a.ptr,
        }
    }
}

const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<RawSlice<u8>>() == 16 && offset_of!(RawSlice<u8>, len) == 8);
    assert!(size_of::<Str>() == 16);
    assert!(size_of::<StableLayout>() == 16 && offset_of!(StableLayout, align) == 8);
    assert!(size_of::<Allocation>() == 24 && offset_of!(Allocation, layout) == 8);
    assert!(size_of::<AllocatorOp>() == 32 && align_of::<AllocatorOp>() == 8);
};
