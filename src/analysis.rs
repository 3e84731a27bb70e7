//! What the page shows after a run, computed from the kept [`Aggregates`] with the
//! current [`Config`] and labels: only calls into `svcprint-engine` (summaries, M8
//! exporter, M9 convergence and recurrence, M10 identification, M11 evaluation, device
//! similarity in [`crate::compare`]), so a parameter change or a
//! label import recomputes without re-reading the files.

use crate::compare::{
    identify_devices, library_of, similarity_view, Identification, SimilarityView,
};
use serde::{Deserialize, Serialize};
use svcprint_engine::mud::{mud, stable_services};
use svcprint_engine::{
    activity, convergence, evaluate, exports, recurrence, summary::summarize, Aggregates, Config,
    DeviceKey, DeviceSummary, Evaluation, Labels, Library,
};
use svcprint_flow::format_rfc3339_ms;

/// Per device: its fingerprint exports (M8) and their convergence and recurrence (M9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceFingerprints {
    pub key: String,
    /// Exports, stable and unstable (J).
    pub exports: usize,
    pub unstable: usize,
    /// Median convergence, in active bins and in wall-clock hours.
    pub median_bins: Option<f64>,
    pub median_hours: Option<f64>,
    /// Recurrence rate (None with fewer than two exports) and distinct behaviours.
    pub recurrence: Option<f64>,
    pub behaviours: usize,
    /// Active bins in the open (pending) window at the end of the data.
    pub pending_bins: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub devices: Vec<DeviceSummary>,
    pub fingerprints: Vec<DeviceFingerprints>,
    /// M11 for SL, SP, G2, G4, G8; None without labels.
    pub evaluation: Option<Evaluation>,
    /// Pairwise similarity of the devices' whole-capture fingerprints, clustered.
    pub similarity: SimilarityView,
    /// M10 for every device against the library of the labelled devices; None without
    /// labels.
    pub identification: Option<Identification>,
}

/// Everything the views show, for `cfg` (validated by the caller) and `labels`.
pub fn analyse(aggregates: &Aggregates, labels: &Labels, cfg: &Config) -> Analysis {
    analyse_with(aggregates, labels, cfg, None)
}

/// [`analyse`], identifying against an imported library (its name and value) when one is
/// given, else against the library of the labelled devices.
pub fn analyse_with(
    aggregates: &Aggregates,
    labels: &Labels,
    cfg: &Config,
    library: Option<(&str, &Library)>,
) -> Analysis {
    let act = activity(aggregates, cfg);
    let devices = summarize(&act);
    let tau_recur = cfg.effective_tau_recur();
    let ex = exports(&act, cfg);
    let fingerprints = ex
        .iter()
        .map(|d| {
            let c = convergence(&d.exports);
            let fps: Vec<_> = d.exports.iter().map(|e| &e.fingerprint).collect();
            let r = recurrence(&fps, cfg.similarity, tau_recur);
            DeviceFingerprints {
                key: d.key.to_string(),
                exports: c.exports,
                unstable: c.unstable,
                median_bins: c.median_bins,
                median_hours: c.median_hours,
                recurrence: r.rate,
                behaviours: r.behaviours,
                pending_bins: d.pending.as_ref().map(|p| p.window.n),
            }
        })
        .collect();
    let evaluation = (!labels.is_empty()).then(|| evaluate(&act, labels, cfg));
    let identification = match library {
        Some((name, lib)) => Some(Identification {
            imported: Some(name.to_string()),
            ..identify_devices(&act, &ex, lib, cfg)
        }),
        None => (!labels.is_empty())
            .then(|| identify_devices(&act, &ex, &library_of(&act, &ex, labels, cfg), cfg)),
    };
    Analysis {
        devices,
        fingerprints,
        evaluation,
        similarity: similarity_view(&act, cfg),
        identification,
    }
}

/// What the page can download (made in the page from the kept aggregates; nothing is uploaded).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportKind {
    /// The fingerprint library JSON (M10, M12) of the labelled devices, without addresses.
    Library,
    /// The evaluation (M11) as JSON, the shape `svcprint evaluate --json` prints.
    Evaluation,
    /// One row per device: the device table as CSV.
    Devices,
    /// The RFC 8520 MUD draft (M12) of one device, from its stable Service List.
    Mud { device: String },
    /// The labels in force (imported and inline) as a label file, `mac,name,type`.
    Labels,
}

/// A file to download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Download {
    pub name: String,
    pub mime: String,
    pub text: String,
}

fn json<T: Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| e.to_string())
}

