//! Timestamps as text: parsing to and formatting from ms since the Unix epoch, UTC
//! (method.md M1). Hand-written civil-date arithmetic (proleptic Gregorian calendar,
//! H. Hinnant's `days_from_civil` / `civil_from_days`), no clock, no time zone database.

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of the civil date `y-m-d` (proleptic Gregorian).
/// `m` is 1..=12, `d` 1..=31 (not checked here).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let mp = if m > 2 { m - 3 } else { m + 9 }; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day number (days since 1970-01-01).
/// Defined for every `i64` day number that `ms / MS_PER_DAY` can give.
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    (y + i64::from(m <= 2), m as u32, d as u32)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Fixed-width decimal number at `b[at..at+n]`.
fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at.checked_add(n)?)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Parse a date and time to ms since the Unix epoch, UTC.
///
/// Accepted forms (surrounding ASCII whitespace is ignored):
/// - `YYYY-MM-DD HH:MM:SS` and `YYYY-MM-DDTHH:MM:SS` (`t` also accepted);
/// - an optional fraction `.f…` of any length (digits past the third are dropped, i.e.
///   the time is truncated to the millisecond);
/// - an optional zone `Z`/`z` or `+hh:mm` / `-hh:mm`; without one the time is UTC.
///
/// Years 0000-9999. Seconds may be 60 (a leap second), which counts as the first second
/// of the next minute. Anything else (other separators, missing seconds, day 31 in a
/// 30-day month, 29 February in a common year, trailing text) gives `None`.
pub fn parse_datetime_ms(s: &str) -> Option<i64> {
    parse_datetime_zoned(s).map(|(ms, _)| ms)
}

/// [`parse_datetime_ms`] that also tells whether the text carried a zone (`Z` or an
/// offset): `(ms, true)`. Without one the time is read as UTC and `false` is returned,
/// so that the caller can apply a user-given offset to zone-less values.
pub fn parse_datetime_zoned(s: &str) -> Option<(i64, bool)> {
    parse_datetime_zoned_bytes(s.as_bytes())
}

/// [`parse_datetime_zoned`] of raw bytes: what it accepts is ASCII, so any bytes it
/// reads are that text (no UTF-8 check needed first).
pub fn parse_datetime_zoned_bytes(b: &[u8]) -> Option<(i64, bool)> {
    let b = b.trim_ascii();
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b' ' | b'T' | b't'))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut frac_ms = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            if i - start < 3 {
                frac_ms = frac_ms * 10 + i64::from(c - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n..3 {
            frac_ms *= 10;
        }
    }
    let zoned = b.get(i).is_some();
    let offset_min = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') => {
            i += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)?;
            let om = digits(b, i + 4, 2)?;
            if b.get(i + 3) != Some(&b':') || oh > 23 || om > 59 {
                return None;
            }
            i += 6;
            let m = oh * 60 + om;
            if sign == b'-' {
                -m
            } else {
                m
            }
        }
        Some(_) => return None,
    };
    if i != b.len() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some((
        days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + frac_ms
            - offset_min * 60_000,
        zoned,
    ))
}

/// Parse a day-first date and time without zone, as CICFlowMeter writes its `Timestamp`,
/// to ms since the Unix epoch, reading it as UTC (the caller applies any user offset):
/// `D/M/YYYY H:MM[:SS[.f…]]` with an optional 12-hour suffix ` AM` / ` PM` (any case).
/// Day and month may have one or two digits (`3/7/2017 8:55`, `19/06/2019 08:36:47 PM`).
/// Anything else gives `None`.
pub fn parse_day_first_ms(s: &str) -> Option<i64> {
    let t = s.trim_ascii();
    let (date, rest) = t.split_once(' ')?;
    let mut d = date.split('/');
    let num = |p: &str, max_len: usize| -> Option<i64> {
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let day = num(d.next()?, 2)?;
    let month = num(d.next()?, 2)?;
    let ys = d.next()?;
    if ys.len() != 4 || d.next().is_some() {
        return None;
    }
    let year = num(ys, 4)?;
    let rest = rest.trim_ascii();
    let (clock, ampm) = match rest.rsplit_once(' ') {
        Some((c, suffix)) if suffix.eq_ignore_ascii_case("am") => (c.trim_ascii(), Some(false)),
        Some((c, suffix)) if suffix.eq_ignore_ascii_case("pm") => (c.trim_ascii(), Some(true)),
        _ => (rest, None),
    };
    let mut c = clock.split(':');
    let mut hour = num(c.next()?, 2)?;
    let minute = num(c.next()?, 2)?;
    let (second, frac_ms) = match c.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let second = num(whole, 2)?;
            if !frac.bytes().all(|b| b.is_ascii_digit()) || (sec.contains('.') && frac.is_empty()) {
                return None;
            }
            let mut f = 0i64;
            for i in 0..3 {
                f = f * 10 + frac.as_bytes().get(i).map_or(0, |c| i64::from(c - b'0'));
            }
            (second, f)
        }
    };
    if c.next().is_some() {
        return None;
    }
    match ampm {
        Some(pm) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = hour % 12 + if pm { 12 } else { 0 };
        }
        None if hour > 23 => return None,
        None => {}
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + frac_ms)
}

