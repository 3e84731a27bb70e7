//! Representations of a window of active bins (method.md M6): Service List SL,
//! Service Prevalence SP, and Generalized G_k.
//!
//! For a window W of active bins of a device, n = |W|, c_s = the number of bins in W in
//! which service s was active, p_s = c_s / n:
//! - SL(W): 1 for every s with c_s >= 1;
//! - SP(W): p_s;
//! - G_k(W): g_s = ceil(k * p_s) / k for every s with p_s > 0.
//!
//! G_1 == SL exactly, and |G_k - SP| <= 1/k, so G_k tends to SP. ceil(k * c_s / n) is
//! computed in integers, so G_k has no rounding surprises (G_4 of p = 3/4 is exactly 0.75).

use crate::service::ServiceId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// method.md M8 \[representation\]: which representation fingerprints use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Representation {
    /// Service List.
    #[serde(rename = "SL")]
    Sl,
    /// Service Prevalence.
    #[serde(rename = "SP")]
    Sp,
    /// Generalized G_k, k = \[granularity\].
    #[default]
    G,
}

impl Representation {
    /// The name used in tables and files: `SL`, `SP`, or `G<k>` (`G2`).
    pub fn label(self, granularity: u32) -> String {
        match self {
            Representation::Sl => "SL".to_string(),
            Representation::Sp => "SP".to_string(),
            Representation::G => format!("G{granularity}"),
        }
    }
}

/// n and c_s of a window of active bins. Bins can be added one at a time, as the
/// exporter (M8) grows its window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WindowCounts {
    n: u64,
    /// (s, c_s) for every s with c_s >= 1, sorted by s.
    counts: Vec<(ServiceId, u64)>,
}

impl WindowCounts {
    /// An empty window.
    pub fn new() -> WindowCounts {
        WindowCounts::default()
    }

    /// The counts of the given bins' service sets (each a set: no repeated id).
    pub fn of_bins<'a>(sets: impl IntoIterator<Item = &'a [ServiceId]>) -> WindowCounts {
        let mut w = WindowCounts::new();
        for set in sets {
            w.add_bin(set);
        }
        w
    }

    /// Adds one active bin with service set `set` (no repeated id): n += 1 and
    /// c_s += 1 for each s in the set.
    pub fn add_bin(&mut self, set: &[ServiceId]) {
        self.n += 1;
        for &s in set {
            match self.counts.binary_search_by_key(&s, |&(id, _)| id) {
                Ok(i) => {
                    if let Some(c) = self.counts.get_mut(i) {
                        c.1 += 1;
                    }
                }
                Err(i) => self.counts.insert(i, (s, 1)),
            }
        }
    }

    /// Empties the window, keeping its memory.
    pub fn clear(&mut self) {
        self.n = 0;
        self.counts.clear();
    }

    /// n = |W|.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// (s, c_s) for each service active in the window, sorted by s.
    pub fn counts(&self) -> &[(ServiceId, u64)] {
        &self.counts
    }
}

/// A sparse vector over services, sorted by key with no repeats and no zero weights.
/// Keys are [`ServiceId`]s of one service table, or any ordered key (service names for
/// a library read from a file, see [`Fingerprint::with_keys`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fingerprint<K = ServiceId> {
    pub weights: Vec<(K, f64)>,
}

impl<K> Default for Fingerprint<K> {
    fn default() -> Fingerprint<K> {
        Fingerprint {
            weights: Vec::new(),
        }
    }
}

/// A fingerprint's ids and weights as bits: equal exactly when the ids and the weights are
/// equal bit for bit (a hash key for computing identical fingerprints' results once).
pub(crate) type Bits = Vec<(ServiceId, u64)>;

impl Fingerprint<ServiceId> {
    /// The key of identical fingerprints ([`Bits`]).
    pub(crate) fn bits(&self) -> Bits {
        self.weights
            .iter()
            .map(|&(s, w)| (s, w.to_bits()))
            .collect()
    }

    /// SL(W): weight 1 for every service with c_s >= 1.
    pub fn service_list(w: &WindowCounts) -> Fingerprint {
        Fingerprint {
            weights: w.counts.iter().map(|&(s, _)| (s, 1.0)).collect(),
        }
    }

    /// SP(W): p_s = c_s / n.
    pub fn service_prevalence(w: &WindowCounts) -> Fingerprint {
        let n = w.n as f64;
        Fingerprint {
            weights: w.counts.iter().map(|&(s, c)| (s, c as f64 / n)).collect(),
        }
    }

    /// G_k(W): g_s = ceil(k * c_s / n) / k; k = 0 is taken as 1.
    pub fn generalized(w: &WindowCounts, k: u32) -> Fingerprint {
        let k = u128::from(k.max(1));
        let n = u128::from(w.n.max(1));
        let weights = w
            .counts
            .iter()
            .map(|&(s, c)| {
                let steps = (k * u128::from(c)).div_ceil(n);
                (s, steps as f64 / k as f64)
            })
            .collect();
        Fingerprint { weights }
    }

    /// The representation `rep` of the window (`granularity` is k of G_k).
    pub fn of(w: &WindowCounts, rep: Representation, granularity: u32) -> Fingerprint {
        match rep {
            Representation::Sl => Fingerprint::service_list(w),
            Representation::Sp => Fingerprint::service_prevalence(w),
            Representation::G => Fingerprint::generalized(w, granularity),
        }
    }
}

impl<K: Ord> Fingerprint<K> {
    /// The weight of service `s` (0 when absent).
    pub fn weight(&self, s: &K) -> f64 {
        match self.weights.binary_search_by(|(k, _)| k.cmp(s)) {
            Ok(i) => self.weights.get(i).map_or(0.0, |(_, w)| *w),
            Err(_) => 0.0,
        }
    }

