//! Identification (method.md M10).
//!
//! The score of a query fingerprint Q for label t is max J(Q, F) over the library's
//! fingerprints F with label t. The prediction is the label with the best score; when
//! several labels share the best score (within [`crate::similarity::TOLERANCE`]) the
//! answer is `ambiguous`. Open set: when the best score is below \[rho\] the answer is
//! `unknown`, and the nearest labels and score are still given. Every answer carries
//! its evidence: for the best match, the services both share, the services only in Q,
//! the services only in the match, and each one's share of the score.

use crate::representation::Fingerprint;
use crate::similarity::{at_least, same_score, zip_weights, Similarity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One labelled fingerprint of a library.
#[derive(Clone, Copy, Debug)]
pub struct Reference<'a, K> {
    pub label: &'a str,
    pub fingerprint: &'a Fingerprint<K>,
}

/// The answer to a query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", content = "labels", rename_all = "lowercase")]
pub enum Answer {
    /// The single best label, at or above rho.
    Label(String),
    /// Several labels share the best score (listed, sorted).
    Ambiguous(Vec<String>),
    /// The best score is below rho (or the library is empty).
    Unknown,
}

impl Answer {
    /// `the label`, `ambiguous` or `unknown`.
    pub fn text(&self) -> &str {
        match self {
            Answer::Label(l) => l,
            Answer::Ambiguous(_) => "ambiguous",
            Answer::Unknown => "unknown",
        }
    }
}

/// One service in the evidence: its weight in the query and in the match, and its
/// share of the score (the shares of all services sum to the score).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem<K> {
    pub service: K,
    pub query: f64,
    pub matched: f64,
    pub share: f64,
}

/// Why the best label scored what it did: the library fingerprint that matched best.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence<K> {
    pub label: String,
    /// Index of the matching reference.
    pub reference: usize,
    pub shared: Vec<EvidenceItem<K>>,
    pub only_query: Vec<EvidenceItem<K>>,
    pub only_match: Vec<EvidenceItem<K>>,
}

/// The result of identifying one query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Identification<K> {
    pub answer: Answer,
    /// The best score (0 for an empty library).
    pub score: f64,
    /// The labels with the best score, sorted (shown even when the answer is unknown).
    pub nearest: Vec<String>,
    /// Every label with its score, best first, then by label.
    pub ranking: Vec<(String, f64)>,
    pub evidence: Option<Evidence<K>>,
}

/// Per label, the best score and the reference that gave it; sorted best first, then
/// by label.
pub fn label_scores<K: Ord>(
    query: &Fingerprint<K>,
    refs: &[Reference<'_, K>],
    sim: Similarity,
) -> Vec<(String, f64, usize)> {
    let mut best: BTreeMap<&str, (f64, usize)> = BTreeMap::new();
    for (i, r) in refs.iter().enumerate() {
        let s = sim.of(query, r.fingerprint);
        let slot = best.entry(r.label).or_insert((s, i));
        if s > slot.0 {
            *slot = (s, i);
        }
    }
    let mut out: Vec<(String, f64, usize)> = best
        .into_iter()
        .map(|(l, (s, i))| (l.to_string(), s, i))
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The answer for a ranking (best first): the best label, `ambiguous` when labels tie
/// within the tolerance, `unknown` when `rho` is given and the best score is below it.
pub fn answer_of(ranking: &[(String, f64, usize)], rho: Option<f64>) -> (Answer, f64, Vec<String>) {
    let Some(top) = ranking.first() else {
        return (Answer::Unknown, 0.0, Vec::new());
    };
    let mut nearest: Vec<String> = ranking
        .iter()
        .take_while(|r| same_score(r.1, top.1))
        .map(|r| r.0.clone())
        .collect();
    nearest.sort();
    let answer = if rho.is_some_and(|rho| !at_least(top.1, rho)) {
        Answer::Unknown
    } else if nearest.len() > 1 {
        Answer::Ambiguous(nearest.clone())
    } else {
        Answer::Label(top.0.clone())
    };
    (answer, top.1, nearest)
}

/// The evidence of `query` against the reference `m` under `sim`.
pub fn evidence<K: Ord + Clone>(
    query: &Fingerprint<K>,
    label: &str,
    reference: usize,
    m: &Fingerprint<K>,
    sim: Similarity,
) -> Evidence<K> {
    // Denominators of each measure.
    let (mut den, mut qq, mut mm) = (0.0f64, 0.0f64, 0.0f64);
    zip_weights(query, m, |a, b| {
        den += a.max(b);
        qq += a * a;
        mm += b * b;
    });
    let norm = (qq * mm).sqrt();
    let share = |a: f64, b: f64| match sim {
        Similarity::Jaccard if den > 0.0 => a.min(b) / den,
        Similarity::Cosine if norm > 0.0 => a * b / norm,
        _ => 0.0,
    };
    let mut ev = Evidence {
        label: label.to_string(),
        reference,
        shared: Vec::new(),
        only_query: Vec::new(),
        only_match: Vec::new(),
    };
    let (mut i, mut j) = (0, 0);
    loop {
        let (q, f) = (query.weights.get(i), m.weights.get(j));
        let (key, a, b) = match (q, f) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                i += 1;
                j += 1;
                (x.0.clone(), x.1, y.1)
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                i += 1;
                (x.0.clone(), x.1, 0.0)
            }
            (Some(x), None) => {
                i += 1;
                (x.0.clone(), x.1, 0.0)
            }
            (_, Some(y)) => {
                j += 1;
                (y.0.clone(), 0.0, y.1)
            }
            (None, None) => break,
        };
        let item = EvidenceItem {
            service: key,
            query: a,
            matched: b,
            share: share(a, b),
        };
        match (a > 0.0, b > 0.0) {
            (true, true) => ev.shared.push(item),
            (true, false) => ev.only_query.push(item),
            _ => ev.only_match.push(item),
        }
    }
    ev
}

