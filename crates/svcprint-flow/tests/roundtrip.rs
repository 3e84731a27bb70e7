//! Property tests: IPFIX written by the test writer and decoded again gives back every
//! record, field by field: random templates (field order shuffled, IPv4 or IPv6,
//! reduced-size counters of 1-8 bytes, RFC 5103 reverse counters, enterprise and
//! unknown elements, fixed or variable length, the 3-byte length form), records
//! spread over several data sets and messages, set padding, template before or after
//! its data; decoded whole, in random chunks, and inside a pcap.

mod common;

use common::ipfix_writer::{udp_pcap, uint, varlen, Field, Message, Template, VARLEN};
use proptest::prelude::*;
use std::net::IpAddr;
use svcprint_flow::{decode_all, FileDecoder, FlowRecord, Limits};

const PEN_REVERSE: u32 = 29305;

/// One template field and what it means.
#[derive(Clone, Debug)]
enum Kind {
    Src,
    Dst,
    SrcPort,
    DstPort,
    Proto,
    Octets(u16),
    Packets(u16),
    RevOctets(u16),
    RevPackets(u16),
    Start,
    End,
    /// Skipped by the decoder: an enterprise element (not one it maps) or an IANA
    /// element it does not use, fixed-length or variable-length.
    Other(Option<u32>, u16, u16),
}

#[derive(Clone, Debug)]
struct Layout {
    v6: bool,
    kinds: Vec<Kind>,
}

impl Layout {
    fn template(&self, id: u16) -> Template {
        let addr = if self.v6 { 16 } else { 4 };
        let fields = self
            .kinds
            .iter()
            .map(|k| match *k {
                Kind::Src => Field::iana(if self.v6 { 27 } else { 8 }, addr),
                Kind::Dst => Field::iana(if self.v6 { 28 } else { 12 }, addr),
                Kind::SrcPort => Field::iana(7, 2),
                Kind::DstPort => Field::iana(11, 2),
                Kind::Proto => Field::iana(4, 1),
                Kind::Octets(n) => Field::iana(1, n),
                Kind::Packets(n) => Field::iana(2, n),
                Kind::RevOctets(n) => Field::enterprise(PEN_REVERSE, 1, n),
                Kind::RevPackets(n) => Field::enterprise(PEN_REVERSE, 2, n),
                Kind::Start => Field::iana(152, 8),
                Kind::End => Field::iana(153, 8),
                Kind::Other(pen, id, len) => Field { id, pen, len },
            })
            .collect();
        Template::new(id, fields)
    }

    /// Smallest record (variable-length fields empty, 1-byte prefix).
    fn min_len(&self) -> usize {
        let t = self.template(256);
        t.fields
            .iter()
            .map(|f| {
                if f.len == VARLEN {
                    1
                } else {
                    usize::from(f.len)
                }
            })
            .sum()
    }
}

fn layout() -> impl Strategy<Value = Layout> {
    let other = (
        prop_oneof![
            Just(None),
            // Enterprise numbers the decoder maps nothing from (not 29305 / 6871).
            (1u32..6000)
                .prop_filter("unmapped", |p| *p != 29305 && *p != 6871)
                .prop_map(Some),
        ],
        // IANA ids the decoder skips (e.g. 82 interfaceName, 210 paddingOctets).
        prop_oneof![Just(82u16), Just(210), Just(300), 1000u16..2000],
        prop_oneof![Just(VARLEN), 0u16..12],
    )
        .prop_map(|(pen, id, len)| Kind::Other(pen, id, len));
    (
        any::<bool>(),
        1u16..=8,
        1u16..=8,
        proptest::option::of((1u16..=8, 1u16..=8)),
        proptest::collection::vec(other, 0..4),
    )
        .prop_flat_map(|(v6, lo, lp, rev, others)| {
            let mut kinds = vec![
                Kind::Src,
                Kind::Dst,
                Kind::SrcPort,
                Kind::DstPort,
                Kind::Proto,
                Kind::Octets(lo),
                Kind::Packets(lp),
                Kind::Start,
                Kind::End,
            ];
            if let Some((a, b)) = rev {
                kinds.push(Kind::RevOctets(a));
                kinds.push(Kind::RevPackets(b));
            }
            kinds.extend(others);
            Just(kinds)
                .prop_shuffle()
                .prop_map(move |kinds| Layout { v6, kinds })
        })
}

