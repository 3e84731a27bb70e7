//! Writes flow records as an IPFIX file (RFC 7011 messages back to back, as RFC 5655
//! stores them), which `svcprint-flow` decodes back to the same records.
//!
//! Every record goes out under the template of exactly the fields it has, so nothing
//! optional reads back as a zero: the 5-tuple (IPv4 or IPv6 addresses), millisecond start
//! and end (`flowStartMilliseconds`, `flowEndMilliseconds`), `packetTotalCount` and
//! `octetTotalCount`; when present the MACs (`sourceMacAddress`, `destinationMacAddress`),
//! the RFC 5103 reverse counters (PEN 29305), YAF's `initialTCPFlags`, `unionTCPFlags` and
//! `reverseInitialTCPFlags` (CERT PEN 6871), `icmpTypeCodeIPv4`/`IPv6`, and
//! `biflowDirection` 1 for a source-initiated flow. A template is defined in the message
//! of its first use; records keep their order (a new data set starts whenever the template
//! changes). Positions are not written; an all-zero MAC reads back as none.

use std::net::IpAddr;
use svcprint_flow::FlowRecord;

/// Largest IPFIX message (its length field is 16 bits).
const MAX_MESSAGE: usize = 65_535;
const HEADER: usize = 16;
const PEN_REVERSE: u32 = 29_305;
const PEN_CERT: u32 = 6_871;
/// Template ids are this plus the record's field mask.
const FIRST_TEMPLATE: u16 = 256;
/// Observation domain of every message.
const DOMAIN: u32 = 1;

// Bits of the field mask: which optional fields a record has.
const V6: u16 = 1;
const SRC_MAC: u16 = 1 << 1;
const DST_MAC: u16 = 1 << 2;
const REV_PACKETS: u16 = 1 << 3;
const REV_OCTETS: u16 = 1 << 4;
const INITIAL_FLAGS: u16 = 1 << 5;
const UNION_FLAGS: u16 = 1 << 6;
const REV_INITIAL_FLAGS: u16 = 1 << 7;
const ICMP: u16 = 1 << 8;
const INITIATOR: u16 = 1 << 9;
const MASKS: usize = 1 << 10;

/// IPFIX bytes of flow records. Feed records, take whole messages as they fill, then
/// [`IpfixWriter::finish`] for the last one.
pub struct IpfixWriter {
    defined: Vec<bool>,
    /// Bytes of a data record, by field mask.
    record_len: Vec<usize>,
    /// Sets of the message being built (its header is written when it is full).
    body: Vec<u8>,
    /// The open data set: its template id and where its header starts in `body`.
    open: Option<(u16, usize)>,
    /// Data records before this message (the header's sequence number), and in it.
    sequence: u32,
    in_message: u32,
    /// Latest end time in the message, seconds (its export time).
    export_s: u32,
}

impl Default for IpfixWriter {
    fn default() -> Self {
        IpfixWriter::new()
    }
}

impl IpfixWriter {
    pub fn new() -> Self {
        IpfixWriter {
            defined: vec![false; MASKS],
            record_len: (0..MASKS as u16)
                .map(|m| fields(m).iter().map(|f| usize::from(f.2)).sum())
                .collect(),
            body: Vec::with_capacity(MAX_MESSAGE),
            open: None,
            sequence: 0,
            in_message: 0,
            export_s: 0,
        }
    }

