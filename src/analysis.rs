//! What the page shows after a run, computed from the kept [`Aggregates`] with the
//! current [`Config`] and labels: only calls into `svcprint-engine` (summaries, M8
//! exporter, M9 convergence and recurrence, M11 evaluation), so a parameter change or a
//! label import recomputes without re-reading the files.

use serde::{Deserialize, Serialize};
use svcprint_engine::{
    activity, convergence, evaluate, exports, recurrence, summary::summarize, Aggregates, Config,
    DeviceSummary, Evaluation, Labels,
};

/// Per device: its fingerprint exports (M8) and their convergence and recurrence (M9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceFingerprints {
    pub key: String,
    /// Exports, stable and unstable (J).
    pub exports: usize,
    pub unstable: usize,
    /// Median convergence, in active bins and in wall-clock hours.
    pub median_bins: Option<f64>,
    pub median_hours: Option<f64>,
    /// Recurrence rate (None with fewer than two exports) and distinct behaviours.
    pub recurrence: Option<f64>,
    pub behaviours: usize,
    /// Active bins in the open (pending) window at the end of the data.
    pub pending_bins: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub devices: Vec<DeviceSummary>,
    pub fingerprints: Vec<DeviceFingerprints>,
    /// M11 for SL, SP, G2, G4, G8; None without labels.
    pub evaluation: Option<Evaluation>,
}

/// Everything the views show, for `cfg` (validated by the caller) and `labels`.
pub fn analyse(aggregates: &Aggregates, labels: &Labels, cfg: &Config) -> Analysis {
    let act = activity(aggregates, cfg);
    let devices = summarize(&act);
    let tau_recur = cfg.effective_tau_recur();
    let fingerprints = exports(&act, cfg)
        .into_iter()
        .map(|d| {
            let c = convergence(&d.exports);
            let fps: Vec<_> = d.exports.iter().map(|e| &e.fingerprint).collect();
            let r = recurrence(&fps, cfg.similarity, tau_recur);
            DeviceFingerprints {
                key: d.key.to_string(),
                exports: c.exports,
                unstable: c.unstable,
                median_bins: c.median_bins,
                median_hours: c.median_hours,
                recurrence: r.rate,
                behaviours: r.behaviours,
                pending_bins: d.pending.map(|p| p.window.n),
            }
        })
        .collect();
    let evaluation = (!labels.is_empty()).then(|| evaluate(&act, labels, cfg));
    Analysis {
        devices,
        fingerprints,
        evaluation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_engine::{device_summaries, Aggregator};
    use svcprint_sim::{labels_csv, SimConfig, Simulator};

    fn demo_aggregates() -> Aggregates {
        let mut agg = Aggregator::new(&Config::default()).expect("default config");
        for r in Simulator::new(SimConfig::default()) {
            agg.add(&r);
        }
        agg.finish()
    }

    #[test]
    fn parameters_and_labels_recompute_from_the_aggregates() {
        let aggregates = demo_aggregates();
        let cfg = Config::default();
        let plain = analyse(&aggregates, &Labels::default(), &cfg);
        assert_eq!(plain.devices, device_summaries(&aggregates, &cfg));
        assert!(plain.evaluation.is_none());
        // Four weeks of hourly bins: every always-on device exports fingerprints.
        let camera = plain
            .fingerprints
            .iter()
            .find(|f| f.key == "02:10:00:00:00:01")
            .expect("camera");
        assert!(camera.exports >= 10, "{camera:?}");
        assert!(camera.median_bins.is_some_and(|n| n >= 24.0));

        // Direction-blind: `in:` services disappear from every list.
        let blind = analyse(
            &aggregates,
            &Labels::default(),
            &Config {
                direction_aware: false,
                ..cfg.clone()
            },
        );
        let printer = |a: &Analysis| {
            a.devices
                .iter()
                .find(|d| d.key == "02:10:00:00:00:06")
                .map(|d| {
                    d.services
                        .iter()
                        .map(|s| s.service.clone())
                        .collect::<Vec<_>>()
                })
        };
        assert!(printer(&plain).is_some_and(|s| s.contains(&"in:TCP/631".to_string())));
        assert!(printer(&blind).is_some_and(
            |s| s.contains(&"TCP/631".to_string()) && !s.iter().any(|x| x.starts_with("in:"))
        ));

        // With the demo's labels, every representation is evaluated.
        let (labels, errors) = Labels::parse(&labels_csv(
            &Simulator::new(SimConfig::default()).devices(),
            1,
        ));
        assert!(errors.is_empty(), "{errors:?}");
        let labelled = analyse(&aggregates, &labels, &cfg);
        let eval = labelled.evaluation.expect("labels given");
        assert_eq!(
            eval.representations
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["G2", "G4", "G8", "SL", "SP"]
        );
    }
}
