//! Similarity of fingerprints (method.md M7) and the tolerance of every comparison
//! with a threshold or between scores.
//!
//! - Weighted Jaccard (Ruzicka): J(x, y) = sum_s min(x_s, y_s) / sum_s max(x_s, y_s),
//!   and J = 1 when both are empty. On SL vectors it is the plain Jaccard index.
//! - Cosine: sum_s x_s y_s / (|x| |y|), 1 when both are empty, 0 when only one is.
//!
//! Thresholds (tau, tau_recur, rho) and ties use [`TOLERANCE`] = 1e-12, so a similarity
//! of exactly 9/10 passes tau = 0.9 even in floating point.

use crate::representation::Fingerprint;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// method.md M7: the tolerance of threshold comparisons and ties.
pub const TOLERANCE: f64 = 1e-12;

/// method.md M7 \[similarity\]: weighted Jaccard (Ruzicka), the default, or cosine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Similarity {
    /// J(x, y) = sum_s min(x_s, y_s) / sum_s max(x_s, y_s); 1 when both are empty.
    #[default]
    Jaccard,
    /// Cosine of the angle between x and y.
    Cosine,
}

impl Similarity {
    /// The similarity of `x` and `y` under this measure, in \[0, 1\] for non-negative
    /// weights.
    pub fn of<K: Ord>(self, x: &Fingerprint<K>, y: &Fingerprint<K>) -> f64 {
        match self {
            Similarity::Jaccard => jaccard(x, y),
            Similarity::Cosine => cosine(x, y),
        }
    }

    /// The name used on the command line and in files.
    pub fn name(self) -> &'static str {
        match self {
            Similarity::Jaccard => "jaccard",
            Similarity::Cosine => "cosine",
        }
    }
}

/// Walks two sorted sparse vectors together: `f(x_s, y_s)` for every key in either
/// (0 for a missing weight).
pub fn zip_weights<K: Ord>(x: &Fingerprint<K>, y: &Fingerprint<K>, mut f: impl FnMut(f64, f64)) {
    let (mut i, mut j) = (0, 0);
    loop {
        match (x.weights.get(i), y.weights.get(j)) {
            (Some(a), Some(b)) => match a.0.cmp(&b.0) {
                Ordering::Equal => {
                    f(a.1, b.1);
                    i += 1;
                    j += 1;
                }
                Ordering::Less => {
                    f(a.1, 0.0);
                    i += 1;
                }
                Ordering::Greater => {
                    f(0.0, b.1);
                    j += 1;
                }
            },
            (Some(a), None) => {
                f(a.1, 0.0);
                i += 1;
            }
            (None, Some(b)) => {
                f(0.0, b.1);
                j += 1;
            }
            (None, None) => break,
        }
    }
}

/// method.md M7: weighted Jaccard (Ruzicka) J(x, y) = sum min / sum max; 1 when both
/// are empty (or all weights are zero).
pub fn jaccard<K: Ord>(x: &Fingerprint<K>, y: &Fingerprint<K>) -> f64 {
    let (mut num, mut den) = (0.0f64, 0.0f64);
    zip_weights(x, y, |a, b| {
        num += a.min(b);
        den += a.max(b);
    });
    if den > 0.0 {
        (num / den).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

/// method.md M7 option: cosine similarity; 1 when both are empty, 0 when one is.
pub fn cosine<K: Ord>(x: &Fingerprint<K>, y: &Fingerprint<K>) -> f64 {
    let (mut dot, mut xx, mut yy) = (0.0f64, 0.0f64, 0.0f64);
    zip_weights(x, y, |a, b| {
        dot += a * b;
        xx += a * a;
        yy += b * b;
    });
    match (xx > 0.0, yy > 0.0) {
        (false, false) => 1.0,
        (true, true) => (dot / (xx * yy).sqrt()).clamp(0.0, 1.0),
        _ => 0.0,
    }
}

/// `value >= threshold` within [`TOLERANCE`] (tau, tau_recur, rho).
pub fn at_least(value: f64, threshold: f64) -> bool {
    value >= threshold - TOLERANCE
}

/// `a` and `b` are the same score within [`TOLERANCE`] (a tie).
pub fn same_score(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOLERANCE
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
    fn jaccard_by_hand() {
        // min: 0.5 + 0 + 0 = 0.5; max: 1 + 1 + 0.25 = 2.25.
        let x = fp(&[(1, 0.5), (2, 1.0)]);
        let y = fp(&[(1, 1.0), (3, 0.25)]);
        assert_eq!(jaccard(&x, &y), 0.5 / 2.25);
        assert_eq!(jaccard(&y, &x), 0.5 / 2.25);
        // SL vectors: plain Jaccard, |{1,2} & {2,3,4}| / |{1,2,3,4}| = 1/4.
        let a = fp(&[(1, 1.0), (2, 1.0)]);
        let b = fp(&[(2, 1.0), (3, 1.0), (4, 1.0)]);
        assert_eq!(jaccard(&a, &b), 0.25);
        assert_eq!(jaccard(&a, &a), 1.0);
        assert_eq!(jaccard(&fp(&[]), &fp(&[])), 1.0);
        assert_eq!(jaccard(&a, &fp(&[])), 0.0);
    }

    #[test]
    fn cosine_by_hand() {
        // x = (1, 1, 0), y = (1, 0, 1): 1 / (sqrt 2 sqrt 2) = 1/2.
        let x = fp(&[(1, 1.0), (2, 1.0)]);
        let y = fp(&[(1, 1.0), (3, 1.0)]);
        assert!((cosine(&x, &y) - 0.5).abs() < 1e-15);
        assert_eq!(cosine(&fp(&[]), &fp(&[])), 1.0);
        assert_eq!(cosine(&x, &fp(&[])), 0.0);
        assert_eq!(Similarity::Cosine.of(&x, &x), 1.0);
        assert_eq!(Similarity::Jaccard.of(&x, &y), 1.0 / 3.0);
        assert_eq!(Similarity::Cosine.name(), "cosine");
    }

    #[test]
    fn nine_tenths_passes_tau_point_nine() {
        // 9 shared of 10 services: 9/10 in floating point.
        let x = fp(&(0..10).map(|i| (i, 1.0)).collect::<Vec<_>>());
        let y = fp(&(0..9).map(|i| (i, 1.0)).collect::<Vec<_>>());
        assert!(at_least(jaccard(&x, &y), 0.9));
        // A sum of tenths that misses 0.9 by rounding still passes.
        let s: f64 = (0..9).map(|_| 0.1).sum();
        assert!(s != 0.9);
        assert!(at_least(s, 0.9));
        assert!(!at_least(0.9 - 1e-9, 0.9));
        assert!(same_score(0.3, 0.1 + 0.2));
        assert!(!same_score(0.3, 0.3 + 1e-9));
    }
}
