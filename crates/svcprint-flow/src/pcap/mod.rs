//! Packet captures (classic pcap in both byte orders and both time resolutions, and
//! pcapng) whose UDP payloads are NetFlow / IPFIX export datagrams. Each datagram is
//! decoded with its source address as the exporter (template scope). Captures of other
//! traffic give no records and one `UnknownFormat` diagnostic saying so.

pub mod link;

use crate::diag::DiagKind;
use crate::export::Framer;
use crate::ipfix::decoder::{Decoder, Sink};
use link::Frame;

#[derive(Clone, Debug)]
enum State {
    Header,
    Pcap { le: bool, link: u32 },
    Ng { le: bool, links: Vec<u32> },
    Dead,
}

/// Counts of what a capture held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaptureStats {
    pub packets: u64,
    pub udp: u64,
    pub exports: u64,
    pub fragments: u64,
}

/// A streaming capture reader feeding export datagrams to a [`Decoder`].
pub(crate) struct CaptureStream {
    pub(crate) dec: Decoder,
    pub(crate) ng: bool,
    state: State,
    buf: Vec<u8>,
    base: u64,
    pub(crate) stats: CaptureStats,
    unknown_link_reported: bool,
}

fn u32_of(b: &[u8], at: usize, le: bool) -> u32 {
    let a = [b[at], b[at + 1], b[at + 2], b[at + 3]];
    if le {
        u32::from_le_bytes(a)
    } else {
        u32::from_be_bytes(a)
    }
}

/// Whether a UDP payload looks like an export datagram (strict, so that DNS and other
/// UDP traffic is not mistaken for one).
fn looks_like_export(p: &[u8]) -> bool {
    if p.len() < 4 || p[0] != 0 {
        return false;
    }
    match p[1] {
        10 => {
            p.len() >= 16
                && usize::from(u16::from_be_bytes([p[2], p[3]])) <= p.len()
                && u16::from_be_bytes([p[2], p[3]]) >= 16
        }
        9 => {
            // The first flowset must have a valid id and fit in the datagram.
            let (Some(id), Some(len)) = (
                p.get(20..22).map(|b| u16::from_be_bytes([b[0], b[1]])),
                p.get(22..24)
                    .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]]))),
            ) else {
                return false;
            };
            (id <= 1 || id >= 256) && len >= 4 && len <= p.len() - 20
        }
        5 => p.len() >= 24 && (p.len() - 24).is_multiple_of(48),
        _ => false,
    }
}

impl CaptureStream {
    pub(crate) fn new(dec: Decoder, ng: bool) -> Self {
        CaptureStream {
            dec,
            ng,
            state: State::Header,
            buf: Vec::new(),
            base: 0,
            stats: CaptureStats::default(),
            unknown_link_reported: false,
        }
    }

    pub(crate) fn feed(&mut self, bytes: &[u8], sink: &mut Sink) {
        self.buf.extend_from_slice(bytes);
        let buf = std::mem::take(&mut self.buf);
        let mut at = 0usize;
        while let Some(n) = self.step(&buf[at..], self.base + at as u64, sink) {
            at += n;
        }
        self.base += at as u64;
        self.buf = buf;
        self.buf.drain(..at);
    }

    pub(crate) fn finish(&mut self, sink: &mut Sink) {
        let rest = self.buf.len();
        if rest > 0 && !matches!(self.state, State::Dead) {
            let what = if matches!(self.state, State::Header) {
                "capture header"
            } else {
                "capture record"
            };
            let m = format!("the capture ends inside a {what} ({rest} bytes left)");
            self.dec.diag(sink.diags, self.base, DiagKind::Truncated, m);
        }
        self.dec.finish(sink);
        if self.stats.exports == 0 {
            let m = format!(
                "this is a packet capture, not a flow export: none of its {} packets ({} UDP datagrams) is a NetFlow/IPFIX export datagram; no records",
                self.stats.packets, self.stats.udp
            );
            self.dec.diag(sink.diags, 0, DiagKind::UnknownFormat, m);
        }
    }

    fn dead(&mut self, sink: &mut Sink, offset: u64, kind: DiagKind, m: String) -> Option<usize> {
        self.dec.diag(sink.diags, offset, kind, m);
        self.state = State::Dead;
        None
    }

