//! The service a flow gives a device (method.md M4).

use crate::protocol;
use crate::role::{Roles, Side};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use svcprint_flow::FlowRecord;

/// method.md M4 direction: `out` when the device is the client, `in` when it is the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Out,
    In,
}

/// The port part of a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Port {
    /// A protocol without ports (method.md M2 rule 4): written without a port (`ICMP`).
    None,
    /// The server's port.
    Number(u16),
    /// Rare high ports folded together (method.md M4 \[fold_rare_bins\]): `UDP/other`.
    Other,
}

/// method.md M4 \[service\]: the triple (direction, protocol, port).
///
/// `direction` is `None` in direction-blind mode \[direction_aware=false\].
/// Written `TCP/443` (out), `in:TCP/80` (in), `ICMP`, `in:ICMP`, `UDP/other`,
/// `in:TCP/other`; a blind service is written like an `out` one. Protocols are
/// written by name (see [`protocol::Name`]) or `P<number>` (`P253`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Service {
    pub direction: Option<Direction>,
    pub protocol: u8,
    pub port: Port,
}

/// A small integer standing for a [`Service`] in a service table
/// ([`crate::Aggregates::services`], [`crate::Activity::services`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceId(pub u32);

impl ServiceId {
    /// The position in the service table.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl Service {
    /// method.md M4: the service the flow gives the device at `side`, direction-aware.
    /// The client gets `out` and the server's port; the server gets `in` and its own
    /// port, which is the same port. Protocols without ports get [`Port::None`].
    pub fn for_side(rec: &FlowRecord, roles: Roles, side: Side) -> Service {
        let direction = if side == roles.client {
            Direction::Out
        } else {
            Direction::In
        };
        let port = if protocol::has_ports(rec.protocol) {
            Port::Number(match roles.server() {
                Side::Source => rec.src_port,
                Side::Destination => rec.dst_port,
            })
        } else {
            Port::None
        };
        Service {
            direction: Some(direction),
            protocol: rec.protocol,
            port,
        }
    }

    /// Direction-blind mode \[direction_aware=false\]: the same service without direction.
    pub fn without_direction(self) -> Service {
        Service {
            direction: None,
            ..self
        }
    }

    /// True for a numbered port >= 1024, the candidates of method.md M4 folding.
    pub fn has_high_port(&self) -> bool {
        matches!(self.port, Port::Number(p) if p >= 1024)
    }

    /// method.md M4 folding target: `PROTO/other` with the same direction.
    pub fn folded(self) -> Service {
        Service {
            port: Port::Other,
            ..self
        }
    }
}

/// method.md M4 \[ignore_unanswered_inbound\]: the flow is a biflow and its server sent no
/// packets. The server's packets are the reverse packets when the destination is the
/// server (unknown, so not unanswered, when the record has no reverse packet count),
/// the forward packets when the source is the server.
pub fn is_unanswered_inbound(rec: &FlowRecord, roles: Roles) -> bool {
    if !rec.is_biflow() {
        return false;
    }
    let server_packets = match roles.server() {
        Side::Source => Some(rec.packets),
        Side::Destination => rec.reverse_packets,
    };
    server_packets == Some(0)
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.direction == Some(Direction::In) {
            f.write_str("in:")?;
        }
        write!(f, "{}", protocol::Name(self.protocol))?;
        match self.port {
            Port::None => Ok(()),
            Port::Number(p) => write!(f, "/{p}"),
            Port::Other => f.write_str("/other"),
        }
    }
}

/// A text that is not a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceParseError {
    pub text: String,
}

impl fmt::Display for ServiceParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "not a service (like TCP/443, in:UDP/53, ICMP): {:?}",
            self.text
        )
    }
}

impl std::error::Error for ServiceParseError {}

impl FromStr for Service {
    type Err = ServiceParseError;

