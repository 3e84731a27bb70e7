//! `svcprint devices`: the per-device summary (method.md M2-M6).

use crate::input::load_with;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use svcprint_engine::{device_summaries, Config, DeviceSummary};
use svcprint_flow::{format_rfc3339_ms, Diagnostic, Limits};

#[derive(Serialize)]
struct Output<'a> {
    devices: Vec<DeviceOut<'a>>,
    diagnostics: Vec<&'a Diagnostic>,
}

#[derive(Serialize)]
struct DeviceOut<'a> {
    key: &'a str,
    flows: u64,
    active_bins: u64,
    first: String,
    last: String,
    services: &'a [svcprint_engine::ServiceStat],
}

pub fn run(
    paths: &[PathBuf],
    json: bool,
    flags: &crate::args::ConfigArgs,
    text: &crate::input::TextArgs,
) -> Result<ExitCode, String> {
    let config = flags.apply(Config::default())?;
    let loaded = load_with(paths, &config, &Limits::default(), &text.options())?;
    let devices = device_summaries(&loaded.aggregates, &config);
    let diagnostics: Vec<&Diagnostic> = loaded
        .files
        .iter()
        .flat_map(|f| f.diagnostics.kept.iter())
        .collect();
    let mut out = std::io::stdout().lock();
    let written = if json {
        let doc = Output {
            devices: devices
                .iter()
                .map(|d| DeviceOut {
                    key: &d.key,
                    flows: d.flows,
                    active_bins: d.active_bins,
                    first: format_rfc3339_ms(d.first_ms),
                    last: format_rfc3339_ms(d.last_ms),
                    services: &d.services,
                })
                .collect(),
            diagnostics,
        };
        serde_json::to_writer_pretty(&mut out, &doc)
            .map_err(std::io::Error::from)
            .and_then(|_| writeln!(out))
    } else {
        write_table(&mut out, &devices, loaded.records).and_then(|_| {
            for f in &loaded.files {
                let total = f.diagnostics.total();
                if total > 0 {
                    eprintln!(
                        "{}: {} problems ({} shown)",
                        f.name,
                        total,
                        f.diagnostics.kept.len()
                    );
                }
            }
            diagnostics
                .iter()
                .try_for_each(|d| writeln!(std::io::stderr(), "{d}"))
        })
    };
    match written {
        Ok(()) => {}
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(e.to_string()),
    }
    Ok(if loaded.unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_table(
    out: &mut impl Write,
    devices: &[DeviceSummary],
    records: u64,
) -> std::io::Result<()> {
    let key_width = devices
        .iter()
        .map(|d| d.key.len())
        .max()
        .unwrap_or(6)
        .max(6);
    writeln!(
        out,
        "{:<key_width$}  {:>9}  {:>6}  {:<20}  {:<20}  {:>4}  top services (prevalence)",
        "device", "flows", "hours", "first seen (UTC)", "last seen (UTC)", "svcs"
    )?;
    for d in devices {
        let top: Vec<String> = d
            .services
            .iter()
            .take(5)
            .map(|s| format!("{} {:.2}", s.service, s.prevalence))
            .collect();
        writeln!(
            out,
            "{:<key_width$}  {:>9}  {:>6}  {:<20}  {:<20}  {:>4}  {}",
            d.key,
            d.flows,
            d.active_bins,
            short(d.first_ms),
            short(d.last_ms),
            d.services.len(),
            top.join(", ")
        )?;
    }
    writeln!(
        out,
        "{} devices from {} flow records",
        devices.len(),
        records
    )
}

/// `YYYY-MM-DDTHH:MM:SS` (the RFC 3339 text without fraction and zone).
fn short(ms: i64) -> String {
    let full = format_rfc3339_ms(ms);
    full.get(..19).map(str::to_owned).unwrap_or(full)
}
