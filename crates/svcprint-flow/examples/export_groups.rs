//! Decodes session groups of files and prints what the golden table in
//! `tests/exports.rs` holds: `name<TAB>flows<TAB>data records<TAB>options records<TAB>
//! diagnostic kinds`. Input on stdin: `name<TAB>file,file,...` per line, paths relative
//! to the corpus (`SVCPRINT_CORPUS`, default `../shared/corpus`).
//!
//! `cargo run -p svcprint-flow --example export_groups < groups.tsv`

use std::io::BufRead;
use svcprint_flow::{Limits, Session};

fn main() {
    let corpus = std::env::var("SVCPRINT_CORPUS").unwrap_or_else(|_| "../shared/corpus".into());
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let Some((name, files)) = line.split_once('\t') else {
            continue;
        };
        let mut session = Session::new(Limits::default());
        let (mut flows, mut data, mut opts) = (0u64, 0u64, 0u64);
        let mut kinds = std::collections::BTreeMap::new();
        for f in files.split(',') {
            let bytes = std::fs::read(format!("{corpus}/{f}")).expect("corpus file");
            let mut d = session.file(f);
            let mut out = Vec::new();
            d.feed(&bytes, &mut out);
            let s = d.finish(&mut out);
            let st = d.export_stats().cloned().unwrap_or_default();
            flows += out.len() as u64;
            data += st.data_records;
            opts += st.options_records;
            for (k, n) in s.diagnostics.counts {
                *kinds.entry(k.as_str()).or_insert(0u64) += n;
            }
        }
        let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k}={n}")).collect();
        println!("{name}\t{flows}\t{data}\t{opts}\t{}", kinds.join(","));
    }
}
