//! The header and first rows of a text flow file, from its first bytes: what a mapping
//! UI shows so that the user can pick the column of each field.
//!
//! Works on the first bytes of the file as stored: gzip and the first member of a ZIP
//! archive are inflated (as far as the bytes go), then the text is read like the
//! decoders read it (BOM, CRLF, quotes, Zeek `#fields`, JSON objects flattened to dotted
//! names). A last line cut short by the end of the bytes is left out.

use super::columns::normalize;
use super::dialect::{super_mediator_flow_row, Dialect, SUPER_MEDIATOR_BASIC};
use super::ndjson::flatten;
use super::sniff::{is_json, not_text, separator, Separator};
use super::zeek::{self, Directive};
use serde::{Deserialize, Serialize};
use std::io::Read;

/// Rows a preview holds at most.
pub const PREVIEW_ROWS: usize = 20;

/// Decompressed bytes a preview reads at most.
const PREVIEW_TEXT_BYTES: usize = 256 * 1024;

/// What [`preview`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    /// `csv`, `tsv-zeek` or `json`; empty when the bytes are not text.
    pub syntax: String,
    /// The recognised dialect, when the header is complete for one (no mapping needed).
    pub dialect: Option<Dialect>,
    /// `,` `;` `\t` `|` or `whitespace` for delimited text; `None` for JSON.
    pub separator: Option<String>,
    /// The header's column names (JSON: member names of the first objects, in order).
    pub columns: Vec<String>,
    /// Up to [`PREVIEW_ROWS`] data rows, one value per column (`""` when absent).
    pub rows: Vec<Vec<String>>,
    /// Why there is nothing to show (not text, empty, damaged container).
    pub problem: Option<String>,
}

/// Header and first rows of a flow file from its first bytes.
pub fn preview(bytes: &[u8]) -> Preview {
    let text = match inflate_head(bytes) {
        Ok(t) => t,
        Err(problem) => {
            return Preview {
                problem: Some(problem),
                ..Preview::default()
            }
        }
    };
    if let Some(why) = not_text(&text) {
        return Preview {
            problem: Some(why),
            ..Preview::default()
        };
    }
    let mut p = if is_json(&text) {
        preview_json(&text)
    } else {
        preview_delimited(&text)
    };
    let norm: Vec<String> = p.columns.iter().map(|c| normalize(c)).collect();
    p.dialect = Dialect::detect(&norm).filter(|d| d.complete(&norm));
    if p.columns.is_empty() && p.problem.is_none() {
        p.problem = Some("no header row found in the first bytes".into());
    }
    p
}

fn inflate_head(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let read_into = |r: &mut dyn Read, out: &mut Vec<u8>| {
        let mut buf = [0u8; 8192];
        while out.len() < PREVIEW_TEXT_BYTES {
            match r.read(&mut buf) {
                Ok(0) | Err(_) => break, // the bytes end mid-stream: keep what came out
                Ok(n) => out.extend_from_slice(&buf[..n]),
            }
        }
    };
    if bytes.starts_with(b"\x1f\x8b") {
        read_into(&mut flate2::read::MultiGzDecoder::new(bytes), &mut out);
    } else if bytes.starts_with(b"PK\x03\x04") {
        let le16 = |at: usize| {
            bytes
                .get(at..at + 2)
                .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
        };
        let (Some(method), Some(name_len), Some(extra_len)) = (le16(8), le16(26), le16(28)) else {
            return Err("ZIP archive cut short before its first member".into());
        };
        let data = bytes.get(30 + name_len + extra_len..).unwrap_or(&[]);
        match method {
            0 => out.extend_from_slice(&data[..data.len().min(PREVIEW_TEXT_BYTES)]),
            8 => read_into(&mut flate2::read::DeflateDecoder::new(data), &mut out),
            m => {
                return Err(format!(
                    "ZIP member compressed with method {m} (only stored and deflate are supported)"
                ))
            }
        }
    } else {
        out.extend_from_slice(&bytes[..bytes.len().min(PREVIEW_TEXT_BYTES)]);
    }
    Ok(out)
}

/// Complete lines (a cut last line dropped), without `\r`, BOM removed.
fn lines(text: &[u8]) -> Vec<&[u8]> {
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
    let mut v: Vec<&[u8]> = text.split(|&c| c == b'\n').collect();
    if !text.ends_with(b"\n") {
        v.pop();
    }
    v.into_iter()
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect()
}

