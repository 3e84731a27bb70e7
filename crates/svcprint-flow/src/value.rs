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
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(v)
}

/// Unsigned integer, decimal or `0x` hexadecimal.
pub fn parse_uint(b: &[u8]) -> Option<u64> {
    let b = b.trim_ascii();
    match b {
        [b'0', b'x' | b'X', hex @ ..] if !hex.is_empty() => {
            let mut v: u64 = 0;
            for &c in hex {
                let d = (c as char).to_digit(16)?;
                v = v.checked_mul(16)?.checked_add(u64::from(d))?;
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
