//! `redline check`: a pull request against the `[policy]` of redline.toml.

use std::io::Write;

use redline::error::Result;
use redline::report::{self, Severity};

use super::report::{range_report, RangeArgs, RangeFormat};
use super::{emit, json, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which range, which files, which format.
    #[command(flatten)]
    range: RangeArgs,
}

pub fn execute(args: Args, context: &Context, out: &mut impl Write) -> Result<u8> {
    let range = args.range;
    let (report, config) = range_report(&range, context.store, context.rules)?;
    let violations = report::check(&report, &config.policy);
    let text = match range.format {
        RangeFormat::Json => json(&violations)?,
        format => report::check_text(&report, &violations, format == RangeFormat::Github)?,
    };
    emit(out, &text)?;
    let failed = violations.iter().any(|v| v.severity == Severity::Error);
    Ok(u8::from(failed))
}