fn fields_of(line: &[u8], sep: Separator, zeek_spaces3: Option<bool>) -> Vec<String> {
    let mut ends = Vec::new();
    let text = |b: &[u8]| String::from_utf8_lossy(b.trim_ascii()).into_owned();
    let by_ends = |ends: &[usize]| {
        let mut start = 0;
        ends.iter()
            .map(|&e| {
                let f = text(line.get(start..e).unwrap_or(&[]));
                start = e;
                f
            })
            .collect()
    };
    match (sep, zeek_spaces3) {
        (Separator::Byte(b), Some(s3)) => {
            let _ = zeek::split(line, b, s3, &mut ends, usize::MAX);
            by_ends(&ends)
        }
        (Separator::Whitespace, _) => {
            let _ = zeek::split_whitespace(line, &mut ends, usize::MAX);
            by_ends(&ends)
        }
        (Separator::Byte(b), None) => {
            let mut r = csv_core::ReaderBuilder::new().delimiter(b).build();
            let mut out = vec![0u8; line.len() + 1];
            let mut ends = vec![0usize; line.len() + 1];
            let (_, _, o, n) = r.read_record(line, &mut out, &mut ends);
            let (_, _, _, n2) = r.read_record(&[], &mut out[o..], &mut ends[n..]);
            let mut start = 0;
            ends[..n + n2]
                .iter()
                .map(|&e| {
                    let f = text(out.get(start..e).unwrap_or(&[]));
                    start = e;
                    f
                })
                .collect()
        }
    }
}

fn preview_delimited(text: &[u8]) -> Preview {
    let mut p = Preview {
        syntax: "csv".into(),
        ..Preview::default()
    };
    let mut sep = None;
    let mut zeek_sep = None;
    let mut spaces3 = None;
    for line in lines(text) {
        if line.trim_ascii().is_empty() {
            continue;
        }
        if line.first() == Some(&b'#') {
            match zeek::directive(line, zeek_sep.unwrap_or(b'\t')) {
                Directive::Separator(b) if sep.is_none() => zeek_sep = Some(b),
                Directive::Fields(names) if sep.is_none() => {
                    let b = zeek_sep.unwrap_or(b'\t');
                    let s3 = names.windows(3).any(|w| w == b"   ");
                    sep = Some(Separator::Byte(b));
                    spaces3 = Some(s3);
                    p.syntax = "tsv-zeek".into();
                    p.columns = fields_of(names, Separator::Byte(b), Some(s3));
                }
                _ => {}
            }
            continue;
        }
        match sep {
            None => {
                let s = separator(line);
                sep = Some(s);
                let first = fields_of(line, s, None);
                if first.len() == SUPER_MEDIATOR_BASIC.len()
                    && super_mediator_flow_row(|i| first[i].as_bytes())
                {
                    // super_mediator without `PRINT_HEADER`: its default layout's names
                    p.columns = SUPER_MEDIATOR_BASIC.map(String::from).to_vec();
                    p.rows.push(first);
                } else {
                    p.columns = first;
                }
            }
            Some(s) => {
                if p.rows.len() >= PREVIEW_ROWS {
                    break;
                }
                let mut row = fields_of(line, s, spaces3);
                row.resize(p.columns.len().max(row.len()), String::new());
                p.rows.push(row);
            }
        }
    }
    p.separator = sep.map(|s| s.as_str().to_string());
    p
}

fn preview_json(text: &[u8]) -> Preview {
    let mut p = Preview {
        syntax: "json".into(),
        ..Preview::default()
    };
    let mut objects: Vec<Vec<(String, String)>> = Vec::new();
    let (mut depth, mut in_str, mut esc, mut start) = (0usize, false, false, 0usize);
    let mut scratch = Vec::new();
    for (i, &c) in text.iter().enumerate() {
        if objects.len() >= PREVIEW_ROWS {
            break;
        }
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            continue;
        }
        match c {
            b'"' if depth > 0 => in_str = true,
            b'{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            b'[' if depth > 0 => depth += 1,
            b'}' | b']' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let mut members = Vec::new();
                    let ok = flatten(&text[start..=i], &mut scratch, &mut |k, v| {
                        members.push((k.to_string(), String::from_utf8_lossy(v).into_owned()))
                    });
                    if ok.is_ok() {
                        objects.push(members);
                    }
                }
            }
            _ => {}
        }
    }
    for o in &objects {
        for (k, _) in o {
            if !p.columns.contains(k) {
                p.columns.push(k.clone());
            }
        }
    }
    for o in objects {
        let row = p
            .columns
            .iter()
            .map(|c| {
                o.iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            })
            .collect();
        p.rows.push(row);
    }
    p
}
