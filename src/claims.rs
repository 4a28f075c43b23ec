//! Claims: lexical analysis of a news sentence: who said what (speaker +
//! reporting verb), quotations, negations, numbers, dates and names. Used by the
//! diff's tags and the summary's highlight ranking.
//! OWNER: diff engineer.

use serde::{Deserialize, Serialize};

/// "Mr Macron said …": a speaker and a reporting verb.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// Who, as written ("Mr Macron", "the UK government").
    pub speaker: String,
    /// The reporting verb as written ("said", "denied", "proposed").
    pub verb: String,
    /// True when the attribution denies or contradicts ("denied", "said 'no agreement'", "rejected").
    pub denial: bool,
}

/// All attributions in a sentence, in order.
pub fn attributions(_sentence: &str) -> Vec<Attribution> {
    todo!()
}
