//! svcprint-engine: service-level fingerprints of IoT devices (method.md M2-M12).
//! Pure functions of (records or aggregates, config); no I/O, no clock, no browser.
//!
//! Pipeline: flow records -> [`Aggregator`] (M2 roles, M3 devices, M4 services, M5 bins)
//! -> [`Aggregates`] (canonical, mergeable, serializable) -> [`activity()`] (M4
//! direction mode and rare-port folding) -> [`representation`] (M6) and
//! [`device_summaries`].
//!
//! Code map, one concept per module:
//! - [`config`]: every parameter of method.md with its default, and validation.
//! - [`prefix`], [`protocol`]: IP prefixes; protocol numbers, names, which have ports.
//! - [`role`] (M2): client and server of a flow, or no service (ICMP errors).
//! - [`device`] (M3): which addresses are devices; the device key (MAC or IP).
//! - [`service`] (M4): the (direction, protocol, port) triple and its text.
//! - [`bins`] (M5): time bins of a flow; [`bin_sets`]: S(d, b) stored compactly.
//! - [`aggregate`]: records to [`Aggregates`]; merge; stats.
//! - [`mod@activity`] (M4): direction-blind projection and folding over the aggregates.
//! - [`representation`] (M6): window counts and SL, SP, G_k fingerprints.
//! - [`similarity`] (M7): the choice of measure.
//! - [`summary`]: per-device summaries for display.
//!
//! The engine knows nothing about file formats (IPFIX, CSV, Zeek), where records come
//! from, or how results are shown.

pub mod activity;
pub mod aggregate;
pub mod bin_sets;
pub mod bins;
pub mod config;
pub mod device;
pub mod prefix;
pub mod protocol;
pub mod representation;
pub mod role;
pub mod service;
pub mod similarity;
pub mod summary;

pub use activity::{activity, Activity, DeviceActivity};
pub use aggregate::{
    Aggregates, AggregationParams, AggregationStats, Aggregator, DeviceAggregate, MergeError,
    ServiceFlows, TimeSpan,
};
pub use config::{Config, ConfigError};
pub use device::{DeviceKey, Locality};
pub use prefix::Prefix;
pub use representation::{Fingerprint, Representation, WindowCounts};
pub use service::{Direction, Port, Service, ServiceId};
pub use similarity::Similarity;
pub use summary::{device_summaries, DeviceSummary, ServiceStat};
