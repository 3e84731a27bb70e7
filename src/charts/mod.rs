//! Charts as plain functions over any plotters backend: drawn on a canvas in the app,
//! rendered to SVG in native tests (and later for export).

pub mod open_set;
pub mod prevalence;
