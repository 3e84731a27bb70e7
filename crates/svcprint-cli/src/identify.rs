//! `svcprint identify`: per device, the best label or `unknown` against a library
//! (method.md M10), with score, top 3 and evidence.
//!
//! The query of a device is its most recent export, or its pending window when it has
//! none. The parameters are the library's, with any flag given on the command line
//! applied on top (e.g. `--rho`).

use crate::args::{maybe_labels, ConfigArgs};
use crate::fingerprint::WindowOut;
use crate::input::{emit, exit_code, load_with, report_diagnostics, write_json};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use svcprint_engine::identify::{Evidence, EvidenceItem};
use svcprint_engine::library::to_services;
use svcprint_engine::{activity, exports, identify, Answer, Library, Service};
use svcprint_flow::Limits;

#[derive(Serialize)]
struct Item {
    service: String,
    query: f64,
    matched: f64,
    share: f64,
}

#[derive(Serialize)]
struct EvidenceOut {
    label: String,
    shared: Vec<Item>,
    only_query: Vec<Item>,
    only_match: Vec<Item>,
}

#[derive(Serialize)]
struct Top {
    label: String,
    score: f64,
}

#[derive(Serialize)]
struct DeviceOut {
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    query: Option<QueryOut>,
    answer: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    ambiguous: Vec<String>,
    score: f64,
    nearest: Vec<String>,
    top: Vec<Top>,
    evidence: Option<EvidenceOut>,
}

#[derive(Serialize)]
struct QueryOut {
    window: WindowOut,
    kind: &'static str,
}

#[derive(Serialize)]
struct Output {
    library: String,
    representation: String,
    rho: f64,
    devices: Vec<DeviceOut>,
}

fn items(v: Vec<EvidenceItem<Service>>) -> Vec<Item> {
    v.into_iter()
        .map(|e| Item {
            service: e.service.to_string(),
            query: e.query,
            matched: e.matched,
            share: e.share,
        })
        .collect()
}

fn evidence_out(e: Evidence<Service>) -> EvidenceOut {
    EvidenceOut {
        label: e.label,
        shared: items(e.shared),
        only_query: items(e.only_query),
        only_match: items(e.only_match),
    }
}

pub fn run(
    paths: &[PathBuf],
    library: &Path,
    json: bool,
    labels: &Option<PathBuf>,
    flags: &ConfigArgs,
    text: &crate::input::TextArgs,
) -> Result<ExitCode, String> {
    let lib_text =
        std::fs::read_to_string(library).map_err(|e| format!("{}: {e}", library.display()))?;
    let lib: Library =
        serde_json::from_str(&lib_text).map_err(|e| format!("{}: {e}", library.display()))?;
    let cfg = flags.apply(lib.params.clone())?;
    let labels = maybe_labels(labels)?;
    let loaded = load_with(paths, &cfg, &Limits::default(), &text.options())?;
    let act = activity(&loaded.aggregates, &cfg);
    let refs = lib.references();
    let mut devices = Vec::new();
    for d in exports(&act, &cfg) {
        if labels.as_ref().is_some_and(|l| l.get(&d.key).is_none()) {
            continue;
        }
        let query = match (d.exports.last(), &d.pending) {
            (Some(e), _) => Some((
                &e.fingerprint,
                e.window,
                if e.stable { "stable" } else { "unstable" },
            )),
            (None, Some(p)) => Some((&p.fingerprint, p.window, "pending")),
            (None, None) => None,
        };
        let Some((fp, window, kind)) = query else {
            continue;
        };
        let q = to_services(&act, fp);
        let id = identify(&q, &refs, cfg.similarity, Some(cfg.rho));
        devices.push(DeviceOut {
            key: d.key.to_string(),
            name: labels
                .as_ref()
                .and_then(|l| l.get(&d.key))
                .map(|l| l.name.clone()),
            query: Some(QueryOut {
                window: WindowOut::of(&window),
                kind,
            }),
            answer: id.answer.text().to_string(),
            ambiguous: match &id.answer {
                Answer::Ambiguous(v) => v.clone(),
                _ => Vec::new(),
            },
            score: id.score,
            nearest: id.nearest.clone(),
            top: id
                .ranking
                .iter()
                .take(3)
                .map(|(label, score)| Top {
                    label: label.clone(),
                    score: *score,
                })
                .collect(),
            evidence: id.evidence.map(evidence_out),
        });
    }
    report_diagnostics(&loaded);
    let doc = Output {
        library: library.display().to_string(),
        representation: cfg.representation.label(cfg.granularity),
        rho: cfg.rho,
        devices,
    };
    emit(None, |out| {
        if json {
            return write_json(out, &doc);
        }
        for d in &doc.devices {
            let top: Vec<String> = d
                .top
                .iter()
                .map(|t| format!("{} {:.3}", t.label, t.score))
                .collect();
            writeln!(
                out,
                "{:<18} {:<28} -> {:<28} score {:.3}  top: {}",
                d.key,
                d.name.as_deref().unwrap_or("-"),
                d.answer,
                d.score,
                top.join(", ")
            )?;
            if let Some(e) = &d.evidence {
                let shared: Vec<String> = e
                    .shared
                    .iter()
                    .map(|i| format!("{} {:.3}", i.service, i.share))
                    .collect();
                let only_q: Vec<&str> = e.only_query.iter().map(|i| i.service.as_str()).collect();
                let only_m: Vec<&str> = e.only_match.iter().map(|i| i.service.as_str()).collect();
                let list = |v: &[String]| {
                    if v.is_empty() {
                        "-".to_string()
                    } else {
                        v.join(", ")
                    }
                };
                let only_q: Vec<String> = only_q.iter().map(|s| s.to_string()).collect();
                let only_m: Vec<String> = only_m.iter().map(|s| s.to_string()).collect();
                writeln!(out, "    shared with {}: {}", e.label, list(&shared))?;
                writeln!(
                    out,
                    "    only in query: {}; only in match: {}",
                    list(&only_q),
                    list(&only_m)
                )?;
            }
        }
        Ok(())
    })?;
    Ok(exit_code(&loaded))
}
