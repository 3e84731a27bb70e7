//! Decoding throughput on a large IPFIX file made by the test writer: a YAF-like
//! biflow template (RFC 5103 reverse counters, CERT initial/union TCP flags, times in
//! milliseconds), 1,000,000 records by default in messages of 800 records (about
//! 62 KB, as YAF writes files). Decoded by svcprint's `FileDecoder` (to `FlowRecord`s)
//! and, on the same bytes in the same run, by the `netflow_parser` crate; the best of
//! 5 runs each, in MB/s and records/s.
//!
//! `cargo bench -p svcprint-flow --bench ipfix_decode [-- RECORDS [ours|theirs|both]]`

#[path = "../tests/common/ipfix_writer.rs"]
mod ipfix_writer;

use ipfix_writer::{Field, Message, Template};
use std::hint::black_box;
use std::time::Instant;
use svcprint_flow::{FileDecoder, Limits};

const PEN_REVERSE: u32 = 29305;
const PEN_CERT: u32 = 6871;
const PER_MESSAGE: usize = 800;

/// YAF's biflow record, fixed-length elements only (79 bytes).
fn yaf_template() -> Template {
    Template::new(
        45841,
        vec![
            Field::iana(152, 8),                   // flowStartMilliseconds
            Field::iana(153, 8),                   // flowEndMilliseconds
            Field::iana(85, 8),                    // octetTotalCount
            Field::enterprise(PEN_REVERSE, 85, 8), // reverseOctetTotalCount
            Field::iana(86, 8),                    // packetTotalCount
            Field::enterprise(PEN_REVERSE, 86, 8), // reversePacketTotalCount
            Field::iana(8, 4),                     // sourceIPv4Address
            Field::iana(12, 4),                    // destinationIPv4Address
            Field::iana(7, 2),                     // sourceTransportPort
            Field::iana(11, 2),                    // destinationTransportPort
            Field::iana(4, 1),                     // protocolIdentifier
            Field::iana(136, 1),                   // flowEndReason
            Field::enterprise(PEN_CERT, 21, 4),    // reverseFlowDeltaMilliseconds
            Field::enterprise(PEN_CERT, 14, 1),    // initialTCPFlags
            Field::enterprise(PEN_CERT, 15, 1),    // unionTCPFlags
            Field::enterprise(PEN_CERT, 16398, 1), // reverseInitialTCPFlags
            Field::enterprise(PEN_CERT, 16399, 1), // reverseUnionTCPFlags
            Field::iana(58, 2),                    // vlanId
            Field::enterprise(PEN_REVERSE, 58, 2), // reverseVlanId
            Field::iana(5, 1),                     // ipClassOfService
            Field::enterprise(PEN_CERT, 33, 2),    // silkAppLabel
            Field::iana(210, 2),                   // paddingOctets
        ],
    )
}

fn make_file(records: usize) -> Vec<u8> {
    let t = yaf_template();
    let mut out = Vec::new();
    let mut m = Message::new(1_700_000_000, 0, 1);
    m.templates(&[&t]);
    out.extend(m.bytes());
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut seq = 0u32;
    let mut left = records;
    while left > 0 {
        let n = left.min(PER_MESSAGE);
        let mut body = Vec::with_capacity(n * 79);
        for _ in 0..n {
            let r = next();
            let start = 1_700_000_000_000u64 + (r % 3_600_000);
            let proto = if r & 1 == 0 { 6u8 } else { 17 };
            body.extend_from_slice(&start.to_be_bytes());
            body.extend_from_slice(&(start + (r >> 40) % 60_000).to_be_bytes());
            for k in 0..4u64 {
                body.extend_from_slice(&((r >> (8 * k)) & 0xffff).to_be_bytes());
            }
            body.extend_from_slice(&[10, 0, (r >> 8) as u8, (r >> 16) as u8]);
            body.extend_from_slice(&[93, 184, (r >> 24) as u8, (r >> 32) as u8]);
            body.extend_from_slice(&((r >> 20) as u16).to_be_bytes());
            body.extend_from_slice(&[0x01, 0xbb, proto, 1]);
            body.extend_from_slice(&(((r >> 12) & 0xfff) as u32).to_be_bytes());
            body.extend_from_slice(&[0x02, 0x1b, 0x12, 0x1b, 0, 0, 0, 0, 0, 0x01, 0xbb, 0, 0]);
        }
        let mut m = Message::new(1_700_000_000, seq, 1);
        m.set(45841, &body, 0);
        out.extend(m.bytes());
        seq = seq.wrapping_add(n as u32);
        left -= n;
    }
    out
}

/// svcprint: the whole file through `FileDecoder` in 64 KiB chunks; records are built
/// and dropped per chunk. Returns (records, sum of octets).
fn ours(file: &[u8]) -> (u64, u64) {
    let mut d = FileDecoder::new(0, "bench.ipfix", Limits::default());
    let mut out = Vec::with_capacity(4096);
    let (mut n, mut sum) = (0u64, 0u64);
    for chunk in file.chunks(64 * 1024) {
        d.feed(chunk, &mut out);
        n += out.len() as u64;
        sum += out.iter().map(|r| r.octets).sum::<u64>();
        out.clear();
    }
    d.finish(&mut out);
    n += out.len() as u64;
    (n, sum)
}

/// netflow_parser: the same bytes through `iter_packets` (its non-collecting path);
/// returns (data records, 0).
fn theirs(file: &[u8]) -> (u64, u64) {
    use netflow_parser::variable_versions::ipfix::FlowSetBody;
    use netflow_parser::{NetflowPacket, NetflowParser};
    let mut p = NetflowParser::default();
    let mut n = 0u64;
    for packet in p.iter_packets(file) {
        if let Ok(NetflowPacket::IPFix(m)) = packet {
            for s in &m.flowsets {
                if let FlowSetBody::Data(d) = &s.body {
                    n += d.fields.len() as u64;
                }
            }
        }
    }
    (n, 0)
}

fn measure(name: &str, file: &[u8], f: fn(&[u8]) -> (u64, u64)) {
    let mut best = f64::MAX;
    let mut got = (0, 0);
    for _ in 0..5 {
        let t = Instant::now();
        got = black_box(f(black_box(file)));
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{name:<16} {:>9} records  {:>8.3} s  {:>8.1} MB/s  {:>6.2} M records/s",
        got.0,
        best,
        file.len() as f64 / best / 1e6,
        got.0 as f64 / best / 1e6
    );
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let records: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let which = args.get(1).map(String::as_str).unwrap_or("both");
    let file = make_file(records);
    println!(
        "IPFIX file: {records} records (YAF-like biflow, 79 bytes), {} messages, {:.1} MB",
        records.div_ceil(PER_MESSAGE) + 1,
        file.len() as f64 / 1e6
    );
    if which != "theirs" {
        measure("svcprint-flow", &file, ours);
    }
    if which != "ours" {
        measure("netflow_parser", &file, theirs);
    }
}
