//! Devices (method.md M3): which endpoints are devices, and their keys.

use crate::prefix::Prefix;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;
use svcprint_flow::Mac;

/// What an address is, for method.md M3. Only [`AddressKind::Local`] endpoints are devices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressKind {
    /// In a local prefix and none of the kinds below: a device.
    Local,
    /// Not in any local prefix.
    Remote,
    /// 255.255.255.255 or the all-ones host of a configured IPv4 prefix.
    Broadcast,
    /// 224.0.0.0/4 or ff00::/8.
    Multicast,
    /// 0.0.0.0 or ::.
    Unspecified,
}

/// The local prefixes and the broadcast addresses they imply, ready for lookups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locality {
    prefixes: Vec<Prefix>,
    broadcasts: Vec<Ipv4Addr>,
}

impl Locality {
    /// method.md M3 for the given local prefixes \[local_prefixes\].
    pub fn new(prefixes: &[Prefix]) -> Locality {
        let mut broadcasts: Vec<Ipv4Addr> = prefixes.iter().filter_map(Prefix::broadcast).collect();
        broadcasts.push(Ipv4Addr::BROADCAST);
        broadcasts.sort_unstable();
        broadcasts.dedup();
        Locality {
            prefixes: prefixes.to_vec(),
            broadcasts,
        }
    }

    /// The kind of `ip`. IPv4-mapped IPv6 addresses are judged as IPv4. Unspecified,
    /// multicast and broadcast are checked before locality, so a broadcast address
    /// inside a local prefix is [`AddressKind::Broadcast`].
    pub fn kind(&self, ip: IpAddr) -> AddressKind {
        let ip = ip.to_canonical();
        if ip.is_unspecified() {
            return AddressKind::Unspecified;
        }
        if ip.is_multicast() {
            return AddressKind::Multicast;
        }
        if let IpAddr::V4(v4) = ip {
            if self.broadcasts.binary_search(&v4).is_ok() {
                return AddressKind::Broadcast;
            }
        }
        if self.prefixes.iter().any(|p| p.contains(ip)) {
            AddressKind::Local
        } else {
            AddressKind::Remote
        }
    }

    /// True when an endpoint with address `ip` is a device (method.md M3).
    pub fn is_device(&self, ip: IpAddr) -> bool {
        self.kind(ip) == AddressKind::Local
    }
}

/// method.md M3 \[device_key\]: the endpoint's MAC when the record carries a non-empty
/// (present and not all-zero) one for that side, else its IP address.
///
/// Displayed as `60:01:94:54:6b:e8` (lower case) or the IP text; serialized as that text.
/// Ordered MACs first, then IPs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeviceKey {
    Mac(Mac),
    Ip(IpAddr),
}

impl DeviceKey {
    /// The key of an endpoint with address `addr` and MAC `mac` (method.md M3).
    /// IPv4-mapped IPv6 addresses are keyed as IPv4.
    pub fn of(addr: IpAddr, mac: Option<Mac>) -> DeviceKey {
        match mac {
            Some(m) if !m.is_zero() => DeviceKey::Mac(m),
            _ => DeviceKey::Ip(addr.to_canonical()),
        }
    }
}

impl fmt::Display for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeviceKey::Mac(m) => fmt::Display::fmt(m, f),
            DeviceKey::Ip(ip) => fmt::Display::fmt(ip, f),
        }
    }
}

/// A text that is neither an IP address nor a MAC address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceKeyError {
    pub text: String,
}

impl fmt::Display for DeviceKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a device key (MAC or IP address): {:?}", self.text)
    }
}

impl std::error::Error for DeviceKeyError {}

impl FromStr for DeviceKey {
    type Err = DeviceKeyError;

    /// An IP address, else a MAC in any notation [`Mac::parse`] accepts.
    fn from_str(text: &str) -> Result<DeviceKey, DeviceKeyError> {
        if let Ok(ip) = text.trim().parse::<IpAddr>() {
            return Ok(DeviceKey::Ip(ip));
        }
        match Mac::parse(text) {
            Some(m) => Ok(DeviceKey::Mac(m)),
            None => Err(DeviceKeyError {
                text: text.to_string(),
            }),
        }
    }
}

