//! A decoded text stream: checks that the first KiB looks like text, then hands the
//! bytes to the CSV decoder.

use crate::csv_ipfix::CsvIpfixDecoder;
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::record::FlowRecord;

/// Bytes looked at before deciding that a stream is text.
pub(crate) const SNIFF_BYTES: usize = 1024;

/// Magic numbers of things that are certainly not flow CSV.
const BINARY_MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (
        b"PK\x03\x04",
        "a ZIP archive (nested archives are not supported)",
    ),
    (
        b"\x1f\x8b",
        "a gzip stream (nested compression is not supported)",
    ),
    (b"\xfd7zXZ\x00", "an xz stream (not supported)"),
    (b"\x28\xb5\x2f\xfd", "a zstd stream (not supported)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive (not supported)"),
    (b"BZh", "a bzip2 stream (not supported)"),
    (b"\xd4\xc3\xb2\xa1", "a pcap capture"),
    (b"\xa1\xb2\xc3\xd4", "a pcap capture"),
    (b"\x4d\x3c\xb2\xa1", "a pcap capture"),
    (b"\xa1\xb2\x3c\x4d", "a pcap capture"),
    (b"\x0a\x0d\x0d\x0a", "a pcapng capture"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xff\xfe", "UTF-16 text (only UTF-8 is supported)"),
    (b"\xfe\xff", "UTF-16 text (only UTF-8 is supported)"),
];

/// Why `head` (the first bytes of a stream) is not text, if it is not.
pub(crate) fn not_text(head: &[u8]) -> Option<String> {
    if let Some((_, what)) = BINARY_MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        // "BZh" is only bzip2 when followed by a block-size digit.
        let bz_text =
            head.starts_with(b"BZh") && !head.get(3).is_some_and(|c| (b'1'..=b'9').contains(c));
        if !bz_text {
            return Some(format!("not a text file: looks like {what}"));
        }
    }
    head.iter()
        .position(|&b| b == 0)
        .map(|i| format!("not a text file: NUL byte at offset {i}"))
}

#[derive(Debug, PartialEq, Eq)]
enum State {
    Sniffing,
    Csv,
    Rejected,
}

/// One text stream (a plain file, a gzip stream, one ZIP member).
pub(crate) struct TextStream {
    name: String,
    head: Vec<u8>,
    state: State,
    csv: CsvIpfixDecoder,
}

impl TextStream {
    pub(crate) fn new(file_index: u32, name: String, limits: Limits) -> Self {
        let csv = CsvIpfixDecoder::new(file_index, &name, limits);
        TextStream {
            name,
            head: Vec::new(),
            state: State::Sniffing,
            csv,
        }
    }

    pub(crate) fn feed(
        &mut self,
        mut bytes: &[u8],
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        if self.state == State::Sniffing {
            let take = (SNIFF_BYTES - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.head.len() < SNIFF_BYTES {
                return;
            }
            self.decide(out, diags);
        }
        if self.state == State::Csv {
            self.csv.feed(bytes, out, diags);
        }
    }

    fn decide(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        if let Some(why) = not_text(&self.head) {
            diags.push(Diagnostic {
                file: self.name.clone(),
                line: None,
                column: None,
                offset: Some(0),
                kind: DiagKind::UnknownFormat,
                message: format!("{why}; no records read"),
            });
            self.state = State::Rejected;
        } else {
            self.state = State::Csv;
            let head = std::mem::take(&mut self.head);
            self.csv.feed(&head, out, diags);
        }
    }

    /// End of the stream; `complete` is false when the container was cut short.
    pub(crate) fn finish(
        &mut self,
        complete: bool,
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        if self.state == State::Sniffing {
            if self.head.is_empty() && !complete {
                return; // nothing decoded before the damage: format stays "empty"
            }
            self.decide(out, diags);
        }
        if self.state == State::Csv {
            self.csv.finish(complete, out, diags);
        }
    }

    /// `csv-ipfix`, `csv` (header rejected), `unknown` (not text), `empty` (no header).
    pub(crate) fn format(&self) -> &'static str {
        match self.state {
            State::Rejected => "unknown",
            State::Sniffing => "empty",
            State::Csv => self.csv.format().unwrap_or("empty"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_binary_heads() {
        assert_eq!(
            not_text(b"%PDF-1.7\n"),
            Some("not a text file: looks like a PDF document".into())
        );
        assert_eq!(
            not_text(b"\x89PNG\r\n\x1a\n"),
            Some("not a text file: looks like a PNG image".into())
        );
        assert_eq!(
            not_text(b"BZh91AY&SY"),
            Some("not a text file: looks like a bzip2 stream (not supported)".into())
        );
        assert_eq!(not_text(b"BZhello,world\n"), None);
        assert_eq!(
            not_text(b"a,b\nc\0d"),
            Some("not a text file: NUL byte at offset 5".into())
        );
        assert_eq!(
            not_text(b"flowStartMilliseconds,protocolIdentifier\n"),
            None
        );
        assert_eq!(not_text(b"\xef\xbb\xbfflowStartMilliseconds"), None);
    }
}
