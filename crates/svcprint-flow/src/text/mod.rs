//! The text layer: everything between decoded (decompressed) bytes and flow records for
//! text formats.
//!
//! - [`sniff`]: is it text at all (images, PDFs, executables are rejected at once), is
//!   it JSON or delimited, which separator a header uses;
//! - [`dialect`]: the tools' formats recognised from their column names;
//! - [`columns`]: our fields, the user's [`ColumnMap`] and time zone
//!   ([`DecodeOptions`]), and the compiled plan that makes a record of a row;
//! - [`csv`]: delimited text (CSV with any separator, whitespace columns, Zeek TSV,
//!   whose directives [`zeek`] reads); [`ndjson`]: JSON objects;
//! - [`preview`]: the header and first rows of a file, for a mapping UI.

pub mod columns;
pub mod csv;
pub mod dialect;
pub mod ndjson;
pub mod preview;
pub mod sniff;
pub(crate) mod zeek;

use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::record::FlowRecord;
pub use columns::{ColumnMap, DecodeOptions, Field, MapError, UtcOffset};
use csv::CsvDecoder;
pub use dialect::Dialect;
use ndjson::JsonDecoder;
use sniff::{is_json, not_text, SNIFF_BYTES};

/// `syntax-label` as a static string (`csv-ipfix`, `json-joy`, …).
pub(crate) fn format_name(syntax: &str, label: &str) -> &'static str {
    const NAMES: [&str; 18] = [
        "csv-ipfix",
        "csv-zeek",
        "csv-nfdump",
        "csv-joy",
        "csv-nprobe",
        "csv-generic",
        "csv-cicflowmeter",
        "csv-super_mediator",
        "csv-mapped",
        "json-ipfix",
        "json-zeek",
        "json-nfdump",
        "json-joy",
        "json-nprobe",
        "json-generic",
        "json-cicflowmeter",
        "json-super_mediator",
        "json-mapped",
    ];
    NAMES
        .iter()
        .find(|n| {
            n.strip_prefix(syntax)
                .and_then(|r| r.strip_prefix('-'))
                .is_some_and(|r| r == label)
        })
        .copied()
        .unwrap_or(if syntax == "json" { "json" } else { "csv" })
}

enum State {
    Sniffing,
    Csv(Box<CsvDecoder>),
    Json(Box<JsonDecoder>),
    Rejected,
}

/// One text stream (a plain file, a gzip stream, one ZIP member).
pub(crate) struct TextStream {
    file_index: u32,
    name: String,
    limits: Limits,
    opts: DecodeOptions,
    head: Vec<u8>,
    state: State,
}

impl TextStream {
    pub(crate) fn new(file_index: u32, name: String, limits: Limits) -> Self {
        TextStream {
            file_index,
            name,
            limits,
            opts: DecodeOptions::default(),
            head: Vec::new(),
            state: State::Sniffing,
        }
    }

    /// With a column mapping and a time zone ([`DecodeOptions`]).
    pub(crate) fn with_options(mut self, opts: DecodeOptions) -> Self {
        self.opts = opts;
        self
    }

    pub(crate) fn feed(
        &mut self,
        mut bytes: &[u8],
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        if matches!(self.state, State::Sniffing) {
            let take = (SNIFF_BYTES - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.head.len() < SNIFF_BYTES {
                return;
            }
            self.decide(out, diags);
        }
        match &mut self.state {
            State::Csv(c) => c.feed(bytes, out, diags),
            State::Json(j) => j.feed(bytes, out, diags),
            _ => {}
        }
    }

    fn decide(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        let head = std::mem::take(&mut self.head);
        if let Some(why) = not_text(&head) {
            diags.push(Diagnostic {
                file: self.name.clone(),
                line: None,
                column: None,
                offset: Some(0),
                kind: DiagKind::UnknownFormat,
                message: format!("{why}; no records read"),
            });
            self.state = State::Rejected;
            return;
        }
        let (i, n, l, o) = (
            self.file_index,
            self.name.as_str(),
            self.limits.clone(),
            self.opts.clone(),
        );
        self.state = if is_json(&head) {
            let mut j = Box::new(JsonDecoder::new(i, n, l, o));
            j.feed(&head, out, diags);
            State::Json(j)
        } else {
            let mut c = Box::new(CsvDecoder::with_options(i, n, l, o));
            c.feed(&head, out, diags);
            State::Csv(c)
        };
    }

    /// End of the stream; `complete` is false when the container was cut short.
    pub(crate) fn finish(
        &mut self,
        complete: bool,
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        if matches!(self.state, State::Sniffing) {
            if self.head.is_empty() && !complete {
                return; // nothing decoded before the damage: format stays "empty"
            }
            self.decide(out, diags);
        }
        match &mut self.state {
            State::Csv(c) => c.finish(complete, out, diags),
            State::Json(j) => j.finish(complete, out, diags),
            _ => {}
        }
    }

    /// `csv-ipfix`, `tsv-zeek`, `json-joy`, … as recognised; `csv` / `tsv` / `json`
    /// (header not understood), `unknown` (not text), `empty` (no header).
    pub(crate) fn format(&self) -> &'static str {
        match &self.state {
            State::Rejected => "unknown",
            State::Sniffing => "empty",
            State::Csv(c) => c.format().unwrap_or("empty"),
            State::Json(j) => j.format().unwrap_or("empty"),
        }
    }
}
