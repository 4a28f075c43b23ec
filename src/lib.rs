//! redline: change tracking for living explainers.
//!
//! Pipeline (one module per stage): [`ingest`] → [`model::Document`] (outline by
//! the crate's `structure` stage) → [`store`] (git) → [`diff`] → [`summary`] → [`render`] / [`site`].
#![warn(missing_docs)]

pub mod atomic_file;
pub mod blame;
mod calendar;
mod claims;
pub mod diff;
pub mod error;
pub mod ids;
pub mod import;
pub mod ingest;
pub mod input_file;
mod lanes;
mod markdown;
pub mod model;
pub mod pages;
pub mod render;
pub mod report;
pub mod serve;
pub mod site;
pub mod slug;
pub mod store;
mod structure;
pub mod summary;
pub mod time_range;
mod titles;
mod typography;

pub use error::{Error, Result};

#[cfg(test)]
mod link_tests {
    /// `build.rs` links the unwinder in (libgcc_eh) instead of loading
    /// libgcc_s.so: a panic must still unwind and be caught, as tokio relies on
    /// to keep `redline serve` up when a request handler panics.
    #[test]
    fn panics_still_unwind_and_are_caught() {
        let caught = std::panic::catch_unwind(|| panic!("a panic this test expects"));
        assert!(caught.is_err());
        let joined = std::thread::spawn(|| panic!("a panic this test expects")).join();
        assert!(joined.is_err());
    }
}