/// method.md M10: identifies `query` against `refs`. `rho = None` is the closed set
/// (no `unknown`). The evidence is for the best reference of the first nearest label.
pub fn identify<K: Ord + Clone>(
    query: &Fingerprint<K>,
    refs: &[Reference<'_, K>],
    sim: Similarity,
    rho: Option<f64>,
) -> Identification<K> {
    let ranking = label_scores(query, refs, sim);
    let (answer, score, nearest) = answer_of(&ranking, rho);
    let evidence = nearest.first().and_then(|l| {
        let (_, _, i) = ranking.iter().find(|r| &r.0 == l)?;
        let r = refs.get(*i)?;
        Some(evidence(query, r.label, *i, r.fingerprint, sim))
    });
    Identification {
        answer,
        score,
        nearest,
        ranking: ranking.into_iter().map(|(l, s, _)| (l, s)).collect(),
        evidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(w: &[(u32, f64)]) -> Fingerprint<u32> {
        Fingerprint {
            weights: w.to_vec(),
        }
    }

    #[test]
    fn best_label_ties_and_unknown() {
        let a1 = fp(&[(1, 1.0), (2, 1.0)]);
        let a2 = fp(&[(1, 1.0), (2, 1.0), (3, 1.0)]);
        let b = fp(&[(3, 1.0), (4, 1.0)]);
        let refs = [
            Reference {
                label: "cam",
                fingerprint: &a1,
            },
            Reference {
                label: "cam",
                fingerprint: &a2,
            },
            Reference {
                label: "plug",
                fingerprint: &b,
            },
        ];
        // Q = {1,2,3}: cam max(2/3, 1) = 1, plug 1/4.
        let q = fp(&[(1, 1.0), (2, 1.0), (3, 1.0)]);
        let id = identify(&q, &refs, Similarity::Jaccard, Some(0.85));
        assert_eq!(id.answer, Answer::Label("cam".into()));
        assert_eq!(id.score, 1.0);
        assert_eq!(
            id.ranking,
            [("cam".to_string(), 1.0), ("plug".to_string(), 0.25)]
        );
        let ev = id.evidence.unwrap();
        assert_eq!(ev.reference, 1);
        assert_eq!(ev.shared.len(), 3);
        assert!(ev.only_query.is_empty() && ev.only_match.is_empty());
        // A tie: Q = {1,2,3,4} against cam {1,2} (1/2) and plug {3,4} (1/2).
        let refs2 = [
            Reference {
                label: "cam",
                fingerprint: &a1,
            },
            Reference {
                label: "plug",
                fingerprint: &b,
            },
        ];
        let q = fp(&[(1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0)]);
        let id = identify(&q, &refs2, Similarity::Jaccard, None);
        assert_eq!(
            id.answer,
            Answer::Ambiguous(vec!["cam".into(), "plug".into()])
        );
        assert_eq!(id.answer.text(), "ambiguous");
        assert_eq!(id.score, 0.5);
        // Open set: 0.5 < rho = 0.85 -> unknown, nearest still shown.
        let id = identify(&q, &refs2, Similarity::Jaccard, Some(0.85));
        assert_eq!(id.answer, Answer::Unknown);
        assert_eq!(id.nearest, ["cam", "plug"]);
        // Evidence of the match {1,2}: shared 1, 2 (1/4 each), only in Q 3, 4.
        let ev = id.evidence.unwrap();
        assert_eq!(ev.label, "cam");
        assert_eq!(
            ev.shared
                .iter()
                .map(|e| (e.service, e.share))
                .collect::<Vec<_>>(),
            [(1, 0.25), (2, 0.25)]
        );
        assert_eq!(
            ev.only_query.iter().map(|e| e.service).collect::<Vec<_>>(),
            [3, 4]
        );
        let empty: [Reference<'_, u32>; 0] = [];
        let id = identify(&q, &empty, Similarity::Jaccard, Some(0.5));
        assert_eq!((id.answer, id.score), (Answer::Unknown, 0.0));
    }

    #[test]
    fn shares_sum_to_the_score() {
        let q = fp(&[(1, 0.5), (2, 1.0), (5, 0.25)]);
        let m = fp(&[(1, 1.0), (2, 0.5), (7, 1.0)]);
        for sim in [Similarity::Jaccard, Similarity::Cosine] {
            let ev = evidence(&q, "x", 0, &m, sim);
            let total: f64 = ev.shared.iter().map(|e| e.share).sum();
            assert!((total - sim.of(&q, &m)).abs() < 1e-12, "{sim:?}");
            assert_eq!(ev.only_query.len(), 1);
            assert_eq!(ev.only_match[0].service, 7);
            assert_eq!(ev.only_match[0].share, 0.0);
        }
    }
}
