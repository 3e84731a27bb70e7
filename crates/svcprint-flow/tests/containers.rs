//! Container handling end to end through the public API: plain, gzip and ZIP inputs
//! built in the test, damaged and truncated variants, rejections and limits.

mod common;

use common::*;
use svcprint_flow::{decode_all, DiagKind, FileDecoder, FileSummary, FlowRecord, Limits};

fn plain(text: &str) -> (Vec<FlowRecord>, FileSummary) {
    decode_all(0, "f.csv", text.as_bytes(), Limits::default())
}

fn kinds(s: &FileSummary) -> Vec<DiagKind> {
    s.diagnostics.kept.iter().map(|d| d.kind).collect()
}

#[test]
fn plain_text_decodes_with_format_and_counts() {
    let text = csv_text(50);
    let (recs, s) = plain(&text);
    assert_eq!(recs.len(), 50);
    assert_eq!(s.format, "csv-ipfix");
    assert_eq!(s.records, 50);
    assert_eq!(s.bytes_in, text.len() as u64);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(recs[0].reverse_packets, Some(0));
    assert!(recs[0].source_initiated);
    assert_eq!(recs[1].initial_tcp_flags, Some(0x02));
    assert_eq!(recs[2].initial_tcp_flags, Some(0x12));
    assert_eq!(recs[3].initial_tcp_flags, Some(24));
    assert_eq!(recs[4].initial_tcp_flags, Some(0x18));
    assert_eq!(recs[2].protocol, 1);
    assert_eq!(
        (recs[2].src_port, recs[2].dst_port),
        (40_002, 771),
        "ICMP ports kept as given"
    );
}

#[test]
fn bom_is_skipped_and_counts_in_offsets() {
    let text = format!("\u{feff}{}", csv_text(3));
    let (recs, s) = plain(&text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0].position.byte, (3 + HDR.len()) as u64);
    assert_eq!(recs[0].position.line, 2);
}

#[test]
fn gzip_single_multi_member_and_header_fields_give_the_plain_records() {
    let text = csv_text(300);
    let (want, _) = plain(&text);
    let (recs, s) = decode_all(0, "f.csv", &gzip(text.as_bytes()), Limits::default());
    assert_eq!(s.format, "gzip/csv-ipfix");
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(recs, want);

    // Two members, cut in the middle of a row: one text, as `gzip -d` gives.
    let cut = text.len() / 2 + 7;
    let mut two = gzip_all_header_fields(&text.as_bytes()[..cut]);
    two.extend_from_slice(&gzip(&text.as_bytes()[cut..]));
    two.extend_from_slice(&[0; 16]); // zero padding after the last member is fine
    let (recs, s) = decode_all(0, "f.csv", &two, Limits::default());
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(recs, want);
}

#[test]
fn gzip_trailing_garbage_is_reported_and_ignored() {
    let text = csv_text(10);
    let mut g = gzip(text.as_bytes());
    g.extend_from_slice(b"garbage");
    let (recs, s) = decode_all(0, "f.csv.gz", &g, Limits::default());
    assert_eq!(recs.len(), 10);
    assert_eq!(kinds(&s), vec![DiagKind::Compression]);
    assert!(
        s.diagnostics.kept[0]
            .message
            .starts_with("unexpected bytes after gzip member 1"),
        "{}",
        s.diagnostics.kept[0].message
    );
}

