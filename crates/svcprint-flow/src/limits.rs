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
    /// Most templates (data and options) held per template scope: (stream or exporter,
    /// observation domain / source id). A template past this is dropped with a `Limit`
    /// diagnostic and its data sets are reported as `MissingTemplate`. Default: 4096.
    pub max_templates_per_domain: usize,
    /// Most fields in one IPFIX / NetFlow v9 template. A template with more is rejected
    /// with a `Limit` diagnostic. Default: 512.
    pub max_template_fields: usize,
    /// Longest data record in bytes (its fixed part plus variable-length fields). A
    /// template whose fixed part is longer is rejected; a longer record ends its set,
    /// both with a `Limit` diagnostic. Default: 65_535 (the largest an IPFIX message
    /// can hold).
    pub max_record_bytes: usize,
    /// Bytes of data sets held while waiting for their template (data before template
    /// in the same stream). Sets past this are reported as `MissingTemplate` at once.
    /// Default: 1 MiB (1_048_576).
    pub max_buffered_bytes: usize,
    /// Most template scopes (exporter x observation domain / source id) tracked per
    /// session. Messages from further scopes are skipped with a `Limit` diagnostic.
    /// Default: 1024.
    pub max_template_scopes: usize,
    /// Largest pcap record or pcapng block in bytes; a larger one ends the capture with
    /// a `Limit` diagnostic (it is never buffered). Default: 262_144 (tcpdump's snaplen).
    pub max_capture_block: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_bytes: 1 << 20,
            max_fields: 1024,
            diagnostics_kept: 1000,
            max_archive_members: 10_000,
            max_member_name: 1024,
            max_templates_per_domain: 4096,
            max_template_fields: 512,
            max_record_bytes: 65_535,
            max_buffered_bytes: 1 << 20,
            max_template_scopes: 1024,
            max_capture_block: 262_144,
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
        assert_eq!(l.max_templates_per_domain, 4096);
        assert_eq!(l.max_template_fields, 512);
        assert_eq!(l.max_record_bytes, 65_535);
        assert_eq!(l.max_buffered_bytes, 1_048_576);
        assert_eq!(l.max_template_scopes, 1024);
        assert_eq!(l.max_capture_block, 262_144);
    }
}
