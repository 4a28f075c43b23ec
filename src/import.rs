//! Import: build history from a folder of version files. OWNER: lead.
