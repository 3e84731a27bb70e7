//! Yew function components, one per file. They render [`crate::state::AppState`] and
//! dispatch [`crate::state::Action`]s; they never parse or analyse anything themselves.

pub mod app;
pub mod chart;
pub mod device_activity;
pub mod device_table;
pub mod diagnostics;
pub mod drop_zone;
pub mod evaluation;
pub mod exports;
pub mod identify;
pub mod labels;
pub mod mapper;
pub mod overview;
pub mod params;
pub mod progress;
pub mod saved;
pub mod service_chart;
pub mod similarity;
pub mod views;

/// Milliseconds since the epoch as `YYYY-MM-DD HH:MM` UTC, for tables.
pub fn short_time(ms: i64) -> String {
    let full = svcprint_flow::format_rfc3339_ms(ms);
    full.get(..16).map(|s| s.replace('T', " ")).unwrap_or(full)
}

pub use crate::rate::count;

/// Bytes as a short human figure (`12.3 MB`).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
