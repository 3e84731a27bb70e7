//! `svcprint`: the command-line face of svcprint-flow and svcprint-engine.

mod devices;
mod input;

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
    /// Per device: flows, active bins, first/last seen and its services with prevalence (method.md M2-M6).
    Devices {
        /// Flow files: CSV with IPFIX column names, plain, .gz or .zip (every CSV member).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Devices { files, json } => devices::run(&files, json),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("svcprint: {e}");
            ExitCode::from(2)
        }
    }
}
