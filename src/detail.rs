//! The Device view's activity raster, exporter timeline and exports for one device, made
//! in the worker on request (they are as large as the device's active bins). Engine calls
//! only: the activity's bins (method.md M5), the exporter's trace and exports (M8), their
//! convergence and recurrence (M9); the same numbers `svcprint fingerprint` prints.

use serde::{Deserialize, Serialize};
use svcprint_engine::bins::bin_start_ms;
use svcprint_engine::{
    convergence, export_trace, recurrence, Activity, Config, Convergence, DeviceKey, Fingerprint,
    Recurrence, Step, Window, WindowCounts,
};

/// The raster draws at most this many services (the most prevalent) ...
pub const MAX_RASTER_SERVICES: usize = 40;
/// ... and at most this many time columns (several bins share a column when the capture
/// is longer).
pub const MAX_COLUMNS: usize = 480;

/// Services (rows) by time (columns): in each column, the share of its bins in which the
/// device used the service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Raster {
    /// Most prevalent first (then by name), at most [`MAX_RASTER_SERVICES`].
    pub services: Vec<String>,
    /// Services of the device in all.
    pub total_services: usize,
    /// Start of the first column (the device's first active bin), and the bin width.
    pub start_ms: i64,
    pub bin_ms: i64,
    /// Bins per column, and the number of columns.
    pub bins_per_column: u32,
    pub columns: usize,
    /// Row by row, values in \[0, 1\].
    pub cells: Vec<f32>,
}

impl Raster {
    /// The value of service `row` in column `col` (0 outside).
    pub fn get(&self, row: usize, col: usize) -> f32 {
        if col >= self.columns {
            return 0.0;
        }
        self.cells
            .get(row * self.columns + col)
            .copied()
            .unwrap_or(0.0)
    }
}

/// The exporter's steps for one device under the parameters in force.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    pub bin_ms: i64,
    /// method.md M8 tau, stable_bins, min_bins and max_bins in force.
    pub tau: f64,
    pub stable_bins: u32,
    pub min_bins: u32,
    pub max_bins: u32,
    /// `SL`, `SP` or `G<k>`, and the similarity's name.
    pub representation: String,
    pub similarity: String,
    pub steps: Vec<Step>,
}

/// One exported fingerprint (or the open window at the end), as `svcprint fingerprint`
/// prints it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExportRow {
    /// Start of the first bin and end of the last (exclusive), ms UTC.
    pub start_ms: i64,
    pub end_ms: i64,
    /// Active bins in the window, and its wall-clock span in hours.
    pub n: u64,
    pub hours: f64,
    pub stable: bool,
    /// Services with weights, heaviest first, then by name.
    pub services: Vec<(String, f64)>,
}

impl ExportRow {
    fn of(act: &Activity, window: &Window, stable: bool, f: &Fingerprint) -> ExportRow {
        ExportRow {
            start_ms: window.start_ms,
            end_ms: window.end_ms,
            n: window.n,
            hours: window.hours(),
            stable,
            services: act.named_weights(f),
        }
    }
}

/// What the Device view draws beyond the summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceDetail {
    pub key: String,
    pub raster: Raster,
    pub timeline: Timeline,
    /// The exports (method.md M8) in order, and the open window at the end.
    pub exports: Vec<ExportRow>,
    pub pending: Option<ExportRow>,
    /// M9 over the exports.
    pub convergence: Convergence,
    pub recurrence: Recurrence,
}

impl Default for DeviceDetail {
    fn default() -> DeviceDetail {
        DeviceDetail {
            key: String::new(),
            raster: Raster::default(),
            timeline: Timeline::default(),
            exports: Vec::new(),
            pending: None,
            convergence: convergence(&[]),
            recurrence: recurrence::<svcprint_engine::ServiceId>(
                &[],
                svcprint_engine::Similarity::Jaccard,
                1.0,
            ),
        }
    }
}

