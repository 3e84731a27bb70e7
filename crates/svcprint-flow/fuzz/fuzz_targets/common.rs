//! Shared by the fuzz targets: feed `bytes` to a standalone `FileDecoder` in chunks
//! whose size comes from the first input byte, then once whole, and check that the
//! chunked result equals the whole one (chunk borders never change the result).

use svcprint_flow::{FileDecoder, Limits};

pub fn run(bytes: &[u8]) {
    let Some((&k, body)) = bytes.split_first() else {
        return;
    };
    let chunk = usize::from(k).max(1);
    let limits = Limits {
        // Small limits so the fuzzer reaches the limit paths too.
        max_buffered_bytes: 4096,
        max_templates_per_domain: 64,
        max_template_scopes: 16,
        diagnostics_kept: 32,
        ..Limits::default()
    };
    let mut whole = Vec::new();
    let mut d = FileDecoder::new(0, "fuzz", limits.clone());
    d.feed(body, &mut whole);
    let sw = d.finish(&mut whole);
    let mut parts = Vec::new();
    let mut d = FileDecoder::new(0, "fuzz", limits);
    for c in body.chunks(chunk) {
        d.feed(c, &mut parts);
    }
    let sp = d.finish(&mut parts);
    assert_eq!(whole, parts);
    assert_eq!(sw.diagnostics.counts, sp.diagnostics.counts);
}

/// `magic` then `rest`: forces the sniffer to pick one decoder.
pub fn with_prefix(chunk: u8, magic: &[u8], rest: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(1 + magic.len() + rest.len());
    v.push(chunk);
    v.extend_from_slice(magic);
    v.extend_from_slice(rest);
    v
}
