//! `svcprint`: the command-line face of svcprint-flow and svcprint-engine.

mod args;
mod decode;
mod devices;
mod evaluate;
mod fingerprint;
mod identify;
mod input;
mod library;
mod mud;
mod simulate;

use args::ConfigArgs;
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
        /// Flow files: CSV/TSV/JSON flow exports (IPFIX names, Zeek conn.log, nfdump,
        /// Joy, nProbe, CICFlowMeter, super_mediator, generic) or binary exports, plain, .gz or .zip.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        text: input::TextArgs,
    },
    /// Per device: its exported fingerprints, convergence and recurrence (method.md M8, M9).
    Fingerprint {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Print CSV instead of a table (one row per export / per representation).
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        /// Label file (MAC or IP -> name[, type]); only labelled devices are shown.
        #[arg(long, value_name = "FILE")]
        labels: Option<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        text: input::TextArgs,
    },
    /// Closed-set and open-set evaluation for SL, SP, G2, G4, G8 (method.md M11).
    Evaluate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Print CSV instead of a table (one row per export / per representation).
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        /// Label file (MAC or IP -> name[, type]).
        #[arg(long, value_name = "FILE", required = true)]
        labels: PathBuf,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        text: input::TextArgs,
    },
    /// Write the fingerprint library of the labelled devices (method.md M10, M12).
    Library {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Label file (MAC or IP -> name[, type]).
        #[arg(long, value_name = "FILE", required = true)]
        labels: PathBuf,
        /// Output file (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Keep each fingerprint's device key (addresses are left out by default).
        #[arg(long)]
        with_devices: bool,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        text: input::TextArgs,
    },
    /// Identify each device against a library: best label or unknown, score, top 3, evidence (method.md M10).
    Identify {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// A library written by `svcprint library`; its parameters are used unless a flag overrides them.
        #[arg(long, value_name = "FILE", required = true)]
        library: PathBuf,
        #[arg(long)]
        json: bool,
        /// Label file: only labelled devices are identified, and their names shown.
        #[arg(long, value_name = "FILE")]
        labels: Option<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        text: input::TextArgs,
    },
    /// Write the RFC 8520 MUD draft of one device from its stable Service List (method.md M12).
    Mud {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The device key: MAC or IP address.
        #[arg(long, value_name = "KEY", required = true)]
        device: String,
        /// Output file (default: standard output).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        config: ConfigArgs,
        #[command(flatten)]
        text: input::TextArgs,
    },
    /// Write the simulated demo fleet (a dozen IoT device types) as a flow file: IPFIX-named
    /// CSV, or IPFIX (RFC 7011) with --format ipfix or an output name ending in .ipfix.
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
        /// Output flow file.
        #[arg(short, long)]
        output: PathBuf,
        /// File format (default: ipfix when the output name ends in .ipfix, else csv).
        #[arg(long, value_enum)]
        format: Option<simulate::Format>,
        /// Also write the label file (mac,name,type) of the labelled devices.
        #[arg(long)]
        labels: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Decode { files, json } => decode::run(&files, json),
        Command::Simulate {
            days,
            seed,
            homes,
            flows,
            output,
            format,
            labels,
        } => simulate::run(simulate::Args {
            days,
            seed,
            homes,
            flows,
            output: &output,
            format,
            labels: labels.as_deref(),
        }),
        Command::Devices {
            files,
            json,
            config,
            text,
        } => devices::run(&files, json, &config, &text),
        Command::Fingerprint {
            files,
            json,
            csv,
            labels,
            config,
            text,
        } => fingerprint::run(&files, json, csv, &labels, &config, &text),
        Command::Evaluate {
            files,
            json,
            csv,
            labels,
            config,
            text,
        } => evaluate::run(&files, json, csv, &labels, &config, &text),
        Command::Library {
            files,
            labels,
            output,
            with_devices,
            config,
            text,
        } => library::run(
            &files,
            &labels,
            output.as_deref(),
            with_devices,
            &config,
            &text,
        ),
        Command::Identify {
            files,
            library,
            json,
            labels,
            config,
            text,
        } => identify::run(&files, &library, json, &labels, &config, &text),
        Command::Mud {
            files,
            device,
            output,
            config,
            text,
        } => mud::run(&files, &device, output.as_deref(), &config, &text),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("svcprint: {e}");
            ExitCode::from(2)
        }
    }
}
