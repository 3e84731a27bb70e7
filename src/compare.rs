//! Device-by-device comparisons for the Similarity and Identify views, computed in the
//! worker from the activity and exports [`crate::analysis::analyse`] already made. Only
//! calls into `svcprint-engine`: whole-capture fingerprints, the similarity matrix and
//! its average-linkage order (`clustering`), the library and M10 identification.

use serde::{Deserialize, Serialize};
use svcprint_engine::clustering::{average_linkage, whole_capture, SimilarityMatrix};
use svcprint_engine::identify::{Evidence, EvidenceItem};
use svcprint_engine::library::to_services;
use svcprint_engine::{identify, Activity, Answer, Config, DeviceExports, Labels, Library, Window};

/// At most this many devices are compared in the similarity heatmap (those with the most
/// active bins); the view says how many were left out.
pub const MAX_SIMILARITY_DEVICES: usize = 120;

/// Pairwise similarity of the devices' whole-capture fingerprints, in clustered order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SimilarityView {
    /// Device keys in the order of the rows and columns (look-alikes next to each other).
    pub devices: Vec<String>,
    /// S\[i\]\[j\] in that order.
    pub matrix: SimilarityMatrix,
    /// Devices with active bins in all (more than `devices.len()` when capped).
    pub total: usize,
    /// `SL`, `SP` or `G<k>`, and `jaccard` or `cosine`.
    pub representation: String,
    pub similarity: String,
}

/// The Similarity view's data under `cfg` (representation, granularity and similarity).
pub fn similarity_view(act: &Activity, cfg: &Config) -> SimilarityView {
    let mut devices: Vec<_> = act
        .devices()
        .iter()
        .filter(|d| !d.bins().is_empty())
        .collect();
    let total = devices.len();
    // The busiest devices when capped; devices arrive sorted by key, and the sort is stable.
    devices.sort_by_key(|d| std::cmp::Reverse(d.bins().len()));
    devices.truncate(MAX_SIMILARITY_DEVICES);
    devices.sort_by_key(|d| d.key());
    let fps: Vec<_> = devices.iter().map(|d| whole_capture(d, cfg)).collect();
    let refs: Vec<_> = fps.iter().collect();
    let matrix = SimilarityMatrix::of(&refs, cfg.similarity);
    let order = average_linkage(&matrix).order;
    SimilarityView {
        devices: order
            .iter()
            .filter_map(|&i| devices.get(i).map(|d| d.key().to_string()))
            .collect(),
        matrix: matrix.reordered(&order),
        total,
        representation: cfg.representation.label(cfg.granularity),
        similarity: cfg.similarity.name().to_string(),
    }
}

/// The fingerprint a device is identified by: its latest export, else its pending window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// `stable`, `unstable` or `pending`.
    pub kind: String,
    pub window: Window,
}

/// method.md M10 for one device, as `svcprint identify` prints it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceIdentity {
    pub key: String,
    pub query: Query,
    pub answer: Answer,
    pub score: f64,
    /// The labels sharing the best score (shown even when the answer is `unknown`).
    pub nearest: Vec<String>,
    /// The three best labels with their scores.
    pub top: Vec<(String, f64)>,
    pub evidence: Option<Evidence<String>>,
}

/// Every device identified against a library.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Identification {
    /// Fingerprints and distinct labels in the library.
    pub library: usize,
    pub labels: usize,
    pub representation: String,
    pub rho: f64,
    pub devices: Vec<DeviceIdentity>,
    /// The imported library's file name; None when the library is built from the labels.
    #[serde(default)]
    pub imported: Option<String>,
}

/// The library `svcprint library --labels` builds: every export of the labelled devices.
pub fn library_of(
    act: &Activity,
    exports: &[DeviceExports],
    labels: &Labels,
    cfg: &Config,
) -> Library {
    Library::build(act, exports, labels, cfg, false)
}

/// Identifies every device of `exports` against `library` under `cfg` (its similarity
/// and rho), exactly as `svcprint identify --library` does: the query is the latest
/// export, else the pending window; devices with neither are left out.
pub fn identify_devices(
    act: &Activity,
    exports: &[DeviceExports],
    library: &Library,
    cfg: &Config,
) -> Identification {
    let refs = library.references();
    let mut devices = Vec::new();
    for d in exports {
        let query = match (d.exports.last(), &d.pending) {
            (Some(e), _) => (
                &e.fingerprint,
                e.window,
                if e.stable { "stable" } else { "unstable" },
            ),
            (None, Some(p)) => (&p.fingerprint, p.window, "pending"),
            (None, None) => continue,
        };
        let q = to_services(act, query.0);
        let id = identify(&q, &refs, cfg.similarity, Some(cfg.rho));
        devices.push(DeviceIdentity {
            key: d.key.to_string(),
            query: Query {
                kind: query.2.to_string(),
                window: query.1,
            },
            answer: id.answer,
            score: id.score,
            nearest: id.nearest,
            top: id.ranking.into_iter().take(3).collect(),
            evidence: id.evidence.map(named),
        });
    }
    Identification {
        library: library.entries.len(),
        labels: library.labels().len(),
        representation: cfg.representation.label(cfg.granularity),
        rho: cfg.rho,
        devices,
        imported: None,
    }
}