#[test]
fn truncated_gzip_keeps_the_records_before_the_cut() {
    let text = csv_text(2000);
    let (want, _) = plain(&text);
    let g = gzip(text.as_bytes());
    for cut in [g.len() / 3, g.len() / 2, g.len() - 200] {
        let (recs, s) = decode_all(0, "f.csv.gz", &g[..cut], Limits::default());
        assert_eq!(
            kinds(&s),
            vec![DiagKind::Truncated],
            "cut {cut}: {:?}",
            s.diagnostics.counts
        );
        assert!(
            !recs.is_empty() && recs.len() < want.len(),
            "cut {cut}: {}",
            recs.len()
        );
        assert_eq!(recs[..], want[..recs.len()], "a prefix, no partial row");
    }
    // Cut inside the trailer: all the data is there.
    let (recs, s) = decode_all(0, "f.csv.gz", &g[..g.len() - 4], Limits::default());
    assert_eq!(recs, want);
    assert_eq!(kinds(&s), vec![DiagKind::Truncated]);
    // Only the magic number.
    let (recs, s) = decode_all(0, "f.csv.gz", &g[..2], Limits::default());
    assert!(recs.is_empty());
    assert_eq!(kinds(&s), vec![DiagKind::Truncated]);
    assert_eq!(s.format, "gzip/empty");
}

#[test]
fn damaged_gzip_gives_a_compression_diagnostic_and_no_panic() {
    let text = csv_text(2000);
    let (want, _) = plain(&text);
    let mut g = gzip(text.as_bytes());
    // A stored CRC that does not match.
    let n = g.len();
    g[n - 8] ^= 0xff;
    let (recs, s) = decode_all(0, "f.csv.gz", &g, Limits::default());
    assert_eq!(recs, want);
    assert_eq!(kinds(&s), vec![DiagKind::Compression]);
    assert!(s.diagnostics.kept[0].message.contains("CRC-32 mismatch"));
    // Damaged deflate data: every byte in the middle set to 0xff.
    let mut g = gzip(text.as_bytes());
    let mid = g.len() / 2;
    for b in &mut g[mid..mid + 64] {
        *b = 0xff;
    }
    let (recs, s) = decode_all(0, "f.csv.gz", &g, Limits::default());
    assert!(recs.len() < want.len());
    assert!(
        s.diagnostics.counts.contains_key(&DiagKind::Compression),
        "{:?}",
        s.diagnostics.counts
    );
}

#[test]
fn zip_members_in_all_descriptor_layouts_decode_alike() {
    let text = csv_text(400);
    let (want, _) = plain(&text);
    for sizes in [
        Sizes::Header,
        Sizes::DescriptorSig,
        Sizes::DescriptorNoSig,
        Sizes::DescriptorZip64,
        Sizes::Descriptor64NoExtra,
    ] {
        for method in [0, 8] {
            if method == 0 && sizes != Sizes::Header {
                continue; // stored + descriptor has no findable end; tested below
            }
            let z = zip(
                &[Member::new("flows.csv", text.as_bytes())
                    .method(method)
                    .sizes(sizes)],
                true,
            );
            let (recs, s) = decode_all(0, "a.zip", &z, Limits::default());
            assert!(
                s.diagnostics.is_empty(),
                "{sizes:?} {method}: {:?}",
                s.diagnostics.kept.first()
            );
            assert_eq!(s.format, "zip/csv-ipfix");
            assert_eq!(recs, want, "{sizes:?} {method}");
        }
    }
}

#[test]
fn zip_with_several_members_directories_and_metadata() {
    let a = csv_text(5);
    let b =
        format!("{HDR}2019-06-25 08:00:00,1,17,10.0.0.1,1,10.0.0.2,53,1,60,0,,,0\r\nbad row\r\n");
    let z = zip(
        &[
            Member::new("dir/", b"").method(0).sizes(Sizes::Header),
            Member::new("dir/a.csv", a.as_bytes()),
            Member::new("__MACOSX/dir/._a.csv", b"\x00\x05\x16\x07binary"),
            Member::new("dir/b.csv", b.as_bytes())
                .method(0)
                .sizes(Sizes::Header),
        ],
        true,
    );
    let (recs, s) = decode_all(4, "outer.zip", &z, Limits::default());
    assert_eq!(recs.len(), 6);
    assert_eq!(recs[5].position.line, 2, "lines count within the member");
    assert_eq!(recs[5].position.byte, HDR.len() as u64);
    assert!(recs.iter().all(|r| r.position.file == 4));
    assert_eq!(s.records, 6);
    assert_eq!(kinds(&s), vec![DiagKind::FieldCount]);
    let d = &s.diagnostics.kept[0];
    assert_eq!(d.file, "outer.zip:dir/b.csv");
    assert_eq!(d.line, Some(3));
}

