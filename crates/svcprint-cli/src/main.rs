//! `svcprint`: the command-line face of svcprint-flow and svcprint-engine.

mod decode;
mod devices;
mod input;
mod simulate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "svcprint",
    version,
    about = "Tell IoT devices from the network services they use (flow files in, service fingerprints out)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Per file: detected format, messages, records, templates and diagnostics by kind.
    /// Files form one session: NetFlow v9 / IPFIX templates carry over in the order given.
    Decode {
        /// Flow files: IPFIX, NetFlow v9/v5 (raw or in pcap/pcapng), CSV; plain, .gz or .zip.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Per device: flows, active bins, first/last seen and its services with prevalence (method.md M2-M6).
    Devices {
        /// Flow files: CSV with IPFIX column names, plain, .gz or .zip (every CSV member).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write the simulated demo fleet (a dozen IoT device types) as an IPFIX-named CSV flow file.
    Simulate {
        /// Days to simulate.
        #[arg(long, default_value_t = 28)]
        days: u32,
        /// Random seed (same seed, same flows).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Copies of the home network, each in its own /24.
        #[arg(long, default_value_t = 1)]
        homes: u16,
        /// Stop after this many flows (the simulation runs as long as needed).
        #[arg(long)]
        flows: Option<u64>,
        /// Output CSV file.
        #[arg(short, long)]
        output: PathBuf,
        /// Also write the label file (mac,name,type) of the labelled devices.
        #[arg(long)]
        labels: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Decode { files, json } => decode::run(&files, json),
        Command::Devices { files, json } => devices::run(&files, json),
        Command::Simulate {
            days,
            seed,
            homes,
            flows,
            output,
            labels,
        } => simulate::run(simulate::Args {
            days,
            seed,
            homes,
            flows,
            output: &output,
            labels: labels.as_deref(),
        }),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("svcprint: {e}");
            ExitCode::from(2)
        }
    }
}
