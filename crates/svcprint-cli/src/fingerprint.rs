//! `svcprint fingerprint`: per device its exports (window, n, stable, services with
//! weights), pending window, convergence and recurrence (method.md M8, M9).

use crate::args::{maybe_labels, ConfigArgs};
use crate::input::{csv_field, emit, exit_code, load_with, report_diagnostics, write_json};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use svcprint_engine::convergence::median;
use svcprint_engine::exporter::Window;
use svcprint_engine::labels::Labels;
use svcprint_engine::{
    activity, convergence, exports, recurrence, separability, Activity, Config, Convergence,
    DeviceExports, Fingerprint, Separability,
};
use svcprint_flow::{format_rfc3339_ms, Limits};

#[derive(Serialize)]
pub struct WindowOut {
    pub first: String,
    pub last: String,
    pub n: u64,
    pub hours: f64,
}

impl WindowOut {
    pub fn of(w: &Window) -> WindowOut {
        WindowOut {
            first: format_rfc3339_ms(w.start_ms),
            last: format_rfc3339_ms(w.end_ms),
            n: w.n,
            hours: w.hours(),
        }
    }
}

#[derive(Serialize)]
pub struct ServiceWeight {
    pub service: String,
    pub weight: f64,
}

/// Services with weights, heaviest first, then by name.
pub fn weights(act: &Activity, f: &Fingerprint) -> Vec<ServiceWeight> {
    act.named_weights(f)
        .into_iter()
        .map(|(service, weight)| ServiceWeight { service, weight })
        .collect()
}

#[derive(Serialize)]
struct ExportOut {
    window: WindowOut,
    stable: bool,
    services: Vec<ServiceWeight>,
    /// M9: best J to another export of the same device and to another device's export.
    #[serde(skip_serializing_if = "Option::is_none")]
    separability: Option<SeparabilityOut>,
}

#[derive(Serialize)]
struct SeparabilityOut {
    same_device: Option<f64>,
    other_device: Option<f64>,
    margin: Option<f64>,
}

#[derive(Serialize)]
struct SeparationOut {
    /// Exports whose margin is > 0 (closer to their own device than to any other).
    separable: usize,
    /// Exports with a margin (the device has 2+ exports and another device exists).
    with_margin: usize,
    median_margin: Option<f64>,
}

#[derive(Serialize)]
struct RecurrenceOut {
    recurring: usize,
    rate: Option<f64>,
    behaviours: usize,
}

#[derive(Serialize)]
struct DeviceOut {
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    active_bins: usize,
    exports: Vec<ExportOut>,
    pending: Option<ExportOut>,
    convergence: Convergence,
    recurrence: RecurrenceOut,
    separability: SeparationOut,
}

#[derive(Serialize)]
struct Output {
    params: Config,
    representation: String,
    devices: Vec<DeviceOut>,
}

fn device_out(
    act: &Activity,
    d: &DeviceExports,
    seps: &[&Separability],
    cfg: &Config,
    labels: Option<&Labels>,
) -> DeviceOut {
    let sep_of = |i: usize| {
        seps.iter()
            .find(|s| s.export == i)
            .map(|s| SeparabilityOut {
                same_device: s.same_device,
                other_device: s.other_device,
                margin: s.margin,
            })
    };
    let margins: Vec<f64> = seps.iter().filter_map(|s| s.margin).collect();
    let fps: Vec<&Fingerprint> = d.exports.iter().map(|e| &e.fingerprint).collect();
    let r = recurrence(&fps, cfg.similarity, cfg.effective_tau_recur());
    DeviceOut {
        key: d.key.to_string(),
        name: labels.and_then(|l| l.get(&d.key)).map(|l| l.name.clone()),
        active_bins: act
            .devices()
            .iter()
            .find(|x| x.key() == d.key)
            .map_or(0, |x| x.bins().len()),
        exports: d
            .exports
            .iter()
            .enumerate()
            .map(|(i, e)| ExportOut {
                window: WindowOut::of(&e.window),
                stable: e.stable,
                services: weights(act, &e.fingerprint),
                separability: sep_of(i),
            })
            .collect(),
        pending: d.pending.as_ref().map(|p| ExportOut {
            window: WindowOut::of(&p.window),
            stable: false,
            services: weights(act, &p.fingerprint),
            separability: None,
        }),
        convergence: convergence(&d.exports),
        recurrence: RecurrenceOut {
            recurring: r.recurring,
            rate: r.rate,
            behaviours: r.behaviours,
        },
        separability: SeparationOut {
            separable: margins.iter().filter(|m| **m > 0.0).count(),
            with_margin: margins.len(),
            median_margin: median(margins),
        },
    }
}

