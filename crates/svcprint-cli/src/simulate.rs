//! `svcprint simulate`: the demo fleet as a flow file (IPFIX-named CSV, or IPFIX) and its
//! label file, for trying the CLI and for benchmarks of any size.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;
use svcprint_sim::{labels_csv, CsvWriter, IpfixWriter, SimConfig, Simulator};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Ipfix,
}

pub struct Args<'a> {
    pub days: u32,
    pub seed: u64,
    pub homes: u16,
    pub flows: Option<u64>,
    pub output: &'a Path,
    pub format: Option<Format>,
    pub labels: Option<&'a Path>,
}

/// Bytes gathered before each write to the file.
const BLOCK: usize = 1 << 20;

pub fn run(a: Args<'_>) -> Result<ExitCode, String> {
    // With --flows the simulation runs as many days as it takes (a year per step).
    let days = if a.flows.is_some() {
        a.days.max(365 * 50)
    } else {
        a.days
    };
    let format = a.format.unwrap_or_else(|| {
        let ipfix = a
            .output
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ipfix"));
        if ipfix {
            Format::Ipfix
        } else {
            Format::Csv
        }
    });
    let sim = Simulator::new(SimConfig {
        seed: a.seed,
        days,
        homes: a.homes,
        ..SimConfig::default()
    });
    let devices = sim.devices();
    let limit = usize::try_from(a.flows.unwrap_or(u64::MAX)).unwrap_or(usize::MAX);
    let file = File::create(a.output).map_err(|e| format!("{}: {e}", a.output.display()))?;
    let mut out = BufWriter::with_capacity(BLOCK, file);
    let mut write = |bytes: &[u8]| out.write_all(bytes).map_err(|e| e.to_string());
    let mut n = 0u64;
    match format {
        Format::Csv => {
            let mut writer = CsvWriter::new();
            let mut text = String::with_capacity(BLOCK);
            for r in sim.take(limit) {
                writer.write(&r, &mut text);
                n += 1;
                if text.len() > BLOCK - 512 {
                    write(text.as_bytes())?;
                    text.clear();
                }
            }
            write(text.as_bytes())?;
        }
        Format::Ipfix => {
            let mut writer = IpfixWriter::new();
            let mut bytes = Vec::with_capacity(2 * BLOCK);
            for r in sim.take(limit) {
                writer.write(&r, &mut bytes);
                n += 1;
                if bytes.len() > BLOCK {
                    write(&bytes)?;
                    bytes.clear();
                }
            }
            writer.finish(&mut bytes);
            write(&bytes)?;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    if let Some(path) = a.labels {
        std::fs::write(path, labels_csv(&devices, a.homes))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    eprintln!("svcprint: wrote {n} flows to {}", a.output.display());
    Ok(ExitCode::SUCCESS)
}
