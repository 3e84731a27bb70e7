//! From a captured frame to the UDP payload: link layers (Ethernet with 802.1Q/QinQ
//! tags, Linux SLL and SLL2, raw IP, BSD loopback), IPv4 and IPv6 (extension headers
//! skipped), UDP on any port. IP fragments are not reassembled.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// What a frame holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// A UDP datagram: source address and the payload's range in the frame.
    Udp {
        src: IpAddr,
        start: usize,
        end: usize,
    },
    /// A fragment of a UDP datagram (not reassembled).
    Fragment { src: IpAddr },
    /// Anything else (not IP, not UDP, truncated headers).
    Other,
    /// A link type this reader does not know.
    UnknownLink(u32),
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// Parses `data` captured with link type `link`.
pub fn parse(link: u32, data: &[u8]) -> Frame {
    let (ethertype, at) = match link {
        // Ethernet
        1 => {
            let mut at = 12;
            let mut t = be16(data, at);
            while matches!(t, Some(0x8100 | 0x88a8 | 0x9100)) {
                at += 4;
                t = be16(data, at);
            }
            match t {
                Some(t) => (t, at + 2),
                None => return Frame::Other,
            }
        }
        // Linux cooked capture v1 and v2
        113 => match be16(data, 14) {
            Some(t) => (t, 16),
            None => return Frame::Other,
        },
        276 => match be16(data, 0) {
            Some(t) => (t, 20),
            None => return Frame::Other,
        },
        // Raw IP
        12 | 14 | 101 => match data.first().map(|b| b >> 4) {
            Some(4) => (0x0800, 0),
            Some(6) => (0x86dd, 0),
            _ => return Frame::Other,
        },
        // BSD loopback: address family in host byte order
        0 | 108 => {
            let Some(f) = data.get(..4) else {
                return Frame::Other;
            };
            let fam = if f[0] == 0 && f[1] == 0 { f[3] } else { f[0] };
            match fam {
                2 => (0x0800, 4),
                24 | 28 | 30 => (0x86dd, 4),
                _ => return Frame::Other,
            }
        }
        other => return Frame::UnknownLink(other),
    };
    let ip = data.get(at..).unwrap_or(&[]);
    match ethertype {
        0x0800 => ipv4(ip, at),
        0x86dd => ipv6(ip, at),
        _ => Frame::Other,
    }
}

fn ipv4(ip: &[u8], base: usize) -> Frame {
    let Some(&vihl) = ip.first() else {
        return Frame::Other;
    };
    let ihl = usize::from(vihl & 0x0f) * 4;
    if vihl >> 4 != 4 || ihl < 20 || ip.len() < ihl {
        return Frame::Other;
    }
    let total = usize::from(be16(ip, 2).unwrap_or(0)).clamp(ihl, ip.len());
    let src = IpAddr::V4(Ipv4Addr::new(ip[12], ip[13], ip[14], ip[15]));
    if ip[9] != 17 {
        return Frame::Other;
    }
    let frag = be16(ip, 6).unwrap_or(0);
    if frag & 0x2000 != 0 || frag & 0x1fff != 0 {
        return Frame::Fragment { src };
    }
    udp(&ip[ihl..total], base + ihl, src)
}

fn ipv6(ip: &[u8], base: usize) -> Frame {
    if ip.len() < 40 || ip[0] >> 4 != 6 {
        return Frame::Other;
    }
    let mut src = [0u8; 16];
    src.copy_from_slice(&ip[8..24]);
    let src = IpAddr::V6(Ipv6Addr::from(src));
    let end = (40 + usize::from(be16(ip, 4).unwrap_or(0))).min(ip.len());
    let (mut next, mut at) = (ip[6], 40usize);
    // Hop-by-hop, routing, destination options: skip; fragment: not reassembled.
    for _ in 0..8 {
        match next {
            17 => return udp(ip.get(at..end).unwrap_or(&[]), base + at, src),
            44 => return Frame::Fragment { src },
            0 | 43 | 60 => {
                let (Some(&n), Some(&l)) = (ip.get(at), ip.get(at + 1)) else {
                    return Frame::Other;
                };
                next = n;
                at += (usize::from(l) + 1) * 8;
            }
            _ => return Frame::Other,
        }
    }
    Frame::Other
}

fn udp(seg: &[u8], base: usize, src: IpAddr) -> Frame {
    let Some(len) = be16(seg, 4) else {
        return Frame::Other;
    };
    let len = usize::from(len);
    if len < 8 {
        return Frame::Other;
    }
    let end = len.min(seg.len());
    Frame::Udp {
        src,
        start: base + 8,
        end: base + end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ethernet_vlan_ipv4_udp() {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x81, 0x00, 0x00, 0x05, 0x08, 0x00]); // 802.1Q, IPv4
        f.extend_from_slice(&[
            0x45, 0, 0, 32, 0, 0, 0, 0, 64, 17, 0, 0, // IPv4, total 32, UDP
            10, 0, 0, 1, 10, 0, 0, 2, // addresses
            0x08, 0x07, 0x08, 0x07, 0, 12, 0, 0, // UDP, length 12
            0, 10, 0, 4, // payload
        ]);
        assert_eq!(
            parse(1, &f),
            Frame::Udp {
                src: "10.0.0.1".parse().unwrap(),
                start: 46,
                end: 50
            }
        );
        f[18 + 6] = 0x20; // more fragments
        assert_eq!(
            parse(1, &f),
            Frame::Fragment {
                src: "10.0.0.1".parse().unwrap()
            }
        );
        assert_eq!(parse(147, &f), Frame::UnknownLink(147));
    }
}
