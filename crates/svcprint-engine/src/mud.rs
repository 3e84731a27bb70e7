//! MUD draft (method.md M12, RFC 8520): an allow-list derived from a device's stable
//! Service List.
//!
//! The stable Service List is the union of the services of the device's stable exports
//! (M8). One ACE per service: `out` services go to the `from-device` ACL and `in`
//! services to the `to-device` ACL; TCP rules carry `ietf-mud:direction-initiated`
//! (`from-device` for `out`, `to-device` for `in`); the port is the server's (`PROTO/other`
//! becomes the range 1024-65535); a service whose flows all had a non-remote peer is
//! restricted to the `local-networks` abstraction. ICMPv6 goes to IPv6 ACLs, the rest
//! to IPv4 ACLs. The document is marked as a draft derived from observed flows and
//! carries no clock: `last-update` is the end of the data.

use crate::activity::Activity;
use crate::exporter::DeviceExports;
use crate::service::{Direction, Port, Service};
use serde::Serialize;
use serde::Serializer;
use std::collections::BTreeSet;

/// The whole MUD file: `{"ietf-mud:mud": ..., "ietf-access-control-list:acls": ...}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MudFile {
    #[serde(rename = "ietf-mud:mud")]
    pub mud: Mud,
    #[serde(rename = "ietf-access-control-list:acls")]
    pub acls: Acls,
}

