//! Panics on threads a relib module starts itself (`…|0.7.0|0`, no unloading): each export spawns a
//! thread named `fx-worker` that panics and joins it. `Exports::worker_panics` then returns how many
//! of its threads panicked; `Exports::worker_then_export_panics` panics itself afterwards, so the
//! module's stderr holds a thread's panic and then the export's.

relib_abi::compilation_info!();

fn panic_on_worker(item: u32) -> bool {
    std::thread::Builder::new()
        .name("fx-worker".into())
        .spawn(move || panic!("fx-worker failed on {item}"))
        .expect("spawn fx-worker")
        .join()
        .is_err()
}

relib_abi::exports! {
    trait Exports;

    fn worker_panics(item: u32) -> u32 {
        u32::from(panic_on_worker(item))
    }

    fn worker_then_export_panics(item: u32) {
        panic_on_worker(item);
        panic!("the export gave up after its worker");
    }
}