    /// One header, record or block; the bytes used, or None to wait for more.
    fn step(&mut self, b: &[u8], offset: u64, sink: &mut Sink) -> Option<usize> {
        let max = self.dec.limits.max_capture_block;
        match self.state.clone() {
            State::Dead => Some(b.len()).filter(|&n| n > 0),
            State::Header if self.ng => {
                // Section header block: type, length, byte-order magic.
                let magic = b.get(8..12)?;
                let le = match magic {
                    [0x4d, 0x3c, 0x2b, 0x1a] => true,
                    [0x1a, 0x2b, 0x3c, 0x4d] => false,
                    _ => {
                        let m = "pcapng section header has no byte-order magic".to_string();
                        return self.dead(sink, offset, DiagKind::Framing, m);
                    }
                };
                self.state = State::Ng {
                    le,
                    links: Vec::new(),
                };
                Some(0)
            }
            State::Header => {
                let h = b.get(..24)?;
                let (le, _nanos) = match h[..4] {
                    [0xd4, 0xc3, 0xb2, 0xa1] => (true, false),
                    [0xa1, 0xb2, 0xc3, 0xd4] => (false, false),
                    [0x4d, 0x3c, 0xb2, 0xa1] => (true, true),
                    _ => (false, true),
                };
                self.state = State::Pcap {
                    le,
                    link: u32_of(h, 20, le) & 0x0fff_ffff,
                };
                Some(24)
            }
            State::Pcap { le, link } => {
                let h = b.get(..16)?;
                let caplen = u32_of(h, 8, le) as usize;
                if caplen > max {
                    let m = format!(
                        "pcap record of {caplen} bytes exceeds the limit of {max}; the rest of the capture is skipped"
                    );
                    return self.dead(sink, offset, DiagKind::Limit, m);
                }
                let data = b.get(16..16 + caplen)?;
                self.packet(link, data, offset + 16, sink);
                Some(16 + caplen)
            }
            State::Ng { le, mut links } => {
                let h = b.get(..8)?;
                let (btype, len) = (u32_of(h, 0, le), u32_of(h, 4, le) as usize);
                if btype == 0x0a0d_0d0a {
                    // A new section: its own byte order.
                    let magic = b.get(8..12)?;
                    let le = magic == [0x4d, 0x3c, 0x2b, 0x1a];
                    let len = u32_of(b, 4, le) as usize;
                    if len < 28 || !len.is_multiple_of(4) || len > max {
                        let m = format!("pcapng section header length {len} is invalid; the rest of the capture is skipped");
                        return self.dead(sink, offset, DiagKind::Framing, m);
                    }
                    b.get(..len)?;
                    self.state = State::Ng {
                        le,
                        links: Vec::new(),
                    };
                    return Some(len);
                }
                if len < 12 || !len.is_multiple_of(4) {
                    let m = format!("pcapng block of type {btype} has length {len}; the rest of the capture is skipped");
                    return self.dead(sink, offset, DiagKind::Framing, m);
                }
                if len > max {
                    let m = format!(
                        "pcapng block of {len} bytes exceeds the limit of {max}; the rest of the capture is skipped"
                    );
                    return self.dead(sink, offset, DiagKind::Limit, m);
                }
                let block = b.get(..len)?;
                let body = &block[8..len - 4];
                match btype {
                    1 if body.len() >= 2 => {
                        let lt = if le {
                            u16::from_le_bytes([body[0], body[1]])
                        } else {
                            u16::from_be_bytes([body[0], body[1]])
                        };
                        links.push(u32::from(lt));
                        self.state = State::Ng { le, links };
                    }
                    6 | 2 if body.len() >= 20 => {
                        let iface = if btype == 6 {
                            u32_of(body, 0, le) as usize
                        } else if le {
                            usize::from(u16::from_le_bytes([body[0], body[1]]))
                        } else {
                            usize::from(u16::from_be_bytes([body[0], body[1]]))
                        };
                        let caplen = (u32_of(body, 12, le) as usize).min(body.len() - 20);
                        let link = links.get(iface).copied().unwrap_or(u32::MAX);
                        self.packet(link, &body[20..20 + caplen], offset + 28, sink);
                    }
                    3 if body.len() >= 4 => {
                        let link = links.first().copied().unwrap_or(u32::MAX);
                        let caplen = (u32_of(body, 0, le) as usize).min(body.len() - 4);
                        self.packet(link, &body[4..4 + caplen], offset + 12, sink);
                    }
                    _ => {}
                }
                Some(len)
            }
        }
    }

    fn packet(&mut self, link: u32, data: &[u8], offset: u64, sink: &mut Sink) {
        self.stats.packets += 1;
        match link::parse(link, data) {
            Frame::Udp { src, start, end } => {
                self.stats.udp += 1;
                let payload = data.get(start..end).unwrap_or(&[]);
                if looks_like_export(payload) {
                    self.stats.exports += 1;
                    let mut framer = Framer::default();
                    framer.run(
                        &mut self.dec,
                        payload,
                        offset + start as u64,
                        true,
                        Some(src),
                        sink,
                    );
                }
            }
            Frame::Fragment { src } => {
                self.stats.fragments += 1;
                let m = format!(
                    "packet {}: UDP fragment from {src} ignored (IP fragments are not reassembled)",
                    self.stats.packets - 1
                );
                self.dec.diag(sink.diags, offset, DiagKind::Unsupported, m);
            }
            Frame::UnknownLink(l) => {
                if !self.unknown_link_reported {
                    self.unknown_link_reported = true;
                    let m = format!("link type {l} is not supported; its packets are skipped");
                    self.dec.diag(sink.diags, offset, DiagKind::Unsupported, m);
                }
            }
            Frame::Other => {}
        }
    }
}