    /// Append `r`; any message it fills is appended to `out`.
    pub fn write(&mut self, r: &FlowRecord, out: &mut Vec<u8>) {
        let mask = mask(r);
        let id = FIRST_TEMPLATE + mask;
        let template = (!self.defined[usize::from(mask)]).then(|| template(mask));
        let new_set = template.is_some() || self.open.map(|(t, _)| t) != Some(id);
        let need = self.record_len[usize::from(mask)]
            + if new_set { 4 } else { 0 }
            + template.as_ref().map_or(0, |t| 4 + t.len());
        if HEADER + self.body.len() + need > MAX_MESSAGE {
            self.flush(out);
        }
        // A template defined in an earlier message needs no repeating: files are read
        // in order within one session.
        if let Some(t) = template {
            self.close_set();
            self.body.extend_from_slice(&2u16.to_be_bytes());
            self.body
                .extend_from_slice(&((4 + t.len()) as u16).to_be_bytes());
            self.body.extend_from_slice(&t);
            self.defined[usize::from(mask)] = true;
        }
        if self.open.map(|(t, _)| t) != Some(id) {
            self.close_set();
            self.open = Some((id, self.body.len()));
            self.body.extend_from_slice(&id.to_be_bytes());
            self.body.extend_from_slice(&[0, 0]); // length, set on closing
        }
        self.record(r, mask);
        self.in_message += 1;
        let end_s = u32::try_from(r.end_ms.max(0) / 1000).unwrap_or(u32::MAX);
        self.export_s = self.export_s.max(end_s);
    }

    /// Append the last message (if any records are pending) to `out`.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        self.flush(out);
    }

    fn close_set(&mut self) {
        if let Some((_, at)) = self.open.take() {
            let len = (self.body.len() - at) as u16;
            self.body[at + 2..at + 4].copy_from_slice(&len.to_be_bytes());
        }
    }

    fn flush(&mut self, out: &mut Vec<u8>) {
        self.close_set();
        if self.body.is_empty() {
            return;
        }
        out.extend_from_slice(&10u16.to_be_bytes());
        out.extend_from_slice(&((HEADER + self.body.len()) as u16).to_be_bytes());
        out.extend_from_slice(&self.export_s.to_be_bytes());
        out.extend_from_slice(&self.sequence.to_be_bytes());
        out.extend_from_slice(&DOMAIN.to_be_bytes());
        out.extend_from_slice(&self.body);
        self.body.clear();
        self.sequence = self.sequence.wrapping_add(self.in_message);
        self.in_message = 0;
        self.export_s = 0;
    }

    fn record(&mut self, r: &FlowRecord, mask: u16) {
        let b = &mut self.body;
        b.extend_from_slice(&r.start_ms.to_be_bytes());
        b.extend_from_slice(&r.end_ms.to_be_bytes());
        b.push(r.protocol);
        addr(b, r.src_addr, mask);
        b.extend_from_slice(&r.src_port.to_be_bytes());
        addr(b, r.dst_addr, mask);
        b.extend_from_slice(&r.dst_port.to_be_bytes());
        b.extend_from_slice(&r.packets.to_be_bytes());
        b.extend_from_slice(&r.octets.to_be_bytes());
        if let Some(m) = r.src_mac.filter(|_| mask & SRC_MAC != 0) {
            b.extend_from_slice(&m.0);
        }
        if let Some(m) = r.dst_mac.filter(|_| mask & DST_MAC != 0) {
            b.extend_from_slice(&m.0);
        }
        for v in [r.reverse_packets, r.reverse_octets].into_iter().flatten() {
            b.extend_from_slice(&v.to_be_bytes());
        }
        let flags = [
            r.initial_tcp_flags,
            r.union_tcp_flags,
            r.reverse_initial_tcp_flags,
        ];
        b.extend(flags.into_iter().flatten());
        if let Some(t) = r.icmp_type_code {
            b.extend_from_slice(&t.to_be_bytes());
        }
        if mask & INITIATOR != 0 {
            b.push(1);
        }
    }
}

