//! Each field of `Limits` that bounds binary flow decoding, hit by a small input made
//! with the test writer, with the exact diagnostic it gives (kind, byte offset,
//! message) and the records that still come out.

mod common;

use common::ipfix_writer::{udp_pcap, uint, Field, Message, Template, VARLEN};
use svcprint_flow::{decode_all, DiagKind, Diagnostic, FlowRecord, Limits};

fn decode(name: &str, bytes: &[u8], limits: Limits) -> (Vec<FlowRecord>, Vec<Diagnostic>) {
    let (records, s) = decode_all(0, name, bytes, limits);
    (records, s.diagnostics.kept)
}

fn diag(name: &str, offset: u64, kind: DiagKind, message: &str) -> Diagnostic {
    Diagnostic {
        file: name.to_string(),
        line: None,
        column: None,
        offset: Some(offset),
        kind,
        message: message.to_string(),
    }
}

/// sourceIPv4Address, destinationIPv4Address, octetDeltaCount (4), protocol: 13 bytes.
fn small_template(id: u16) -> Template {
    Template::new(
        id,
        vec![
            Field::iana(8, 4),
            Field::iana(12, 4),
            Field::iana(1, 4),
            Field::iana(4, 1),
        ],
    )
}

fn small_record(t: &Template, last: u8) -> Vec<u8> {
    t.data(
        &[&[10, 0, 0, 1], &[10, 0, 0, last], &uint(100, 4), &[6]],
        &[],
    )
}

/// Data before its template is held up to `max_buffered_bytes`: a 26-byte set fits in
/// 30 and is decoded when template 256 comes; a second 26-byte set for template 257
/// would make 52 and is reported at once.
#[test]
fn max_buffered_bytes() {
    let (t, u) = (small_template(256), small_template(257));
    let mut m = Message::new(1_700_000_000, 0, 1);
    m.data(256, &[small_record(&t, 2), small_record(&t, 3)], 0); // set 0 at 16, 30 bytes
    m.data(257, &[small_record(&u, 4), small_record(&u, 5)], 0); // set 1 at 46
    m.templates(&[&t, &u]); // set 2 at 76
    let limits = Limits {
        max_buffered_bytes: 30,
        ..Limits::default()
    };
    let (records, diags) = decode("b.ipfix", &m.bytes(), limits);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].dst_addr.to_string(), "10.0.0.3");
    assert_eq!(
        diags,
        vec![diag(
            "b.ipfix",
            50,
            DiagKind::Limit,
            "message 0, set 1: data for unknown template 257 not held: over 30 bytes wait for templates; set skipped"
        )]
    );
}

/// A third observation domain is past `max_template_scopes: 2`: its message is skipped.
#[test]
fn max_template_scopes() {
    let t = small_template(256);
    let mut bytes = Vec::new();
    for domain in 1..=3 {
        let mut m = Message::new(1_700_000_000, 0, domain);
        m.templates(&[&t])
            .data(256, &[small_record(&t, domain as u8)], 0);
        bytes.extend(m.bytes());
    }
    let limits = Limits {
        max_template_scopes: 2,
        ..Limits::default()
    };
    let (records, diags) = decode("s.ipfix", &bytes, limits);
    assert_eq!(records.len(), 2);
    let len = bytes.len() as u64 / 3;
    assert_eq!(
        diags,
        vec![diag(
            "s.ipfix",
            2 * len,
            DiagKind::Limit,
            "more than 2 template scopes (exporter, domain); message from domain 3 skipped"
        )]
    );
}

/// A pcap record longer than `max_capture_block` ends the capture; the packet before
/// it is decoded.
#[test]
fn max_capture_block() {
    let t = small_template(256);
    let mut m = Message::new(1_700_000_000, 0, 1);
    m.templates(&[&t]).data(256, &[small_record(&t, 2)], 0);
    let small = m.bytes(); // 16 + 24 + 17 = 57 bytes, a 99-byte frame
    let mut big = Message::new(1_700_000_000, 1, 1);
    big.data(256, &vec![small_record(&t, 3); 10], 0); // 16 + 134 = 150, a 192-byte frame
    let pcap = udp_pcap(&[small, big.bytes()]);
    let limits = Limits {
        max_capture_block: 150,
        ..Limits::default()
    };
    let (records, diags) = decode("c.pcap", &pcap, limits);
    assert_eq!(records.len(), 1);
    assert_eq!(
        diags,
        vec![diag(
            "c.pcap",
            24 + 16 + 99,
            DiagKind::Limit,
            "pcap record of 192 bytes exceeds the limit of 150; the rest of the capture is skipped"
        )]
    );
}

