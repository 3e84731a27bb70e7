//! Diagnostics: what was skipped and why, with a position.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The kind of a problem found in the input. Stable names (`as_str`) are used in
/// CLI JSON and in the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagKind {
    /// The file's format could not be recognised.
    UnknownFormat,
    /// A text header lacks columns the decoder needs.
    MissingColumn,
    /// A row has a different number of fields than the header.
    FieldCount,
    /// A field value could not be parsed.
    BadValue,
    /// A row or line is longer than the limit.
    TooLong,
    /// A compressed stream or archive is damaged or truncated.
    Compression,
    /// An archive member is not something we can decode (encrypted, unsupported method).
    Archive,
    /// The input ended in the middle of a record.
    Truncated,
    /// A configured limit was reached.
    Limit,
    /// Binary framing is wrong: a message, set, block or record length that does not
    /// fit its container, an unknown version.
    Framing,
    /// An IPFIX / NetFlow v9 template is malformed.
    Template,
    /// A data set refers to a template that never arrived in its stream.
    MissingTemplate,
    /// Something valid that is not decoded (IP fragments, unknown link types).
    Unsupported,
}

impl DiagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagKind::UnknownFormat => "unknown_format",
            DiagKind::MissingColumn => "missing_column",
            DiagKind::FieldCount => "field_count",
            DiagKind::BadValue => "bad_value",
            DiagKind::TooLong => "too_long",
            DiagKind::Compression => "compression",
            DiagKind::Archive => "archive",
            DiagKind::Truncated => "truncated",
            DiagKind::Limit => "limit",
            DiagKind::Framing => "framing",
            DiagKind::Template => "template",
            DiagKind::MissingTemplate => "missing_template",
            DiagKind::Unsupported => "unsupported",
        }
    }
}

/// One problem, with where it was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// File name as given by the caller (for archives: `outer.zip:member.csv`).
    pub file: String,
    /// 1-based line in the decoded text, when the format is text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column (field index) or header name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Byte offset in the decoded stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    pub kind: DiagKind,
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(c) = &self.column {
            write!(f, " column {c}")?;
        }
        if let Some(o) = self.offset {
            write!(f, " @byte {o}")?;
        }
        write!(f, ": {}: {}", self.kind.as_str(), self.message)
    }
}

/// A capped list of diagnostics: the first `cap` are kept whole, all are counted per kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub kept: Vec<Diagnostic>,
    pub counts: BTreeMap<DiagKind, u64>,
    pub cap: usize,
}

impl Diagnostics {
    pub fn with_cap(cap: usize) -> Self {
        Diagnostics {
            kept: Vec::new(),
            counts: BTreeMap::new(),
            cap,
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        *self.counts.entry(d.kind).or_insert(0) += 1;
        if self.kept.len() < self.cap {
            self.kept.push(d);
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        for (k, n) in other.counts {
            *self.counts.entry(k).or_insert(0) += n;
        }
        for d in other.kept {
            if self.kept.len() < self.cap {
                self.kept.push(d);
            }
        }
    }
}
