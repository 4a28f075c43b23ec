//! Integration tests of `since` over real git stores (need store, ingest and diff).
