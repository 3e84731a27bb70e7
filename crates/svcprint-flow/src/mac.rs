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

    /// Parse `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff`, `aabbccddeeff`,
    /// and groups without zero padding (`f8:da:c:7b:a:8f`). Case-insensitive.
    pub fn parse(text: &str) -> Option<Mac> {
        let t = text.trim();
        let bytes = t.as_bytes();
        let mut out = [0u8; 6];
        // Fast path for the common `aa:bb:cc:dd:ee:ff` / `aa-bb-…` form.
        if bytes.len() == 17 {
            let sep = bytes[2];
            let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
            let mut ok = sep == b':' || sep == b'-';
            for (i, slot) in out.iter_mut().enumerate() {
                let at = 3 * i;
                ok &= i == 5 || bytes[at + 2] == sep;
                match (hex(bytes[at]), hex(bytes[at + 1])) {
                    (Some(h), Some(l)) => *slot = h << 4 | l,
                    _ => ok = false,
                }
            }
            if ok {
                return Some(Mac(out));
            }
            out = [0u8; 6];
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