#[test]
fn zip_encrypted_and_unsupported_members_are_skipped_with_a_diagnostic() {
    let text = csv_text(3);
    let z = zip(
        &[
            Member::new("secret.csv", b"xxxxxxxxxxxx")
                .method(0)
                .sizes(Sizes::Header)
                .encrypted(),
            Member::new("b.csv", b"BZh91AY&SY....")
                .method(12)
                .sizes(Sizes::Header),
            Member::new("ok.csv", text.as_bytes()),
        ],
        true,
    );
    let (recs, s) = decode_all(0, "o.zip", &z, Limits::default());
    assert_eq!(recs.len(), 3);
    let got: Vec<(&str, DiagKind, &str)> = s
        .diagnostics
        .kept
        .iter()
        .map(|d| (d.file.as_str(), d.kind, d.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "o.zip:secret.csv",
                DiagKind::Archive,
                "member is encrypted; skipped"
            ),
            (
                "o.zip:b.csv",
                DiagKind::Archive,
                "compression method 12 (bzip2) is not supported; member skipped"
            ),
        ]
    );
    // Same unsupported method but with its size only in a data descriptor: the rest
    // of the archive cannot be found.
    let z = zip(
        &[
            Member::new("ok1.csv", text.as_bytes()),
            Member::new("b.csv", b"BZh9").method(12),
            Member::new("ok2.csv", text.as_bytes()),
        ],
        true,
    );
    let (recs, s) = decode_all(0, "o.zip", &z, Limits::default());
    assert_eq!(recs.len(), 3);
    assert_eq!(kinds(&s), vec![DiagKind::Archive, DiagKind::Archive]);
    assert!(
        s.diagnostics.kept[1]
            .message
            .contains("its end cannot be found"),
        "{:?}",
        s.diagnostics.kept[1]
    );
}

#[test]
fn a_descriptor_that_matches_no_layout_is_reported_and_the_next_member_still_read() {
    let text = csv_text(20);
    let mut z = zip(
        &[
            Member::new("a.csv", text.as_bytes()),
            Member::new("b.csv", text.as_bytes()),
        ],
        true,
    );
    let at = z.windows(4).position(|w| w == b"PK\x07\x08").unwrap();
    z[at + 8] ^= 0x40; // the compressed size
    let whole = decode_all(0, "d.zip", &z, Limits::default());
    assert_eq!(whole.0.len(), 40);
    assert_eq!(kinds(&whole.1), vec![DiagKind::Archive]);
    assert_eq!(whole.1.diagnostics.kept[0].file, "d.zip:a.csv");
    for size in [1, 3, 5, 13] {
        assert!(
            feed_in_pieces("d.zip", &z, &[size]) == whole,
            "chunk size {size}"
        );
    }
}

