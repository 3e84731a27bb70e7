//! Decode throughput over the UNSW IoT IPFIX corpus (or any files given as arguments).
//!
//! `cargo run --release -p svcprint-flow --example throughput [FILE...]`
//!
//! Files are read into memory first; only decoding is timed. Prints, per file and in
//! total, records, decoded CSV bytes, MB/s of decompressed CSV, MB/s of input and
//! records/s. The corpus folder comes from `SVCPRINT_CORPUS` (default
//! `../shared/corpus` beside the repository).

use std::path::PathBuf;
use std::time::Instant;
use svcprint_flow::{FileDecoder, Limits};

/// Decoded size of a file: the uncompressed sizes its container states, else its size.
fn decoded_len(bytes: &[u8]) -> u64 {
    if bytes.starts_with(b"PK\x03\x04") {
        // Sum of the central directory's uncompressed sizes (end record at the tail).
        let Some(eocd) = (0..bytes.len().saturating_sub(21))
            .rev()
            .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))
        else {
            return bytes.len() as u64;
        };
        let cd = u32::from_le_bytes(bytes[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
        let n = u16::from_le_bytes(bytes[eocd + 10..eocd + 12].try_into().unwrap());
        let (mut at, mut sum) = (cd, 0u64);
        for _ in 0..n {
            sum += u64::from(u32::from_le_bytes(
                bytes[at + 24..at + 28].try_into().unwrap(),
            ));
            let l = |o: usize| {
                usize::from(u16::from_le_bytes(
                    bytes[at + o..at + o + 2].try_into().unwrap(),
                ))
            };
            at += 46 + l(28) + l(30) + l(32);
        }
        sum
    } else {
        bytes.len() as u64
    }
}

fn main() {
    let mut files: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if files.is_empty() {
        let root = std::env::var_os("SVCPRINT_CORPUS")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
            });
        let dir = root.join("unsw-ipfix-iot-2019");
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "zip"))
            .collect();
        v.sort();
        files = v;
    }
    let chunk = 256 * 1024;
    let (mut t_rec, mut t_csv, mut t_in, mut t_secs) = (0u64, 0u64, 0u64, 0f64);
    println!(
        "{:<34} {:>9} {:>10} {:>9} {:>9} {:>11}",
        "file", "records", "csv MB", "csv MB/s", "in MB/s", "records/s"
    );
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let csv = decoded_len(&bytes);
        let name = path.file_name().unwrap().to_string_lossy();
        let mut best = f64::MAX;
        let mut records = 0;
        for _ in 0..3 {
            let mut streamed = 0u64;
            let t = Instant::now();
            let mut d = FileDecoder::new(0, &name, Limits::default());
            let mut out = Vec::new();
            for c in bytes.chunks(chunk) {
                d.feed(c, &mut out);
                streamed += out.len() as u64;
                out.clear();
            }
            let s = d.finish(&mut out);
            best = best.min(t.elapsed().as_secs_f64());
            assert_eq!(s.diagnostics.total(), 0, "{:?}", s.diagnostics);
            records = s.records;
            assert_eq!(streamed + out.len() as u64, records);
        }
        let mb = csv as f64 / 1e6;
        println!(
            "{:<34} {:>9} {:>10.1} {:>9.0} {:>9.1} {:>11.0}",
            name,
            records,
            mb,
            mb / best,
            bytes.len() as f64 / 1e6 / best,
            records as f64 / best
        );
        t_rec += records;
        t_csv += csv;
        t_in += bytes.len() as u64;
        t_secs += best;
    }
    println!(
        "{:<34} {:>9} {:>10.1} {:>9.0} {:>9.1} {:>11.0}",
        "TOTAL",
        t_rec,
        t_csv as f64 / 1e6,
        t_csv as f64 / 1e6 / t_secs,
        t_in as f64 / 1e6 / t_secs,
        t_rec as f64 / t_secs
    );
}
