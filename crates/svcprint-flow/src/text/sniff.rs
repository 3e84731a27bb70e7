//! Looking at the first bytes of a decoded stream: is it text at all, is it JSON or
//! delimited text, and which separator does a header row use.

/// Bytes looked at before deciding what a stream is.
pub(crate) const SNIFF_BYTES: usize = 1024;

/// Magic numbers of things that are certainly not flow text.
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

/// The text is JSON (NDJSON lines or an array of objects): its first byte after a
/// UTF-8 BOM and whitespace is `{` or `[`.
pub(crate) fn is_json(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    matches!(
        head.iter().find(|c| !c.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// A header's column separator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    /// One byte: `,` `;` `\t` or `|`; fields may be quoted.
    Byte(u8),
    /// Runs of spaces and tabs; no quoting.
    Whitespace,
}

impl Separator {
    /// `","`, `";"`, `"\t"`, `"|"` or `"whitespace"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Separator::Byte(b',') => ",",
            Separator::Byte(b';') => ";",
            Separator::Byte(b'\t') => "\t",
            Separator::Byte(b'|') => "|",
            Separator::Byte(_) => "other",
            Separator::Whitespace => "whitespace",
        }
    }
}

/// The separator of a header row: whichever of `,` `\t` `;` `|` occurs most often
/// outside quotes (ties in that order); with none of them, whitespace runs when the
/// row has inner spaces, else `,` (a one-column header).
pub fn separator(header: &[u8]) -> Separator {
    const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &c in header {
        if c == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = CANDIDATES.iter().position(|&d| d == c) {
                counts[i] += 1;
            }
        }
    }
    let (best, n) = counts.iter().enumerate().fold(
        (0, 0),
        |(bi, bn), (i, &n)| if n > bn { (i, n) } else { (bi, bn) },
    );
    if n > 0 {
        Separator::Byte(CANDIDATES[best])
    } else if header.trim_ascii().contains(&b' ') {
        Separator::Whitespace
    } else {
        Separator::Byte(b',')
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

    #[test]
    fn separators_and_json() {
        assert_eq!(separator(b"a,b,c"), Separator::Byte(b','));
        assert_eq!(separator(b"a;b;c"), Separator::Byte(b';'));
        assert_eq!(separator(b"a\tb\tc"), Separator::Byte(b'\t'));
        assert_eq!(separator(b"a|b|c"), Separator::Byte(b'|'));
        assert_eq!(separator(b"\"a;x\",b,c"), Separator::Byte(b','));
        assert_eq!(separator(b"Src IP,Dst IP"), Separator::Byte(b','));
        assert_eq!(separator(b"src  dst   proto"), Separator::Whitespace);
        assert_eq!(separator(b"  start  "), Separator::Byte(b','));
        assert!(is_json(b"\xef\xbb\xbf \n{\"a\":1}"));
        assert!(is_json(b"[\n{"));
        assert!(!is_json(b"a,b"));
        assert!(!is_json(b""));
    }
}
