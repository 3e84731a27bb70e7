//! Convergence (method.md M9): per device, the number of active bins (and hours) each
//! export needed, its median, and the share of exports that were unstable.

use crate::exporter::Export;
use serde::{Deserialize, Serialize};

/// Convergence of one device's exports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Convergence {
    /// J, the number of exports (stable and unstable).
    pub exports: usize,
    /// Exports marked unstable (max_bins reached).
    pub unstable: usize,
    /// Median n over the exports (mean of the two middle values for an even count).
    pub median_bins: Option<f64>,
    /// Median wall-clock span in hours.
    pub median_hours: Option<f64>,
    /// unstable / exports.
    pub unstable_share: Option<f64>,
}

/// The median of `v` (sorted here); `None` when empty.
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    let hi = *v.get(mid)?;
    if v.len() % 2 == 1 {
        Some(hi)
    } else {
        Some((v.get(mid - 1)? + hi) / 2.0)
    }
}

/// method.md M9 convergence of a device's exports.
pub fn convergence(exports: &[Export]) -> Convergence {
    let unstable = exports.iter().filter(|e| !e.stable).count();
    Convergence {
        exports: exports.len(),
        unstable,
        median_bins: median(exports.iter().map(|e| e.window.n as f64).collect()),
        median_hours: median(exports.iter().map(|e| e.window.hours()).collect()),
        unstable_share: (!exports.is_empty()).then(|| unstable as f64 / exports.len() as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exporter::Window;
    use crate::representation::Fingerprint;

    fn export(n: u64, hours: i64, stable: bool) -> Export {
        Export {
            window: Window {
                first_bin: 0,
                last_bin: hours - 1,
                n,
                start_ms: 0,
                end_ms: hours * 3_600_000,
            },
            stable,
            fingerprint: Fingerprint::default(),
        }
    }

    #[test]
    fn medians_and_unstable_share() {
        let c = convergence(&[
            export(24, 30, true),
            export(336, 400, false),
            export(30, 30, true),
            export(26, 26, true),
        ]);
        assert_eq!(c.exports, 4);
        assert_eq!(c.unstable, 1);
        assert_eq!(c.median_bins, Some(28.0));
        assert_eq!(c.median_hours, Some(30.0));
        assert_eq!(c.unstable_share, Some(0.25));
        let none = convergence(&[]);
        assert_eq!((none.median_bins, none.unstable_share), (None, None));
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
    }
}
