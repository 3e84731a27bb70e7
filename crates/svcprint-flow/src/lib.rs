//! svcprint-flow: the flow record model (method.md M1) and streaming decoders.
//!
//! Everything here is push-style: a decoder is fed byte chunks of any size and
//! emits [`FlowRecord`]s; chunk borders never change the result. Nothing here
//! does I/O, reads a clock or knows about the analysis engine or the browser.
//!
//! Layers, outermost first: [`input`] recognises the container by its magic bytes
//! (`gzip`, `zip`, else plain text) and inflates as a stream; `text` checks that the
//! decoded bytes are text; [`csv_ipfix`] frames rows and decodes them through a plan
//! compiled from the IPFIX-named header. [`Limits`] bounds all of it.
//!
//! Binary flow exports take another path from the same sniff (`content`): raw
//! IPFIX / NetFlow v9 / v5 streams (`export`, then [`ipfix`] and [`netflow`]) and
//! [`pcap`] / pcapng captures of export datagrams. A [`Session`] shares templates
//! between the files of one run.

mod content;
pub mod csv_ipfix;
pub mod diag;
mod export;
mod gzip;
mod inflate;
pub mod input;
pub mod ipfix;
pub mod limits;
pub mod mac;
pub mod netflow;
pub mod pcap;
pub mod record;
pub mod session;
mod text;
pub mod time;
pub mod value;
mod zip;

pub use csv_ipfix::CsvIpfixDecoder;
pub use diag::{DiagKind, Diagnostic, Diagnostics};
pub use input::{decode_all, FileDecoder, FileSummary};
pub use ipfix::ExportStats;
pub use limits::Limits;
pub use mac::Mac;
pub use record::{FlowRecord, Position};
pub use session::{Session, Templates};
pub use time::{format_rfc3339_ms, parse_datetime_ms};
pub use value::parse_tcp_flags;
