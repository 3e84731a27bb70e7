//! The file-level push API used by the CLI and the browser worker: one
//! [`FileDecoder`] per input file, fed the file's raw bytes in chunks of any size.
//!
//! The container is recognised by its first bytes, never by the file name:
//! gzip (`1f 8b`, several members allowed), ZIP (`PK 03 04`, or `PK 05 06` for an
//! empty archive), else plain text. Compressed data is inflated as a stream into a
//! fixed-size buffer and pushed through the text decoder, so memory stays bounded
//! whatever the file size.

use crate::content::ContentStream;
use crate::diag::Diagnostics;
use crate::gzip::GzipReader;
use crate::ipfix::ExportStats;
use crate::limits::Limits;
use crate::record::FlowRecord;
use crate::session::Templates;
use crate::text::DecodeOptions;
use crate::zip::ZipReader;
use serde::{Deserialize, Serialize};

/// What decoding one file gave, besides its records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    /// The name the caller gave.
    pub name: String,
    /// Container and content, e.g. `csv-ipfix`, `gzip/csv-ipfix`, `zip/csv-ipfix`;
    /// `csv` when the header lacks required columns, `unknown` when the content is not
    /// text, `empty` when there is no header row.
    pub format: String,
    /// Raw bytes fed (the file size once finished).
    pub bytes_in: u64,
    /// Records decoded.
    pub records: u64,
    pub diagnostics: Diagnostics,
}

enum Container {
    /// Fewer bytes seen than needed to recognise the container.
    Sniff(Vec<u8>),
    Plain(Box<ContentStream>),
    Gzip(Box<GzipReader>),
    Zip(Box<ZipReader>),
}

/// Push decoder for one input file. Chunk borders never change the records or the
/// diagnostics.
///
/// Positions: `position.file` is the `file_index` given here; `line` (1-based) and
/// `byte` count in the decoded text, which is the whole file for plain text, the whole
/// decompressed stream for gzip (all members, as `gzip -d` writes them), and each
/// member's own text for ZIP (so `line` matches `unzip -p outer.zip member | sed -n Lp`,
/// and records of different members can share a line number; their diagnostics name
/// the member as `outer.zip:member.csv`).
pub struct FileDecoder {
    file_index: u32,
    name: String,
    limits: Limits,
    container: Container,
    diags: Diagnostics,
    bytes_in: u64,
    records: u64,
    summary: Option<FileSummary>,
    templates: Templates,
    opts: DecodeOptions,
}

impl FileDecoder {
    pub fn new(file_index: u32, name: &str, limits: Limits) -> Self {
        Self::with_templates(file_index, name, limits, Templates::default())
    }

    /// A decoder that shares NetFlow v9 / IPFIX templates with the other files of a
    /// [`crate::Session`].
    pub fn with_templates(
        file_index: u32,
        name: &str,
        limits: Limits,
        templates: Templates,
    ) -> Self {
        let diags = Diagnostics::with_cap(limits.diagnostics_kept);
        FileDecoder {
            file_index,
            name: name.to_string(),
            limits,
            container: Container::Sniff(Vec::with_capacity(4)),
            diags,
            bytes_in: 0,
            records: 0,
            summary: None,
            templates,
            opts: DecodeOptions::default(),
        }
    }

    /// A standalone decoder with a column mapping for text headers we cannot read by
    /// ourselves and the UTC offset of zone-less times ([`DecodeOptions`]).
    pub fn with_options(file_index: u32, name: &str, limits: Limits, opts: DecodeOptions) -> Self {
        Self::new(file_index, name, limits).options(opts)
    }

    /// Set the text decoding options (before the first [`feed`](Self::feed)); for
    /// decoders made by a [`crate::Session`].
    pub fn options(mut self, opts: DecodeOptions) -> Self {
        self.opts = opts;
        self
    }

    /// Feed the next chunk of the file's raw bytes (any size, even 1 byte); decoded
    /// records are appended to `out`. Bytes fed after [`finish`](Self::finish) are
    /// ignored.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<FlowRecord>) {
        if self.summary.is_some() {
            return;
        }
        self.bytes_in += chunk.len() as u64;
        let before = out.len();
        let mut chunk = chunk;
        if let Container::Sniff(head) = &mut self.container {
            let take = 4usize.saturating_sub(head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            let head = head.clone();
            if !self.choose(&head, false) {
                return;
            }
            self.push(&head, out);
        }
        self.push(chunk, out);
        self.records += (out.len() - before) as u64;
    }

