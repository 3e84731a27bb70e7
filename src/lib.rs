//! svcprint-web: the browser app. Only this package knows about Yew, the DOM and the
//! Web Worker; the analysis is `svcprint-engine`, the decoding `svcprint-flow`.
//!
//! Native (testable with plain `cargo test`): [`protocol`] (worker messages),
//! [`ingest`] (what the worker does with file bytes), [`analysis`] and [`compare`] (what the
//! views show, from the engine), [`state`] (the app reducer), [`labelling`] (imported and inline labels, an imported
//! library), [`saved`] (what "Save in this browser" stores), [`coalesce`] (slider
//! recomputes), [`rate`] (flows/s and time left),
//! [`charts`] (plotters drawings over any backend). Browser only: `components`,
//! `worker`, `reader`.

pub mod analysis;
pub mod charts;
pub mod coalesce;
pub mod compare;
pub mod detail;
pub mod ingest;
pub mod labelling;
pub mod mapping;
pub mod protocol;
pub mod rate;
pub mod saved;
pub mod state;
pub mod table;

#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod download;
#[cfg(target_arch = "wasm32")]
pub mod reader;
#[cfg(target_arch = "wasm32")]
pub mod worker;
