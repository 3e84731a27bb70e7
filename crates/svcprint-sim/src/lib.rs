//! svcprint-sim: a deterministic simulator of an IoT home/lab fleet.
//!
//! A dozen device types with service schedules (periodic NTP/DNS, cloud TLS/MQTT
//! keep-alives, daily firmware checks, LAN discovery via SSDP/mDNS, user-driven bursts),
//! devices switched off for days, one device whose firmware update changes its services
//! mid-way, and an unlabelled newcomer. Same seed, same flows: the demo, tests and
//! benchmarks all rely on that. No I/O, no clock: the start time and the seed are inputs.

pub mod fleet;
pub mod ipfix;
pub mod rng;
pub mod simulator;
pub mod writer;

pub use fleet::{fleet, Behaviour, Peer, SimDevice};
pub use ipfix::IpfixWriter;
pub use simulator::{SimConfig, Simulator};
pub use writer::{labels_csv, CsvWriter};