/// Makes the download `kind` asks for, or says why it cannot.
pub fn export(
    aggregates: &Aggregates,
    labels: &Labels,
    cfg: &Config,
    kind: &ExportKind,
) -> Result<Download, String> {
    let act = activity(aggregates, cfg);
    match kind {
        ExportKind::Library => {
            if labels.is_empty() {
                return Err("import a label file first: the library holds the fingerprints of labelled devices".into());
            }
            let lib = Library::build(&act, &exports(&act, cfg), labels, cfg, false);
            Ok(Download {
                name: "svcprint-library.json".into(),
                mime: "application/json".into(),
                text: json(&lib)?,
            })
        }
        ExportKind::Evaluation => {
            if labels.is_empty() {
                return Err(
                    "import a label file first: the evaluation needs labelled devices".into(),
                );
            }
            let eval = evaluate(&act, labels, cfg);
            Ok(Download {
                name: "svcprint-evaluation.json".into(),
                mime: "application/json".into(),
                text: json(&eval)?,
            })
        }
        ExportKind::Devices => {
            let fps: std::collections::BTreeMap<String, DeviceFingerprints> =
                analyse(aggregates, &Labels::default(), cfg)
                    .fingerprints
                    .into_iter()
                    .map(|f| (f.key.clone(), f))
                    .collect();
            let mut text = String::from("device,name,type,flows,active_bins,first,last,services,exports,unstable,median_convergence_hours,recurrence,service_prevalence\n");
            for d in summarize(&act) {
                let key: Option<DeviceKey> = d.key.parse().ok();
                let label = key.as_ref().and_then(|k| labels.get(k));
                let f = fps.get(&d.key);
                let opt = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
                let services: Vec<String> = d
                    .services
                    .iter()
                    .map(|s| format!("{}={:.4}", s.service, s.prevalence))
                    .collect();
                text.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                    d.key,
                    csv_field(label.map(|l| l.name.as_str()).unwrap_or("")),
                    csv_field(label.and_then(|l| l.kind.as_deref()).unwrap_or("")),
                    d.flows,
                    d.active_bins,
                    format_rfc3339_ms(d.first_ms),
                    format_rfc3339_ms(d.last_ms),
                    d.services.len(),
                    f.map(|f| f.exports).unwrap_or(0),
                    f.map(|f| f.unstable).unwrap_or(0),
                    opt(f.and_then(|f| f.median_hours)),
                    opt(f.and_then(|f| f.recurrence)),
                    csv_field(&services.join(" ")),
                ));
            }
            Ok(Download {
                name: "svcprint-devices.csv".into(),
                mime: "text/csv".into(),
                text,
            })
        }
        ExportKind::Labels => Ok(Download {
            name: "svcprint-labels.csv".into(),
            mime: "text/csv".into(),
            text: crate::labelling::labels_csv(&crate::labelling::label_list(labels)),
        }),
        ExportKind::Mud { device } => {
            let key: DeviceKey = device.parse().map_err(|e| format!("{device}: {e}"))?;
            let ex = exports(&act, cfg);
            let dev = ex
                .iter()
                .find(|d| d.key == key)
                .ok_or_else(|| format!("{device} has no service in these files"))?;
            let services = stable_services(&act, dev);
            if services.is_empty() {
                return Err(format!(
                    "{device} has no stable fingerprint yet (try a lower tau or min_bins)"
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
            let name = format!("mud-{}.json", device.replace([':', '.'], "-"));
            Ok(Download {
                name,
                mime: "application/json".into(),
                text: json(&doc)?,
            })
        }
    }
}

/// A CSV field, quoted when it holds a separator, a quote or a line break. Names come
/// from the user's label file.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_engine::{device_summaries, Aggregator};
    use svcprint_sim::{labels_csv, SimConfig, Simulator};

    fn demo_aggregates() -> Aggregates {
        let mut agg = Aggregator::new(&Config::default()).expect("default config");
        for r in Simulator::new(SimConfig::default()) {
            agg.add(&r);
        }
        agg.finish()
    }

    #[test]
    fn parameters_and_labels_recompute_from_the_aggregates() {
        let aggregates = demo_aggregates();
        let cfg = Config::default();
        let plain = analyse(&aggregates, &Labels::default(), &cfg);
        assert_eq!(plain.devices, device_summaries(&aggregates, &cfg));
        assert!(plain.evaluation.is_none());
        // Four weeks of hourly bins: every always-on device exports fingerprints.
        let camera = plain
            .fingerprints
            .iter()
            .find(|f| f.key == "02:10:00:00:00:01")
            .expect("camera");
        assert!(camera.exports >= 10, "{camera:?}");
        assert!(camera.median_bins.is_some_and(|n| n >= 24.0));

        // Direction-blind: `in:` services disappear from every list.
        let blind = analyse(
            &aggregates,
            &Labels::default(),
            &Config {
                direction_aware: false,
                ..cfg.clone()
            },
        );
        let printer = |a: &Analysis| {
            a.devices
                .iter()
                .find(|d| d.key == "02:10:00:00:00:06")
                .map(|d| {
                    d.services
                        .iter()
                        .map(|s| s.service.clone())
                        .collect::<Vec<_>>()
                })
        };
        assert!(printer(&plain).is_some_and(|s| s.contains(&"in:TCP/631".to_string())));
        assert!(printer(&blind).is_some_and(
            |s| s.contains(&"TCP/631".to_string()) && !s.iter().any(|x| x.starts_with("in:"))
        ));

        // With the demo's labels, every representation is evaluated.
        let (labels, errors) = Labels::parse(&labels_csv(
            &Simulator::new(SimConfig::default()).devices(),
            1,
        ));
        assert!(errors.is_empty(), "{errors:?}");
        let labelled = analyse(&aggregates, &labels, &cfg);
        // The page receives it packed (bincode): the same value, to the last bit.
        let packed = crate::protocol::PackedAnalysis::pack(labelled.clone()).expect("packs");
        assert_eq!(packed.unpack(), Ok(labelled.clone()));
        let eval = labelled.evaluation.expect("labels given");
        assert_eq!(
            eval.representations
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["G2", "G4", "G8", "SL", "SP"]
        );
    }

    #[test]
    fn an_imported_library_is_used_for_identification_even_without_labels() {
        let aggregates = demo_aggregates();
        let cfg = Config::default();
        let (labels, _) = Labels::parse(&labels_csv(
            &Simulator::new(SimConfig::default()).devices(),
            1,
        ));
        let act = activity(&aggregates, &cfg);
        let ex = exports(&act, &cfg);
        let lib = Library::build(&act, &ex, &labels, &cfg, false);
        let text = serde_json::to_string(&lib).expect("json");
        let back: Library = serde_json::from_str(&text).expect("reads back");
        // Without labels: no evaluation, but identification against the imported library,
        // the same answers as with the library built from the labels.
        let a = analyse_with(
            &aggregates,
            &Labels::default(),
            &cfg,
            Some(("lib.json", &back)),
        );
        assert!(a.evaluation.is_none());
        let id = a.identification.expect("identified against the library");
        assert_eq!(id.imported.as_deref(), Some("lib.json"));
        let built = analyse(&aggregates, &labels, &cfg)
            .identification
            .expect("labelled");
        assert_eq!(built.imported, None);
        assert_eq!(id.devices, built.devices);
        assert_eq!((id.library, id.labels), (built.library, built.labels));
        // The labels export is the label file of the labels in force.
        let csv = export(&aggregates, &labels, &cfg, &ExportKind::Labels).expect("csv");
        assert_eq!(csv.name, "svcprint-labels.csv");
        assert!(
            csv.text.starts_with("mac,name,type\n02:10:00:00:00:01,"),
            "{}",
            csv.text
        );
        assert_eq!(Labels::parse(&csv.text), (labels, vec![]));
    }

    #[test]
    fn exports_are_made_from_the_aggregates() {
        let aggregates = demo_aggregates();
        let cfg = Config::default();
        let none = Labels::default();
        assert!(export(&aggregates, &none, &cfg, &ExportKind::Library)
            .unwrap_err()
            .contains("label file"));
        let (labels, _) = Labels::parse(&labels_csv(
            &Simulator::new(SimConfig::default()).devices(),
            1,
        ));

        let lib = export(&aggregates, &labels, &cfg, &ExportKind::Library).expect("labelled");
        let parsed: Library = serde_json::from_str(&lib.text).expect("library JSON reads back");
        assert_eq!(
            parsed,
            Library::build(
                &activity(&aggregates, &cfg),
                &exports(&activity(&aggregates, &cfg), &cfg),
                &labels,
                &cfg,
                false
            )
        );
        assert!(
            !lib.text.contains("02:10:00"),
            "no addresses in the library by default"
        );

        let csv = export(&aggregates, &labels, &cfg, &ExportKind::Devices).expect("csv");
        let lines: Vec<&str> = csv.text.lines().collect();
        assert_eq!(lines.len(), 16, "header and 15 devices");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("02:10:00:00:00:02,plug-kitchen,smart_plug,1078,673,")),
            "{}",
            csv.text
        );

        let m = export(
            &aggregates,
            &labels,
            &cfg,
            &ExportKind::Mud {
                device: "02:10:00:00:00:0a".into(),
            },
        )
        .expect("thermostat is stable");
        assert_eq!(m.name, "mud-02-10-00-00-00-0a.json");
        let v: serde_json::Value = serde_json::from_str(&m.text).expect("valid JSON");
        assert!(
            v.get("ietf-mud:mud").is_some() && v.get("ietf-access-control-list:acls").is_some(),
            "{}",
            m.text
        );
        assert!(export(
            &aggregates,
            &labels,
            &cfg,
            &ExportKind::Mud {
                device: "10.9.9.9".into()
            }
        )
        .is_err());
    }
}
