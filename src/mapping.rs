//! Column mappings for text files whose header no dialect knows: when a file needs one,
//! and the key under which a mapping is remembered (only when the user asks) for files
//! with the same header.

use svcprint_flow::{ColumnMap, DiagKind, FileSummary, Preview};

/// Prefix of the browser-storage keys of remembered mappings.
pub const STORAGE_PREFIX: &str = "svcprint.mapping.";

/// True when a file produced nothing because its header was not understood: the user
/// can map its columns.
pub fn needs_mapping(summary: &FileSummary) -> bool {
    summary.records == 0
        && summary
            .diagnostics
            .counts
            .contains_key(&DiagKind::MissingColumn)
}

/// The storage key of a header: its column names in order (a mapping is only reused for
/// exactly the same header).
pub fn storage_key(columns: &[String]) -> String {
    format!("{STORAGE_PREFIX}{}", columns.join("\u{1f}"))
}

/// The mapping to remember, as text (`key=column,...`, the CLI's `--map` form).
pub fn to_text(map: &ColumnMap) -> String {
    map.to_string()
}

/// A remembered mapping read back; `None` when it no longer parses or names a column the
/// header lacks.
pub fn from_text(text: &str, preview: &Preview) -> Option<ColumnMap> {
    let map = ColumnMap::parse(text).ok()?;
    let known = map
        .iter()
        .all(|(_, col)| preview.columns.iter().any(|c| c == col));
    known.then_some(map)
}

/// Build a mapping from the user's choices (`(key, column)`, empty column = unmapped);
/// the error names what is wrong (an unknown key, a field chosen twice, a required field
/// missing).
pub fn build(choices: &[(String, String)]) -> Result<ColumnMap, String> {
    let mut map = ColumnMap::new();
    for (key, col) in choices.iter().filter(|(_, c)| !c.is_empty()) {
        map.insert(key, col).map_err(|e| e.to_string())?;
    }
    let missing: Vec<&str> = ["start", "proto", "src_ip", "dst_ip"]
        .into_iter()
        .filter(|k| map.get(k).is_none())
        .collect();
    if missing.is_empty() {
        Ok(map)
    } else {
        Err(format!("map at least {}", missing.join(", ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_flow::{decode_all, preview, DecodeOptions, FileDecoder, Limits};

    const ODD: &[u8] =
        b"When,From,To,Proto,SPort,DPort\n2024-05-01 10:00:00,192.168.1.20,8.8.8.8,udp,40000,53\n";

    #[test]
    fn an_unknown_header_needs_a_mapping_and_a_built_one_decodes_it() {
        let (records, summary) = decode_all(0, "odd.csv", ODD, Limits::default());
        assert!(records.is_empty());
        assert!(needs_mapping(&summary), "{summary:?}");

        let p = preview(ODD);
        assert_eq!(p.columns, ["When", "From", "To", "Proto", "SPort", "DPort"]);
        assert_eq!(
            storage_key(&p.columns),
            "svcprint.mapping.When\u{1f}From\u{1f}To\u{1f}Proto\u{1f}SPort\u{1f}DPort"
        );

        let choice = |k: &str, c: &str| (k.to_string(), c.to_string());
        assert_eq!(
            build(&[choice("start", "When")]),
            Err("map at least proto, src_ip, dst_ip".into())
        );
        let map = build(&[
            choice("start", "When"),
            choice("src_ip", "From"),
            choice("dst_ip", "To"),
            choice("proto", "Proto"),
            choice("src_port", "SPort"),
            choice("dst_port", "DPort"),
            choice("end", ""),
        ])
        .expect("complete mapping");
        let text = to_text(&map);
        assert_eq!(from_text(&text, &p), Some(map.clone()));
        assert_eq!(
            from_text("start=Elsewhen,proto=Proto,src_ip=From,dst_ip=To", &p),
            None
        );

        let mut dec = FileDecoder::with_options(
            0,
            "odd.csv",
            Limits::default(),
            DecodeOptions {
                column_map: map,
                time_zone: None,
            },
        );
        let mut out = Vec::new();
        dec.feed(ODD, &mut out);
        let summary = dec.finish(&mut out);
        assert_eq!(out.len(), 1);
        assert!(!needs_mapping(&summary));
        assert_eq!((out[0].protocol, out[0].dst_port), (17, 53));
    }
}
