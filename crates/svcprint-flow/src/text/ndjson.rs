//! Streaming decoder for JSON flow records: one object per line (NDJSON: Joy, NEMEA,
//! Zeek JSON logs, `nfdump -o json-log`) or an array of objects spread over many lines
//! (`nfdump -o json`).
//!
//! Framing first: a state machine finds each top-level object by bracket depth
//! (strings and escapes respected), records its first line and byte offset, and never
//! buffers one past [`Limits::max_line_bytes`]. A line starting with `{` while an
//! object is still open ends the broken object (reported) and starts a new one, so one
//! damaged NDJSON line costs one record. Then each object is parsed: nested objects are
//! flattened into dotted names (`{"id": {"orig_h": …}}` is `id.orig_h`), arrays are
//! skipped, `null` is no value. The first object's member names are the header: its
//! dialect is recognised once and every object is decoded through that plan.

use super::columns::{normalize, DecodeOptions, Plan, Values};
use super::dialect::Dialect;
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::record::{FlowRecord, Position};
use crate::value::excerpt;
use std::collections::HashMap;

/// Deepest object nesting that is flattened; deeper members are skipped.
const MAX_FLATTEN_DEPTH: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    /// Between objects.
    Top,
    /// Inside a top-level object.
    Object,
    /// Skipping a line of text that is not JSON.
    Garbage,
}

enum Header {
    Pending,
    Ready(Box<Plan>, HashMap<String, usize>),
    Rejected,
}

/// The member values of one object by plan column.
struct JsonRow<'a> {
    vals: &'a [u8],
    spans: &'a [(usize, usize)],
}

impl Values for JsonRow<'_> {
    fn get(&self, col: usize) -> &[u8] {
        match self.spans.get(col) {
            Some(&(s, e)) => self.vals.get(s..e).unwrap_or(&[]).trim_ascii(),
            None => &[],
        }
    }
}

/// Push-style decoder for one JSON text stream. Records carry the line and byte
/// offset of their object's `{`.
pub struct JsonDecoder {
    file_index: u32,
    name: String,
    limits: Limits,
    opts: DecodeOptions,
    frame: Frame,
    depth: usize,
    in_str: bool,
    esc: bool,
    /// The object has a raw newline inside a string: it is not valid JSON.
    broken: bool,
    line_start: bool,
    obj: Vec<u8>,
    skipping: bool,
    obj_len: u64,
    obj_start: u64,
    obj_line: u64,
    pos: u64,
    line: u64,
    header: Header,
    vals: Vec<u8>,
    spans: Vec<(usize, usize)>,
    scratch: Vec<u8>,
    records: u64,
    finished: bool,
}

impl JsonDecoder {
    pub fn new(file_index: u32, name: &str, limits: Limits, opts: DecodeOptions) -> Self {
        JsonDecoder {
            file_index,
            name: name.to_string(),
            limits,
            opts,
            frame: Frame::Top,
            depth: 0,
            in_str: false,
            esc: false,
            broken: false,
            line_start: true,
            obj: Vec::new(),
            skipping: false,
            obj_len: 0,
            obj_start: 0,
            obj_line: 1,
            pos: 0,
            line: 1,
            header: Header::Pending,
            vals: Vec::new(),
            spans: Vec::new(),
            scratch: Vec::new(),
            records: 0,
            finished: false,
        }
    }

    pub fn records(&self) -> u64 {
        self.records
    }

