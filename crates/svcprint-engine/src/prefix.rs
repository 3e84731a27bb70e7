//! IP prefixes: the local networks of method.md M3 \[local_prefixes\].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// An IPv4 or IPv6 prefix such as `10.0.0.0/8` or `fc00::/7`.
///
/// Host bits are cleared on construction, so `10.1.2.3/8` is stored and shown as
/// `10.0.0.0/8`. A bare address is a full-length prefix (`/32`, `/128`).
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are treated as the IPv4 address,
/// both when parsing and in [`Prefix::contains`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Prefix {
    network: IpAddr,
    length: u8,
}

/// Why a prefix text was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrefixError {
    /// The part before `/` is not an IP address.
    BadAddress { text: String },
    /// The part after `/` is not a number.
    BadLength { text: String },
    /// The length is longer than the address family allows (32 or 128).
    LengthTooLong { length: u32, max: u8 },
}

impl fmt::Display for PrefixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrefixError::BadAddress { text } => write!(f, "not an IP address: {text:?}"),
            PrefixError::BadLength { text } => write!(f, "not a prefix length: {text:?}"),
            PrefixError::LengthTooLong { length, max } => {
                write!(f, "prefix length {length} is longer than {max}")
            }
        }
    }
}

impl std::error::Error for PrefixError {}

fn v4_mask(length: u8) -> u32 {
    u32::MAX
        .checked_shl(32 - u32::from(length.min(32)))
        .unwrap_or(0)
}

fn v6_mask(length: u8) -> u128 {
    u128::MAX
        .checked_shl(128 - u32::from(length.min(128)))
        .unwrap_or(0)
}

impl Prefix {
    /// The prefix of `length` bits of `addr`, host bits cleared.
    pub fn new(addr: IpAddr, length: u8) -> Result<Prefix, PrefixError> {
        match addr.to_canonical() {
            IpAddr::V4(a) => {
                if length > 32 {
                    return Err(PrefixError::LengthTooLong {
                        length: length.into(),
                        max: 32,
                    });
                }
                let network = Ipv4Addr::from(u32::from(a) & v4_mask(length));
                Ok(Prefix {
                    network: IpAddr::V4(network),
                    length,
                })
            }
            IpAddr::V6(a) => {
                if length > 128 {
                    return Err(PrefixError::LengthTooLong {
                        length: length.into(),
                        max: 128,
                    });
                }
                let network = Ipv6Addr::from(u128::from(a) & v6_mask(length));
                Ok(Prefix {
                    network: IpAddr::V6(network),
                    length,
                })
            }
        }
    }

    /// The network address (host bits zero).
    pub fn network(&self) -> IpAddr {
        self.network
    }

    /// The prefix length in bits.
    pub fn length(&self) -> u8 {
        self.length
    }

    /// True when `ip` (IPv4-mapped IPv6 taken as IPv4) lies in this prefix.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(a)) => u32::from(a) & v4_mask(self.length) == u32::from(n),
            (IpAddr::V6(n), IpAddr::V6(a)) => u128::from(a) & v6_mask(self.length) == u128::from(n),
            _ => false,
        }
    }

    /// The all-ones host of an IPv4 prefix (method.md M3: never a device), e.g.
    /// `192.168.255.255` for `192.168.0.0/16`. `None` for IPv6 prefixes and for
    /// `/31` and `/32`, which have no broadcast address (RFC 3021).
    pub fn broadcast(&self) -> Option<Ipv4Addr> {
        match self.network {
            IpAddr::V4(n) if self.length <= 30 => {
                Some(Ipv4Addr::from(u32::from(n) | !v4_mask(self.length)))
            }
            _ => None,
        }
    }

    /// The local prefixes of method.md M3: 10/8, 172.16/12, 192.168/16, 100.64/10,
    /// 169.254/16, fc00::/7, fe80::/10.
    pub fn defaults() -> Vec<Prefix> {
        let v4 = |a, b, length| Prefix {
            network: IpAddr::V4(Ipv4Addr::new(a, b, 0, 0)),
            length,
        };
        let v6 = |first: u16, length| Prefix {
            network: IpAddr::V6(Ipv6Addr::new(first, 0, 0, 0, 0, 0, 0, 0)),
            length,
        };
        vec![
            v4(10, 0, 8),
            v4(172, 16, 12),
            v4(192, 168, 16),
            v4(100, 64, 10),
            v4(169, 254, 16),
            v6(0xfc00, 7),
            v6(0xfe80, 10),
        ]
    }
}

impl FromStr for Prefix {
    type Err = PrefixError;

