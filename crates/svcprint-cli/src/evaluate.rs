//! `svcprint evaluate`: method.md M11 for SL, SP, G2, G4 and G8 side by side.

use crate::args::{load_labels, ConfigArgs};
use crate::input::{emit, exit_code, load_with, report_diagnostics, write_json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use svcprint_engine::{activity, evaluate, Config};
use svcprint_flow::Limits;

pub fn run(
    paths: &[PathBuf],
    json: bool,
    csv: bool,
    labels: &Path,
    flags: &ConfigArgs,
    text: &crate::input::TextArgs,
) -> Result<ExitCode, String> {
    let cfg = flags.apply(Config::default())?;
    let labels = load_labels(labels)?;
    let loaded = load_with(paths, &cfg, &Limits::default(), &text.options())?;
    let act = activity(&loaded.aggregates, &cfg);
    let ev = evaluate(&act, &labels, &cfg);
    report_diagnostics(&loaded);
    emit(None, |out| {
        if json {
            return write_json(out, &ev);
        }
        if csv {
            writeln!(
                out,
                "representation,library,queries,correct,accuracy,macro_f1,devices_correct,devices,device_accuracy,known_queries,unknown_queries,auroc,best_rho,best_balanced_accuracy"
            )?;
            for name in ["SL", "SP", "G2", "G4", "G8"] {
                let Some(r) = ev.representations.get(name) else {
                    continue;
                };
                let (c, o) = (&r.closed, &r.open);
                writeln!(
                    out,
                    "{name},{},{},{},{},{},{},{},{},{},{},{},{},{}",
                    c.library,
                    c.queries,
                    c.correct,
                    c.accuracy,
                    c.macro_f1,
                    c.devices_correct,
                    c.devices,
                    c.device_accuracy,
                    o.known_queries,
                    o.unknown_queries,
                    o.auroc.map_or(String::new(), |a| a.to_string()),
                    o.best_rho,
                    o.best_balanced_accuracy
                )?;
            }
            return Ok(());
        }
        writeln!(
            out,
            "{:<4} {:>7} {:>7} {:>9} {:>9} {:>10} {:>7} {:>8} {:>9}",
            "rep",
            "library",
            "queries",
            "accuracy",
            "macro-F1",
            "device acc",
            "AUROC",
            "best rho",
            "best bal."
        )?;
        for name in ["SL", "SP", "G2", "G4", "G8"] {
            let Some(r) = ev.representations.get(name) else {
                continue;
            };
            let (c, o) = (&r.closed, &r.open);
            writeln!(
                out,
                "{:<4} {:>7} {:>7} {:>9.3} {:>9.3} {:>6}/{:<3} {:>7} {:>8.2} {:>9.3}",
                name,
                c.library,
                c.queries,
                c.accuracy,
                c.macro_f1,
                c.devices_correct,
                c.devices,
                o.auroc.map_or("-".to_string(), |a| format!("{a:.3}")),
                o.best_rho,
                o.best_balanced_accuracy
            )?;
        }
        for name in ["SL", "SP", "G2", "G4", "G8"] {
            let Some(r) = ev.representations.get(name) else {
                continue;
            };
            writeln!(
                out,
                "\n{name}: per device (library / queries / right, vote)"
            )?;
            for d in &r.closed.per_device {
                writeln!(
                    out,
                    "  {:<28} {:>3} / {:>3} / {:>3}  {}",
                    d.label,
                    d.library,
                    d.queries,
                    d.correct,
                    d.vote.as_deref().unwrap_or("(tie or none)")
                )?;
            }
        }
        Ok(())
    })?;
    Ok(exit_code(&loaded))
}