#[test]
fn truncated_and_damaged_zip() {
    let text = csv_text(3000);
    let (want, _) = plain(&text);
    let z = zip(&[Member::new("f.csv", text.as_bytes())], true);
    // Cut inside the deflate data.
    let (recs, s) = decode_all(0, "t.zip", &z[..z.len() / 2], Limits::default());
    assert_eq!(kinds(&s), vec![DiagKind::Truncated]);
    assert_eq!(s.diagnostics.kept[0].file, "t.zip:f.csv");
    assert!(!recs.is_empty() && recs.len() < want.len());
    assert_eq!(recs[..], want[..recs.len()]);
    // No central directory: all records, and a note that the archive may be truncated.
    let z = zip(&[Member::new("f.csv", text.as_bytes())], false);
    let (recs, s) = decode_all(0, "t.zip", &z, Limits::default());
    assert_eq!(recs, want);
    assert_eq!(kinds(&s), vec![DiagKind::Truncated]);
    assert!(s.diagnostics.kept[0]
        .message
        .contains("without a central directory"));
    // Cut inside the data descriptor.
    let (recs, s) = decode_all(0, "t.zip", &z[..z.len() - 6], Limits::default());
    assert_eq!(recs, want);
    assert_eq!(kinds(&s), vec![DiagKind::Truncated]);
    // A descriptor CRC that does not match.
    let mut z = zip(&[Member::new("f.csv", text.as_bytes())], true);
    let at = z.windows(4).position(|w| w == b"PK\x07\x08").unwrap();
    z[at + 4] ^= 1;
    let (recs, s) = decode_all(0, "t.zip", &z, Limits::default());
    assert_eq!(recs, want);
    assert_eq!(kinds(&s), vec![DiagKind::Compression]);
    // Damaged deflate data.
    let mut z = zip(&[Member::new("f.csv", text.as_bytes())], true);
    let mid = z.len() / 2;
    for b in &mut z[mid..mid + 64] {
        *b = 0xff;
    }
    let (recs, s) = decode_all(0, "t.zip", &z, Limits::default());
    assert!(recs.len() < want.len());
    // Overwritten deflate data may still inflate (to garbage rows, each reported);
    // either way the container notices: bad data, a descriptor that does not match
    // the data, or a CRC mismatch.
    let c = &s.diagnostics.counts;
    assert!(
        c.contains_key(&DiagKind::Compression) || c.contains_key(&DiagKind::Archive),
        "{c:?}"
    );
}

#[test]
fn non_text_files_are_rejected_with_one_diagnostic() {
    for (bytes, why) in [
        (
            &b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"[..],
            "looks like a PDF document",
        ),
        (
            &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..],
            "looks like a PNG image",
        ),
        (
            &b"flowStartMilliseconds,protocolIdentifier\n1,\x002"[..],
            "NUL byte at offset 43",
        ),
    ] {
        let (recs, s) = decode_all(0, "x.csv", bytes, Limits::default());
        assert!(recs.is_empty());
        assert_eq!(s.format, "unknown");
        assert_eq!(kinds(&s), vec![DiagKind::UnknownFormat]);
        assert!(
            s.diagnostics.kept[0].message.contains(why),
            "{}",
            s.diagnostics.kept[0].message
        );
    }
    // Compressed binary is rejected after decompression, per member.
    let (_, s) = decode_all(0, "x.gz", &gzip(b"%PDF-1.4 ..."), Limits::default());
    assert_eq!(
        (s.format.as_str(), kinds(&s)),
        ("gzip/unknown", vec![DiagKind::UnknownFormat])
    );
    let z = zip(&[Member::new("img.png", b"\x89PNG\r\n\x1a\n....")], true);
    let (_, s) = decode_all(0, "x.zip", &z, Limits::default());
    assert_eq!(kinds(&s), vec![DiagKind::UnknownFormat]);
    assert_eq!(s.diagnostics.kept[0].file, "x.zip:img.png");
    // A NUL byte after the first KiB is not a format question: that row is bad.
    let mut text = csv_text(40);
    assert!(text.len() > 1024);
    text.push_str("2019-06-25 08:00:00,1,17,10.0.0.1,1,10.0.0.\u{0}2,53,1,60,0,,,0\r\n");
    let (recs, s) = plain(&text);
    assert_eq!(recs.len(), 40);
    assert_eq!(kinds(&s), vec![DiagKind::BadValue]);
}

#[test]
fn empty_and_headerless_files() {
    let (recs, s) = plain("");
    assert!(recs.is_empty());
    assert_eq!(s.format, "empty");
    assert_eq!(kinds(&s), vec![DiagKind::UnknownFormat]);
    let (_, s) = plain("ts,src,dst\n1,2,3\n");
    assert_eq!(s.format, "csv");
    assert_eq!(kinds(&s), vec![DiagKind::MissingColumn]);
    // An empty archive (end record only).
    let (recs, s) = decode_all(0, "e.zip", &zip(&[], true), Limits::default());
    assert!(recs.is_empty());
    assert_eq!(s.format, "zip");
    assert!(s.diagnostics.is_empty());
}

