//! Field values as text flow exporters write them: numbers, times, TCP flags,
//! protocols. Every parser takes raw bytes, ignores surrounding ASCII whitespace and
//! returns `None` for anything it does not accept (no panics, checked arithmetic).

use crate::time::parse_datetime_ms;

/// The unit of an integer timestamp column (`flowStartSeconds`, `…Milliseconds`, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}

/// Unsigned decimal integer (`0`..`u64::MAX`), digits only.
pub fn parse_u64(b: &[u8]) -> Option<u64> {
    let b = b.trim_ascii();
    if b.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    if b.len() <= 19 {
        // Up to 19 digits cannot overflow (10^19 - 1 < u64::MAX): plain arithmetic. In
        // wasm32 `checked_mul` on u64 is a call to a 128-bit multiply, once per digit.
        for &c in b {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            v = v * 10 + u64::from(d);
        }
        return Some(v);
    }
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(v)
}

/// An IPv4 address in its canonical dotted form (`10.0.1.112`: four decimal octets
/// 0-255, no leading zero, no space), read straight from the bytes. `None` for any other
/// text, which the caller gives to `std`'s parser: every text accepted here means the same
/// address there, so this is a fast path only (std's parser wants a `&str`, whose UTF-8
/// check and generic parser cost more than the whole of this in wasm).
pub fn parse_ipv4_canonical(b: &[u8]) -> Option<std::net::Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, slot) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let first = i;
        let mut v = 0u32;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit() && i - first < 3) {
            v = v * 10 + u32::from(c - b'0');
            i += 1;
        }
        if i == first || (i - first > 1 && b[first] == b'0') {
            return None;
        }
        *slot = u8::try_from(v).ok()?;
    }
    (i == b.len()).then(|| std::net::Ipv4Addr::from(octets))
}

/// Unsigned integer, decimal or `0x` hexadecimal.
pub fn parse_uint(b: &[u8]) -> Option<u64> {
    let b = b.trim_ascii();
    match b {
        [b'0', b'x' | b'X', hex @ ..] if !hex.is_empty() => {
            let mut v: u64 = 0;
            for &c in hex {
                let d = (c as char).to_digit(16)?;
                // v * 16 + d overflows exactly when v >= 2^60 (a shift, where `checked_mul`
                // costs a 128-bit multiply in wasm32).
                if v >> 60 != 0 {
                    return None;
                }
                v = v << 4 | u64::from(d);
            }
            Some(v)
        }
        _ => parse_u64(b),
    }
}

/// TCP flags in any of three notations, as a byte (FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08
/// ACK=0x10 URG=0x20 ECE=0x40 CWR=0x80):
/// - hexadecimal `0x12`;
/// - decimal `18` (`0` means no flags);
/// - YAF / nfdump letters in any order, `FSRPAUEC` (`AP`, `S`, `SA`, `AS`, `APF`);
///   dots are placeholders (`.A..S.` is ACK+SYN, `......` is none). Upper or lower case.
///
/// Values above 255 are rejected.
pub fn parse_tcp_flags(b: &[u8]) -> Option<u8> {
    let b = b.trim_ascii();
    if b.is_empty() {
        return None;
    }
    if b[0].is_ascii_digit() {
        return parse_uint(b).and_then(|v| u8::try_from(v).ok());
    }
    let mut v = 0u8;
    for &c in b {
        v |= match c.to_ascii_uppercase() {
            b'F' => 0x01,
            b'S' => 0x02,
            b'R' => 0x04,
            b'P' => 0x08,
            b'A' => 0x10,
            b'U' => 0x20,
            b'E' => 0x40,
            b'C' => 0x80,
            b'.' => 0,
            _ => return None,
        };
    }
    Some(v)
}

/// IP protocol: decimal 0..=255 or a common name (`tcp`, `udp`, `icmp`, `ipv6-icmp`,
/// `icmpv6`, `sctp`, `gre`, `esp`, `igmp`; any case).
pub fn parse_protocol(b: &[u8]) -> Option<u8> {
    let b = b.trim_ascii();
    if let Some(v) = parse_u64(b) {
        return u8::try_from(v).ok();
    }
    const NAMES: [(&[u8], u8); 10] = [
        (b"icmp", 1),
        (b"igmp", 2),
        (b"tcp", 6),
        (b"udp", 17),
        (b"gre", 47),
        (b"esp", 50),
        (b"ipv6-icmp", 58),
        (b"icmpv6", 58),
        (b"icmp6", 58),
        (b"sctp", 132),
    ];
    NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(b))
        .map(|(_, p)| *p)
}