/// A third template in one domain is past `max_templates_per_domain: 2`: dropped, and
/// its data reported as missing its template.
#[test]
fn max_templates_per_domain() {
    let ts: Vec<Template> = (256..259).map(small_template).collect();
    let mut m = Message::new(1_700_000_000, 0, 7);
    m.templates(&[&ts[0], &ts[1], &ts[2]]); // set 0 at 16: records of 20 bytes
    for t in &ts {
        m.data(t.id, &[small_record(t, 9)], 0);
    }
    let limits = Limits {
        max_templates_per_domain: 2,
        ..Limits::default()
    };
    let (records, diags) = decode("t.ipfix", &m.bytes(), limits);
    assert_eq!(records.len(), 2);
    let data2 = 16 + 64 + 17 + 17;
    assert_eq!(
        diags,
        vec![
            diag(
                "t.ipfix",
                20 + 40,
                DiagKind::Limit,
                "message 0, set 0: template 258 dropped: more than 2 templates in domain 7"
            ),
            diag(
                "t.ipfix",
                data2 + 4,
                DiagKind::MissingTemplate,
                "message 0, set 3: no template 258 (observation domain 7) arrived for this data set of 13 bytes"
            ),
        ]
    );
}

/// A template of 4 fields is past `max_template_fields: 3`: rejected, the rest of its
/// set skipped.
#[test]
fn max_template_fields() {
    let t = small_template(256);
    let mut m = Message::new(1_700_000_000, 0, 1);
    m.templates(&[&t]);
    let limits = Limits {
        max_template_fields: 3,
        ..Limits::default()
    };
    let (records, diags) = decode("f.ipfix", &m.bytes(), limits);
    assert!(records.is_empty());
    assert_eq!(
        diags,
        vec![diag(
            "f.ipfix",
            20,
            DiagKind::Limit,
            "message 0, set 0: template 256 has 4 fields, the limit is 3; rest of the set skipped"
        )]
    );
}

/// `max_record_bytes: 20`: a template whose fixed part is 24 bytes is dropped; a
/// record whose variable-length field makes it 22 bytes ends its set.
#[test]
fn max_record_bytes() {
    let wide = Template::new(
        256,
        vec![Field::iana(27, 16), Field::iana(8, 4), Field::iana(12, 4)],
    );
    let var = Template::new(
        257,
        vec![
            Field::iana(8, 4),
            Field::iana(12, 4),
            Field::enterprise(6871, 1, VARLEN),
        ],
    );
    let mut m = Message::new(1_700_000_000, 0, 1);
    m.templates(&[&wide, &var]); // set 0 at 16
    let ok = var.data(&[&[10, 0, 0, 1], &[10, 0, 0, 2], b"short"], &[]); // 14 bytes
    let long = var.data(&[&[10, 0, 0, 1], &[10, 0, 0, 3], b"thirteen char"], &[]); // 22
    m.data(257, &[ok, long], 0);
    let limits = Limits {
        max_record_bytes: 20,
        ..Limits::default()
    };
    let (records, diags) = decode("r.ipfix", &m.bytes(), limits);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].dst_addr.to_string(), "10.0.0.2");
    let set1 = 16 + 4 + 16 + 20;
    assert_eq!(
        diags,
        vec![
            diag(
                "r.ipfix",
                20,
                DiagKind::Limit,
                "message 0, set 0: template 256: records of at least 24 bytes exceed the limit of 20; template dropped"
            ),
            diag(
                "r.ipfix",
                set1 + 4 + 14,
                DiagKind::Limit,
                "message 0, set 1, record 1 (template 257) is 22 bytes long, over the limit of 20; rest of the set skipped"
            ),
        ]
    );
}