/// The optional fields `r` has.
fn mask(r: &FlowRecord) -> u16 {
    let bit = |on: bool, b: u16| if on { b } else { 0 };
    let v6 = matches!(r.src_addr, IpAddr::V6(_)) || matches!(r.dst_addr, IpAddr::V6(_));
    bit(v6, V6)
        | bit(r.src_mac.is_some_and(|m| !m.is_zero()), SRC_MAC)
        | bit(r.dst_mac.is_some_and(|m| !m.is_zero()), DST_MAC)
        | bit(r.reverse_packets.is_some(), REV_PACKETS)
        | bit(r.reverse_octets.is_some(), REV_OCTETS)
        | bit(r.initial_tcp_flags.is_some(), INITIAL_FLAGS)
        | bit(r.union_tcp_flags.is_some(), UNION_FLAGS)
        | bit(r.reverse_initial_tcp_flags.is_some(), REV_INITIAL_FLAGS)
        | bit(r.icmp_type_code.is_some(), ICMP)
        | bit(r.source_initiated, INITIATOR)
}

/// An address in the record's family (a v4 address in a v6 template is v4-mapped).
fn addr(b: &mut Vec<u8>, a: IpAddr, mask: u16) {
    match (a, mask & V6 != 0) {
        (IpAddr::V4(a), false) => b.extend_from_slice(&a.octets()),
        (IpAddr::V4(a), true) => b.extend_from_slice(&a.to_ipv6_mapped().octets()),
        (IpAddr::V6(a), _) => b.extend_from_slice(&a.octets()),
    }
}

/// (enterprise, element id, length) of the template of `mask`, in record order.
fn fields(mask: u16) -> Vec<(u32, u16, u16)> {
    let a = if mask & V6 != 0 { 16 } else { 4 };
    let (src, dst) = if mask & V6 != 0 { (27, 28) } else { (8, 12) };
    let mut f = vec![
        (0, 152, 8), // flowStartMilliseconds
        (0, 153, 8), // flowEndMilliseconds
        (0, 4, 1),   // protocolIdentifier
        (0, src, a), // source address
        (0, 7, 2),   // sourceTransportPort
        (0, dst, a), // destination address
        (0, 11, 2),  // destinationTransportPort
        (0, 86, 8),  // packetTotalCount
        (0, 85, 8),  // octetTotalCount
    ];
    let optional: [(u16, (u32, u16, u16)); 9] = [
        (SRC_MAC, (0, 56, 6)),                                 // sourceMacAddress
        (DST_MAC, (0, 80, 6)),                                 // destinationMacAddress
        (REV_PACKETS, (PEN_REVERSE, 86, 8)),                   // reversePacketTotalCount
        (REV_OCTETS, (PEN_REVERSE, 85, 8)),                    // reverseOctetTotalCount
        (INITIAL_FLAGS, (PEN_CERT, 14, 1)),                    // initialTCPFlags
        (UNION_FLAGS, (PEN_CERT, 15, 1)),                      // unionTCPFlags
        (REV_INITIAL_FLAGS, (PEN_CERT, 16398, 1)),             // reverseInitialTCPFlags
        (ICMP, (0, if mask & V6 != 0 { 139 } else { 32 }, 2)), // icmpTypeCodeIPv6 / IPv4
        (INITIATOR, (0, 239, 1)),                              // biflowDirection
    ];
    f.extend(
        optional
            .iter()
            .filter(|(bit, _)| mask & bit != 0)
            .map(|&(_, spec)| spec),
    );
    f
}

/// The template record of `mask` (id, field count, field specifiers).
fn template(mask: u16) -> Vec<u8> {
    let fields = fields(mask);
    let mut t = Vec::with_capacity(4 + 8 * fields.len());
    t.extend_from_slice(&(FIRST_TEMPLATE + mask).to_be_bytes());
    t.extend_from_slice(&(fields.len() as u16).to_be_bytes());
    for (pen, id, len) in fields {
        let high = if pen != 0 { 0x8000 } else { 0 };
        t.extend_from_slice(&(id | high).to_be_bytes());
        t.extend_from_slice(&len.to_be_bytes());
        if pen != 0 {
            t.extend_from_slice(&pen.to_be_bytes());
        }
    }
    t
}
