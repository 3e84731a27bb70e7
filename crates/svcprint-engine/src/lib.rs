//! svcprint-engine: service-level fingerprints of IoT devices (method.md M2-M12).
//! Pure functions of (records or aggregates, config); no I/O, no clock, no browser.
//!
//! Pipeline: flow records -> [`Aggregator`] (M2 roles, M3 devices, M4 services, M5 bins)
//! -> [`Aggregates`] (mergeable, serializable) -> [`activity()`] (M4 direction mode and
//! folding) -> [`representation`] (M6) and [`device_summaries`].

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