#[test]
fn limit_max_archive_members() {
    let t = csv_text(2);
    let members = [
        Member::new("a.csv", t.as_bytes()),
        Member::new("b.csv", t.as_bytes()),
        Member::new("c.csv", t.as_bytes()),
    ];
    let limits = Limits {
        max_archive_members: 2,
        ..Limits::default()
    };
    let (recs, s) = decode_all(0, "m.zip", &zip(&members, true), limits);
    assert_eq!(recs.len(), 4);
    assert_eq!(kinds(&s), vec![DiagKind::Limit]);
    assert_eq!(
        s.diagnostics.kept[0].message,
        "archive has more than max_archive_members (2) members; the rest is skipped"
    );
    let limits = Limits {
        max_archive_members: 3,
        ..Limits::default()
    };
    let (recs, s) = decode_all(0, "m.zip", &zip(&members, true), limits);
    assert_eq!(recs.len(), 6);
    assert!(s.diagnostics.is_empty());
}

#[test]
fn limit_max_member_name() {
    let t = csv_text(2);
    let members = [
        Member::new("a-rather-long-name.csv", t.as_bytes()),
        Member::new("short.csv", t.as_bytes()),
    ];
    let limits = Limits {
        max_member_name: 10,
        ..Limits::default()
    };
    let (recs, s) = decode_all(0, "m.zip", &zip(&members, true), limits);
    assert_eq!(recs.len(), 2);
    assert_eq!(kinds(&s), vec![DiagKind::Limit]);
    let d = &s.diagnostics.kept[0];
    assert_eq!(d.file, "m.zip:a-rather-l…");
    assert_eq!(
        d.message,
        "member name of 22 bytes is longer than max_member_name (10); member skipped"
    );
}

#[test]
fn limit_diagnostics_kept_per_file() {
    let mut text = csv_text(3);
    for _ in 0..10 {
        text.push_str("x,y\r\n");
    }
    let limits = Limits {
        diagnostics_kept: 4,
        ..Limits::default()
    };
    let (recs, s) = decode_all(0, "f.csv", text.as_bytes(), limits);
    assert_eq!(recs.len(), 3);
    assert_eq!(s.diagnostics.kept.len(), 4);
    assert_eq!(s.diagnostics.total(), 10);
}

#[test]
fn limit_max_line_bytes_through_a_compressed_stream() {
    // A 5 MB line inside a gzip stream is skipped without being buffered, and the rows
    // after it still count.
    let mut text = csv_text(2);
    text.push_str(&"9".repeat(5_000_000));
    text.push_str("\r\n");
    text.push_str(&csv_text(2)[HDR.len()..]);
    let limits = Limits {
        max_line_bytes: 4096,
        ..Limits::default()
    };
    let (recs, s) = decode_all(0, "f.gz", &gzip(text.as_bytes()), limits);
    assert_eq!(recs.len(), 4);
    assert_eq!(kinds(&s), vec![DiagKind::TooLong]);
    assert_eq!(s.diagnostics.kept[0].line, Some(4));
    assert_eq!(
        s.diagnostics.kept[0].message,
        "row of 5000001 bytes is longer than max_line_bytes (4096); skipped"
    );
}

#[test]
fn finish_twice_and_feed_after_finish() {
    let text = csv_text(3);
    let mut d = FileDecoder::new(0, "f.csv", Limits::default());
    let mut out = Vec::new();
    d.feed(text.as_bytes(), &mut out);
    let s1 = d.finish(&mut out);
    d.feed(text.as_bytes(), &mut out);
    let s2 = d.finish(&mut out);
    assert_eq!(s1, s2);
    assert_eq!(out.len(), 3);
    assert_eq!(d.diagnostics(), &s1.diagnostics);
}