    /// `Some("json-joy")`, `Some("json-zeek")`, … once the first object was read;
    /// `Some("json")` when its members were not understood; `None` before.
    pub fn format(&self) -> Option<&'static str> {
        match &self.header {
            Header::Pending => None,
            Header::Rejected => Some("json"),
            Header::Ready(p, _) => Some(super::format_name("json", p.label())),
        }
    }

    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        if self.finished {
            return;
        }
        for (i, &c) in chunk.iter().enumerate() {
            let at = self.pos + i as u64;
            let line_start = std::mem::replace(&mut self.line_start, c == b'\n');
            match self.frame {
                Frame::Top => match c {
                    b'{' => self.open(at),
                    b'[' | b']' | b',' => {}
                    c if c.is_ascii_whitespace() => {}
                    0xef | 0xbb | 0xbf if at < 3 => {} // UTF-8 BOM
                    _ => {
                        self.obj_line = self.line;
                        self.obj_start = at;
                        self.diag(
                            diags,
                            DiagKind::BadValue,
                            "text outside a JSON object; skipped to the end of the line".into(),
                        );
                        self.frame = Frame::Garbage;
                    }
                },
                Frame::Garbage => {
                    if c == b'\n' {
                        self.frame = Frame::Top;
                    }
                }
                Frame::Object => {
                    if line_start && c == b'{' {
                        self.diag(
                            diags,
                            DiagKind::Truncated,
                            "JSON object not closed before the next line starting with '{'; skipped".into(),
                        );
                        self.open(at);
                    } else {
                        self.push(c);
                        if self.in_str {
                            if self.esc {
                                self.esc = false;
                            } else if c == b'\\' {
                                self.esc = true;
                            } else if c == b'"' {
                                self.in_str = false;
                            } else if c == b'\n' {
                                self.broken = true;
                                self.in_str = false;
                            }
                        } else {
                            match c {
                                b'"' => self.in_str = true,
                                b'{' | b'[' => self.depth += 1,
                                b'}' | b']' => {
                                    self.depth -= 1;
                                    if self.depth == 0 {
                                        self.close(out, diags);
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            if c == b'\n' {
                self.line += 1;
            }
        }
        self.pos += chunk.len() as u64;
    }

    pub fn finish(&mut self, complete: bool, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        let _ = out;
        if std::mem::replace(&mut self.finished, true) {
            return;
        }
        if self.frame == Frame::Object && complete {
            self.diag(
                diags,
                DiagKind::Truncated,
                "the text ends inside a JSON object; object dropped".into(),
            );
        }
        if complete && matches!(self.header, Header::Pending) {
            self.obj_line = self.line;
            self.obj_start = self.pos;
            self.diag(
                diags,
                DiagKind::UnknownFormat,
                "no JSON object: the text has no flow records".into(),
            );
        }
    }

    fn open(&mut self, at: u64) {
        self.frame = Frame::Object;
        self.depth = 1;
        self.in_str = false;
        self.esc = false;
        self.broken = false;
        self.skipping = false;
        self.obj.clear();
        self.obj.push(b'{');
        self.obj_len = 1;
        self.obj_start = at;
        self.obj_line = self.line;
    }

    #[inline]
    fn push(&mut self, c: u8) {
        self.obj_len += 1;
        if self.skipping {
            return;
        }
        if self.obj.len() >= self.limits.max_line_bytes {
            self.skipping = true;
            self.obj.clear();
        } else {
            self.obj.push(c);
        }
    }

    fn diag(&self, diags: &mut Diagnostics, kind: DiagKind, message: String) {
        self.diag_col(diags, kind, None, message);
    }

    fn diag_col(
        &self,
        diags: &mut Diagnostics,
        kind: DiagKind,
        column: Option<String>,
        message: String,
    ) {
        diags.push(Diagnostic {
            file: self.name.clone(),
            line: Some(self.obj_line),
            column,
            offset: Some(self.obj_start),
            kind,
            message,
        });
    }

    fn close(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        self.frame = Frame::Top;
        if self.skipping {
            self.diag(
                diags,
                DiagKind::TooLong,
                format!(
                    "JSON object of {} bytes is longer than max_line_bytes ({}); skipped",
                    self.obj_len, self.limits.max_line_bytes
                ),
            );
            return;
        }
        if self.broken {
            self.diag(
                diags,
                DiagKind::BadValue,
                "not valid JSON: a string runs past the end of its line; object skipped".into(),
            );
            return;
        }
        let obj = std::mem::take(&mut self.obj);
        self.process(&obj, out, diags);
        self.obj = obj;
    }

    fn process(&mut self, obj: &[u8], out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        if matches!(self.header, Header::Pending) {
            let mut names: Vec<String> = Vec::new();
            let r = flatten(obj, &mut self.scratch, &mut |key, _| {
                if !names.iter().any(|n| n == key) && names.len() < 4096 {
                    names.push(key.to_string());
                }
            });
            if let Err(at) = r {
                self.diag(
                    diags,
                    DiagKind::BadValue,
                    format!("not valid JSON (byte {at} of the object); object skipped"),
                );
                return;
            }
            self.compile(names, diags);
        }
        let Header::Ready(plan, keys) = &self.header else {
            return;
        };
        self.vals.clear();
        self.spans.clear();
        self.spans.resize(plan.ncols, (0, 0));
        let (vals, spans) = (&mut self.vals, &mut self.spans);
        let mut norm = String::new();
        let r = flatten(obj, &mut self.scratch, &mut |key, value| {
            norm.clear();
            norm.push_str(&normalize(key));
            if let Some(&col) = keys.get(norm.as_str()) {
                if let Some(span) = spans.get_mut(col) {
                    if span.0 == span.1 {
                        let s = vals.len();
                        vals.extend_from_slice(value);
                        *span = (s, vals.len());
                    }
                }
            }
        });
        if let Err(at) = r {
            self.diag(
                diags,
                DiagKind::BadValue,
                format!("not valid JSON (byte {at} of the object); object skipped"),
            );
            return;
        }
        let row = JsonRow {
            vals: &self.vals,
            spans: &self.spans,
        };
        let position = Position {
            file: self.file_index,
            line: self.obj_line,
            byte: self.obj_start,
        };
        match plan.decode(&row, position) {
            Ok(rec) => {
                out.push(rec);
                self.records += 1;
            }
            Err((col, problem)) => {
                let name = plan.names.get(col).cloned().unwrap_or_default();
                let value = excerpt(row.get(col));
                let msg = if value.is_empty() {
                    format!("{name}: {problem}; object skipped")
                } else {
                    format!("{name}: \"{value}\" is {problem}; object skipped")
                };
                self.diag_col(diags, DiagKind::BadValue, Some(name), msg);
            }
        }
    }

    /// The first object's member names decide the dialect; the plan then reads every
    /// name that dialect knows (later objects may carry members the first lacks).
    fn compile(&mut self, names: Vec<String>, diags: &mut Diagnostics) {
        let first = match Plan::compile(names, &self.opts, None) {
            Ok(p) => p,
            Err(message) => {
                self.diag(diags, DiagKind::MissingColumn, message);
                self.header = Header::Rejected;
                return;
            }
        };
        let mut virtual_names: Vec<String> = Vec::new();
        if let Some(d) = first.dialect {
            // IPFIX names are biflow only when the first object has a `reverse…`
            // member (as for a CSV header); without one (fdsdump splits biflows into
            // one-way records) the reverse names are not read, so the records stay
            // one-way like those of the same rows in CSV.
            let one_way = d == Dialect::Ipfix && !first.source_initiated();
            for (n, _, _) in d.columns() {
                let nn = normalize(n);
                if one_way && (nn.starts_with("reverse") || nn.ends_with("reverse")) {
                    continue;
                }
                if !virtual_names.iter().any(|v| normalize(v) == normalize(n)) {
                    virtual_names.push((*n).to_string());
                }
            }
        }
        for (_, column) in self.opts.column_map.iter() {
            if !virtual_names
                .iter()
                .any(|v| normalize(v) == normalize(column))
            {
                virtual_names.push(column.to_string());
            }
        }
        let keys: HashMap<String, usize> = virtual_names
            .iter()
            .enumerate()
            .map(|(i, n)| (normalize(n), i))
            .collect();
        match Plan::compile(virtual_names, &self.opts, first.dialect) {
            Ok(plan) => self.header = Header::Ready(Box::new(plan), keys),
            Err(message) => {
                self.diag(diags, DiagKind::MissingColumn, message);
                self.header = Header::Rejected;
            }
        }
    }
}

/// Walk a JSON object, calling `f(dotted name, value text)` for every scalar member
/// (strings unescaped; numbers, `true`, `false` as written; `null` skipped). `Err`
/// gives the byte offset where the text stopped being JSON.
pub(crate) fn flatten(
    obj: &[u8],
    scratch: &mut Vec<u8>,
    f: &mut dyn FnMut(&str, &[u8]),
) -> Result<(), usize> {
    let mut p = Parser { b: obj, i: 0 };
    let mut path = String::new();
    p.ws();
    p.object(&mut path, 0, scratch, f)?;
    Ok(())
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), usize> {
        self.ws();
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.i)
        }
    }

    fn object(
        &mut self,
        path: &mut String,
        depth: usize,
        scratch: &mut Vec<u8>,
        f: &mut dyn FnMut(&str, &[u8]),
    ) -> Result<(), usize> {
        self.expect(b'{')?;
        self.ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            self.string(scratch)?;
            let key = String::from_utf8_lossy(scratch).into_owned();
            self.expect(b':')?;
            self.ws();
            let base = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            match self.b.get(self.i) {
                Some(b'"') => {
                    self.string(scratch)?;
                    f(path, scratch);
                }
                Some(b'{') if depth + 1 < MAX_FLATTEN_DEPTH => {
                    self.object(path, depth + 1, scratch, f)?;
                }
                Some(b'{' | b'[') => self.skip_nested()?,
                Some(_) => {
                    let s = self.i;
                    while self
                        .b
                        .get(self.i)
                        .is_some_and(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c))
                    {
                        self.i += 1;
                    }
                    let lit = self.b.get(s..self.i).unwrap_or(&[]);
                    let ok = match lit.first() {
                        Some(b'-' | b'0'..=b'9') => lit
                            .iter()
                            .all(|c| c.is_ascii_digit() || b"+-.eE".contains(c)),
                        _ => lit == b"true" || lit == b"false" || lit == b"null",
                    };
                    if !ok {
                        return Err(s);
                    }
                    if lit != b"null" {
                        f(path, lit);
                    }
                }
                None => return Err(self.i),
            }
            path.truncate(base);
            self.ws();
            match self.b.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.i),
            }
        }
    }

    /// Skip an array or object (the framer already balanced the brackets).
    fn skip_nested(&mut self) -> Result<(), usize> {
        let mut depth = 0usize;
        let mut in_str = false;
        let mut esc = false;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
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
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1).ok_or(self.i)?;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.i)
    }

    /// A string into `out`, unescaped.
    fn string(&mut self, out: &mut Vec<u8>) -> Result<(), usize> {
        out.clear();
        if self.b.get(self.i) != Some(&b'"') {
            return Err(self.i);
        }
        self.i += 1;
        loop {
            let c = *self.b.get(self.i).ok_or(self.i)?;
            self.i += 1;
            match c {
                b'"' => return Ok(()),
                b'\\' => {
                    let e = *self.b.get(self.i).ok_or(self.i)?;
                    self.i += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xd800..0xdc00).contains(&cp)
                                && self.b.get(self.i..self.i + 2) == Some(b"\\u")
                            {
                                self.i += 2;
                                let lo = self.hex4()?;
                                cp = 0x10000
                                    + ((cp - 0xd800) << 10)
                                    + (lo.wrapping_sub(0xdc00) & 0x3ff);
                            }
                            let ch = char::from_u32(cp).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err(self.i - 1),
                    }
                }
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, usize> {
        let s = self.b.get(self.i..self.i + 4).ok_or(self.i)?;
        let mut v = 0u32;
        for &c in s {
            v = v * 16 + (c as char).to_digit(16).ok_or(self.i)?;
        }
        self.i += 4;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(obj: &str) -> Result<Vec<(String, String)>, usize> {
        let mut v = Vec::new();
        flatten(obj.as_bytes(), &mut Vec::new(), &mut |k, val| {
            v.push((k.to_string(), String::from_utf8_lossy(val).into_owned()))
        })?;
        Ok(v)
    }

    #[test]
    fn flattens_nested_objects_and_skips_arrays() {
        let got = members(
            r#"{"a": 1, "id": {"orig_h": "10.0.0.1", "x": {"y": true}}, "arr": [1, {"z": "]"}], "n": null, "s": "q\"\\\u00e9\ud83d\ude00", "e": {}, "f": -1.5e3}"#,
        )
        .unwrap();
        let want: Vec<(String, String)> = [
            ("a", "1"),
            ("id.orig_h", "10.0.0.1"),
            ("id.x.y", "true"),
            ("s", "q\"\\é😀"),
            ("f", "-1.5e3"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(got, want);
        assert_eq!(members("{}"), Ok(vec![]));
        assert_eq!(members(r#"{"a" 1}"#), Err(5));
        assert_eq!(members(r#"{"a": tru}"#), Err(6));
        assert_eq!(members(r#"{"a": 1,}"#), Err(8));
        assert_eq!(members(r#"{"a": "\q"}"#), Err(8));
    }
}
