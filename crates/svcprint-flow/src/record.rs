//! The flow record (method.md M1).

use crate::mac::Mac;
use std::net::IpAddr;

/// Where a record came from, for diagnostics: the index of its file in the
/// session's file list, its line (text formats; 0 when not applicable) and
/// the byte offset of its first byte in the decoded (decompressed) stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Position {
    pub file: u32,
    pub line: u64,
    pub byte: u64,
}

/// One flow (method.md M1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowRecord {
    /// Start time, ms since the Unix epoch, UTC.
    pub start_ms: i64,
    /// End time, ms since the Unix epoch, UTC (may be before start in bad data).
    pub end_ms: i64,
    /// IP protocol number.
    pub protocol: u8,
    pub src_addr: IpAddr,
    pub dst_addr: IpAddr,
    /// 0 where the protocol has none. For ICMP, formats may carry type/code here (M2 rule 0).
    pub src_port: u16,
    pub dst_port: u16,
    pub src_mac: Option<Mac>,
    pub dst_mac: Option<Mac>,
    /// Forward (source to destination) packets and octets.
    pub packets: u64,
    pub octets: u64,
    /// RFC 5103 reverse counters; `Some` (even when zero) marks a biflow (M2 rule 1).
    pub reverse_packets: Option<u64>,
    pub reverse_octets: Option<u64>,
    /// TCP flags of the first packet from the source (initial) and the OR of all (union).
    pub initial_tcp_flags: Option<u8>,
    pub union_tcp_flags: Option<u8>,
    /// Reverse-direction initial TCP flags (biflows), when known.
    pub reverse_initial_tcp_flags: Option<u8>,
    /// ICMP type*256+code from a dedicated icmpTypeCode field, when the format has one.
    pub icmp_type_code: Option<u16>,
    /// The input format says the source initiated the flow (YAF, Zeek, CICFlowMeter; M2 rule 1).
    pub source_initiated: bool,
    pub position: Position,
}

impl FlowRecord {
    /// A record with the given 5-tuple and times and everything optional unset.
    pub fn new(
        start_ms: i64,
        end_ms: i64,
        protocol: u8,
        src: (IpAddr, u16),
        dst: (IpAddr, u16),
    ) -> Self {
        FlowRecord {
            start_ms,
            end_ms,
            protocol,
            src_addr: src.0,
            dst_addr: dst.0,
            src_port: src.1,
            dst_port: dst.1,
            src_mac: None,
            dst_mac: None,
            packets: 1,
            octets: 0,
            reverse_packets: None,
            reverse_octets: None,
            initial_tcp_flags: None,
            union_tcp_flags: None,
            reverse_initial_tcp_flags: None,
            icmp_type_code: None,
            source_initiated: false,
            position: Position::default(),
        }
    }

    /// Forward plus reverse packets (method.md M4 min_packets).
    pub fn total_packets(&self) -> u64 {
        self.packets
            .saturating_add(self.reverse_packets.unwrap_or(0))
    }

    /// True when the record is a biflow: it carries reverse counters (even zero)
    /// or its format says the source initiated it (method.md M2 rule 1).
    pub fn is_biflow(&self) -> bool {
        self.reverse_packets.is_some() || self.reverse_octets.is_some() || self.source_initiated
    }
}
