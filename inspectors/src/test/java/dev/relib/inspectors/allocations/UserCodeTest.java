package dev.relib.inspectors.allocations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The site rule's reading of names and files, on the names the samples' stacks hold. */
class UserCodeTest {

    @Test
    void libraryFilesAreTheToolchainsDependenciesAndSystemHeaders() {
        assertThat(UserCode.isLibraryFile("/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/alloc/src/vec/mod.rs")).isTrue();
        assertThat(UserCode.isLibraryFile("/rust/deps/hashbrown-0.16.1/src/raw/mod.rs")).isTrue();
        assertThat(UserCode.isLibraryFile("/home/u/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde-1.0.0/src/de.rs")).isTrue();
        assertThat(UserCode.isLibraryFile("/usr/include/c++/12/bits/stl_vector.h")).isTrue();
        assertThat(UserCode.isLibraryFile("/home/u/project/src/lib.rs")).isFalse();
        assertThat(UserCode.isLibraryFile("/home/u/project/library/mine.c")).isFalse();
    }

    @Test
    void namesRootedInLibraryCratesAreLibraryCode() {
        assertThat(UserCode.isLibraryName("alloc::vec::from_elem::<u8>")).isTrue();
        assertThat(UserCode.isLibraryName("<alloc::raw_vec::RawVecInner>::try_allocate_in")).isTrue();
        assertThat(UserCode.isLibraryName("<u8 as alloc::vec::spec_from_elem::SpecFromElem>::from_elem")).isTrue();
        assertThat(UserCode.isLibraryName("<hashbrown::raw::RawTable<(u32, u32)>>::reserve_rehash")).isTrue();
        assertThat(UserCode.isLibraryName("std::vector<int, std::allocator<int> >::push_back(int const&)")).isTrue();
        assertThat(UserCode.isLibraryName("__rust_alloc")).isTrue();
        assertThat(UserCode.isLibraryName("relib_sdk::runtime::export_call")).isTrue();
    }

    @Test
    void theUsersOwnNamesAndImplsAreUserCode() {
        assertThat(UserCode.isLibraryName("site_vec")).isFalse();
        assertThat(UserCode.isLibraryName("frames::keep::<alloc::vec::Vec<u32>>")).isFalse();
        assertThat(UserCode.isLibraryName("<frames::Config as core::fmt::Display>::fmt")).as("the user's impl").isFalse();
        assertThat(UserCode.isLibraryName("<alloc::vec::Vec<u8> as frames::Encode>::encode")).as("the user's trait").isFalse();
        assertThat(UserCode.isLibraryName("leaky::nested_inner")).isFalse();
    }
}