/// A timestamp: date-time text (see [`parse_datetime_ms`]) or a number of `unit`s since
/// the Unix epoch (optional `-`, optional fraction), converted to ms, truncated
/// toward zero.
pub fn parse_time_ms(b: &[u8], unit: TimeUnit) -> Option<i64> {
    let b = b.trim_ascii();
    let (neg, num) = match b {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, b),
    };
    let (int, frac) = match num.iter().position(|&c| c == b'.') {
        Some(p) => (&num[..p], &num[p + 1..]),
        None => (num, &[][..]),
    };
    let numeric = !int.is_empty()
        && int.iter().all(u8::is_ascii_digit)
        && frac.iter().all(u8::is_ascii_digit);
    if !numeric {
        return parse_datetime_ms(std::str::from_utf8(b).ok()?);
    }
    let int = i64::try_from(parse_u64(int)?).ok()?;
    let ms = match unit {
        TimeUnit::Seconds => {
            let mut f = 0i64;
            for i in 0..3 {
                f = f * 10 + frac.get(i).map_or(0, |c| i64::from(c - b'0'));
            }
            int.checked_mul(1000)?.checked_add(f)?
        }
        TimeUnit::Milliseconds => int,
        TimeUnit::Microseconds => int / 1000,
        TimeUnit::Nanoseconds => int / 1_000_000,
    };
    Some(if neg { -ms } else { ms })
}