    fn from_str(text: &str) -> Result<Prefix, PrefixError> {
        let text = text.trim();
        let (addr_text, length_text) = match text.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (text, None),
        };
        let addr: IpAddr = addr_text.parse().map_err(|_| PrefixError::BadAddress {
            text: addr_text.to_string(),
        })?;
        let max = if addr.to_canonical().is_ipv4() {
            32u8
        } else {
            128u8
        };
        let length = match length_text {
            None => max,
            Some(l) => {
                let n: u32 = l.parse().map_err(|_| PrefixError::BadLength {
                    text: l.to_string(),
                })?;
                if n > u32::from(max) {
                    return Err(PrefixError::LengthTooLong { length: n, max });
                }
                // n <= 128 here.
                u8::try_from(n).map_err(|_| PrefixError::LengthTooLong { length: n, max })?
            }
        };
        Prefix::new(addr, length)
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.length)
    }
}

impl TryFrom<String> for Prefix {
    type Error = PrefixError;

    fn try_from(text: String) -> Result<Prefix, PrefixError> {
        text.parse()
    }
}

impl From<Prefix> for String {
    fn from(p: Prefix) -> String {
        p.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_v4_and_v6_and_clears_host_bits() {
        let p: Prefix = "10.1.2.3/8".parse().unwrap();
        assert_eq!(p.to_string(), "10.0.0.0/8");
        assert_eq!(p.length(), 8);
        let p: Prefix = "fc00::/7".parse().unwrap();
        assert_eq!(p.to_string(), "fc00::/7");
        let p: Prefix = "192.168.1.7".parse().unwrap();
        assert_eq!(p.to_string(), "192.168.1.7/32");
        let p: Prefix = "0.0.0.0/0".parse().unwrap();
        assert!(p.contains(ip("8.8.8.8")));
        assert!(!p.contains(ip("::1")));
    }

    #[test]
    fn rejects_bad_text_with_the_reason() {
        assert_eq!(
            "10.0.0/8".parse::<Prefix>(),
            Err(PrefixError::BadAddress {
                text: "10.0.0".into()
            })
        );
        assert_eq!(
            "10.0.0.0/x".parse::<Prefix>(),
            Err(PrefixError::BadLength { text: "x".into() })
        );
        assert_eq!(
            "10.0.0.0/33".parse::<Prefix>(),
            Err(PrefixError::LengthTooLong {
                length: 33,
                max: 32
            })
        );
        assert_eq!(
            "fe80::/129".parse::<Prefix>(),
            Err(PrefixError::LengthTooLong {
                length: 129,
                max: 128
            })
        );
    }

    #[test]
    fn contains_respects_family_and_mapped_addresses() {
        let p: Prefix = "172.16.0.0/12".parse().unwrap();
        assert!(p.contains(ip("172.31.255.254")));
        assert!(!p.contains(ip("172.32.0.1")));
        assert!(p.contains(ip("::ffff:172.16.0.9")));
        let p: Prefix = "fe80::/10".parse().unwrap();
        assert!(p.contains(ip("fe80::1")));
        assert!(p.contains(ip("febf::1")));
        assert!(!p.contains(ip("fec0::1")));
        assert!(!p.contains(ip("10.0.0.1")));
    }

    #[test]
    fn broadcast_is_the_all_ones_host_of_v4_prefixes() {
        let b = |s: &str| s.parse::<Prefix>().unwrap().broadcast();
        assert_eq!(b("192.168.0.0/16"), Some(Ipv4Addr::new(192, 168, 255, 255)));
        assert_eq!(b("100.64.0.0/10"), Some(Ipv4Addr::new(100, 127, 255, 255)));
        assert_eq!(b("192.168.1.0/24"), Some(Ipv4Addr::new(192, 168, 1, 255)));
        assert_eq!(b("192.168.1.0/31"), None);
        assert_eq!(b("192.168.1.1/32"), None);
        assert_eq!(b("fc00::/7"), None);
    }

    #[test]
    fn defaults_are_the_m3_list() {
        let texts: Vec<String> = Prefix::defaults().iter().map(|p| p.to_string()).collect();
        assert_eq!(
            texts,
            [
                "10.0.0.0/8",
                "172.16.0.0/12",
                "192.168.0.0/16",
                "100.64.0.0/10",
                "169.254.0.0/16",
                "fc00::/7",
                "fe80::/10"
            ]
        );
    }

    #[test]
    fn serde_uses_the_text_form() {
        let p: Prefix = "10.0.0.0/8".parse().unwrap();
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"10.0.0.0/8\"");
        assert_eq!(
            serde_json::from_str::<Prefix>("\"fe80::/10\"")
                .unwrap()
                .to_string(),
            "fe80::/10"
        );
        assert!(serde_json::from_str::<Prefix>("\"nope\"").is_err());
    }
}
