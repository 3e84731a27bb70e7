//! Every bound the decoders put on untrusted input, in one place.

use serde::{Deserialize, Serialize};

/// Bounds on what one input file may make the decoders do. Hitting a limit never
/// aborts the file: the offending part is skipped with a diagnostic and the rest is
/// decoded. Memory used per file is O(`max_line_bytes` + `max_fields` + a fixed
/// decompression window), whatever the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Longest text row in bytes, its line terminator (`\n` or `\r\n`) not counted.
    /// A longer row is skipped with a `TooLong` diagnostic; it is never buffered past
    /// this length. Default: 1 MiB (1_048_576).
    pub max_line_bytes: usize,
    /// Most fields in a CSV header row. A header with more is rejected with a `Limit`
    /// diagnostic (no records from that text); a data row with more fields than its
    /// header is a `FieldCount` diagnostic. Default: 1024.
    pub max_fields: usize,
    /// Diagnostics kept in full per file; later ones are only counted per kind
    /// ([`crate::Diagnostics::counts`]). Default: 1000.
    pub diagnostics_kept: usize,
    /// Most members (local file headers) read from one ZIP archive, directories
    /// included. The rest of the archive is skipped with a `Limit` diagnostic.
    /// Default: 10_000.
    pub max_archive_members: usize,
    /// Longest ZIP member name in bytes. A member with a longer name is skipped (its
    /// data is walked over, not decoded) with a `Limit` diagnostic. Default: 1024.
    pub max_member_name: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_bytes: 1 << 20,
            max_fields: 1024,
            diagnostics_kept: 1000,
            max_archive_members: 10_000,
            max_member_name: 1024,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Limits;

    #[test]
    fn defaults_are_the_documented_values() {
        let l = Limits::default();
        assert_eq!(l.max_line_bytes, 1_048_576);
        assert_eq!(l.max_fields, 1024);
        assert_eq!(l.diagnostics_kept, 1000);
        assert_eq!(l.max_archive_members, 10_000);
        assert_eq!(l.max_member_name, 1024);
    }
}
