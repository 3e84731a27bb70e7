//! The exporter (method.md M8): per device, over its active bins in time order, emit a
//! fingerprint once it is stable.
//!
//! With representation R \[representation\] (and k \[granularity\]), threshold \[tau\],
//! stability run \[stable_bins\], minimum window \[min_bins\] and maximum window
//! \[max_bins\]:
//! 1. start with an empty window W, no previous fingerprint P, run = 0;
//! 2. for each active bin b: add b to W; F = R(W); if P exists, run = run + 1 when
//!    J(F, P) >= tau (within [`crate::similarity::TOLERANCE`]), else run = 0; P = F;
//! 3. when |W| >= min_bins and run >= stable_bins: export F as stable and start again;
//! 4. otherwise, when |W| = max_bins: export F marked unstable and start again;
//! 5. at the end of the data the open window is reported as pending, not exported.

use crate::activity::Activity;
use crate::bin_sets::BinSets;
use crate::bins::bin_start_ms;
use crate::config::Config;
use crate::device::DeviceKey;
use crate::representation::{Fingerprint, WindowCounts};
use crate::similarity::at_least;
use serde::{Deserialize, Serialize};

/// A window of active bins: its first and last bin, n = |W|, and its wall-clock span
/// from the start of its first bin to the end of its last bin (`end_ms` is the start
/// of the bin after the last, exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub first_bin: i64,
    pub last_bin: i64,
    pub n: u64,
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Window {
    fn new(first_bin: i64, last_bin: i64, n: u64, bin_ms: i64) -> Window {
        Window {
            first_bin,
            last_bin,
            n,
            start_ms: bin_start_ms(first_bin, bin_ms),
            end_ms: bin_start_ms(last_bin.saturating_add(1), bin_ms),
        }
    }

    /// The wall-clock span in hours (method.md M9 convergence time).
    pub fn hours(&self) -> f64 {
        self.end_ms.saturating_sub(self.start_ms) as f64 / 3_600_000.0
    }
}

/// One exported fingerprint (method.md M8 step 3 or 4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub window: Window,
    /// True for step 3 (stable), false for step 4 (max_bins reached: unstable).
    pub stable: bool,
    /// F = R(W), ids into the [`Activity`]'s service table.
    pub fingerprint: Fingerprint,
}

/// The open window at the end of the data (method.md M8 step 5): not an export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub window: Window,
    /// The current stability run.
    pub run: u32,
    pub fingerprint: Fingerprint,
}

/// The exporter's output for one device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceExports {
    pub key: DeviceKey,
    /// In time order.
    pub exports: Vec<Export>,
    pub pending: Option<Pending>,
}

/// Runs the exporter over one device's active bins (`bin_ms` is the bin width).
/// Uses `cfg`'s representation, granularity, similarity, tau, stable_bins, min_bins and
/// max_bins.
pub fn export_bins(bins: &BinSets, bin_ms: i64, cfg: &Config) -> (Vec<Export>, Option<Pending>) {
    run_exporter(bins, bin_ms, cfg, |_| {})
}

/// One step of the exporter (one active bin added to the window), for a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The bin added.
    pub bin: i64,
    /// |W| after adding it.
    pub n: u64,
    /// sim(F, P): the window's fingerprint against the previous step's; None at the first
    /// bin of a window (no P).
    pub similarity: Option<f64>,
    /// The stability run after this step.
    pub run: u32,
    /// `Some(stable)` when this step exported the window (method.md M8 step 3 or 4).
    pub export: Option<bool>,
}

/// [`export_bins`] and every step it took, in order (one per active bin).
pub fn export_trace(
    bins: &BinSets,
    bin_ms: i64,
    cfg: &Config,
) -> (Vec<Step>, Vec<Export>, Option<Pending>) {
    let mut steps = Vec::with_capacity(bins.len());
    let (exports, pending) = run_exporter(bins, bin_ms, cfg, |s| steps.push(s));
    (steps, exports, pending)
}