    /// Pick the container once `head` (up to 4 bytes) says enough; false to wait.
    fn choose(&mut self, head: &[u8], at_end: bool) -> bool {
        const GZIP: &[u8] = b"\x1f\x8b";
        const ZIP: &[u8] = b"PK\x03\x04";
        const EMPTY_ZIP: &[u8] = b"PK\x05\x06";
        let could_be = |magic: &[u8]| {
            let n = head.len().min(magic.len());
            head[..n] == magic[..n]
        };
        let (i, n, l) = (self.file_index, self.name.as_str(), self.limits.clone());
        let t = self.templates.clone();
        let o = self.opts.clone();
        self.container = if head.starts_with(GZIP) {
            Container::Gzip(Box::new(
                GzipReader::new(i, n, l).with_templates(t).with_options(o),
            ))
        } else if head.starts_with(ZIP) || head.starts_with(EMPTY_ZIP) {
            Container::Zip(Box::new(
                ZipReader::new(i, n, l).with_templates(t).with_options(o),
            ))
        } else if !at_end && (could_be(GZIP) || could_be(ZIP) || could_be(EMPTY_ZIP)) {
            return false;
        } else {
            Container::Plain(Box::new(
                ContentStream::new(i, n.to_string(), l)
                    .with_templates(t)
                    .with_options(o),
            ))
        };
        true
    }

    fn push(&mut self, bytes: &[u8], out: &mut Vec<FlowRecord>) {
        if bytes.is_empty() {
            return;
        }
        match &mut self.container {
            Container::Sniff(_) => {}
            Container::Plain(t) => t.feed(bytes, out, &mut self.diags),
            Container::Gzip(g) => g.feed(bytes, out, &mut self.diags),
            Container::Zip(z) => z.feed(bytes, out, &mut self.diags),
        }
    }

    /// End of file: flush, report truncation; returns the summary. Calling it again
    /// returns the same summary.
    pub fn finish(&mut self, out: &mut Vec<FlowRecord>) -> FileSummary {
        if let Some(s) = &self.summary {
            return s.clone();
        }
        let before = out.len();
        if let Container::Sniff(head) = &self.container {
            let head = head.clone();
            self.choose(&head, true);
            self.push(&head, out);
        }
        let format = match &mut self.container {
            Container::Sniff(_) => "empty".to_string(),
            Container::Plain(t) => {
                t.finish(true, out, &mut self.diags);
                t.format().to_string()
            }
            Container::Gzip(g) => {
                g.finish(out, &mut self.diags);
                g.format()
            }
            Container::Zip(z) => {
                z.finish(out, &mut self.diags);
                z.format()
            }
        };
        self.records += (out.len() - before) as u64;
        let summary = FileSummary {
            name: self.name.clone(),
            format,
            bytes_in: self.bytes_in,
            records: self.records,
            diagnostics: self.diags.clone(),
        };
        self.summary = Some(summary.clone());
        summary
    }

    /// Diagnostics so far.
    pub fn diagnostics(&self) -> &Diagnostics {
        &self.diags
    }

    /// Counts of the NetFlow / IPFIX decoders (messages, templates, records), when the
    /// file is an uncompressed export or capture.
    pub fn export_stats(&self) -> Option<&ExportStats> {
        match &self.container {
            Container::Plain(c) => c.export_stats(),
            _ => None,
        }
    }
}

/// Decode a whole file held in memory: the same path as [`FileDecoder`] fed one chunk.
pub fn decode_all(
    file_index: u32,
    name: &str,
    bytes: &[u8],
    limits: Limits,
) -> (Vec<FlowRecord>, FileSummary) {
    let mut d = FileDecoder::new(file_index, name, limits);
    let mut out = Vec::new();
    d.feed(bytes, &mut out);
    let summary = d.finish(&mut out);
    (out, summary)
}