    /// The inverse of `Display`. Text without `in:` is read as `out`; use
    /// [`Service::without_direction`] for direction-blind services. A port is accepted
    /// only on protocols with ports and required on them.
    fn from_str(text: &str) -> Result<Service, ServiceParseError> {
        let err = || ServiceParseError {
            text: text.to_string(),
        };
        let (direction, rest) = match text.strip_prefix("in:") {
            Some(rest) => (Direction::In, rest),
            None => (Direction::Out, text),
        };
        let (proto_text, port_text) = match rest.split_once('/') {
            Some((p, port)) => (p, Some(port)),
            None => (rest, None),
        };
        let protocol = protocol::parse(proto_text).ok_or_else(err)?;
        let port = match (protocol::has_ports(protocol), port_text) {
            (false, None) => Port::None,
            (true, Some("other")) => Port::Other,
            (true, Some(p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                Port::Number(p.parse().map_err(|_| err())?)
            }
            _ => return Err(err()),
        };
        Ok(Service {
            direction: Some(direction),
            protocol,
            port,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::role::{roles, RoleRule};
    use std::net::IpAddr;

    fn rec(protocol: u8, src_port: u16, dst_port: u16) -> FlowRecord {
        let a: IpAddr = "192.168.1.10".parse().unwrap();
        let b: IpAddr = "192.168.1.20".parse().unwrap();
        FlowRecord::new(0, 0, protocol, (a, src_port), (b, dst_port))
    }

    fn both(r: &FlowRecord) -> (String, String) {
        let roles = roles(r).unwrap();
        (
            Service::for_side(r, roles, Side::Source).to_string(),
            Service::for_side(r, roles, Side::Destination).to_string(),
        )
    }

    #[test]
    fn client_gets_out_and_server_port_server_gets_in_and_own_port() {
        assert_eq!(
            both(&rec(6, 50000, 443)),
            ("TCP/443".into(), "in:TCP/443".into())
        );
        assert_eq!(
            both(&rec(17, 53, 40000)),
            ("in:UDP/53".into(), "UDP/53".into())
        );
    }

    #[test]
    fn portless_protocols_are_written_without_a_port() {
        // Echo request from source: source client.
        assert_eq!(both(&rec(1, 8, 0)), ("ICMP".into(), "in:ICMP".into()));
        // Echo reply from source: source server.
        assert_eq!(both(&rec(1, 0, 0)), ("in:ICMP".into(), "ICMP".into()));
        assert_eq!(
            both(&rec(58, 128, 0)),
            ("ICMPv6".into(), "in:ICMPv6".into())
        );
        assert_eq!(both(&rec(47, 1234, 80)), ("GRE".into(), "in:GRE".into()));
        assert_eq!(both(&rec(253, 0, 0)), ("P253".into(), "in:P253".into()));
    }

    #[test]
    fn other_port_protocols_have_ports() {
        assert_eq!(both(&rec(33, 40000, 5004)).0, "DCCP/5004");
        assert_eq!(both(&rec(132, 40000, 38412)).0, "SCTP/38412");
        assert_eq!(both(&rec(136, 40000, 5004)).0, "UDPLite/5004");
    }

    #[test]
    fn direction_blind_and_folded_forms() {
        let s: Service = "in:TCP/80".parse().unwrap();
        assert_eq!(s.without_direction().to_string(), "TCP/80");
        assert_eq!(s.without_direction().direction, None);
        assert_eq!(s.folded().to_string(), "in:TCP/other");
        let s: Service = "UDP/50000".parse().unwrap();
        assert_eq!(s.folded().to_string(), "UDP/other");
        assert_eq!(s.folded().without_direction().to_string(), "UDP/other");
    }

    #[test]
    fn high_ports_are_1024_and_above() {
        let p = |t: &str| t.parse::<Service>().unwrap().has_high_port();
        assert!(!p("TCP/1023"));
        assert!(p("TCP/1024"));
        assert!(p("in:UDP/65535"));
        assert!(!p("ICMP"));
        assert!(!p("UDP/other"));
    }

    #[test]
    fn parse_inverts_display() {
        for text in [
            "TCP/443",
            "in:TCP/80",
            "UDP/53",
            "ICMP",
            "in:ICMPv6",
            "UDP/other",
            "in:TCP/other",
            "P253",
            "SCTP/0",
        ] {
            assert_eq!(text.parse::<Service>().unwrap().to_string(), text);
        }
        let out = Service {
            direction: Some(Direction::Out),
            protocol: 6,
            port: Port::Number(443),
        };
        assert_eq!("TCP/443".parse::<Service>(), Ok(out));
        for bad in [
            "",
            "TCP",
            "TCP/",
            "TCP/x",
            "TCP/70000",
            "ICMP/3",
            "out:TCP/1",
            "tcp/80",
            "TCP/+1",
        ] {
            assert_eq!(
                bad.parse::<Service>(),
                Err(ServiceParseError { text: bad.into() }),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn unanswered_inbound_needs_a_biflow_with_a_silent_server() {
        let mut r = rec(6, 50000, 23);
        let uni = roles(&r).unwrap();
        assert!(!is_unanswered_inbound(&r, uni));
        r.reverse_packets = Some(0);
        let bi = roles(&r).unwrap();
        assert_eq!(bi.rule, RoleRule::Biflow);
        assert!(is_unanswered_inbound(&r, bi));
        r.reverse_packets = Some(2);
        assert!(!is_unanswered_inbound(&r, bi));
        // Source-initiated without reverse counters: the server's packets are unknown.
        let mut r = rec(6, 50000, 23);
        r.source_initiated = true;
        assert!(!is_unanswered_inbound(&r, roles(&r).unwrap()));
        // ICMP biflow where the source is the server (echo reply) and sent nothing.
        let mut r = rec(1, 0, 0);
        r.packets = 0;
        r.reverse_packets = Some(1);
        let ro = roles(&r).unwrap();
        assert_eq!(ro.server(), Side::Source);
        assert!(is_unanswered_inbound(&r, ro));
    }
}
