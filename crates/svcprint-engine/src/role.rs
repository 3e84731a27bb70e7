//! Who is the client (method.md M2).
//!
//! [`roles`] applies rules 0-4 in order; the first that applies decides. Rule 0 may
//! instead decide that the flow gives no service to anyone (ICMP error reports).

use crate::protocol::{self, ICMP, ICMPV6, TCP};
use serde::{Deserialize, Serialize};
use svcprint_flow::FlowRecord;

/// One end of a flow record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Source,
    Destination,
}

impl Side {
    /// The other end.
    pub fn other(self) -> Side {
        match self {
            Side::Source => Side::Destination,
            Side::Destination => Side::Source,
        }
    }
}

/// The rule of method.md M2 that decided the roles (for explanations and tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleRule {
    /// Rule 0: ICMP / ICMPv6 type.
    Icmp,
    /// Rule 1: biflow or a format that says the source initiated.
    Biflow,
    /// Rule 2: TCP initial flags.
    TcpFlags,
    /// Rule 3: ports.
    Ports,
    /// Rule 4: a protocol without ports.
    Portless,
}

/// The client (initiator) and, implied, the server (responder) of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Roles {
    pub client: Side,
    pub rule: RoleRule,
}

impl Roles {
    /// The responder: the side that is not the client.
    pub fn server(&self) -> Side {
        self.client.other()
    }
}

/// An ICMP type and code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IcmpTypeCode {
    pub icmp_type: u8,
    pub code: u8,
}

/// method.md M2 rule 0, where the type comes from: the record's icmpTypeCode field
/// (type*256+code) when present; else from the port fields: type*256+code in the
/// destination port when it is >= 256; else the source port holds the type when it is
/// 1..255 and the destination port the code; else type 0 (code = destination port).
pub fn icmp_type_code(rec: &FlowRecord) -> IcmpTypeCode {
    let split = |v: u16| {
        let [icmp_type, code] = v.to_be_bytes();
        IcmpTypeCode { icmp_type, code }
    };
    if let Some(tc) = rec.icmp_type_code {
        return split(tc);
    }
    let [_, dst_low] = rec.dst_port.to_be_bytes();
    if rec.dst_port >= 256 {
        split(rec.dst_port)
    } else if let Ok(icmp_type @ 1..=255) = u8::try_from(rec.src_port) {
        IcmpTypeCode {
            icmp_type,
            code: dst_low,
        }
    } else {
        IcmpTypeCode {
            icmp_type: 0,
            code: dst_low,
        }
    }
}

/// ICMP error messages (ICMPv4 types 3, 4, 5, 11, 12; ICMPv6 types 1-4): reports about
/// another flow that give no service to anyone (method.md M2 rule 0).
pub fn is_icmp_error(protocol: u8, icmp_type: u8) -> bool {
    match protocol {
        ICMP => matches!(icmp_type, 3 | 4 | 5 | 11 | 12),
        ICMPV6 => matches!(icmp_type, 1..=4),
        _ => false,
    }
}

/// ICMP reply types (ICMPv4 0, 14, 16, 18; ICMPv6 129): the source is the server
/// (method.md M2 rule 0).
pub fn is_icmp_reply(protocol: u8, icmp_type: u8) -> bool {
    match protocol {
        ICMP => matches!(icmp_type, 0 | 14 | 16 | 18),
        ICMPV6 => icmp_type == 129,
        _ => false,
    }
}

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;

/// method.md M2 rule 3, the server by ports: if exactly one port is below 1024 that
/// side; otherwise, if exactly one port is ephemeral (>= 32768) the other side;
/// otherwise the lower port; on a tie the destination.
pub fn server_by_ports(src_port: u16, dst_port: u16) -> Side {
    let (src_low, dst_low) = (src_port < 1024, dst_port < 1024);
    if src_low != dst_low {
        return if src_low {
            Side::Source
        } else {
            Side::Destination
        };
    }
    let (src_eph, dst_eph) = (src_port >= 32768, dst_port >= 32768);
    if src_eph != dst_eph {
        return if src_eph {
            Side::Destination
        } else {
            Side::Source
        };
    }
    if src_port < dst_port {
        Side::Source
    } else {
        Side::Destination
    }
}

