//! NetFlow v5: a 24-byte header and `count` fixed 48-byte records (at most 30).

use crate::diag::DiagKind;
use crate::ipfix::decoder::{Decoder, Sink};
use crate::record::{FlowRecord, Position};
use std::net::{IpAddr, Ipv4Addr};

pub const HEADER_LEN: usize = 24;
pub const RECORD_LEN: usize = 48;
/// Most records in one v5 datagram (Cisco's format definition).
pub const MAX_COUNT: u16 = 30;

/// A NetFlow v5 header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub count: u16,
    pub sys_uptime: u32,
    pub unix_secs: u32,
    pub unix_nsecs: u32,
    pub sequence: u32,
}

impl Header {
    pub fn parse(b: &[u8]) -> Option<Header> {
        let h = b.get(..HEADER_LEN)?;
        let u32_at = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        Some(Header {
            count: u16::from_be_bytes([h[2], h[3]]),
            sys_uptime: u32_at(4),
            unix_secs: u32_at(8),
            unix_nsecs: u32_at(12),
            sequence: u32_at(16),
        })
    }

    /// Bytes the datagram must have for its count.
    pub fn datagram_len(&self) -> usize {
        HEADER_LEN + RECORD_LEN * usize::from(self.count)
    }
}

impl Decoder {
    /// Decodes a whole v5 datagram (`d` is exactly `h.datagram_len()` bytes).
    pub(crate) fn v5_datagram(&mut self, h: &Header, d: &[u8], offset: u64, sink: &mut Sink) {
        let export_ms = i64::from(h.unix_secs) * 1000 + i64::from(h.unix_nsecs / 1_000_000);
        let at_uptime = |up: u32| export_ms - i64::from(h.sys_uptime.wrapping_sub(up) as i32);
        let records = d.get(HEADER_LEN..).unwrap_or(&[]);
        for (i, r) in records.chunks_exact(RECORD_LEN).enumerate() {
            let u32_at = |i: usize| u32::from_be_bytes([r[i], r[i + 1], r[i + 2], r[i + 3]]);
            let u16_at = |i: usize| u16::from_be_bytes([r[i], r[i + 1]]);
            let src = IpAddr::V4(Ipv4Addr::from(u32_at(0)));
            let dst = IpAddr::V4(Ipv4Addr::from(u32_at(4)));
            let mut f = FlowRecord::new(
                at_uptime(u32_at(24)),
                at_uptime(u32_at(28)),
                r[38],
                (src, u16_at(32)),
                (dst, u16_at(34)),
            );
            f.packets = u64::from(u32_at(16));
            f.octets = u64::from(u32_at(20));
            f.union_tcp_flags = Some(r[37]);
            f.position = Position {
                file: self.file_index,
                line: 0,
                byte: offset + (HEADER_LEN + i * RECORD_LEN) as u64,
            };
            sink.out.push(f);
            self.stats.data_records += 1;
            self.stats.flows += 1;
        }
    }

    pub(crate) fn v5_bad_count(&mut self, h: &Header, have: usize, offset: u64, sink: &mut Sink) {
        let index = self.stats.messages;
        let m = format!(
            "packet {index}: NetFlow v5 header counts {} records ({} bytes, at most {MAX_COUNT} records), the datagram has {have} bytes; datagram skipped",
            h.count,
            h.datagram_len()
        );
        self.diag(sink.diags, offset, DiagKind::Framing, m);
    }
}
