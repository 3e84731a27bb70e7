//! Evaluation protocols (method.md M11), for SL, SP, G2, G4 and G8 side by side.
//!
//! - Closed set, temporal split: a labelled device's observed span runs from the first
//!   start to the last end of the flows that give it a service; its split point is
//!   start + \[split\] x span. Exports whose end (the end of their last bin, exclusive)
//!   is strictly before the split point build the library; the others are queries.
//!   Reported: per-fingerprint accuracy, macro-F1 (mean F1 over the union of true and
//!   predicted labels; `ambiguous` is no class), the confusion matrix, and per-device
//!   accuracy by plurality vote over its queries (a tied vote, or `ambiguous` winning,
//!   is wrong). Devices without queries are not counted in device accuracy.
//! - Open set, leave one type out: for each label u, drop u from the library and query
//!   with all test exports. A known query is right when its label is right and the
//!   score >= rho; a query of u is right when the score < rho. Counts are pooled over
//!   the folds. For rho = i/100, i = 0..100: known accuracy, unknown rejection rate and
//!   balanced accuracy (their mean; a rate with no queries counts 0); the AUROC of the
//!   best score, known against unknown, ties (within the tolerance) counted as one half;
//!   the smallest rho with the best balanced accuracy.

use crate::activity::Activity;
use crate::config::Config;
use crate::device::DeviceKey;
use crate::exporter::exports;
use crate::identify::{answer_of, label_scores, Answer, Reference};
use crate::labels::Labels;
use crate::representation::{Bits, Fingerprint, Representation};
use crate::similarity::{at_least, same_score, TOLERANCE};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The representations every evaluation reports: SL, SP, G2, G4, G8.
pub const REPRESENTATIONS: [(Representation, u32); 5] = [
    (Representation::Sl, 1),
    (Representation::Sp, 1),
    (Representation::G, 2),
    (Representation::G, 4),
    (Representation::G, 8),
];

/// Closed-set results of one representation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClosedSet {
    /// Library fingerprints (exports before the split).
    pub library: usize,
    /// Query fingerprints (the others).
    pub queries: usize,
    pub correct: usize,
    pub accuracy: f64,
    pub macro_f1: f64,
    /// Devices (with at least one query) whose plurality vote is right.
    pub devices_correct: usize,
    /// Devices with at least one query.
    pub devices: usize,
    pub device_accuracy: f64,
    /// true label -> predicted label (or `ambiguous`) -> count.
    pub confusion: BTreeMap<String, BTreeMap<String, u64>>,
    /// Per labelled device with exports.
    pub per_device: Vec<DeviceResult>,
}

/// One device in the closed set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceResult {
    pub key: DeviceKey,
    pub label: String,
    pub library: usize,
    pub queries: usize,
    pub correct: usize,
    /// The plurality vote's winner (`ambiguous` possible), `None` on a tied vote or
    /// without queries.
    pub vote: Option<String>,
    pub vote_correct: bool,
}

/// One rho of the open-set sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub rho: f64,
    pub known_accuracy: f64,
    pub unknown_rejection: f64,
    pub balanced_accuracy: f64,
}

/// Open-set results of one representation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenSet {
    /// Known queries pooled over the folds.
    pub known_queries: usize,
    /// Unknown queries pooled over the folds.
    pub unknown_queries: usize,
    /// `None` when there are no known or no unknown queries.
    pub auroc: Option<f64>,
    pub best_rho: f64,
    pub best_balanced_accuracy: f64,
    pub sweep: Vec<SweepPoint>,
}

/// Both protocols for one representation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepresentationResult {
    pub closed: ClosedSet,
    pub open: OpenSet,
}

/// Every representation side by side, with the parameters used (their
/// representation and granularity fields are those of the caller's config).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub params: Config,
    /// Keyed `SL`, `SP`, `G2`, `G4`, `G8`.
    pub representations: BTreeMap<String, RepresentationResult>,
}