fn run_exporter(
    bins: &BinSets,
    bin_ms: i64,
    cfg: &Config,
    mut on_step: impl FnMut(Step),
) -> (Vec<Export>, Option<Pending>) {
    let mut exports = Vec::new();
    let mut w = WindowCounts::new();
    let mut previous: Option<Fingerprint> = None;
    let mut run: u32 = 0;
    let mut first_bin = 0i64;
    let mut last_bin = 0i64;
    let min_bins = u64::from(cfg.min_bins);
    let max_bins = u64::from(cfg.max_bins.max(1));
    for (bin, set) in bins.iter() {
        if w.n() == 0 {
            first_bin = bin;
        }
        last_bin = bin;
        w.add_bin(set);
        let f = Fingerprint::of(&w, cfg.representation, cfg.granularity);
        let mut similarity = None;
        if let Some(p) = &previous {
            let s = cfg.similarity.of(&f, p);
            similarity = Some(s);
            if at_least(s, cfg.tau) {
                run = run.saturating_add(1);
            } else {
                run = 0;
            }
        }
        let stable = w.n() >= min_bins && run >= cfg.stable_bins;
        let export = stable || w.n() >= max_bins;
        on_step(Step {
            bin,
            n: w.n(),
            similarity,
            run,
            export: export.then_some(stable),
        });
        if export {
            exports.push(Export {
                window: Window::new(first_bin, last_bin, w.n(), bin_ms),
                stable,
                fingerprint: f,
            });
            w.clear();
            previous = None;
            run = 0;
        } else {
            previous = Some(f);
        }
    }
    let pending = previous.map(|fingerprint| Pending {
        window: Window::new(first_bin, last_bin, w.n(), bin_ms),
        run,
        fingerprint,
    });
    (exports, pending)
}