pub fn run(
    paths: &[PathBuf],
    json: bool,
    csv: bool,
    labels: &Option<PathBuf>,
    flags: &ConfigArgs,
    text: &crate::input::TextArgs,
) -> Result<ExitCode, String> {
    let cfg = flags.apply(Config::default())?;
    let labels = maybe_labels(labels)?;
    let loaded = load_with(paths, &cfg, &Limits::default(), &text.options())?;
    let act = activity(&loaded.aggregates, &cfg);
    let shown: Vec<DeviceExports> = exports(&act, &cfg)
        .into_iter()
        .filter(|d| labels.as_ref().is_none_or(|l| l.get(&d.key).is_some()))
        .collect();
    // M9 separability among the devices shown.
    let seps = separability(&shown, cfg.similarity);
    let devices: Vec<DeviceOut> = shown
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mine: Vec<&Separability> = seps.iter().filter(|s| s.device == i).collect();
            device_out(&act, d, &mine, &cfg, labels.as_ref())
        })
        .collect();
    report_diagnostics(&loaded);
    let doc = Output {
        representation: cfg.representation.label(cfg.granularity),
        params: cfg,
        devices,
    };
    emit(None, |out| {
        if json {
            return write_json(out, &doc);
        }
        if csv {
            // One row per export; services as `service=weight` joined by `;`.
            writeln!(
                out,
                "device,name,export,first,last,n,hours,stable,same_device,other_device,margin,services"
            )?;
            let opt = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
            for d in &doc.devices {
                for (i, e) in d.exports.iter().enumerate() {
                    let services: Vec<String> = e
                        .services
                        .iter()
                        .map(|s| format!("{}={}", s.service, s.weight))
                        .collect();
                    let sep = e.separability.as_ref();
                    writeln!(
                        out,
                        "{},{},{},{},{},{},{},{},{},{},{},{}",
                        csv_field(&d.key),
                        csv_field(d.name.as_deref().unwrap_or("")),
                        i,
                        e.window.first,
                        e.window.last,
                        e.window.n,
                        e.window.hours,
                        e.stable,
                        opt(sep.and_then(|s| s.same_device)),
                        opt(sep.and_then(|s| s.other_device)),
                        opt(sep.and_then(|s| s.margin)),
                        csv_field(&services.join(";"))
                    )?;
                }
            }
            return Ok(());
        }
        writeln!(
            out,
            "{:<18} {:<28} {:>6} {:>7} {:>8} {:>9} {:>10} {:>10} {:>10} {:>10}",
            "device",
            "name",
            "bins",
            "exports",
            "unstable",
            "median n",
            "median h",
            "recurrence",
            "behaviours",
            "separable"
        )?;
        for d in &doc.devices {
            let c = &d.convergence;
            let opt = |v: Option<f64>, p: usize| v.map_or("-".to_string(), |x| format!("{x:.p$}"));
            writeln!(
                out,
                "{:<18} {:<28} {:>6} {:>7} {:>8} {:>9} {:>10} {:>10} {:>10} {:>10}",
                d.key,
                d.name.as_deref().unwrap_or("-"),
                d.active_bins,
                c.exports,
                c.unstable,
                opt(c.median_bins, 1),
                opt(c.median_hours, 1),
                opt(d.recurrence.rate, 3),
                d.recurrence.behaviours,
                format!(
                    "{}/{}",
                    d.separability.separable, d.separability.with_margin
                )
            )?;
            if let Some(last) = d.exports.last() {
                let top: Vec<String> = last
                    .services
                    .iter()
                    .take(6)
                    .map(|s| format!("{} {:.2}", s.service, s.weight))
                    .collect();
                writeln!(
                    out,
                    "    last export ({} bins): {}",
                    last.window.n,
                    top.join(", ")
                )?;
            }
        }
        writeln!(out, "representation {}", doc.representation)
    })?;
    Ok(exit_code(&loaded))
}