/// method.md M11 for every representation of [`REPRESENTATIONS`].
pub fn evaluate(act: &Activity, labels: &Labels, cfg: &Config) -> Evaluation {
    let representations = REPRESENTATIONS
        .iter()
        .map(|&(rep, k)| {
            let c = Config {
                representation: rep,
                granularity: k,
                ..cfg.clone()
            };
            (rep.label(k), evaluate_one(act, labels, &c))
        })
        .collect();
    Evaluation {
        params: cfg.clone(),
        representations,
    }
}

struct Query {
    device: usize,
    label: String,
    /// (label, best score, reference), best first.
    ranking: Vec<(String, f64, usize)>,
}

/// method.md M11 for `cfg`'s representation.
pub fn evaluate_one(act: &Activity, labels: &Labels, cfg: &Config) -> RepresentationResult {
    let all = exports(act, cfg);
    let spans: BTreeMap<DeviceKey, (i64, i64)> = act
        .devices()
        .iter()
        .filter_map(|d| d.span().map(|s| (d.key(), (s.first_ms, s.last_ms))))
        .collect();
    // Split every labelled device's exports.
    let mut library: Vec<(String, &Fingerprint)> = Vec::new();
    let mut tests: Vec<(usize, String, &Fingerprint)> = Vec::new();
    let mut per_device: Vec<DeviceResult> = Vec::new();
    for dev in &all {
        let Some(label) = labels.get(&dev.key) else {
            continue;
        };
        let Some(&(first, last)) = spans.get(&dev.key) else {
            continue;
        };
        let split_ms = first as f64 + cfg.split * (last.saturating_sub(first)) as f64;
        let class = label.class().to_string();
        let mut result = DeviceResult {
            key: dev.key,
            label: class.clone(),
            library: 0,
            queries: 0,
            correct: 0,
            vote: None,
            vote_correct: false,
        };
        for e in &dev.exports {
            if (e.window.end_ms as f64) < split_ms {
                library.push((class.clone(), &e.fingerprint));
                result.library += 1;
            } else {
                tests.push((per_device.len(), class.clone(), &e.fingerprint));
                result.queries += 1;
            }
        }
        per_device.push(result);
    }
    // Identical fingerprints of one label score the same, and identical queries rank
    // the same: both are computed once (exactly the same results, much less work on
    // regular devices whose windows repeat).
    let mut seen: FxHashSet<(&str, Bits)> = FxHashSet::default();
    let refs: Vec<Reference<'_, crate::ServiceId>> = library
        .iter()
        .filter(|(l, f)| seen.insert((l.as_str(), f.bits())))
        .map(|(l, f)| Reference {
            label: l,
            fingerprint: f,
        })
        .collect();
    let mut rankings: FxHashMap<Bits, Vec<(String, f64, usize)>> = FxHashMap::default();
    let queries: Vec<Query> = tests
        .iter()
        .map(|(d, l, f)| Query {
            device: *d,
            label: l.clone(),
            ranking: rankings
                .entry(f.bits())
                .or_insert_with(|| label_scores(f, &refs, cfg.similarity))
                .clone(),
        })
        .collect();
    let closed = closed_set(&queries, library.len(), per_device);
    let mut classes: Vec<&str> = labels.iter().map(|(_, l)| l.class()).collect();
    classes.sort_unstable();
    classes.dedup();
    let open = open_set(&queries, &classes);
    RepresentationResult { closed, open }
}

