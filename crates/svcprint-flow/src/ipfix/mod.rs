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
//!
//! An element that repeats in a template (an outer tunnel header, then the inner
//! packet's, as Cisco SRv6 exporters send) gives its last value; when a template has
//! both IPv4 and IPv6 addresses, an unset one (0.0.0.0 or ::) never wins and of two set
//! ones the later wins, so addresses, ports and protocol come from the same header.

pub mod decoder;
pub mod ie;
pub mod message;
pub mod plan;
pub mod set;
pub mod template;

pub use decoder::{Decoder, ExportStats, Protocol, ScopeKey, TemplateStore};