/// The exporter over every device of `act` that has active bins, sorted by key.
pub fn exports(act: &Activity, cfg: &Config) -> Vec<DeviceExports> {
    act.devices()
        .iter()
        .filter(|d| !d.bins().is_empty())
        .map(|d| {
            let (exports, pending) = export_bins(d.bins(), act.bin_ms(), cfg);
            DeviceExports {
                key: d.key(),
                exports,
                pending,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::representation::Representation;
    use crate::service::ServiceId;

    const H: i64 = 3_600_000;

    fn bins(sets: &[&[u32]]) -> BinSets {
        let mut b = BinSets::new();
        for (i, set) in sets.iter().enumerate() {
            let mut v: Vec<ServiceId> = set.iter().map(|&s| ServiceId(s)).collect();
            assert!(b.push(i as i64 + 100, &mut v));
        }
        b
    }

    #[test]
    fn constant_behaviour_exports_at_exactly_the_24th_bin() {
        let sets: Vec<&[u32]> = vec![&[1, 2]; 30];
        let (ex, pending) = export_bins(&bins(&sets), H, &Config::default());
        assert_eq!(ex.len(), 1);
        let e = &ex[0];
        assert!(e.stable);
        assert_eq!(
            e.window,
            Window {
                first_bin: 100,
                last_bin: 123,
                n: 24,
                start_ms: 100 * H,
                end_ms: 124 * H
            }
        );
        assert_eq!(e.window.hours(), 24.0);
        assert_eq!(
            e.fingerprint.weights,
            [(ServiceId(1), 1.0), (ServiceId(2), 1.0)]
        );
        // 6 bins left: pending, run 5 (counted from the window's second bin).
        let p = pending.unwrap();
        assert_eq!(
            (p.window.first_bin, p.window.last_bin, p.window.n),
            (124, 129, 6)
        );
        assert_eq!(p.run, 5);
        // 23 bins: nothing exported.
        let (ex, pending) = export_bins(&bins(&sets[..23]), H, &Config::default());
        assert!(ex.is_empty());
        assert_eq!(pending.unwrap().window.n, 23);
    }

    #[test]
    fn instability_resets_the_run() {
        // min_bins 3, stable_bins 2, SL. Bins: {1} {1} {2} {2} {2} {2}.
        // bin 2: J({1},{1}) = 1 -> run 1; bin 3: F = {1,2}, J = 1/2 -> run 0;
        // bin 4: run 1; bin 5: run 2, n = 5 >= 3 -> export {1,2} at n = 5.
        let cfg = Config {
            representation: Representation::Sl,
            min_bins: 3,
            stable_bins: 2,
            ..Config::default()
        };
        let (ex, pending) = export_bins(&bins(&[&[1], &[1], &[2], &[2], &[2], &[2]]), H, &cfg);
        assert_eq!(ex.len(), 1);
        assert_eq!(ex[0].window.n, 5);
        assert!(ex[0].stable);
        assert_eq!(pending.unwrap().window.n, 1);
    }

    #[test]
    fn the_trace_shows_every_step() {
        // The case above: {1} {1} {2} {2} {2} {2}, SL, min_bins 3, stable_bins 2.
        let cfg = Config {
            representation: Representation::Sl,
            min_bins: 3,
            stable_bins: 2,
            ..Config::default()
        };
        let b = bins(&[&[1], &[1], &[2], &[2], &[2], &[2]]);
        let (steps, ex, pending) = export_trace(&b, H, &cfg);
        let step = |bin, n, similarity, run, export| Step {
            bin,
            n,
            similarity,
            run,
            export,
        };
        assert_eq!(
            steps,
            [
                step(100, 1, None, 0, None),
                step(101, 2, Some(1.0), 1, None),
                step(102, 3, Some(0.5), 0, None),
                step(103, 4, Some(1.0), 1, None),
                step(104, 5, Some(1.0), 2, Some(true)),
                step(105, 1, None, 0, None),
            ]
        );
        assert_eq!((ex, pending), export_bins(&b, H, &cfg));
        // max_bins: an unstable export is marked as such.
        let cfg = Config {
            representation: Representation::Sl,
            min_bins: 2,
            max_bins: 2,
            stable_bins: 3,
            ..Config::default()
        };
        let (steps, ex, _) = export_trace(&bins(&[&[1], &[2]]), H, &cfg);
        assert_eq!(steps[1], step(101, 2, Some(0.5), 0, Some(false)));
        assert!(!ex[0].stable);
    }

    #[test]
    fn max_bins_exports_unstable() {
        let cfg = Config {
            representation: Representation::Sl,
            min_bins: 2,
            max_bins: 4,
            stable_bins: 3,
            ..Config::default()
        };
        // Each bin brings a new service: J = k/(k+1) < 0.9 for k < 9.
        let (ex, pending) = export_bins(
            &bins(&[&[1], &[2], &[3], &[4], &[5], &[6], &[7], &[8], &[9]]),
            H,
            &cfg,
        );
        assert_eq!(ex.len(), 2);
        assert!(ex.iter().all(|e| !e.stable && e.window.n == 4));
        assert_eq!(ex[1].window.first_bin, 104);
        assert_eq!(ex[0].fingerprint.len(), 4);
        assert_eq!(pending.unwrap().window.n, 1);
    }

    #[test]
    fn tau_with_tolerance_passes_exactly_nine_tenths() {
        // SL: the first bin has 9 services, the second 10, so J(F2, F1) = 9/10.
        let nine: Vec<u32> = (0..9).collect();
        let ten: Vec<u32> = (0..10).collect();
        let cfg = Config {
            representation: Representation::Sl,
            min_bins: 2,
            stable_bins: 1,
            ..Config::default()
        };
        let (ex, _) = export_bins(&bins(&[&nine, &ten]), H, &cfg);
        assert_eq!(ex.len(), 1, "J = 9/10 must pass tau = 0.9");
        assert_eq!(ex[0].window.n, 2);
    }
}