fn feed_in_pieces(name: &str, bytes: &[u8], sizes: &[usize]) -> (Vec<FlowRecord>, FileSummary) {
    let mut d = FileDecoder::new(0, name, Limits::default());
    let mut out = Vec::new();
    let mut at = 0;
    let mut k = 0;
    while at < bytes.len() {
        let n = sizes[k % sizes.len()].clamp(1, bytes.len() - at);
        d.feed(&bytes[at..at + n], &mut out);
        at += n;
        k += 1;
    }
    let s = d.finish(&mut out);
    (out, s)
}

fn sample_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut text = format!("\u{feff}{}", csv_text(60));
    text.push_str("bad,row\r\n\r\n2019-06-25 08:00:00,1,17,10.0.0.1,1,10.0.0.2,53,1,60,0,\"aa:bb:cc:dd:ee:ff\",,0");
    let plain = text.clone().into_bytes();
    let gz = gzip(text.as_bytes());
    let zipped = zip(
        &[
            Member::new("a.csv", text.as_bytes()).sizes(Sizes::DescriptorNoSig),
            Member::new("b.csv", text.as_bytes()).sizes(Sizes::DescriptorZip64),
            Member::new("c.csv", text.as_bytes()).sizes(Sizes::Descriptor64NoExtra),
        ],
        true,
    );
    let truncated_zip = zipped[..zipped.len() / 2].to_vec();
    vec![
        ("p.csv", plain),
        ("p.csv.gz", gz),
        ("p.zip", zipped),
        ("t.zip", truncated_zip),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn any_split_gives_the_same_result(sizes in proptest::collection::vec(1usize..300, 1..40)) {
        for (name, bytes) in sample_inputs() {
            let whole = decode_all(0, name, &bytes, Limits::default());
            let pieces = feed_in_pieces(name, &bytes, &sizes);
            proptest::prop_assert_eq!(&pieces, &whole, "{}", name);
        }
    }
}

#[test]
fn one_byte_chunks_give_the_same_result() {
    for (name, bytes) in sample_inputs() {
        let whole = decode_all(0, name, &bytes, Limits::default());
        assert!(whole.0.len() >= 61, "{name}: {}", whole.0.len());
        assert_eq!(feed_in_pieces(name, &bytes, &[1]), whole, "{name}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
    /// Damaged inputs (bytes overwritten, cut anywhere) never panic, and chunk borders
    /// still do not change the records or the diagnostics.
    #[test]
    fn damaged_inputs_never_panic_and_stay_chunk_independent(
        which in 0usize..4,
        edits in proptest::collection::vec((0.0f64..1.0, proptest::num::u8::ANY), 0..6),
        cut in 0.0f64..1.0,
        sizes in proptest::collection::vec(1usize..200, 1..10),
    ) {
        let (name, mut bytes) = sample_inputs().swap_remove(which);
        for (at, v) in edits {
            let i = ((bytes.len() as f64 * at) as usize).min(bytes.len() - 1);
            bytes[i] = v;
        }
        let keep = ((bytes.len() as f64) * (0.5 + cut / 2.0)) as usize;
        bytes.truncate(keep.max(1));
        let whole = decode_all(0, name, &bytes, Limits::default());
        let pieces = feed_in_pieces(name, &bytes, &sizes);
        proptest::prop_assert_eq!(&pieces, &whole, "{}", name);
    }

    /// Arbitrary bytes, also behind a gzip or ZIP magic number, never panic.
    #[test]
    fn arbitrary_bytes_never_panic(prefix in 0usize..3, body in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
        let mut bytes = [&b""[..], b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", b"PK\x03\x04"][prefix].to_vec();
        bytes.extend_from_slice(&body);
        let (recs, s) = decode_all(0, "x", &bytes, Limits::default());
        proptest::prop_assert_eq!(recs.len() as u64, s.records);
    }
}
