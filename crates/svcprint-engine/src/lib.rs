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
//! - [`similarity`] (M7): weighted Jaccard and cosine; the 1e-12 tolerance.
//! - [`clustering`] (M7): pairwise similarity matrices, average-linkage leaf order, and
//!   whole-capture fingerprints.
//! - [`exporter`] (M8): stable, unstable and pending windows per device, and the trace of
//!   each step (for a timeline).
//! - [`convergence`], [`recurrence`], [`separability`] (M9).
//! - [`labels`]: label files (MAC or IP -> name, type).
//! - [`identify`] (M10): scores, ties, open-set unknown, evidence; [`library`] (M10, M12):
//!   labelled fingerprints and their versioned JSON form.
//! - [`evaluate`] (M11): temporal-split closed set and leave-one-type-out open set.
//! - [`mud`] (M12): RFC 8520 MUD drafts.
//! - [`summary`]: per-device summaries for display.
//!
//! The engine knows nothing about file formats (IPFIX, CSV, Zeek), where records come
//! from, or how results are shown.

pub mod activity;
pub mod aggregate;
pub mod bin_sets;
pub mod bins;
pub mod clustering;
pub mod config;
pub mod convergence;
pub mod device;
pub mod evaluate;
pub mod exporter;
pub mod identify;
pub mod labels;
pub mod library;
pub mod mud;
pub mod prefix;
pub mod protocol;
pub mod recurrence;
pub mod representation;
pub mod role;
pub mod separability;
pub mod service;
pub mod similarity;
pub mod summary;

pub use activity::{activity, Activity, DeviceActivity};
pub use aggregate::{
    Aggregates, AggregationParams, AggregationStats, Aggregator, DeviceAggregate, MergeError,
    ServiceFlows, TimeSpan,
};
pub use config::{Config, ConfigError};
pub use convergence::{convergence, Convergence};
pub use device::{DeviceKey, Locality};
pub use evaluate::{evaluate, evaluate_one, Evaluation};
pub use exporter::{
    export_bins, export_trace, exports, DeviceExports, Export, Pending, Step, Window,
};
pub use identify::{identify, Answer, Identification, Reference};
pub use labels::{Label, LabelError, Labels};
pub use library::{Library, LibraryError};
pub use prefix::Prefix;
pub use recurrence::{recurrence, Recurrence};
pub use representation::{Fingerprint, Representation, WindowCounts};
pub use separability::{separability, Separability};
pub use service::{Direction, Port, Service, ServiceId};
pub use similarity::Similarity;
pub use summary::{device_summaries, DeviceSummary, ServiceStat};
