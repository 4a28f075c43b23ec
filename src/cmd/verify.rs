//! `redline verify`: check the store against git.

use std::io::Write;

use redline::error::Result;
use redline::store::Store;

use super::{emit, render, Context, Status};

pub fn execute(context: &Context, out: &mut impl Write) -> Result<u8> {
    let store = Store::open(context.store)?;
    let report = store.verify()?;
    let path = store.path().display().to_string();
    let clean = report.differences.is_empty() && report.unreadable.is_empty();
    emit(out, &render(&Status::Verified { report, path })?)?;
    Ok(if clean { 0 } else { 1 })
}