impl Serialize for DeviceKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DeviceKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DeviceKey, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn default_locality() -> Locality {
        Locality::new(&Prefix::defaults())
    }

    #[test]
    fn default_prefixes_are_local() {
        let l = default_locality();
        for a in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.254",
            "192.168.1.10",
            "100.64.0.1",
            "100.127.255.254",
            "169.254.10.1",
            "fd12::1",
            "fc00::1",
            "fe80::1",
        ] {
            assert_eq!(l.kind(ip(a)), AddressKind::Local, "{a}");
        }
        for a in [
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "127.0.0.1",
            "::1",
            "2001:db8::1",
            "fec0::1",
        ] {
            assert_eq!(l.kind(ip(a)), AddressKind::Remote, "{a}");
        }
    }

    #[test]
    fn broadcast_addresses_are_never_devices() {
        let l = default_locality();
        for a in [
            "255.255.255.255",
            "10.255.255.255",
            "192.168.255.255",
            "172.31.255.255",
            "169.254.255.255",
        ] {
            assert_eq!(l.kind(ip(a)), AddressKind::Broadcast, "{a}");
            assert!(!l.is_device(ip(a)));
        }
        // Only the all-ones host of a configured prefix: 192.168.1.255 is a host of /16.
        assert_eq!(l.kind(ip("192.168.1.255")), AddressKind::Local);
    }

    #[test]
    fn multicast_is_never_a_device() {
        let l = default_locality();
        for a in ["224.0.0.251", "239.255.255.250", "ff02::fb", "ff05::c"] {
            assert_eq!(l.kind(ip(a)), AddressKind::Multicast, "{a}");
        }
    }

    #[test]
    fn unspecified_is_never_a_device() {
        let l = default_locality();
        assert_eq!(l.kind(ip("0.0.0.0")), AddressKind::Unspecified);
        assert_eq!(l.kind(ip("::")), AddressKind::Unspecified);
        // Unspecified even if the user declares 0.0.0.0/8 local.
        let l = Locality::new(&["0.0.0.0/8".parse().unwrap()]);
        assert_eq!(l.kind(ip("0.0.0.0")), AddressKind::Unspecified);
    }

    #[test]
    fn user_prefix_adds_locals_and_its_broadcast() {
        let mut prefixes = Prefix::defaults();
        prefixes.push("198.51.100.0/24".parse().unwrap());
        let l = Locality::new(&prefixes);
        assert_eq!(l.kind(ip("198.51.100.7")), AddressKind::Local);
        assert_eq!(l.kind(ip("198.51.100.255")), AddressKind::Broadcast);
        assert_eq!(l.kind(ip("198.51.101.7")), AddressKind::Remote);
        // A user /24 inside a default /16 adds its own broadcast.
        let mut prefixes = Prefix::defaults();
        prefixes.push("192.168.1.0/24".parse().unwrap());
        assert_eq!(
            Locality::new(&prefixes).kind(ip("192.168.1.255")),
            AddressKind::Broadcast
        );
    }

    #[test]
    fn mapped_ipv4_is_judged_as_ipv4() {
        let l = default_locality();
        assert_eq!(l.kind(ip("::ffff:192.168.1.10")), AddressKind::Local);
        assert_eq!(l.kind(ip("::ffff:255.255.255.255")), AddressKind::Broadcast);
        assert_eq!(
            DeviceKey::of(ip("::ffff:192.168.1.10"), None).to_string(),
            "192.168.1.10"
        );
    }

    #[test]
    fn key_is_the_mac_when_present_and_not_zero() {
        let mac = Mac([0x60, 0x01, 0x94, 0x54, 0x6b, 0xe8]);
        let k = DeviceKey::of(ip("192.168.1.10"), Some(mac));
        assert_eq!(k, DeviceKey::Mac(mac));
        assert_eq!(k.to_string(), "60:01:94:54:6b:e8");
        assert_eq!(
            DeviceKey::of(ip("192.168.1.10"), None).to_string(),
            "192.168.1.10"
        );
        assert_eq!(
            DeviceKey::of(ip("192.168.1.10"), Some(Mac([0; 6]))).to_string(),
            "192.168.1.10"
        );
        assert_eq!(DeviceKey::of(ip("fe80::1"), None).to_string(), "fe80::1");
    }

    #[test]
    fn key_text_round_trips() {
        for text in ["60:01:94:54:6b:e8", "192.168.1.10", "fe80::1"] {
            let k: DeviceKey = text.parse().unwrap();
            assert_eq!(k.to_string(), text);
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<DeviceKey>(&json).unwrap(), k);
        }
        assert_eq!(
            "60-01-94-54-6B-E8"
                .parse::<DeviceKey>()
                .unwrap()
                .to_string(),
            "60:01:94:54:6b:e8"
        );
        assert_eq!(
            "printer".parse::<DeviceKey>(),
            Err(DeviceKeyError {
                text: "printer".into()
            })
        );
    }
}
