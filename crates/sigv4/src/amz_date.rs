//! Request dates: `X-Amz-Date` (ISO 8601 basic, `20241120T120000Z`) and the
//! RFC 1123 `Date` header (`Wed, 20 Nov 2024 12:00:00 GMT`), spec 07 §7.10.

use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// Parses `YYYYMMDD'T'HHMMSS'Z'` exactly (16 ASCII characters, UTC).
pub(crate) fn parse_amz_date(s: &str) -> Option<OffsetDateTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        let digits = b.get(from..to)?;
        digits.iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(num(0, 4)?).ok()?;
    let month = Month::try_from(u8::try_from(num(4, 6)?).ok()?).ok()?;
    let day = u8::try_from(num(6, 8)?).ok()?;
    let hour = u8::try_from(num(9, 11)?).ok()?;
    let minute = u8::try_from(num(11, 13)?).ok()?;
    let second = u8::try_from(num(13, 15)?).ok()?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

/// Parses an RFC 1123 date in GMT (`Wed, 20 Nov 2024 12:00:00 GMT`).
pub(crate) fn parse_http_date(s: &str) -> Option<OffsetDateTime> {
    let format = format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    PrimitiveDateTime::parse(s.trim(), format)
        .ok()
        .map(PrimitiveDateTime::assume_utc)
}

/// Formats a time as `YYYYMMDD'T'HHMMSS'Z'` in UTC.
pub(crate) fn format_amz_date(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn amz_date_round_trips() {
        let t = parse_amz_date("20241120T120000Z").unwrap();
        assert_eq!(t, datetime!(2024-11-20 12:00:00 UTC));
        assert_eq!(format_amz_date(t), "20241120T120000Z");
    }

    #[test]
    fn amz_date_rejects_other_shapes() {
        for bad in [
            "",
            "20241120T120000",
            "20241120t120000Z",
            "2024-11-20T12:00:00Z",
            "20241320T120000Z",
            "20241131T120000Z",
            "20241120T250000Z",
            "2024112OT120000Z",
            "+2024112T120000Z",
            "20241120T120000Zé",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn http_date_parses_rfc_1123() {
        let t = parse_http_date("Wed, 20 Nov 2024 12:00:00 GMT").unwrap();
        assert_eq!(t, datetime!(2024-11-20 12:00:00 UTC));
        assert_eq!(parse_http_date("20 Nov 2024 12:00:00 GMT"), None);
        assert_eq!(parse_http_date("Wed, 20 Nov 2024 12:00:00 +0100"), None);
    }
}
