//! Cisco NetFlow: version 9 (RFC 3954, templates per source id, decoded through the
//! IPFIX plans) and version 5 (fixed 48-byte records).

pub mod v5;
pub mod v9;
