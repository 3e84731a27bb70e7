//! svcprint-engine: service-level fingerprints of IoT devices (method.md M2-M12).
//! Pure functions of (records or aggregates, config); no I/O, no clock, no browser.

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

pub use config::{Config, ConfigError};
pub use device::{DeviceKey, Locality};
pub use prefix::Prefix;
pub use representation::{Fingerprint, Representation, WindowCounts};
pub use service::{Direction, Port, Service, ServiceId};
pub use similarity::Similarity;
