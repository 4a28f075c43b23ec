//! Integration tests: site (filled in by its owner).
