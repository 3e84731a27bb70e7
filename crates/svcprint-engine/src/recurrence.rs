//! Recurrence and distinct behaviours (method.md M9).
//!
//! For a device's exports F_1..F_J in time order (stable and unstable), F_j recurs when
//! max_{i<j} J(F_j, F_i) >= \[tau_recur\] (within [`crate::similarity::TOLERANCE`]).
//! Recurrence rate = recurring / (J - 1), undefined with fewer than two exports.
//! Distinct behaviours = connected groups of the exports under J >= tau_recur.

use crate::representation::Fingerprint;
use crate::similarity::{at_least, Similarity};
use serde::{Deserialize, Serialize};

/// Recurrence of one device's exports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recurrence {
    /// Per export j: max_{i<j} J(F_j, F_i) (`None` for the first).
    pub best_previous: Vec<Option<f64>>,
    /// Exports j >= 2 that recur.
    pub recurring: usize,
    /// recurring / (J - 1); `None` when J < 2.
    pub rate: Option<f64>,
    /// Per export, the index of its behaviour (groups numbered by first appearance).
    pub behaviour_of: Vec<usize>,
    /// The number of distinct behaviours.
    pub behaviours: usize,
}

/// method.md M9 recurrence of the fingerprints `fps` (in time order).
pub fn recurrence<K: Ord>(fps: &[&Fingerprint<K>], sim: Similarity, tau_recur: f64) -> Recurrence {
    let j = fps.len();
    let mut best_previous = Vec::with_capacity(j);
    // Union-find over the exports.
    let mut parent: Vec<usize> = (0..j).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while let Some(&p) = parent.get(i) {
            if p == i {
                break;
            }
            let gp = parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = parent.get_mut(i) {
                *slot = gp;
            }
            i = p;
        }
        i
    }
    let mut recurring = 0;
    for (b, fb) in fps.iter().enumerate() {
        let mut best: Option<f64> = None;
        for (a, fa) in fps.iter().enumerate().take(b) {
            let s = sim.of(fb, fa);
            best = Some(best.map_or(s, |x: f64| x.max(s)));
            if at_least(s, tau_recur) {
                let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                if ra != rb {
                    if let Some(slot) = parent.get_mut(ra.max(rb)) {
                        *slot = ra.min(rb);
                    }
                }
            }
        }
        if best.is_some_and(|s| at_least(s, tau_recur)) {
            recurring += 1;
        }
        best_previous.push(best);
    }
    let mut behaviour_of = Vec::with_capacity(j);
    let mut roots: Vec<usize> = Vec::new();
    for i in 0..j {
        let r = root(&mut parent, i);
        let g = match roots.iter().position(|&x| x == r) {
            Some(g) => g,
            None => {
                roots.push(r);
                roots.len() - 1
            }
        };
        behaviour_of.push(g);
    }
    Recurrence {
        best_previous,
        recurring,
        rate: (j >= 2).then(|| recurring as f64 / (j - 1) as f64),
        behaviour_of,
        behaviours: roots.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sl(ids: &[u32]) -> Fingerprint<u32> {
        Fingerprint {
            weights: ids.iter().map(|&i| (i, 1.0)).collect(),
        }
    }

    #[test]
    fn known_sequence() {
        // A, B, A, C, B' with A = {1,2}, B = {3,4}, C = {5}, B' = {3,4,6}:
        // F3 recurs (J(A, A) = 1); F2, F4 do not; F5: J(B', B) = 2/3 < 0.9.
        let (a, b, c, b2) = (sl(&[1, 2]), sl(&[3, 4]), sl(&[5]), sl(&[3, 4, 6]));
        let fps = [&a, &b, &a, &c, &b2];
        let r = recurrence(&fps, Similarity::Jaccard, 0.9);
        assert_eq!(
            r.best_previous,
            [None, Some(0.0), Some(1.0), Some(0.0), Some(2.0 / 3.0)]
        );
        assert_eq!(r.recurring, 1);
        assert_eq!(r.rate, Some(0.25));
        assert_eq!(r.behaviour_of, [0, 1, 0, 2, 3]);
        assert_eq!(r.behaviours, 4);
        // With tau_recur = 2/3, B' joins B.
        let r = recurrence(&fps, Similarity::Jaccard, 2.0 / 3.0);
        assert_eq!(r.recurring, 2);
        assert_eq!(r.rate, Some(0.5));
        assert_eq!(r.behaviour_of, [0, 1, 0, 2, 1]);
        assert_eq!(r.behaviours, 3);
    }

    #[test]
    fn chains_connect_behaviours() {
        // {1..10}, {1..9}, {1..8}: neighbours at 9/10 and 8/9 >= 0.88; ends at 0.8.
        let x = sl(&(1..=10).collect::<Vec<_>>());
        let y = sl(&(1..=9).collect::<Vec<_>>());
        let z = sl(&(1..=8).collect::<Vec<_>>());
        let r = recurrence(&[&x, &y, &z], Similarity::Jaccard, 0.88);
        assert_eq!(r.behaviours, 1);
        assert_eq!(r.recurring, 2);
        assert_eq!(recurrence(&[&x], Similarity::Jaccard, 0.9).rate, None);
        assert_eq!(
            recurrence::<u32>(&[], Similarity::Jaccard, 0.9).behaviours,
            0
        );
    }
}