/// Format ms since the Unix epoch as RFC 3339 UTC with exactly three fraction digits,
/// e.g. `2019-06-25T08:36:47.096Z`. Total for every `i64`: years outside 0000-9999 are
/// written with a sign and at least four digits (`-0001-…`, `+10000-…`), which
/// [`parse_datetime_ms`] does not read back.
pub fn format_rfc3339_ms(ms: i64) -> String {
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    let (y, mo, d) = civil_from_days(days);
    let h = rem / 3_600_000;
    let mi = rem / 60_000 % 60;
    let s = rem / 1000 % 60;
    let f = rem % 1000;
    if (0..=9999).contains(&y) {
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{f:03}Z")
    } else {
        format!("{y:+05}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{f:03}Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_is_reported_and_day_first_form_parses() {
        assert_eq!(
            parse_datetime_zoned("2019-06-25 08:36:47"),
            Some((1_561_451_807_000, false))
        );
        assert_eq!(
            parse_datetime_zoned("2019-06-25T10:36:47+02:00"),
            Some((1_561_451_807_000, true))
        );
        assert_eq!(
            parse_datetime_zoned("2019-06-25T08:36:47Z"),
            Some((1_561_451_807_000, true))
        );
        // CICFlowMeter: day first, 12-hour clock, or minutes only (CIC-IDS2017).
        assert_eq!(
            parse_day_first_ms("25/06/2019 08:36:47 AM"),
            Some(1_561_451_807_000)
        );
        assert_eq!(
            parse_day_first_ms("25/06/2019 08:36:47 PM"),
            Some(1_561_451_807_000 + 12 * 3_600_000)
        );
        assert_eq!(
            parse_day_first_ms("25/06/2019 12:00:00 am"),
            Some(1_561_420_800_000)
        );
        assert_eq!(
            parse_day_first_ms("25/06/2019 12:00:00 PM"),
            Some(1_561_420_800_000 + 12 * 3_600_000)
        );
        assert_eq!(parse_day_first_ms("3/7/2017 8:55"), Some(1_499_072_100_000));
        assert_eq!(
            parse_day_first_ms("25/06/2019 08:36:47.096"),
            Some(1_561_451_807_096)
        );
        for bad in [
            "",
            "25/06/2019",
            "31/06/2019 08:00",
            "25/13/2019 08:00",
            "25/06/19 08:00",
            "25/06/2019 24:00",
            "25/06/2019 13:00 PM",
            "25/06/2019 08:00:00.",
            "25-06-2019 08:00",
            "25/06/2019 08:00:00:00",
        ] {
            assert_eq!(parse_day_first_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn parses_the_unsw_form() {
        // Checked with `date -u -d '2019-06-25 08:36:47.096' +%s%3N`.
        assert_eq!(
            parse_datetime_ms("2019-06-25 08:36:47.096"),
            Some(1_561_451_807_096)
        );
        assert_eq!(
            parse_datetime_ms("2019-06-25 08:36:47"),
            Some(1_561_451_807_000)
        );
        assert_eq!(
            parse_datetime_ms("2019-06-25 08:36:47.9"),
            Some(1_561_451_807_900)
        );
        assert_eq!(
            parse_datetime_ms("2019-06-25 08:36:47.12"),
            Some(1_561_451_807_120)
        );
        // Extra fraction digits are truncated, not rounded.
        assert_eq!(
            parse_datetime_ms("2019-06-25 08:36:47.096999"),
            Some(1_561_451_807_096)
        );
        assert_eq!(
            parse_datetime_ms("  2019-06-25 08:36:47.096\r"),
            Some(1_561_451_807_096)
        );
    }

    #[test]
    fn parses_rfc3339_with_zones() {
        let want = Some(1_561_451_807_096);
        assert_eq!(parse_datetime_ms("2019-06-25T08:36:47.096Z"), want);
        assert_eq!(parse_datetime_ms("2019-06-25t08:36:47.096z"), want);
        assert_eq!(parse_datetime_ms("2019-06-25T08:36:47.096"), want);
        assert_eq!(parse_datetime_ms("2019-06-25T17:36:47.096+09:00"), want);
        assert_eq!(parse_datetime_ms("2019-06-25T03:06:47.096-05:30"), want);
        assert_eq!(parse_datetime_ms("2019-06-25T08:36:47.096+00:00"), want);
        // The offset can move the instant across a day border.
        assert_eq!(
            parse_datetime_ms("1970-01-01T00:00:00-01:00"),
            Some(3_600_000)
        );
        assert_eq!(
            parse_datetime_ms("1970-01-01T00:30:00+01:00"),
            Some(-1_800_000)
        );
    }

    #[test]
    fn epoch_edges_and_before_1970() {
        assert_eq!(parse_datetime_ms("1970-01-01 00:00:00"), Some(0));
        assert_eq!(parse_datetime_ms("1970-01-01 00:00:00.001"), Some(1));
        assert_eq!(parse_datetime_ms("1969-12-31 23:59:59.999"), Some(-1));
        assert_eq!(
            parse_datetime_ms("0000-01-01T00:00:00Z"),
            Some(-62_167_219_200_000)
        );
        assert_eq!(
            parse_datetime_ms("9999-12-31T23:59:59.999Z"),
            Some(253_402_300_799_999)
        );
        assert_eq!(
            parse_datetime_ms("2038-01-19T03:14:08Z"),
            Some(2_147_483_648_000)
        );
    }

    #[test]
    fn leap_years() {
        // 2000 is a leap year (divisible by 400), 1900 and 2100 are not, 2020 is.
        assert_eq!(
            parse_datetime_ms("2000-02-29 00:00:00"),
            Some(951_782_400_000)
        );
        assert_eq!(
            parse_datetime_ms("2000-03-01 00:00:00"),
            Some(951_868_800_000)
        );
        assert_eq!(
            parse_datetime_ms("2020-02-29 12:00:00"),
            Some(1_582_977_600_000)
        );
        assert_eq!(parse_datetime_ms("2019-02-29 00:00:00"), None);
        assert_eq!(parse_datetime_ms("1900-02-29 00:00:00"), None);
        assert_eq!(parse_datetime_ms("2100-02-29 00:00:00"), None);
        assert_eq!(
            parse_datetime_ms("2020-12-31 00:00:00"),
            Some(1_609_372_800_000)
        );
        // Day 366 of a leap year is the last day; 2021-01-01 follows.
        assert_eq!(
            parse_datetime_ms("2021-01-01 00:00:00"),
            Some(1_609_459_200_000)
        );
    }

    #[test]
    fn leap_second_is_the_next_minute() {
        assert_eq!(
            parse_datetime_ms("2016-12-31T23:59:60Z"),
            parse_datetime_ms("2017-01-01T00:00:00Z")
        );
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "2019-06-25",
            "2019-06-25 08:36",
            "2019-06-25_08:36:47",
            "2019/06/25 08:36:47",
            "19-06-25 08:36:47",
            "2019-6-25 08:36:47",
            "2019-13-01 00:00:00",
            "2019-00-01 00:00:00",
            "2019-04-31 00:00:00",
            "2019-06-00 00:00:00",
            "2019-06-25 24:00:00",
            "2019-06-25 23:60:00",
            "2019-06-25 23:59:61",
            "2019-06-25 08:36:47.",
            "2019-06-25 08:36:47.0x",
            "2019-06-25 08:36:47 Z",
            "2019-06-25T08:36:47+0900",
            "2019-06-25T08:36:47+09",
            "2019-06-25T08:36:47+24:00",
            "2019-06-25T08:36:47Zjunk",
            "+2019-06-25T08:36:47",
            "1561451807096",
            "２０１９-06-25 08:36:47",
        ] {
            assert_eq!(parse_datetime_ms(s), None, "{s:?}");
        }
    }

    #[test]
    fn formats_rfc3339_with_three_fraction_digits() {
        assert_eq!(
            format_rfc3339_ms(1_561_451_807_096),
            "2019-06-25T08:36:47.096Z"
        );
        assert_eq!(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(
            format_rfc3339_ms(951_782_400_000),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(
            format_rfc3339_ms(-62_167_219_200_000),
            "0000-01-01T00:00:00.000Z"
        );
        assert_eq!(
            format_rfc3339_ms(-62_167_219_200_001),
            "-0001-12-31T23:59:59.999Z"
        );
        assert_eq!(
            format_rfc3339_ms(253_402_300_800_000),
            "+10000-01-01T00:00:00.000Z"
        );
        assert_eq!(
            format_rfc3339_ms(i64::MAX),
            "+292278994-08-17T07:12:55.807Z"
        );
        assert_eq!(
            format_rfc3339_ms(i64::MIN),
            "-292275055-05-16T16:47:04.192Z"
        );
    }

    #[test]
    fn civil_round_trip_over_many_days() {
        // Every day from 1600-01-01 to 2400-12-31 maps back to itself, and consecutive
        // day numbers are consecutive dates.
        let first = days_from_civil(1600, 1, 1);
        let last = days_from_civil(2400, 12, 31);
        let mut prev = civil_from_days(first - 1);
        for z in first..=last {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), z);
            let next_day = (prev.0, prev.1, prev.2 + 1);
            let next_month = (prev.0, prev.1 + 1, 1);
            let next_year = (prev.0 + 1, 1, 1);
            assert!((y, m, d) == next_day || (y, m, d) == next_month || (y, m, d) == next_year);
            assert!(i64::from(d) <= days_in_month(y, i64::from(m)));
            prev = (y, m, d);
        }
    }

    #[test]
    fn format_then_parse_is_identity_in_range() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let lo = -62_167_219_200_000i64;
            let hi = 253_402_300_799_999i64;
            let ms = lo + (x >> 11) as i64 % (hi - lo + 1);
            assert_eq!(parse_datetime_ms(&format_rfc3339_ms(ms)), Some(ms), "{ms}");
        }
    }
}