/// The detail of device `key` under `cfg`, or None when it has no active bin.
pub fn device_detail(act: &Activity, key: &str, cfg: &Config) -> Option<DeviceDetail> {
    let key: DeviceKey = key.parse().ok()?;
    let dev = act.devices().iter().find(|d| d.key() == key)?;
    let bins = dev.bins();
    let first = bins.iter().next()?.0;
    let last = bins.iter().last()?.0;
    let bin_ms = act.bin_ms();

    // Rows: services by the number of bins they are active in (= prevalence), then name.
    let counts = WindowCounts::of_bins(bins.iter().map(|(_, set)| set));
    let mut rows: Vec<(String, u64, svcprint_engine::ServiceId)> = counts
        .counts()
        .iter()
        .map(|&(id, c)| {
            let name = act.service(id).map(|s| s.to_string()).unwrap_or_default();
            (name, c, id)
        })
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let total_services = rows.len();
    rows.truncate(MAX_RASTER_SERVICES);

    let span = u64::try_from(last.saturating_sub(first)).unwrap_or(0) + 1;
    let per = span.div_ceil(MAX_COLUMNS as u64).max(1);
    let columns = span.div_ceil(per) as usize;
    let mut hits = vec![0u32; rows.len() * columns];
    for (bin, set) in bins.iter() {
        let col = (u64::try_from(bin - first).unwrap_or(0) / per) as usize;
        for (r, row) in rows.iter().enumerate() {
            if set.binary_search(&row.2).is_ok() {
                if let Some(h) = hits.get_mut(r * columns + col) {
                    *h += 1;
                }
            }
        }
    }
    // The last column may hold fewer bins.
    let width = |col: usize| {
        let start = col as u64 * per;
        (span - start).min(per) as f32
    };
    let cells = hits
        .iter()
        .enumerate()
        .map(|(i, &h)| h as f32 / width(i % columns.max(1)))
        .collect();
    let (steps, exports, pending) = export_trace(bins, bin_ms, cfg);
    let fps: Vec<&Fingerprint> = exports.iter().map(|e| &e.fingerprint).collect();
    let recurrence = recurrence(&fps, cfg.similarity, cfg.effective_tau_recur());
    Some(DeviceDetail {
        key: key.to_string(),
        raster: Raster {
            services: rows.into_iter().map(|r| r.0).collect(),
            total_services,
            start_ms: bin_start_ms(first, bin_ms),
            bin_ms,
            bins_per_column: u32::try_from(per).unwrap_or(u32::MAX),
            columns,
            cells,
        },
        timeline: Timeline {
            bin_ms,
            tau: cfg.tau,
            stable_bins: cfg.stable_bins,
            min_bins: cfg.min_bins,
            max_bins: cfg.max_bins,
            representation: cfg.representation.label(cfg.granularity),
            similarity: cfg.similarity.name().to_string(),
            steps,
        },
        exports: exports
            .iter()
            .map(|e| ExportRow::of(act, &e.window, e.stable, &e.fingerprint))
            .collect(),
        pending: pending
            .as_ref()
            .map(|p| ExportRow::of(act, &p.window, false, &p.fingerprint)),
        convergence: convergence(&exports),
        recurrence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;
    use svcprint_engine::{activity, exports, Aggregator};
    use svcprint_flow::FlowRecord;

    const H: i64 = 3_600_000;

    /// A device using UDP/53 in every given hour and TCP/443 in the even ones.
    fn aggregates(hours: &[i64]) -> svcprint_engine::Aggregates {
        let mut agg = Aggregator::new(&Config::default()).expect("default");
        let dev: IpAddr = "192.168.1.5".parse().expect("ip");
        let far: IpAddr = "8.8.8.8".parse().expect("ip");
        for &h in hours {
            let mut dns = FlowRecord::new(h * H, h * H + 1, 17, (dev, 40000), (far, 53));
            dns.reverse_packets = Some(1);
            agg.add(&dns);
            if h % 2 == 0 {
                let mut web = dns.clone();
                web.protocol = 6;
                web.dst_port = 443;
                agg.add(&web);
            }
        }
        agg.finish()
    }

    #[test]
    fn one_bin_per_column_for_a_short_capture() {
        // Hours 0, 1, 2 and 5 (3 and 4 idle): 6 columns of one bin.
        let cfg = Config::default();
        let act = activity(&aggregates(&[0, 1, 2, 5]), &cfg);
        let d = device_detail(&act, "192.168.1.5", &cfg).expect("device");
        let r = &d.raster;
        assert_eq!(r.services, ["UDP/53", "TCP/443"]);
        assert_eq!((r.total_services, r.columns, r.bins_per_column), (2, 6, 1));
        assert_eq!((r.start_ms, r.bin_ms), (0, H));
        let row = |i: usize| (0..r.columns).map(|c| r.get(i, c)).collect::<Vec<_>>();
        assert_eq!(row(0), [1.0, 1.0, 1.0, 0.0, 0.0, 1.0]);
        assert_eq!(row(1), [1.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
        // One step per active bin; the trace is the exporter's.
        assert_eq!(d.timeline.steps.len(), 4);
        assert_eq!(d.timeline.steps[0].similarity, None);
        assert_eq!(d.timeline.tau, 0.9);
        assert_eq!(d.timeline.representation, "G2");
        // No export (fewer than min_bins = 24); the open window holds the four bins: G2
        // of UDP/53 (4 of 4) is 1, of TCP/443 (2 of 4) ceil(2 * 2 / 4) / 2 = 0.5.
        assert!(d.exports.is_empty());
        let p = d.pending.as_ref().expect("open window");
        assert_eq!((p.start_ms, p.end_ms, p.n, p.hours), (0, 6 * H, 4, 6.0));
        assert_eq!(
            p.services,
            [("UDP/53".to_string(), 1.0), ("TCP/443".to_string(), 0.5)]
        );
        assert!(!p.stable);
        assert_eq!(
            (d.convergence.exports, d.convergence.median_bins),
            (0, None)
        );
        assert_eq!((d.recurrence.rate, d.recurrence.behaviours), (None, 0));
        assert!(device_detail(&act, "192.168.1.6", &cfg).is_none());
        assert!(device_detail(&act, "not a key", &cfg).is_none());
    }

    #[test]
    fn long_captures_share_columns_and_the_last_may_be_partial() {
        // 1,000 consecutive hours: 3 bins per column (ceil(1000 / 480)), 334 columns, the
        // last with 1 bin.
        let hours: Vec<i64> = (0..1000).collect();
        let cfg = Config::default();
        let act = activity(&aggregates(&hours), &cfg);
        let d = device_detail(&act, "192.168.1.5", &cfg).expect("device");
        let r = &d.raster;
        assert_eq!((r.bins_per_column, r.columns), (3, 334));
        // UDP/53 every hour: 1 everywhere. TCP/443 every other hour: columns of hours
        // (0,1,2) 2/3, (3,4,5) 1/3, ..., the last (999) 0.
        assert!((0..r.columns).all(|c| r.get(0, c) == 1.0));
        assert_eq!(r.get(1, 0), 2.0 / 3.0);
        assert_eq!(r.get(1, 1), 1.0 / 3.0);
        assert_eq!(r.get(1, 333), 0.0);
        assert_eq!(r.get(1, 334), 0.0, "outside");
        // G2 flips TCP/443 between 1 (odd n: p > 1/2) and 1/2 (even n) every step, so
        // sim = 1.5 / 2 = 0.75 < tau: never stable, an unstable export at each 336 bins.
        let steps = &d.timeline.steps;
        assert_eq!(steps.len(), 1000);
        assert_eq!(steps[1].similarity, Some(0.75));
        assert!(steps.iter().all(|s| s.run == 0));
        let exported: Vec<(i64, Option<bool>)> = steps
            .iter()
            .filter(|s| s.export.is_some())
            .map(|s| (s.bin, s.export))
            .collect();
        assert_eq!(exported, [(335, Some(false)), (671, Some(false))]);
        let want = exports(&act, &cfg);
        assert_eq!(want[0].exports.len(), 2);
        // The exports: bins 0-335 and 336-671, each 336 bins and hours, both G2 {UDP/53: 1,
        // TCP/443: ceil(2 * 168 / 336) / 2 = 0.5}; the open window 672-999 (328 bins,
        // 164 with TCP/443) has the same weights.
        let weights = [("UDP/53".to_string(), 1.0), ("TCP/443".to_string(), 0.5)];
        let e = &d.exports;
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].start_ms, e[0].end_ms), (0, 336 * H));
        assert_eq!((e[1].start_ms, e[1].end_ms), (336 * H, 672 * H));
        assert!(e
            .iter()
            .all(|e| (e.n, e.hours, e.stable) == (336, 336.0, false) && e.services == weights));
        let p = d.pending.as_ref().expect("open window");
        assert_eq!((p.start_ms, p.end_ms, p.n), (672 * H, 1000 * H, 328));
        assert_eq!(p.services, weights);
        // M9: both unstable, median 336; identical, so the second recurs: one behaviour.
        let c = &d.convergence;
        assert_eq!(
            (
                c.exports,
                c.unstable,
                c.median_bins,
                c.median_hours,
                c.unstable_share
            ),
            (2, 2, Some(336.0), Some(336.0), Some(1.0))
        );
        let r = &d.recurrence;
        assert_eq!((r.recurring, r.rate, r.behaviours), (1, Some(1.0), 1));
        assert_eq!(r.behaviour_of, [0, 0]);
    }

    #[test]
    fn a_stable_export_and_its_trace() {
        // UDP/53 in each of 30 consecutive hours: SL sim 1 from the second step on, so the
        // run reaches stable_bins (3) at step 4, but the window only exports at min_bins
        // (24): one stable export of bins 0-23, then an open window of 6.
        let hours: Vec<i64> = (0..30).map(|h| 2 * h + 1).collect(); // odd hours: no TCP
        let cfg = Config {
            representation: svcprint_engine::Representation::Sl,
            ..Config::default()
        };
        let act = activity(&aggregates(&hours), &cfg);
        let d = device_detail(&act, "192.168.1.5", &cfg).expect("device");
        let steps = &d.timeline.steps;
        assert_eq!(steps.len(), 30);
        assert_eq!(steps[23].export, Some(true));
        assert_eq!((steps[23].n, steps[23].run), (24, 23));
        assert_eq!(steps[24].similarity, None, "a new window");
        assert_eq!(d.exports.len(), 1);
        let e = &d.exports[0];
        // 24 active bins at hours 1, 3, ..., 47: from 1 h to 48 h, 47 wall-clock hours.
        assert_eq!((e.n, e.hours, e.stable), (24, 47.0, true));
        assert_eq!(e.services, [("UDP/53".to_string(), 1.0)]);
        assert_eq!(d.pending.as_ref().map(|p| p.n), Some(6));
        assert_eq!(d.convergence.median_bins, Some(24.0));
        assert_eq!(d.recurrence.rate, None);
    }
}