    /// The same weights under other keys (e.g. service names), re-sorted. Keys mapped
    /// to the same new key keep the larger weight.
    pub fn with_keys<K2: Ord>(self, mut key: impl FnMut(K) -> K2) -> Fingerprint<K2> {
        let mut weights: Vec<(K2, f64)> =
            self.weights.into_iter().map(|(k, w)| (key(k), w)).collect();
        weights.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        weights.dedup_by(|later, first| later.0 == first.0);
        Fingerprint { weights }
    }
}

impl<K> Fingerprint<K> {
    /// The number of services with a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// True when no service has a weight.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }
}

impl<K: fmt::Display> fmt::Display for Fingerprint<K> {
    /// `{TCP/443: 1, UDP/53: 0.5}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (i, (k, w)) in self.weights.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{k}: {w}")?;
        }
        f.write_str("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(i: u32) -> ServiceId {
        ServiceId(i)
    }

    /// 4 active bins; service 1 in 1 bin, 2 in 2, 3 in 3, 4 in all 4.
    fn four_bins() -> WindowCounts {
        let bins: [&[ServiceId]; 4] = [
            &[s(1), s(2), s(3), s(4)],
            &[s(2), s(3), s(4)],
            &[s(3), s(4)],
            &[s(4)],
        ];
        WindowCounts::of_bins(bins)
    }

    fn values(f: &Fingerprint) -> Vec<(u32, f64)> {
        f.weights.iter().map(|(k, w)| (k.0, *w)).collect()
    }

    #[test]
    fn counts_of_the_window() {
        let w = four_bins();
        assert_eq!(w.n(), 4);
        assert_eq!(w.counts(), &[(s(1), 1), (s(2), 2), (s(3), 3), (s(4), 4)]);
        let mut w2 = WindowCounts::new();
        w2.add_bin(&[s(4)]);
        w2.add_bin(&[s(3), s(4)]);
        w2.add_bin(&[s(2), s(3), s(4)]);
        w2.add_bin(&[s(1), s(2), s(3), s(4)]);
        assert_eq!(w2, w);
        w2.clear();
        assert_eq!(w2, WindowCounts::new());
    }

    #[test]
    fn service_list_is_one_per_member() {
        assert_eq!(
            values(&Fingerprint::service_list(&four_bins())),
            [(1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0)]
        );
    }

    #[test]
    fn service_prevalence_is_the_share_of_bins() {
        assert_eq!(
            values(&Fingerprint::service_prevalence(&four_bins())),
            [(1, 0.25), (2, 0.5), (3, 0.75), (4, 1.0)]
        );
    }

    #[test]
    fn generalized_rounds_prevalence_up_to_steps_of_one_over_k() {
        let w = four_bins();
        assert_eq!(
            values(&Fingerprint::generalized(&w, 2)),
            [(1, 0.5), (2, 0.5), (3, 1.0), (4, 1.0)]
        );
        assert_eq!(
            values(&Fingerprint::generalized(&w, 3)),
            [(1, 1.0 / 3.0), (2, 2.0 / 3.0), (3, 1.0), (4, 1.0)]
        );
        assert_eq!(
            values(&Fingerprint::generalized(&w, 5)),
            [(1, 0.4), (2, 0.6), (3, 0.8), (4, 1.0)]
        );
        assert_eq!(
            Fingerprint::of(&w, Representation::G, 2),
            Fingerprint::generalized(&w, 2)
        );
    }

    #[test]
    fn g1_equals_sl() {
        let w = four_bins();
        assert_eq!(
            Fingerprint::generalized(&w, 1),
            Fingerprint::service_list(&w)
        );
        assert_eq!(
            Fingerprint::of(&w, Representation::Sl, 7),
            Fingerprint::service_list(&w)
        );
    }

    #[test]
    fn gk_tends_to_sp() {
        let w = four_bins();
        let sp = Fingerprint::service_prevalence(&w);
        for k in 1..=64u32 {
            let g = Fingerprint::generalized(&w, k);
            let gap = g
                .weights
                .iter()
                .zip(&sp.weights)
                .map(|(a, b)| a.1 - b.1)
                .fold(0.0, f64::max);
            assert!(
                (0.0..1.0 / f64::from(k) + 1e-15).contains(&gap),
                "k = {k}, gap = {gap}"
            );
            // Multiples of n = 4 are exact.
            if k % 4 == 0 {
                assert_eq!(g, sp, "k = {k}");
            }
        }
        assert_eq!(Fingerprint::generalized(&w, 1_000_000), sp);
        assert_eq!(Fingerprint::of(&w, Representation::Sp, 2), sp);
    }

    #[test]
    fn empty_window_gives_an_empty_fingerprint() {
        let w = WindowCounts::new();
        for rep in [Representation::Sl, Representation::Sp, Representation::G] {
            assert!(Fingerprint::of(&w, rep, 2).is_empty());
        }
        assert!(Fingerprint::generalized(&w, 0).is_empty());
    }

    #[test]
    fn weights_keys_and_labels() {
        let f = Fingerprint::service_prevalence(&four_bins());
        assert_eq!(f.weight(&s(3)), 0.75);
        assert_eq!(f.weight(&s(9)), 0.0);
        assert_eq!(f.len(), 4);
        let named = f.with_keys(|id| {
            if id.0 == 1 {
                "z".to_string()
            } else {
                "a".to_string()
            }
        });
        assert_eq!(
            named.weights,
            [("a".to_string(), 1.0), ("z".to_string(), 0.25)]
        );
        assert_eq!(named.to_string(), "{a: 1, z: 0.25}");
        assert_eq!(Representation::G.label(4), "G4");
        assert_eq!(Representation::Sl.label(4), "SL");
        assert_eq!(Representation::Sp.label(4), "SP");
    }
}