/// A short, printable excerpt of a bad value for a diagnostic message.
pub(crate) fn excerpt(b: &[u8]) -> String {
    const MAX: usize = 48;
    let s = String::from_utf8_lossy(&b[..b.len().min(MAX)]);
    let mut out: String = s.escape_debug().collect();
    if b.len() > MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// Decimal and hex integers: the same as std's parsers (overflow included).
        #[test]
        fn integers_agree_with_std(
            text in proptest::collection::vec(proptest::sample::select(b"0123456789".to_vec()), 0..23),
            n in proptest::num::u64::ANY,
            hex in proptest::collection::vec(proptest::sample::select(b"0123456789abcdefF".to_vec()), 1..19),
        ) {
            let text = std::str::from_utf8(&text).unwrap_or_default();
            proptest::prop_assert_eq!(super::parse_u64(text.as_bytes()), text.parse::<u64>().ok());
            proptest::prop_assert_eq!(super::parse_u64(n.to_string().as_bytes()), Some(n));
            let hex = std::str::from_utf8(&hex).unwrap_or_default();
            proptest::prop_assert_eq!(super::parse_uint(format!("0x{hex}").as_bytes()), u64::from_str_radix(hex, 16).ok());
        }

        /// The canonical IPv4 fast path accepts only what std's parser reads the same way.
        #[test]
        fn ipv4_canonical_agrees_with_std(
            text in proptest::collection::vec(proptest::sample::select(b"0123456789.. a:".to_vec()), 0..18),
            octets in proptest::array::uniform4(0u8..=255),
        ) {
            let canonical = std::net::Ipv4Addr::from(octets).to_string();
            proptest::prop_assert_eq!(super::parse_ipv4_canonical(canonical.as_bytes()), Some(std::net::Ipv4Addr::from(octets)));
            if let Some(fast) = super::parse_ipv4_canonical(&text) {
                let std = std::str::from_utf8(&text).ok().and_then(|s| s.parse::<std::net::Ipv4Addr>().ok());
                proptest::prop_assert_eq!(Some(fast), std);
            }
        }
    }

    use super::*;

    #[test]
    fn tcp_flags_in_three_notations() {
        // hex, decimal and letters give the same byte
        for s in ["0x12", "0X12", "18", "SA", "AS", "sa", ".A..S.", " 0x12 "] {
            assert_eq!(parse_tcp_flags(s.as_bytes()), Some(0x12), "{s}");
        }
        assert_eq!(parse_tcp_flags(b"S"), Some(0x02));
        assert_eq!(parse_tcp_flags(b"AP"), Some(0x18));
        assert_eq!(parse_tcp_flags(b"APF"), Some(0x19));
        assert_eq!(parse_tcp_flags(b"FSRPAUEC"), Some(0xff));
        assert_eq!(parse_tcp_flags(b"R"), Some(0x04));
        assert_eq!(parse_tcp_flags(b"U"), Some(0x20));
        assert_eq!(parse_tcp_flags(b"E"), Some(0x40));
        assert_eq!(parse_tcp_flags(b"C"), Some(0x80));
        assert_eq!(parse_tcp_flags(b"0"), Some(0));
        assert_eq!(parse_tcp_flags(b"0x00"), Some(0));
        assert_eq!(parse_tcp_flags(b"......"), Some(0));
        assert_eq!(parse_tcp_flags(b"255"), Some(255));
        assert_eq!(parse_tcp_flags(b"0xff"), Some(255));
        for s in ["", "256", "0x100", "0x", "SX", "A P", "-1", "1a"] {
            assert_eq!(parse_tcp_flags(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn integers() {
        assert_eq!(parse_u64(b"0"), Some(0));
        assert_eq!(parse_u64(b" 18446744073709551615 "), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"1.0"), None);
        assert_eq!(parse_u64(b"-1"), None);
        assert_eq!(parse_u64(b"+1"), None);
        assert_eq!(parse_uint(b"0x0303"), Some(0x303));
        assert_eq!(parse_uint(b"771"), Some(771));
        assert_eq!(parse_uint(b"0xg"), None);
    }

    #[test]
    fn protocols() {
        assert_eq!(parse_protocol(b"17"), Some(17));
        assert_eq!(parse_protocol(b"TCP"), Some(6));
        assert_eq!(parse_protocol(b"ipv6-icmp"), Some(58));
        assert_eq!(parse_protocol(b"256"), None);
        assert_eq!(parse_protocol(b"tcpx"), None);
        assert_eq!(parse_protocol(b""), None);
    }

    #[test]
    fn times_as_text_or_epoch_numbers() {
        let t = 1_561_451_807_096;
        assert_eq!(
            parse_time_ms(b"2019-06-25 08:36:47.096", TimeUnit::Milliseconds),
            Some(t)
        );
        assert_eq!(
            parse_time_ms(b"2019-06-25 08:36:47.096", TimeUnit::Seconds),
            Some(t)
        );
        assert_eq!(
            parse_time_ms(b"1561451807096", TimeUnit::Milliseconds),
            Some(t)
        );
        assert_eq!(parse_time_ms(b"1561451807.096", TimeUnit::Seconds), Some(t));
        assert_eq!(
            parse_time_ms(b"1561451807.0969", TimeUnit::Seconds),
            Some(t)
        );
        assert_eq!(
            parse_time_ms(b"1561451807.1", TimeUnit::Seconds),
            Some(1_561_451_807_100)
        );
        assert_eq!(
            parse_time_ms(b"1561451807", TimeUnit::Seconds),
            Some(1_561_451_807_000)
        );
        assert_eq!(
            parse_time_ms(b"1561451807096123", TimeUnit::Microseconds),
            Some(t)
        );
        assert_eq!(
            parse_time_ms(b"1561451807096123456", TimeUnit::Nanoseconds),
            Some(t)
        );
        assert_eq!(parse_time_ms(b"-1500", TimeUnit::Milliseconds), Some(-1500));
        assert_eq!(parse_time_ms(b"-1.5", TimeUnit::Seconds), Some(-1500));
        assert_eq!(
            parse_time_ms(b"9223372036854775807", TimeUnit::Seconds),
            None
        );
        assert_eq!(parse_time_ms(b"", TimeUnit::Seconds), None);
        assert_eq!(parse_time_ms(b".5", TimeUnit::Seconds), None);
        assert_eq!(parse_time_ms(b"1.2.3", TimeUnit::Seconds), None);
        assert_eq!(parse_time_ms(b"yesterday", TimeUnit::Seconds), None);
    }

    #[test]
    fn excerpt_is_short_and_printable() {
        assert_eq!(excerpt(b"a\"b\n"), "a\\\"b\\n");
        assert_eq!(excerpt(&[b'x'; 60]).chars().count(), 49);
    }
}
