use super::*;

#[test]
fn rvec_round_trips_through_its_vtable() {
    let mut v: RVec<u32> = vec![1, 2, 3].into();
    assert_eq!(&*v, &[1, 2, 3]);
    v.reserve_total(100);
    assert!(v.capacity() >= 100);
    assert_eq!(&*v, &[1, 2, 3], "growing keeps the elements");
    v.shrink_to_fit();
    assert_eq!(v.capacity(), 3);
    let copy = v.clone();
    assert_eq!(copy, v);
    assert_eq!(v.into_vec(), vec![1, 2, 3]);
}

#[test]
fn rvec_fields_sit_where_abi_stable_puts_them() {
    let v: RVec<u8> = vec![7u8; 5].into();
    // SAFETY: reading the first three words of a 32-byte repr(C) struct.
    let words = unsafe { std::slice::from_raw_parts(&v as *const RVec<u8> as *const usize, 4) };
    assert_eq!(words[0], v.as_ptr() as usize, "buffer @0");
    assert_eq!(words[1], 5, "length @8");
    assert_eq!(words[2], v.capacity(), "capacity @16");
    assert_ne!(words[3], 0, "vtable @24");
}

#[test]
fn rstring_and_rstr_compare_as_text() {
    let s = RString::from("ret_heap_main");
    assert_eq!(&*s, "ret_heap_main");
    assert_eq!(s.as_rstr().slice_from(4), *"heap_main");
    assert_eq!(s.clone().into_string(), "ret_heap_main");
    assert_eq!(RString::from(RStr::from("x")), *"x");
}

#[test]
fn roption_tags_are_abi_stables() {
    let some: ROption<u32> = Some(5).into();
    let none: ROption<u32> = None.into();
    // SAFETY: ROption<u32> is 8 bytes, tag first.
    let bytes = |o: &ROption<u32>| unsafe { *(o as *const ROption<u32> as *const [u8; 8]) };
    assert_eq!(bytes(&some)[0], 0, "RSome = 0");
    assert_eq!(u32::from_ne_bytes(bytes(&some)[4..8].try_into().unwrap()), 5, "payload at offset 4");
    assert_eq!(bytes(&none)[0], 1, "RNone = 1");
    assert_eq!(some.into_option(), Some(5));
}

#[test]
fn run_export_sets_the_success_flag() {
    let mut success = false;
    // SAFETY: success is a live bool.
    let value = unsafe { __private::run_export(&mut success, || 41 + 1) };
    assert!(success);
    assert_eq!(unsafe { value.assume_init() }, 42);

    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut success = true;
    let _ = unsafe { __private::run_export(&mut success, || -> u8 { panic!("expected panic") }) };
    std::panic::set_hook(previous);
    assert!(!success, "a panic clears the flag");
}