fn closed_set(queries: &[Query], library: usize, mut per_device: Vec<DeviceResult>) -> ClosedSet {
    let mut confusion: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut votes: Vec<BTreeMap<String, usize>> = vec![BTreeMap::new(); per_device.len()];
    let mut correct = 0;
    // (tp, fp, fn) per class.
    let mut f1: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    for q in queries {
        let (answer, _, _) = answer_of(&q.ranking, None);
        let predicted = answer.text().to_string();
        *confusion
            .entry(q.label.clone())
            .or_default()
            .entry(predicted.clone())
            .or_insert(0) += 1;
        if let Some(v) = votes.get_mut(q.device) {
            *v.entry(predicted.clone()).or_insert(0) += 1;
        }
        let right = matches!(&answer, Answer::Label(l) if *l == q.label);
        if right {
            correct += 1;
            f1.entry(q.label.clone()).or_default().0 += 1;
            if let Some(d) = per_device.get_mut(q.device) {
                d.correct += 1;
            }
        } else {
            f1.entry(q.label.clone()).or_default().2 += 1;
            if let Answer::Label(l) = &answer {
                f1.entry(l.clone()).or_default().1 += 1;
            }
        }
    }
    let macro_f1 = if f1.is_empty() {
        0.0
    } else {
        f1.values()
            .map(|&(tp, fp, fn_)| {
                let den = 2 * tp + fp + fn_;
                if den == 0 {
                    0.0
                } else {
                    (2 * tp) as f64 / den as f64
                }
            })
            .sum::<f64>()
            / f1.len() as f64
    };
    let (mut devices, mut devices_correct) = (0, 0);
    for (d, v) in per_device.iter_mut().zip(&votes) {
        if d.queries == 0 {
            continue;
        }
        devices += 1;
        let top = v.values().copied().max().unwrap_or(0);
        let winners: Vec<&String> = v
            .iter()
            .filter(|(_, &c)| c == top)
            .map(|(l, _)| l)
            .collect();
        if let [w] = winners.as_slice() {
            d.vote = Some((*w).clone());
            d.vote_correct = **w == d.label && w.as_str() != "ambiguous";
        }
        devices_correct += usize::from(d.vote_correct);
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    ClosedSet {
        library,
        queries: queries.len(),
        correct,
        accuracy: ratio(correct, queries.len()),
        macro_f1,
        devices_correct,
        devices,
        device_accuracy: ratio(devices_correct, devices),
        confusion,
        per_device,
    }
}

fn open_set(queries: &[Query], classes: &[&str]) -> OpenSet {
    // Known: (best score, label right); unknown: best score.
    let mut known: Vec<(f64, bool)> = Vec::new();
    let mut unknown: Vec<f64> = Vec::new();
    for &u in classes {
        for q in queries {
            // The ranking without u: its best entry, and whether the next one ties.
            let mut rest = q.ranking.iter().filter(|r| r.0 != u);
            let (score, right) = match rest.next() {
                None => (0.0, false),
                Some(top) => {
                    let tie = rest.next().is_some_and(|r| same_score(r.1, top.1));
                    (top.1, !tie && top.0 == q.label)
                }
            };
            if q.label == u {
                unknown.push(score);
            } else {
                known.push((score, right));
            }
        }
    }
    let sweep: Vec<SweepPoint> = (0..=100)
        .map(|i| {
            let rho = f64::from(i) / 100.0;
            let ka = known
                .iter()
                .filter(|(s, right)| *right && at_least(*s, rho))
                .count();
            let ur = unknown.iter().filter(|s| !at_least(**s, rho)).count();
            let rate = |a: usize, n: usize| if n == 0 { 0.0 } else { a as f64 / n as f64 };
            let (k, r) = (rate(ka, known.len()), rate(ur, unknown.len()));
            SweepPoint {
                rho,
                known_accuracy: k,
                unknown_rejection: r,
                balanced_accuracy: (k + r) / 2.0,
            }
        })
        .collect();
    let mut best = (0.0, f64::NEG_INFINITY);
    for p in &sweep {
        if p.balanced_accuracy > best.1 + TOLERANCE {
            best = (p.rho, p.balanced_accuracy);
        }
    }
    let scores: Vec<f64> = known.iter().map(|k| k.0).collect();
    OpenSet {
        known_queries: known.len(),
        unknown_queries: unknown.len(),
        auroc: auroc(&scores, &unknown),
        best_rho: best.0,
        best_balanced_accuracy: best.1.max(0.0),
        sweep,
    }
}

/// The AUROC of `positive` scores against `negative` ones: the share of pairs where
/// the positive is higher, ties (within the tolerance) counted as one half. `None`
/// when either side is empty. O((P + N) log N).
pub fn auroc(positive: &[f64], negative: &[f64]) -> Option<f64> {
    if positive.is_empty() || negative.is_empty() {
        return None;
    }
    let mut neg = negative.to_vec();
    neg.sort_by(f64::total_cmp);
    let mut sum = 0.0f64;
    for &p in positive {
        let below = neg.partition_point(|&n| n < p - TOLERANCE);
        let up_to = neg.partition_point(|&n| n <= p + TOLERANCE);
        sum += below as f64 + 0.5 * (up_to - below) as f64;
    }
    Some(sum / (positive.len() as f64 * neg.len() as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auroc_on_four_queries() {
        // Known 0.9 and 0.6, unknown 0.6 and 0.3: pairs (0.9,0.6) 1, (0.9,0.3) 1,
        // (0.6,0.6) 1/2, (0.6,0.3) 1 -> 3.5 / 4.
        assert_eq!(auroc(&[0.9, 0.6], &[0.6, 0.3]), Some(0.875));
        assert_eq!(auroc(&[0.5], &[0.5]), Some(0.5));
        assert_eq!(auroc(&[0.1 + 0.2], &[0.3]), Some(0.5));
        assert_eq!(auroc(&[0.2], &[0.4, 0.9]), Some(0.0));
        assert_eq!(auroc(&[], &[0.4]), None);
    }

    fn q(device: usize, label: &str, ranking: &[(&str, f64)]) -> Query {
        Query {
            device,
            label: label.into(),
            ranking: ranking
                .iter()
                .map(|(l, s)| (l.to_string(), *s, 0))
                .collect(),
        }
    }

    fn dev(label: &str, queries: usize) -> DeviceResult {
        DeviceResult {
            key: "10.0.0.1".parse().unwrap(),
            label: label.into(),
            library: 1,
            queries,
            correct: 0,
            vote: None,
            vote_correct: false,
        }
    }

    #[test]
    fn closed_set_by_hand() {
        // Device 0 (a): right, right, wrong (b). Device 1 (b): ambiguous, right -> tie vote.
        let queries = [
            q(0, "a", &[("a", 0.9), ("b", 0.5)]),
            q(0, "a", &[("a", 0.8), ("b", 0.5)]),
            q(0, "a", &[("b", 0.8), ("a", 0.5)]),
            q(1, "b", &[("a", 0.7), ("b", 0.7)]),
            q(1, "b", &[("b", 0.7), ("a", 0.2)]),
        ];
        let c = closed_set(&queries, 4, vec![dev("a", 3), dev("b", 2)]);
        assert_eq!((c.correct, c.queries), (3, 5));
        assert_eq!(c.accuracy, 0.6);
        // a: tp 2, fp 0, fn 1 -> 4/5; b: tp 1, fp 1, fn 1 -> 2/4.
        assert_eq!(c.macro_f1, (0.8 + 0.5) / 2.0);
        assert_eq!(c.confusion["a"]["a"], 2);
        assert_eq!(c.confusion["a"]["b"], 1);
        assert_eq!(c.confusion["b"]["ambiguous"], 1);
        assert_eq!((c.devices_correct, c.devices), (1, 2));
        assert_eq!(c.device_accuracy, 0.5);
        assert_eq!(c.per_device[0].vote.as_deref(), Some("a"));
        assert_eq!(c.per_device[1].vote, None);
    }

    #[test]
    fn open_set_by_hand() {
        // Two labels. Query of a: a 0.9, b 0.4. Query of b: b 0.8, a 0.3.
        // Fold a: query a unknown at 0.4; query b known, right at 0.8.
        // Fold b: query a known, right at 0.9; query b unknown at 0.3.
        let queries = [
            q(0, "a", &[("a", 0.9), ("b", 0.4)]),
            q(1, "b", &[("b", 0.8), ("a", 0.3)]),
        ];
        let o = open_set(&queries, &["a", "b"]);
        assert_eq!((o.known_queries, o.unknown_queries), (2, 2));
        assert_eq!(o.auroc, Some(1.0));
        // rho 0.41..0.80 separates perfectly; the smallest is 0.41.
        assert_eq!(o.best_rho, 0.41);
        assert_eq!(o.best_balanced_accuracy, 1.0);
        assert_eq!(o.sweep.len(), 101);
        assert_eq!(o.sweep[0].unknown_rejection, 0.0);
        assert_eq!(o.sweep[0].known_accuracy, 1.0);
        assert_eq!(o.sweep[85].known_accuracy, 0.5);
        assert_eq!(o.sweep[85].balanced_accuracy, 0.75);
    }
}
