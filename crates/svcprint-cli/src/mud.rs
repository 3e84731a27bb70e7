//! `svcprint mud`: the RFC 8520 MUD draft of one device (method.md M12).

use crate::args::ConfigArgs;
use crate::input::{emit, exit_code, load_with, report_diagnostics, write_json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use svcprint_engine::mud::{mud, stable_services};
use svcprint_engine::{activity, exports, Config, DeviceKey};
use svcprint_flow::{format_rfc3339_ms, Limits};

pub fn run(
    paths: &[PathBuf],
    device: &str,
    output: Option<&Path>,
    flags: &ConfigArgs,
    text: &crate::input::TextArgs,
) -> Result<ExitCode, String> {
    let key: DeviceKey = device.parse().map_err(|e| format!("--device: {e}"))?;
    let cfg = flags.apply(Config::default())?;
    let loaded = load_with(paths, &cfg, &Limits::default(), &text.options())?;
    let act = activity(&loaded.aggregates, &cfg);
    let ex = exports(&act, &cfg);
    report_diagnostics(&loaded);
    let Some(dev) = ex.iter().find(|d| d.key == key) else {
        return Err(format!("device {key} has no service in these files"));
    };
    let services = stable_services(&act, dev);
    if services.is_empty() {
        return Err(format!(
            "device {key} has no stable fingerprint ({} exports, {} unstable); try other --tau/--min-bins",
            dev.exports.len(),
            dev.exports.iter().filter(|e| !e.stable).count()
        ));
    }
    let last = dev
        .exports
        .iter()
        .filter(|e| e.stable)
        .map(|e| e.window.end_ms)
        .max()
        .unwrap_or(0);
    let doc = mud(&key.to_string(), &services, &format_rfc3339_ms(last));
    eprintln!("mud: {} services of {key}", services.len());
    emit(output, |out| write_json(out, &doc))?;
    Ok(exit_code(&loaded))
}
