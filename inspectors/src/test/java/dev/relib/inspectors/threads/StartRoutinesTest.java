package dev.relib.inspectors.threads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the user's closure out of the names of std's thread-main instances, in both manglings. */
class StartRoutinesTest {

    @Test
    void theClosureIsTheFirstArgumentOfSpawnUncheckedInLegacyAndV0Names() {
        assertThat(StartRoutines.spawnedClosure("core::ptr::drop_in_place<std::thread::lifecycle::spawn_unchecked"
                + "<threads::spawn_sleeper::{{closure}},()>::{{closure}}>")).hasValue("threads::spawn_sleeper::{{closure}}");
        assertThat(StartRoutines.spawnedClosure("core::ptr::drop_in_place::<std::thread::lifecycle::spawn_unchecked"
                + "<frames::spawn_worker::{closure#0}, u64>::{closure#1}>")).hasValue("frames::spawn_worker::{closure#0}");
        assertThat(StartRoutines.spawnedClosure("<std::thread::Builder>::spawn_unchecked_::<app::run::{closure#0}"
                + "<alloc::vec::Vec<u8>>, (u8, u8)>::{closure#1}")).hasValue("app::run::{closure#0}<alloc::vec::Vec<u8>>");
    }

    @Test
    void namesWithoutSpawnUncheckedGiveNothing() {
        assertThat(StartRoutines.spawnedClosure("core::ptr::drop_in_place::<alloc::string::String>")).isEmpty();
        assertThat(StartRoutines.spawnedClosure("std::thread::lifecycle::spawn_unchecked::h0123")).isEmpty();
    }

    @Test
    void onlyStdsTrampolineIsReadThrough() {
        assertThat(StartRoutines.isStdThreadStart("<std::sys::thread::unix::Thread>::new::thread_start")).isTrue();
        assertThat(StartRoutines.isStdThreadStart("std::sys::pal::unix::thread::Thread::new::thread_start")).isTrue();
        assertThat(StartRoutines.isStdThreadStart("my_crate::thread_start")).isFalse();
    }
}
