//! `svcprint simulate`: the demo fleet as a flow file (IPFIX-named CSV) and its label file,
//! for trying the CLI and for benchmarks of any size.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use svcprint_sim::{labels_csv, CsvWriter, SimConfig, Simulator};

pub struct Args<'a> {
    pub days: u32,
    pub seed: u64,
    pub homes: u16,
    pub flows: Option<u64>,
    pub output: &'a Path,
    pub labels: Option<&'a Path>,
}

pub fn run(a: Args<'_>) -> Result<ExitCode, String> {
    // With --flows the simulation runs as many days as it takes (a year per step).
    let days = if a.flows.is_some() {
        a.days.max(365 * 50)
    } else {
        a.days
    };
    let sim = Simulator::new(SimConfig {
        seed: a.seed,
        days,
        homes: a.homes,
        ..SimConfig::default()
    });
    let devices = sim.devices();
    let limit = a.flows.unwrap_or(u64::MAX);
    let file = File::create(a.output).map_err(|e| format!("{}: {e}", a.output.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut writer = CsvWriter::new();
    let mut text = String::with_capacity(1 << 20);
    let mut n = 0u64;
    for r in sim.take(usize::try_from(limit).unwrap_or(usize::MAX)) {
        writer.write(&r, &mut text);
        n += 1;
        if text.len() > (1 << 20) - 512 {
            out.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
            text.clear();
        }
    }
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| e.to_string())?;
    if let Some(path) = a.labels {
        std::fs::write(path, labels_csv(&devices, a.homes))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    eprintln!("svcprint: wrote {n} flows to {}", a.output.display());
    Ok(ExitCode::SUCCESS)
}