/// The `ietf-mud:mud` container.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Mud {
    pub mud_version: u32,
    pub mud_url: String,
    pub last_update: String,
    pub cache_validity: u32,
    pub is_supported: bool,
    pub systeminfo: String,
    pub from_device_policy: Policy,
    pub to_device_policy: Policy,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Policy {
    pub access_lists: AccessLists,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct AccessLists {
    pub access_list: Vec<AclName>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AclName {
    pub name: String,
}

/// The `ietf-access-control-list:acls` container.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Acls {
    pub acl: Vec<Acl>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Acl {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub aces: Aces,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Aces {
    pub ace: Vec<Ace>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ace {
    pub name: String,
    pub matches: Matches,
    pub actions: Actions,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Actions {
    pub forwarding: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Matches {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv4: Option<IpMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<IpMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tcp: Option<PortMatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub udp: Option<PortMatch>,
    #[serde(rename = "ietf-mud:mud", skip_serializing_if = "Option::is_none")]
    pub mud: Option<MudMatch>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IpMatch {
    pub protocol: u8,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PortMatch {
    #[serde(
        rename = "ietf-mud:direction-initiated",
        skip_serializing_if = "Option::is_none"
    )]
    pub direction_initiated: Option<String>,
    #[serde(rename = "destination-port")]
    pub destination_port: PortRange,
}

/// `{"operator": "eq", "port": 443}` or `{"lower-port": 1024, "upper-port": 65535}`.
#[derive(Clone, Debug, PartialEq)]
pub enum PortRange {
    Eq(u16),
    Range(u16, u16),
}

impl Serialize for PortRange {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(2))?;
        match self {
            PortRange::Eq(p) => {
                m.serialize_entry("operator", "eq")?;
                m.serialize_entry("port", p)?;
            }
            PortRange::Range(a, b) => {
                m.serialize_entry("lower-port", a)?;
                m.serialize_entry("upper-port", b)?;
            }
        }
        m.end()
    }
}

/// `{"local-networks": [null]}`.
#[derive(Clone, Debug, PartialEq)]
pub struct MudMatch;

impl Serialize for MudMatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("local-networks", &[()])?;
        m.end()
    }
}

/// The stable Service List of a device: the union of its stable exports' services,
/// with, for each, whether all its flows had a non-remote peer.
pub fn stable_services(act: &Activity, dev: &DeviceExports) -> Vec<(Service, bool)> {
    let ids: BTreeSet<crate::ServiceId> = dev
        .exports
        .iter()
        .filter(|e| e.stable)
        .flat_map(|e| e.fingerprint.weights.iter().map(|(s, _)| *s))
        .collect();
    let activity = act.devices().iter().find(|d| d.key() == dev.key);
    let mut out: Vec<(Service, bool)> = ids
        .into_iter()
        .filter_map(|id| {
            let s = act.service(id)?;
            let local = activity
                .and_then(|d| d.service_flows().iter().find(|(x, _)| *x == id))
                .is_some_and(|(_, n)| n.flows > 0 && n.local_peer == n.flows);
            Some((s, local))
        })
        .collect();
    out.sort();
    out
}

/// The MUD draft for a device with key text `device`, from its stable Service List
/// (`services`: service, local peers only). `last_update` is an RFC 3339 time.
pub fn mud(device: &str, services: &[(Service, bool)], last_update: &str) -> MudFile {
    let slug: String = device
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut acls: Vec<Acl> = Vec::new();
    let mut from_names = Vec::new();
    let mut to_names = Vec::new();
    for (dir, names, tag) in [
        (Direction::Out, &mut from_names, "from"),
        (Direction::In, &mut to_names, "to"),
    ] {
        for v6 in [false, true] {
            let name = format!("{tag}-ipv{}-{slug}", if v6 { 6 } else { 4 });
            let ace: Vec<Ace> = services
                .iter()
                .filter(|(s, _)| s.direction.unwrap_or(Direction::Out) == dir)
                .filter(|(s, _)| (s.protocol == 58) == v6)
                .enumerate()
                .map(|(i, (s, local))| ace(i, tag, *s, *local, v6))
                .collect();
            if ace.is_empty() {
                continue;
            }
            names.push(AclName { name: name.clone() });
            acls.push(Acl {
                name,
                kind: if v6 { "ipv6-acl-type" } else { "ipv4-acl-type" }.to_string(),
                aces: Aces { ace },
            });
        }
    }
    MudFile {
        mud: Mud {
            mud_version: 1,
            mud_url: format!("https://mud.example.invalid/svcprint/{slug}.json"),
            last_update: last_update.to_string(),
            cache_validity: 48,
            is_supported: true,
            systeminfo: format!(
                "DRAFT derived by svcprint from observed flows of device {device}; review before use"
            ),
            from_device_policy: Policy {
                access_lists: AccessLists {
                    access_list: from_names,
                },
            },
            to_device_policy: Policy {
                access_lists: AccessLists {
                    access_list: to_names,
                },
            },
        },
        acls: Acls { acl: acls },
    }
}

fn ace(i: usize, tag: &str, s: Service, local: bool, v6: bool) -> Ace {
    let ip = IpMatch {
        protocol: s.protocol,
    };
    let mut m = Matches {
        mud: local.then_some(MudMatch),
        ..Matches::default()
    };
    if v6 {
        m.ipv6 = Some(ip);
    } else {
        m.ipv4 = Some(ip);
    }
    let port = match s.port {
        Port::Number(p) => Some(PortRange::Eq(p)),
        Port::Other => Some(PortRange::Range(1024, 65535)),
        Port::None => None,
    };
    let initiated = match s.direction {
        Some(Direction::In) => "to-device",
        _ => "from-device",
    };
    if let Some(port) = port {
        match s.protocol {
            6 => {
                m.tcp = Some(PortMatch {
                    direction_initiated: Some(initiated.to_string()),
                    destination_port: port,
                })
            }
            17 => {
                m.udp = Some(PortMatch {
                    direction_initiated: None,
                    destination_port: port,
                })
            }
            _ => {}
        }
    }
    let what: String = s
        .to_string()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    Ace {
        name: format!("{tag}{i}-{what}"),
        matches: m,
        actions: Actions {
            forwarding: "accept".to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aces_per_service() {
        let s = |t: &str| t.parse::<Service>().unwrap();
        let services = [
            (s("TCP/443"), false),
            (s("UDP/53"), true),
            (s("in:TCP/80"), true),
            (s("ICMP"), false),
            (s("UDP/other"), false),
            (s("ICMPv6"), true),
        ];
        let m = mud("aa:bb:cc:dd:ee:ff", &services, "2019-10-10T23:59:59Z");
        assert_eq!(m.mud.from_device_policy.access_lists.access_list.len(), 2);
        assert_eq!(m.mud.to_device_policy.access_lists.access_list.len(), 1);
        assert_eq!(m.acls.acl[0].name, "from-ipv4-aa-bb-cc-dd-ee-ff");
        let from4 = &m.acls.acl[0].aces.ace;
        // Services sorted as given: TCP/443, UDP/53, ICMP, UDP/other.
        assert_eq!(from4.len(), 4);
        assert_eq!(
            from4[0].matches.tcp,
            Some(PortMatch {
                direction_initiated: Some("from-device".into()),
                destination_port: PortRange::Eq(443)
            })
        );
        assert_eq!(from4[1].matches.mud, Some(MudMatch));
        assert_eq!(
            from4[3].matches.udp.as_ref().unwrap().destination_port,
            PortRange::Range(1024, 65535)
        );
        assert_eq!(m.acls.acl[1].kind, "ipv6-acl-type");
        let to4 = &m.acls.acl[2];
        assert_eq!(to4.name, "to-ipv4-aa-bb-cc-dd-ee-ff");
        assert_eq!(
            to4.aces.ace[0]
                .matches
                .tcp
                .as_ref()
                .unwrap()
                .direction_initiated
                .as_deref(),
            Some("to-device")
        );
    }
}
