//! svcprint-flow: the flow record model (method.md M1) and streaming decoders.
//!
//! Everything here is push-style: a decoder is fed byte chunks of any size and
//! emits [`FlowRecord`]s; chunk borders never change the result. Nothing here
//! does I/O, reads a clock or knows about the analysis engine or the browser.
//!
//! Layers, outermost first: [`input`] recognises the container by its magic bytes
//! (`gzip`, `zip`, else plain text) and inflates as a stream; [`text`] checks that the
//! decoded bytes are text, tells JSON from delimited text, frames rows or objects,
//! recognises the dialect from the header (IPFIX names, Zeek, nfdump, Joy, nProbe,
//! CICFlowMeter, super_mediator, generic, or the user's [`ColumnMap`]) and decodes each
//! row through a plan compiled once. [`Limits`] bounds all of it.
//!
//! Binary flow exports take another path from the same sniff (`content`): raw
//! IPFIX / NetFlow v9 / v5 streams (`export`, then [`ipfix`] and [`netflow`]) and
//! [`pcap`] / pcapng captures of export datagrams. A [`Session`] shares templates
//! between the files of one run.

mod content;
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
pub mod text;
pub mod time;
pub mod value;
mod zip;

pub use diag::{DiagKind, Diagnostic, Diagnostics};
pub use input::{decode_all, FileDecoder, FileSummary};
pub use ipfix::ExportStats;
pub use limits::Limits;
pub use mac::Mac;
pub use record::{FlowRecord, Position};
pub use session::{Session, Templates};
pub use text::csv::CsvDecoder;
/// The CSV decoder's former name (it now reads every delimited dialect).
pub use text::csv::CsvDecoder as CsvIpfixDecoder;
pub use text::preview::{preview, Preview};
pub use text::{ColumnMap, DecodeOptions, Dialect, Field, MapError, UtcOffset};
pub use time::{format_rfc3339_ms, parse_datetime_ms, parse_datetime_zoned, parse_day_first_ms};
pub use value::parse_tcp_flags;