/// method.md M2: the roles of a flow, or `None` when the flow is an ICMP error report
/// and gives no service to anyone.
///
/// 0. ICMP / ICMPv6: the type is always known (see [`icmp_type_code`]); error types give
///    `None`, reply types make the source the server, any other type the client.
/// 1. Biflow ([`FlowRecord::is_biflow`]): the source is the client.
/// 2. TCP with initial flags: SYN without ACK from the source makes it the client;
///    SYN+ACK makes it the server; other flags fall through.
/// 3. Protocols with ports ([`protocol::has_ports`]): [`server_by_ports`].
/// 4. Other protocols: the source is the client.
pub fn roles(rec: &FlowRecord) -> Option<Roles> {
    let decided = |client, rule| Some(Roles { client, rule });
    if protocol::is_icmp(rec.protocol) {
        let t = icmp_type_code(rec).icmp_type;
        if is_icmp_error(rec.protocol, t) {
            return None;
        }
        let client = if is_icmp_reply(rec.protocol, t) {
            Side::Destination
        } else {
            Side::Source
        };
        return decided(client, RoleRule::Icmp);
    }
    if rec.is_biflow() {
        return decided(Side::Source, RoleRule::Biflow);
    }
    if rec.protocol == TCP {
        if let Some(flags) = rec.initial_tcp_flags {
            if flags & (SYN | ACK) == SYN {
                return decided(Side::Source, RoleRule::TcpFlags);
            }
            if flags & (SYN | ACK) == SYN | ACK {
                return decided(Side::Destination, RoleRule::TcpFlags);
            }
        }
    }
    if protocol::has_ports(rec.protocol) {
        let client = server_by_ports(rec.src_port, rec.dst_port).other();
        return decided(client, RoleRule::Ports);
    }
    decided(Side::Source, RoleRule::Portless)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    const A: &str = "192.168.1.10";
    const B: &str = "203.0.113.5";

    fn rec(protocol: u8, src_port: u16, dst_port: u16) -> FlowRecord {
        let a: IpAddr = A.parse().unwrap();
        let b: IpAddr = B.parse().unwrap();
        FlowRecord::new(0, 0, protocol, (a, src_port), (b, dst_port))
    }

    fn client(r: &FlowRecord) -> Option<(Side, RoleRule)> {
        roles(r).map(|x| (x.client, x.rule))
    }

    fn tc(icmp_type: u8, code: u8) -> IcmpTypeCode {
        IcmpTypeCode { icmp_type, code }
    }

    #[test]
    fn icmp_type_from_the_dedicated_field_wins() {
        let mut r = rec(ICMP, 8, 0);
        r.icmp_type_code = Some(0x0300 | 1);
        assert_eq!(icmp_type_code(&r), tc(3, 1));
        assert_eq!(client(&r), None);
    }

    #[test]
    fn icmp_type_code_in_the_destination_port() {
        // NetFlow v5 style: dst port = type*256+code when >= 256.
        assert_eq!(icmp_type_code(&rec(ICMP, 0, 0x0800)), tc(8, 0));
        assert_eq!(icmp_type_code(&rec(ICMP, 0, 0x0b01)), tc(11, 1));
        assert_eq!(icmp_type_code(&rec(ICMP, 40, 0x0303)), tc(3, 3));
    }

    #[test]
    fn icmp_type_in_the_source_port_and_code_in_the_destination_port() {
        assert_eq!(icmp_type_code(&rec(ICMP, 8, 0)), tc(8, 0));
        assert_eq!(icmp_type_code(&rec(ICMP, 3, 13)), tc(3, 13));
        assert_eq!(icmp_type_code(&rec(ICMP, 255, 255)), tc(255, 255));
    }

    #[test]
    fn icmp_type_zero_otherwise() {
        // Echo reply type 0 code 0 carried as dst port 0; type 0 with a code below 256.
        assert_eq!(icmp_type_code(&rec(ICMP, 0, 0)), tc(0, 0));
        assert_eq!(icmp_type_code(&rec(ICMP, 0, 7)), tc(0, 7));
        // Source port out of 1..255 is not a type.
        assert_eq!(icmp_type_code(&rec(ICMP, 300, 5)), tc(0, 5));
    }

    #[test]
    fn icmpv4_errors_give_no_service() {
        for t in [3u16, 4, 5, 11, 12] {
            assert_eq!(client(&rec(ICMP, 0, t * 256)), None, "type {t}");
        }
    }

    #[test]
    fn icmpv6_errors_give_no_service() {
        for t in [1u16, 2, 3, 4] {
            assert_eq!(client(&rec(ICMPV6, 0, t * 256)), None, "type {t}");
        }
    }

    #[test]
    fn icmp_replies_make_the_source_the_server() {
        for t in [0u16, 14, 16, 18] {
            assert_eq!(
                client(&rec(ICMP, 0, t * 256)),
                Some((Side::Destination, RoleRule::Icmp)),
                "type {t}"
            );
        }
        assert_eq!(
            client(&rec(ICMPV6, 129, 0)),
            Some((Side::Destination, RoleRule::Icmp))
        );
        // Both port fields 0: type 0, echo reply for ICMPv4.
        assert_eq!(
            client(&rec(ICMP, 0, 0)),
            Some((Side::Destination, RoleRule::Icmp))
        );
    }

    #[test]
    fn other_icmp_types_make_the_source_the_client() {
        assert_eq!(
            client(&rec(ICMP, 8, 0)),
            Some((Side::Source, RoleRule::Icmp))
        );
        assert_eq!(
            client(&rec(ICMP, 0, 13 * 256)),
            Some((Side::Source, RoleRule::Icmp))
        );
        assert_eq!(
            client(&rec(ICMPV6, 0, 128 * 256)),
            Some((Side::Source, RoleRule::Icmp))
        );
        assert_eq!(
            client(&rec(ICMPV6, 135, 0)),
            Some((Side::Source, RoleRule::Icmp))
        );
        // ICMPv6 type 0 is not a reply (0 is a v4 reply only).
        assert_eq!(
            client(&rec(ICMPV6, 0, 0)),
            Some((Side::Source, RoleRule::Icmp))
        );
        // ICMPv4 types 1 and 2 are not errors (those are ICMPv6 numbers).
        assert_eq!(
            client(&rec(ICMP, 1, 0)),
            Some((Side::Source, RoleRule::Icmp))
        );
    }

    #[test]
    fn icmp_rule_comes_before_the_biflow_rule() {
        let mut r = rec(ICMP, 0, 0);
        r.reverse_packets = Some(1);
        assert_eq!(client(&r), Some((Side::Destination, RoleRule::Icmp)));
        r.dst_port = 3 * 256;
        assert_eq!(client(&r), None);
    }

    #[test]
    fn biflow_makes_the_source_the_client() {
        // Ports alone would make the source (port 443) the server.
        let mut r = rec(TCP, 443, 50000);
        r.reverse_packets = Some(0);
        assert_eq!(client(&r), Some((Side::Source, RoleRule::Biflow)));
        let mut r = rec(TCP, 443, 50000);
        r.reverse_octets = Some(0);
        assert_eq!(client(&r), Some((Side::Source, RoleRule::Biflow)));
        let mut r = rec(protocol::UDP, 53, 50000);
        r.source_initiated = true;
        assert_eq!(client(&r), Some((Side::Source, RoleRule::Biflow)));
        // Biflow beats TCP flags too.
        let mut r = rec(TCP, 443, 50000);
        r.source_initiated = true;
        r.initial_tcp_flags = Some(SYN | ACK);
        assert_eq!(client(&r), Some((Side::Source, RoleRule::Biflow)));
    }

    #[test]
    fn tcp_syn_from_the_source_makes_it_the_client() {
        let mut r = rec(TCP, 443, 50000);
        r.initial_tcp_flags = Some(SYN);
        assert_eq!(client(&r), Some((Side::Source, RoleRule::TcpFlags)));
        r.initial_tcp_flags = Some(SYN | 0x40 | 0x80); // SYN with ECE/CWR
        assert_eq!(client(&r), Some((Side::Source, RoleRule::TcpFlags)));
    }

    #[test]
    fn tcp_syn_ack_from_the_source_makes_it_the_server() {
        let mut r = rec(TCP, 50000, 443);
        r.initial_tcp_flags = Some(SYN | ACK);
        assert_eq!(client(&r), Some((Side::Destination, RoleRule::TcpFlags)));
    }

    #[test]
    fn other_tcp_flags_fall_through_to_ports() {
        let mut r = rec(TCP, 443, 50000);
        r.initial_tcp_flags = Some(ACK);
        assert_eq!(client(&r), Some((Side::Destination, RoleRule::Ports)));
        // Flags on a UDP record are not rule 2.
        let mut r = rec(protocol::UDP, 443, 50000);
        r.initial_tcp_flags = Some(SYN);
        assert_eq!(client(&r), Some((Side::Destination, RoleRule::Ports)));
    }

    #[test]
    fn port_rule_every_branch() {
        // Exactly one port below 1024: that side.
        assert_eq!(server_by_ports(443, 2000), Side::Source);
        assert_eq!(server_by_ports(2000, 53), Side::Destination);
        assert_eq!(server_by_ports(0, 5000), Side::Source);
        // Neither below 1024, exactly one ephemeral: the other side.
        assert_eq!(server_by_ports(40000, 8080), Side::Destination);
        assert_eq!(server_by_ports(8883, 32768), Side::Source);
        // Both below 1024: the lower.
        assert_eq!(server_by_ports(123, 80), Side::Destination);
        assert_eq!(server_by_ports(67, 68), Side::Source);
        // Both in 1024..32767: the lower.
        assert_eq!(server_by_ports(5353, 1900), Side::Destination);
        // Both ephemeral: the lower.
        assert_eq!(server_by_ports(40000, 50000), Side::Source);
        // Tie: the destination.
        assert_eq!(server_by_ports(123, 123), Side::Destination);
        assert_eq!(server_by_ports(5353, 5353), Side::Destination);
        assert_eq!(server_by_ports(50000, 50000), Side::Destination);
    }

    #[test]
    fn port_rule_applies_to_every_port_protocol() {
        for p in [
            TCP,
            protocol::UDP,
            protocol::DCCP,
            protocol::SCTP,
            protocol::UDPLITE,
        ] {
            assert_eq!(
                client(&rec(p, 50000, 5683)),
                Some((Side::Source, RoleRule::Ports)),
                "protocol {p}"
            );
        }
    }

    #[test]
    fn portless_protocols_make_the_source_the_client_and_ignore_ports() {
        // GRE with garbage in the port fields: ports are 0, rule 4.
        assert_eq!(
            client(&rec(47, 50000, 80)),
            Some((Side::Source, RoleRule::Portless))
        );
        assert_eq!(
            client(&rec(2, 0, 0)),
            Some((Side::Source, RoleRule::Portless))
        );
        // A biflow of a portless protocol is decided by rule 1.
        let mut r = rec(50, 0, 0);
        r.reverse_packets = Some(3);
        assert_eq!(client(&r), Some((Side::Source, RoleRule::Biflow)));
    }

    #[test]
    fn server_is_the_other_side() {
        let r = roles(&rec(TCP, 50000, 443)).unwrap();
        assert_eq!(r.server(), Side::Destination);
    }
}
