//! IP protocol numbers: which have ports (method.md M2 rule 4) and their names (M4).

use std::fmt;

pub const ICMP: u8 = 1;
pub const TCP: u8 = 6;
pub const UDP: u8 = 17;
pub const DCCP: u8 = 33;
pub const ICMPV6: u8 = 58;
pub const SCTP: u8 = 132;
pub const UDPLITE: u8 = 136;

/// method.md M2 rule 4: only TCP (6), UDP (17), DCCP (33), SCTP (132) and UDP-Lite (136)
/// have ports; every other protocol has port 0 on both sides.
pub fn has_ports(protocol: u8) -> bool {
    matches!(protocol, TCP | UDP | DCCP | SCTP | UDPLITE)
}

/// True for ICMP (1) and ICMPv6 (58), the protocols of method.md M2 rule 0.
pub fn is_icmp(protocol: u8) -> bool {
    matches!(protocol, ICMP | ICMPV6)
}

/// Names used in service text (method.md M4). The seven protocols the method names,
/// plus a few common on home networks; the rest are written `P<number>` (see [`Name`]).
/// Names are IANA keywords except `OSPF` (IANA: `OSPFIGP`).
const NAMES: [(u8, &str); 15] = [
    (ICMP, "ICMP"),
    (2, "IGMP"),
    (TCP, "TCP"),
    (UDP, "UDP"),
    (DCCP, "DCCP"),
    (41, "IPv6"),
    (47, "GRE"),
    (50, "ESP"),
    (51, "AH"),
    (ICMPV6, "ICMPv6"),
    (89, "OSPF"),
    (103, "PIM"),
    (112, "VRRP"),
    (SCTP, "SCTP"),
    (UDPLITE, "UDPLite"),
];

/// The name of a protocol, when it has one here.
pub fn name(protocol: u8) -> Option<&'static str> {
    NAMES.iter().find(|(n, _)| *n == protocol).map(|(_, s)| *s)
}

/// Displays a protocol by name, or as `P<number>` (`P253`) when it has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Name(pub u8);

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match name(self.0) {
            Some(s) => f.write_str(s),
            None => write!(f, "P{}", self.0),
        }
    }
}

/// The inverse of [`Name`]: a name (exact case) or `P<number>`. `P6` is accepted for TCP.
pub fn parse(text: &str) -> Option<u8> {
    if let Some((n, _)) = NAMES.iter().find(|(_, s)| *s == text) {
        return Some(*n);
    }
    let digits = text.strip_prefix('P')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_five_port_protocols_have_ports() {
        let with: Vec<u8> = (0..=255u8).filter(|p| has_ports(*p)).collect();
        assert_eq!(with, [6, 17, 33, 132, 136]);
    }

    #[test]
    fn names_and_numbers() {
        let shown: Vec<String> = [1u8, 6, 17, 58, 33, 132, 136, 47, 253]
            .iter()
            .map(|p| Name(*p).to_string())
            .collect();
        assert_eq!(
            shown,
            ["ICMP", "TCP", "UDP", "ICMPv6", "DCCP", "SCTP", "UDPLite", "GRE", "P253"]
        );
    }

    #[test]
    fn parse_inverts_display_for_every_number() {
        for p in 0..=255u8 {
            assert_eq!(parse(&Name(p).to_string()), Some(p));
        }
        assert_eq!(parse("P6"), Some(6));
        assert_eq!(parse("tcp"), None);
        assert_eq!(parse("P"), None);
        assert_eq!(parse("P256"), None);
        assert_eq!(parse("P+1"), None);
    }
}