/// xorshift64: record values derived from one seed per record.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// One record's bytes and the flow record the decoder must give for it.
fn record(l: &Layout, seed: u64) -> (Vec<u8>, FlowRecord) {
    let mut rng = Rng(seed | 1);
    let addr = |rng: &mut Rng| -> (Vec<u8>, IpAddr) {
        if l.v6 {
            let b: [u8; 16] = rng.bytes(16).try_into().expect("16");
            (b.to_vec(), IpAddr::from(b))
        } else {
            let b: [u8; 4] = rng.bytes(4).try_into().expect("4");
            (b.to_vec(), IpAddr::from(b))
        }
    };
    let (src_b, src) = addr(&mut rng);
    let (dst_b, dst) = addr(&mut rng);
    let (sp, dp) = (rng.next() as u16, rng.next() as u16);
    let proto = if rng.next().is_multiple_of(2) { 6 } else { 17 };
    let start = 1_600_000_000_000 + (rng.next() % 100_000_000_000) as i64;
    let end = start + (rng.next() % 3_600_000) as i64;
    let mut want = FlowRecord::new(start, end, proto, (src, sp), (dst, dp));
    let counter = |n: u16, rng: &mut Rng| -> (Vec<u8>, u64) {
        let bits = 8 * u32::from(n);
        let v = if bits == 64 {
            rng.next()
        } else {
            rng.next() & ((1u64 << bits) - 1)
        };
        (uint(v, usize::from(n)), v)
    };
    let mut bytes = Vec::new();
    for k in &l.kinds {
        match *k {
            Kind::Src => bytes.extend_from_slice(&src_b),
            Kind::Dst => bytes.extend_from_slice(&dst_b),
            Kind::SrcPort => bytes.extend_from_slice(&sp.to_be_bytes()),
            Kind::DstPort => bytes.extend_from_slice(&dp.to_be_bytes()),
            Kind::Proto => bytes.push(proto),
            Kind::Octets(n) => {
                let (b, v) = counter(n, &mut rng);
                bytes.extend(b);
                want.octets = v;
            }
            Kind::Packets(n) => {
                let (b, v) = counter(n, &mut rng);
                bytes.extend(b);
                want.packets = v;
            }
            Kind::RevOctets(n) => {
                let (b, v) = counter(n, &mut rng);
                bytes.extend(b);
                want.reverse_octets = Some(v);
            }
            Kind::RevPackets(n) => {
                let (b, v) = counter(n, &mut rng);
                bytes.extend(b);
                want.reverse_packets = Some(v);
            }
            Kind::Start => bytes.extend_from_slice(&(start as u64).to_be_bytes()),
            Kind::End => bytes.extend_from_slice(&(end as u64).to_be_bytes()),
            Kind::Other(_, _, len) if len == VARLEN => {
                // 0-299 bytes: both prefix forms, and the 3-byte form for short values.
                let n = (rng.next() % 300) as usize;
                let long = rng.next().is_multiple_of(4);
                let v = rng.bytes(n);
                varlen(&mut bytes, &v, long);
            }
            Kind::Other(_, _, len) => bytes.extend(rng.bytes(usize::from(len))),
        }
    }
    (bytes, want)
}

#[derive(Clone, Debug)]
struct Case {
    layout: Layout,
    seeds: Vec<u64>,
    per_set: usize,
    sets_per_message: usize,
    padding: usize,
    template_last: bool,
    domain: u32,
}

fn case() -> impl Strategy<Value = Case> {
    (
        layout(),
        proptest::collection::vec(any::<u64>(), 1..40),
        1usize..8,
        1usize..4,
        0usize..8,
        any::<bool>(),
        any::<u32>(),
    )
        .prop_map(
            |(layout, seeds, per_set, sets_per_message, padding, template_last, domain)| {
                // Padding must be shorter than a record (RFC 7011 section 3.3.1).
                let padding = padding.min(layout.min_len().saturating_sub(1));
                Case {
                    layout,
                    seeds,
                    per_set,
                    sets_per_message,
                    padding,
                    template_last,
                    domain,
                }
            },
        )
}

