//! `svcprint library`: the fingerprint library JSON (method.md M10, M12) from the
//! exports of labelled devices.

use crate::args::{load_labels, ConfigArgs};
use crate::input::{emit, exit_code, load_with, report_diagnostics, write_json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use svcprint_engine::{activity, exports, Config, Library};
use svcprint_flow::Limits;

pub fn run(
    paths: &[PathBuf],
    labels: &Path,
    output: Option<&Path>,
    with_devices: bool,
    flags: &ConfigArgs,
    text: &crate::input::TextArgs,
) -> Result<ExitCode, String> {
    let cfg = flags.apply(Config::default())?;
    let labels = load_labels(labels)?;
    let loaded = load_with(paths, &cfg, &Limits::default(), &text.options())?;
    let act = activity(&loaded.aggregates, &cfg);
    let ex = exports(&act, &cfg);
    let lib = Library::build(&act, &ex, &labels, &cfg, with_devices);
    report_diagnostics(&loaded);
    eprintln!(
        "library: {} fingerprints of {} labels ({})",
        lib.entries.len(),
        lib.labels().len(),
        cfg.representation.label(cfg.granularity)
    );
    emit(output, |out| write_json(out, &lib))?;
    Ok(exit_code(&loaded))
}
