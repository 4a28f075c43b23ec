//! The times a version can carry. git keeps an author time as whole seconds
//! since 1970 and libgit2 reads it back as an unsigned 32-bit number, so a time
//! before 1970-01-01T00:00:00Z or after 2106-02-07T06:28:15Z would come back as
//! a different time (1900-01-01 reads back as 2036-02-07). Every place a time
//! becomes a git time checks it here first and refuses it instead.

use chrono::{DateTime, FixedOffset, Utc};

/// Earliest storable time, seconds since the Unix epoch.
pub const EARLIEST_SECONDS: i64 = 0;
/// Latest storable time, seconds since the Unix epoch (`u32::MAX`).
pub const LATEST_SECONDS: i64 = u32::MAX as i64;

/// The range as the messages name it.
const RANGE: &str = "1970-01-01T00:00:00Z to 2106-02-07T06:28:15Z";

/// `Err` with a one-line reason when `time` cannot be stored in git exactly.
pub fn check_storable(time: &DateTime<FixedOffset>) -> Result<(), String> {
    if (EARLIEST_SECONDS..=LATEST_SECONDS).contains(&time.timestamp()) {
        Ok(())
    } else {
        Err(format!(
            "{} is outside the times a version can have ({RANGE}, the range git stores)",
            time.to_rfc3339()
        ))
    }
}

/// The current time in whole seconds, as git keeps it: the stored front matter
/// then says what `log` says.
pub fn now() -> DateTime<FixedOffset> {
    let now = Utc::now().fixed_offset();
    now - chrono::Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn the_edges_are_storable_and_one_second_past_is_not() {
        assert!(check_storable(&at("1970-01-01T00:00:00Z")).is_ok());
        assert!(check_storable(&at("2106-02-07T06:28:15Z")).is_ok());
        assert!(check_storable(&at("1969-12-31T23:59:59Z")).is_err());
        assert!(check_storable(&at("2106-02-07T06:28:16Z")).is_err());
        // The offset counts: this is 1969 in UTC.
        let err = check_storable(&at("1970-01-01T00:30:00+01:00")).unwrap_err();
        assert!(
            err.starts_with("1970-01-01T00:30:00+01:00 is outside"),
            "{err}"
        );
        assert!(err.contains(RANGE), "{err}");
    }

    #[test]
    fn the_range_constants_match_the_message() {
        assert_eq!(
            DateTime::from_timestamp(LATEST_SECONDS, 0)
                .unwrap()
                .to_rfc3339(),
            "2106-02-07T06:28:15+00:00"
        );
        assert_eq!(
            DateTime::from_timestamp(EARLIEST_SECONDS, 0)
                .unwrap()
                .to_rfc3339(),
            "1970-01-01T00:00:00+00:00"
        );
    }
}
