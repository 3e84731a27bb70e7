//! MAC addresses: parsing from the notations found in the wild, lower-case display.

use std::fmt;

/// A 48-bit MAC address.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// All-zero address: treated as "no MAC" by the engine (method.md M3 "non-empty").
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 6]
    }

    /// [`Mac::parse`] of raw bytes (`None` when they are not UTF-8), the common
    /// `aa:bb:cc:dd:ee:ff` form read without a UTF-8 check.
    pub fn parse_bytes(b: &[u8]) -> Option<Mac> {
        Self::parse_17(b).or_else(|| Self::parse(std::str::from_utf8(b).ok()?))
    }

    /// The common `aa:bb:cc:dd:ee:ff` / `aa-bb-…` form (exactly 17 bytes, one separator).
    fn parse_17(bytes: &[u8]) -> Option<Mac> {
        if bytes.len() != 17 {
            return None;
        }
        let hex = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        };
        let sep = bytes[2];
        let mut ok = sep == b':' || sep == b'-';
        let mut out = [0u8; 6];
        for (i, slot) in out.iter_mut().enumerate() {
            let at = 3 * i;
            ok &= i == 5 || bytes[at + 2] == sep;
            match (hex(bytes[at]), hex(bytes[at + 1])) {
                (Some(h), Some(l)) => *slot = h << 4 | l,
                _ => ok = false,
            }
        }
        ok.then_some(Mac(out))
    }

    /// Parse `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff`, `aabbccddeeff`,
    /// and groups without zero padding (`f8:da:c:7b:a:8f`). Case-insensitive.
    pub fn parse(text: &str) -> Option<Mac> {
        let t = text.trim();
        let bytes = t.as_bytes();
        let mut out = [0u8; 6];
        if let Some(m) = Self::parse_17(bytes) {
            return Some(m);
        }
        if bytes.contains(&b':') || bytes.contains(&b'-') {
            let mut n = 0usize;
            for part in t.split([':', '-']) {
                if n >= 6 || part.is_empty() || part.len() > 2 {
                    return None;
                }
                out[n] = u8::from_str_radix(part, 16).ok()?;
                n += 1;
            }
            return (n == 6).then_some(Mac(out));
        }
        let hex: String = t.chars().filter(|c| *c != '.').collect();
        if hex.len() != 12 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Mac(out))
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            m[0], m[1], m[2], m[3], m[4], m[5]
        )
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::Mac;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// Bytes read as text: the same answer as `parse` of that text.
        #[test]
        fn parse_bytes_equals_parse(
            digits in proptest::collection::vec(proptest::sample::select(b"0aF9fAAA0g \xc3".to_vec()), 12),
            seps in proptest::collection::vec(proptest::sample::select(b"::::---. ".to_vec()), 5),
            junk in proptest::collection::vec(proptest::sample::select(b"0: ".to_vec()), 0..2),
        ) {
            let mut text = Vec::new();
            for (i, pair) in digits.chunks(2).enumerate() {
                text.extend_from_slice(pair);
                if let Some(&s) = seps.get(i) {
                    text.push(s);
                }
            }
            text.extend_from_slice(&junk);
            let via_str = std::str::from_utf8(&text).ok().and_then(Mac::parse);
            proptest::prop_assert_eq!(Mac::parse_bytes(&text), via_str);
        }
    }

    #[test]
    fn parses_common_notations_to_the_same_address() {
        let want = Mac([0x60, 0x01, 0x94, 0x54, 0x6b, 0xe8]);
        for s in [
            "60:01:94:54:6b:e8",
            "60-01-94-54-6B-E8",
            "6001.9454.6be8",
            "600194546BE8",
            " 60:1:94:54:6b:e8 ",
        ] {
            assert_eq!(Mac::parse(s), Some(want), "{s}");
        }
        assert_eq!(want.to_string(), "60:01:94:54:6b:e8");
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "60:01:94:54:6b",
            "60:01:94:54:6b:e8:00",
            "zz:01:94:54:6b:e8",
            "600:1:94:54:6b:e8",
            "60019454",
        ] {
            assert_eq!(Mac::parse(s), None, "{s}");
        }
    }
}
