//! svcprint-flow: the flow record model (method.md M1) and streaming decoders.
//!
//! Everything here is push-style: a decoder is fed byte chunks of any size and
//! emits [`FlowRecord`]s; chunk borders never change the result. Nothing here
//! does I/O, reads a clock or knows about the analysis engine or the browser.

pub mod diag;
pub mod mac;
pub mod record;

pub use diag::{DiagKind, Diagnostic, Diagnostics};
pub use mac::Mac;
pub use record::{FlowRecord, Position};
