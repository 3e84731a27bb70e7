//! IPFIX (RFC 7011): message and set framing, templates compiled into decode plans,
//! and the mapping of information elements into [`crate::FlowRecord`]s.
//!
//! Time of a record, by the first form present: flowStart/End{Seconds,Milliseconds,
//! Microseconds,Nanoseconds}; flowStart/EndSysUpTime plus systemInitTimeMilliseconds
//! (from the same record, or the last data or options record of the same exporter and
//! observation domain; for NetFlow v9, relative to the header's sysUptime and export
//! time); flowStart/EndDeltaMicroseconds before the export time; the missing end from
//! flowDurationMilli/Microseconds; observationTime{Seconds,Milliseconds}; else
//! **the message's export time** for both start and end.

pub mod decoder;
pub mod ie;
pub mod message;
pub mod plan;
pub mod set;
pub mod template;

pub use decoder::{Decoder, ExportStats, Protocol, ScopeKey, TemplateStore};
