//! Command-line interface (clap). OWNER: lead.