fn named<K: ToString>(e: Evidence<K>) -> Evidence<String> {
    let items = |v: Vec<EvidenceItem<K>>| {
        v.into_iter()
            .map(|i| EvidenceItem {
                service: i.service.to_string(),
                query: i.query,
                matched: i.matched,
                share: i.share,
            })
            .collect()
    };
    Evidence {
        label: e.label,
        reference: e.reference,
        shared: items(e.shared),
        only_query: items(e.only_query),
        only_match: items(e.only_match),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use svcprint_engine::{activity, exports, Aggregator};
    use svcprint_sim::{labels_csv, SimConfig, Simulator};

    fn demo() -> (svcprint_engine::Aggregates, Labels) {
        let mut agg = Aggregator::new(&Config::default()).expect("default config");
        let sim = Simulator::new(SimConfig::default());
        let (labels, _) = Labels::parse(&labels_csv(&sim.devices(), 1));
        for r in sim {
            agg.add(&r);
        }
        (agg.finish(), labels)
    }

    #[test]
    fn similarity_of_the_demo_puts_look_alikes_together() {
        let (agg, _) = demo();
        let cfg = Config::default();
        let v = similarity_view(&activity(&agg, &cfg), &cfg);
        assert_eq!(v.total, 15);
        assert_eq!(v.devices.len(), 15);
        assert_eq!(v.matrix.len(), 15);
        assert_eq!(
            (v.representation.as_str(), v.similarity.as_str()),
            ("G2", "jaccard")
        );
        for i in 0..15 {
            assert_eq!(v.matrix.get(i, i), 1.0);
        }
        // The unlabelled newcomer camera (…:0d) behaves like the labelled camera (…:01):
        // they are neighbours in the clustered order and look alike.
        let at = |k: &str| v.devices.iter().position(|d| d == k).expect(k);
        let (cam, newcomer) = (at("02:10:00:00:00:01"), at("02:10:00:00:00:0d"));
        assert_eq!(cam.abs_diff(newcomer), 1, "{:?}", v.devices);
        assert!(v.matrix.get(cam, newcomer) > 0.8);
    }

    #[test]
    fn identification_matches_a_library_read_back_from_json() {
        let (agg, labels) = demo();
        let cfg = Config::default();
        let act = activity(&agg, &cfg);
        let ex = exports(&act, &cfg);
        let lib = library_of(&act, &ex, &labels, &cfg);
        let id = identify_devices(&act, &ex, &lib, &cfg);
        // The CLI reads the library back from its JSON: same answers.
        let text = serde_json::to_string(&lib).expect("library JSON");
        let back: Library = serde_json::from_str(&text).expect("reads back");
        assert_eq!(identify_devices(&act, &ex, &back, &cfg), id);
        assert_eq!(id.library, lib.entries.len());
        assert_eq!(id.representation, "G2");
        assert_eq!(id.rho, 0.85);
        assert_eq!(id.devices.len(), ex.len());
        // A labelled device finds its own latest export in the library.
        let plug = id
            .devices
            .iter()
            .find(|d| d.key == "02:10:00:00:00:02")
            .expect("plug");
        assert_eq!(plug.answer, Answer::Label("smart_plug".into()));
        assert_eq!(plug.score, 1.0);
        assert_eq!(plug.top.first().map(|t| t.0.as_str()), Some("smart_plug"));
        assert!(plug.top.len() <= 3);
        let ev = plug.evidence.as_ref().expect("evidence");
        assert!(ev.only_query.is_empty() && ev.only_match.is_empty());
        let total: f64 = ev.shared.iter().map(|e| e.share).sum();
        assert!((total - 1.0).abs() < 1e-12);
        // Twin labels tie: the thermostat's latest export equals a doorbell export.
        let thermostat = id
            .devices
            .iter()
            .find(|d| d.key == "02:10:00:00:00:0a")
            .expect("thermostat");
        assert_eq!(
            thermostat.answer,
            Answer::Ambiguous(vec!["doorbell".into(), "thermostat".into()])
        );
        // Without the labelled camera in the library, the newcomer camera (…:0d) is
        // nearest to the doorbell (3/4) and, below rho = 0.85, unknown.
        let sim = Simulator::new(SimConfig::default());
        let no_camera: String = labels_csv(&sim.devices(), 1)
            .lines()
            .filter(|l| !l.contains("ip_camera"))
            .map(|l| format!("{l}\n"))
            .collect();
        let (fewer, _) = Labels::parse(&no_camera);
        let lib = library_of(&act, &ex, &fewer, &cfg);
        let id = identify_devices(&act, &ex, &lib, &cfg);
        let newcomer = id
            .devices
            .iter()
            .find(|d| d.key == "02:10:00:00:00:0d")
            .expect("newcomer");
        assert_eq!(newcomer.answer, Answer::Unknown);
        assert_eq!(newcomer.score, 0.75);
        assert_eq!(newcomer.nearest, ["doorbell"]);
        assert_eq!(newcomer.top.first(), Some(&("doorbell".to_string(), 0.75)));
        let ev = newcomer.evidence.as_ref().expect("evidence of the nearest");
        assert_eq!(ev.label, "doorbell");
        assert!(!ev.only_query.is_empty() || !ev.only_match.is_empty());
    }
}