/// The messages of a case and the records they must decode to (in order).
fn write(c: &Case) -> (Vec<Vec<u8>>, Vec<FlowRecord>) {
    let t = c.layout.template(300);
    let recs: Vec<(Vec<u8>, FlowRecord)> = c.seeds.iter().map(|&s| record(&c.layout, s)).collect();
    let mut messages = Vec::new();
    let mut m = Message::new(1_700_000_000, 0, c.domain);
    if !c.template_last {
        m.templates(&[&t]);
    }
    let mut sets = 0;
    for chunk in recs.chunks(c.per_set) {
        if sets == c.sets_per_message {
            messages.push(m.bytes());
            m = Message::new(1_700_000_000, messages.len() as u32, c.domain);
            sets = 0;
        }
        let bodies: Vec<Vec<u8>> = chunk.iter().map(|(b, _)| b.clone()).collect();
        m.data(300, &bodies, c.padding);
        sets += 1;
    }
    if c.template_last {
        m.templates(&[&t]);
    }
    messages.push(m.bytes());
    (messages, recs.into_iter().map(|(_, r)| r).collect())
}

/// Decoded records without their positions, in chunks cut at `cuts`.
fn decode_chunked(name: &str, bytes: &[u8], cuts: &[usize]) -> Vec<FlowRecord> {
    let mut out = Vec::new();
    let mut d = FileDecoder::new(0, name, Limits::default());
    let mut at = 0;
    let mut k = 0;
    while at < bytes.len() {
        let n = cuts
            .get(k)
            .copied()
            .unwrap_or(bytes.len())
            .clamp(1, bytes.len() - at);
        d.feed(&bytes[at..at + n], &mut out);
        at += n;
        k += 1;
    }
    let s = d.finish(&mut out);
    assert!(s.diagnostics.kept.is_empty(), "{:#?}", s.diagnostics.kept);
    out
}

fn without_position(mut v: Vec<FlowRecord>) -> Vec<FlowRecord> {
    for r in &mut v {
        r.position = Default::default();
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// RFC 5655 file: messages back to back; whole and in random chunks.
    #[test]
    fn ipfix_file_round_trip(c in case(), cuts in proptest::collection::vec(1usize..200, 0..50)) {
        let (messages, want) = write(&c);
        // Messages must fit their u16 length field.
        prop_assume!(messages.iter().all(|m| m.len() <= 65535));
        let file: Vec<u8> = messages.concat();
        let (got, s) = decode_all(0, "rt.ipfix", &file, Limits::default());
        prop_assert!(s.diagnostics.kept.is_empty(), "{:#?}", s.diagnostics.kept);
        prop_assert_eq!(without_position(got.clone()), want);
        prop_assert_eq!(decode_chunked("rt.ipfix", &file, &cuts), got);
    }

    /// The same messages as UDP datagrams in a pcap.
    #[test]
    fn ipfix_in_pcap_round_trip(c in case()) {
        let (messages, want) = write(&c);
        prop_assume!(messages.iter().all(|m| m.len() <= 65535 - 28));
        let pcap = udp_pcap(&messages);
        let (got, s) = decode_all(0, "rt.pcap", &pcap, Limits::default());
        prop_assert!(s.diagnostics.kept.is_empty(), "{:#?}", s.diagnostics.kept);
        prop_assert_eq!(without_position(got), want);
    }
}

/// The 3-byte variable-length form for a value under 255 bytes and for one over
/// 255 bytes, and reduced-size counters of 3 and 5 bytes, in one hand-checked record.
#[test]
fn three_byte_varlen_and_reduced_size() {
    let t = Template::new(
        256,
        vec![
            Field::iana(8, 4),
            Field::enterprise(4242, 7, VARLEN),
            Field::iana(12, 4),
            Field::iana(82, VARLEN),
            Field::iana(2, 3),
            Field::iana(1, 5),
        ],
    );
    let long_name = vec![b'x'; 300];
    let rec = t.data(
        &[
            &[10, 0, 0, 1],
            b"abc",
            &[10, 0, 0, 2],
            &long_name,
            &uint(70_000, 3),
            &uint(5_000_000_000, 5),
        ],
        &[false, true, false, false, false, false],
    );
    assert_eq!(rec.len(), 4 + 3 + 3 + 4 + 3 + 300 + 3 + 5);
    let mut m = Message::new(1_700_000_000, 0, 1);
    m.templates(&[&t]).data(256, &[rec], 3);
    let (got, s) = decode_all(0, "v.ipfix", &m.bytes(), Limits::default());
    assert!(s.diagnostics.kept.is_empty(), "{:#?}", s.diagnostics.kept);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].packets, got[0].octets), (70_000, 5_000_000_000));
    assert_eq!(got[0].dst_addr.to_string(), "10.0.0.2");
    // No time field: the export time, for start and end.
    assert_eq!(
        (got[0].start_ms, got[0].end_ms),
        (1_700_000_000_000, 1_700_000_000_000)
    );
}
