//! Pairwise similarity of fingerprints (method.md M7) and an order that puts look-alikes
//! next to each other: average-linkage (UPGMA) hierarchical clustering and its leaf order.
//!
//! - [`SimilarityMatrix::of`]: S\[i\]\[j\] = sim(F_i, F_j), symmetric, 1 on the diagonal
//!   (sim(F, F) = 1 for both measures, the empty fingerprint included).
//! - [`average_linkage`]: start with every item a cluster; repeatedly merge the two clusters
//!   A, B with the highest average similarity s(A, B) = (1 / |A||B|) sum_{a in A, b in B}
//!   S\[a\]\[b\] (ties: the pair whose smallest members are smallest, compared as
//!   (min A, min B)); the merged cluster's similarity to any C follows Lance-Williams,
//!   s(A+B, C) = (|A| s(A, C) + |B| s(B, C)) / (|A| + |B|). The leaf order of A+B is A's
//!   order followed by B's (A being the cluster with the smaller member), each possibly
//!   reversed so that the two leaves that meet are as similar as possible (the first of
//!   the four orientations A.B, A'.B, A.B', A'.B' that reaches the maximum; ' = reversed).
//!   Reversing a subtree's leaves is a valid leaf order of the same dendrogram.
//! - [`whole_capture`]: a device's fingerprint over all of its active bins (R of the window
//!   of every active bin, method.md M6), what a device-by-device comparison uses.
//!
//! Naive O(n^3) time and O(n^2) memory: callers cap n (a few hundred items).

use crate::activity::DeviceActivity;
use crate::config::Config;
use crate::representation::{Fingerprint, WindowCounts};
use crate::similarity::Similarity;
use serde::{Deserialize, Serialize};

/// A square, symmetric matrix of similarities in \[0, 1\], row-major.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SimilarityMatrix {
    n: usize,
    values: Vec<f64>,
}

impl SimilarityMatrix {
    /// S\[i\]\[j\] = `sim`(F_i, F_j) for every pair of `fingerprints` (each pair computed
    /// once; the diagonal is sim(F_i, F_i) = 1).
    pub fn of<K: Ord>(fingerprints: &[&Fingerprint<K>], sim: Similarity) -> SimilarityMatrix {
        let n = fingerprints.len();
        let mut values = vec![0.0; n * n];
        for (i, a) in fingerprints.iter().enumerate() {
            for (j, b) in fingerprints.iter().enumerate().skip(i) {
                let s = if i == j { 1.0 } else { sim.of(a, b) };
                if let Some(v) = values.get_mut(i * n + j) {
                    *v = s;
                }
                if let Some(v) = values.get_mut(j * n + i) {
                    *v = s;
                }
            }
        }
        SimilarityMatrix { n, values }
    }

    /// A matrix from its rows; `None` unless every row has one value per row.
    pub fn from_rows(rows: &[Vec<f64>]) -> Option<SimilarityMatrix> {
        let n = rows.len();
        if rows.iter().any(|r| r.len() != n) {
            return None;
        }
        Some(SimilarityMatrix {
            n,
            values: rows.concat(),
        })
    }

    /// The number of items (rows, columns).
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// S\[i\]\[j\] (0 outside the matrix).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        if i >= self.n || j >= self.n {
            return 0.0;
        }
        self.values.get(i * self.n + j).copied().unwrap_or(0.0)
    }

    /// The same matrix with rows and columns in `order` (indices into this matrix;
    /// indices out of range are dropped).
    pub fn reordered(&self, order: &[usize]) -> SimilarityMatrix {
        let order: Vec<usize> = order.iter().copied().filter(|&i| i < self.n).collect();
        let n = order.len();
        let mut values = Vec::with_capacity(n * n);
        for &i in &order {
            for &j in &order {
                values.push(self.get(i, j));
            }
        }
        SimilarityMatrix { n, values }
    }
}

/// One merge of the clustering: the clusters holding items `a` and `b` (their smallest
/// members) joined at average similarity `similarity`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    pub a: usize,
    pub b: usize,
    pub similarity: f64,
    /// Items in the merged cluster.
    pub size: usize,
}

/// The result of [`average_linkage`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Clustering {
    /// Every item once, look-alikes next to each other.
    pub order: Vec<usize>,
    /// The n - 1 merges, in the order they were made (average linkage is monotone: their
    /// similarities never increase).
    pub merges: Vec<Merge>,
}

struct Cluster {
    /// Smallest member (the cluster's name and tie-breaker).
    min: usize,
    leaves: Vec<usize>,
}

/// Average-linkage (UPGMA) clustering of the items of `m` and its leaf order (see the
/// module documentation for the exact rules and tie-breaks).
pub fn average_linkage(m: &SimilarityMatrix) -> Clustering {
    let n = m.len();
    // Live clusters and the average similarity between each pair, indexed by slot.
    let mut clusters: Vec<Option<Cluster>> = (0..n)
        .map(|i| {
            Some(Cluster {
                min: i,
                leaves: vec![i],
            })
        })
        .collect();
    let mut s: Vec<f64> = (0..n * n)
        .map(|k| m.get(k / n.max(1), k % n.max(1)))
        .collect();
    let at = |i: usize, j: usize| i * n + j;
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    loop {
        // The best pair: highest similarity, then smallest (min A, min B).
        let mut best: Option<(f64, usize, usize, usize, usize)> = None;
        for (i, ci) in clusters.iter().enumerate() {
            let Some(ci) = ci else { continue };
            for (j, cj) in clusters.iter().enumerate().skip(i + 1) {
                let Some(cj) = cj else { continue };
                let v = s.get(at(i, j)).copied().unwrap_or(0.0);
                let v = if v.is_nan() { 0.0 } else { v };
                let (lo, hi) = if ci.min < cj.min {
                    (ci.min, cj.min)
                } else {
                    (cj.min, ci.min)
                };
                let better = match best {
                    None => true,
                    Some((bv, _, _, blo, bhi)) => v > bv || (v == bv && (lo, hi) < (blo, bhi)),
                };
                if better {
                    best = Some((v, i, j, lo, hi));
                }
            }
        }
        let Some((v, i, j, _, _)) = best else { break };
        let (Some(a), Some(b)) = (clusters[i].take(), clusters[j].take()) else {
            break;
        };
        let (a, b, keep, gone) = if a.min < b.min {
            (a, b, i, j)
        } else {
            (b, a, j, i)
        };
        let (na, nb) = (a.leaves.len() as f64, b.leaves.len() as f64);
        // Lance-Williams for average linkage, into slot `keep`.
        for (k, c) in clusters.iter().enumerate() {
            if c.is_none() {
                continue;
            }
            let sa = s.get(at(keep, k)).copied().unwrap_or(0.0);
            let sb = s.get(at(gone, k)).copied().unwrap_or(0.0);
            let merged = (na * sa + nb * sb) / (na + nb);
            if let Some(x) = s.get_mut(at(keep, k)) {
                *x = merged;
            }
            if let Some(x) = s.get_mut(at(k, keep)) {
                *x = merged;
            }
        }
        let leaves = join(&a.leaves, &b.leaves, m);
        merges.push(Merge {
            a: a.min,
            b: b.min,
            similarity: v,
            size: leaves.len(),
        });
        clusters[keep] = Some(Cluster { min: a.min, leaves });
    }
    let order = clusters
        .into_iter()
        .flatten()
        .flat_map(|c| c.leaves)
        .collect();
    Clustering { order, merges }
}

/// `a` then `b`, each possibly reversed, so that the meeting leaves are most similar.
fn join(a: &[usize], b: &[usize], m: &SimilarityMatrix) -> Vec<usize> {
    let ends = |v: &[usize]| (v.first().copied(), v.last().copied());
    let ((a_first, a_last), (b_first, b_last)) = (ends(a), ends(b));
    let meet = |x: Option<usize>, y: Option<usize>| match (x, y) {
        (Some(x), Some(y)) => m.get(x, y),
        _ => 0.0,
    };
    // (reverse a, reverse b, similarity of the leaves that meet)
    let options = [
        (false, false, meet(a_last, b_first)),
        (true, false, meet(a_first, b_first)),
        (false, true, meet(a_last, b_last)),
        (true, true, meet(a_first, b_last)),
    ];
    let mut pick = options[0];
    for o in &options[1..] {
        if o.2 > pick.2 {
            pick = *o;
        }
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    if pick.0 {
        out.extend(a.iter().rev());
    } else {
        out.extend(a);
    }
    if pick.1 {
        out.extend(b.iter().rev());
    } else {
        out.extend(b);
    }
    out
}

/// method.md M6 over all of a device's active bins: R(W) for W = every active bin, with
/// `cfg`'s representation and granularity (ids into the activity's service table).
pub fn whole_capture(device: &DeviceActivity, cfg: &Config) -> Fingerprint {
    let counts = WindowCounts::of_bins(device.bins().iter().map(|(_, set)| set));
    Fingerprint::of(&counts, cfg.representation, cfg.granularity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::Aggregator;
    use crate::representation::Representation;
    use proptest::prelude::*;

    fn fp(w: &[(u32, f64)]) -> Fingerprint<u32> {
        Fingerprint {
            weights: w.to_vec(),
        }
    }

    fn matrix(rows: &[&[f64]]) -> SimilarityMatrix {
        SimilarityMatrix::from_rows(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>())
            .expect("square")
    }

    #[test]
    fn the_matrix_by_hand() {
        // {1,2} vs {2,3}: 1/3; {1,2} vs {}: 0; {} vs {}: 1 (diagonal).
        let (a, b, e) = (
            fp(&[(1, 1.0), (2, 1.0)]),
            fp(&[(2, 1.0), (3, 1.0)]),
            fp(&[]),
        );
        let m = SimilarityMatrix::of(&[&a, &b, &e], Similarity::Jaccard);
        assert_eq!(m.len(), 3);
        for i in 0..3 {
            assert_eq!(m.get(i, i), 1.0);
        }
        assert_eq!(m.get(0, 1), 1.0 / 3.0);
        assert_eq!(m.get(1, 0), 1.0 / 3.0);
        assert_eq!(m.get(0, 2), 0.0);
        assert_eq!(m.get(2, 1), 0.0);
        assert_eq!(m.get(3, 0), 0.0, "outside the matrix");
        // Weighted: min 0.5 / max 1.0.
        let (x, y) = (fp(&[(1, 0.5)]), fp(&[(1, 1.0)]));
        let m = SimilarityMatrix::of(&[&x, &y], Similarity::Jaccard);
        assert_eq!(m.get(0, 1), 0.5);
        let m = SimilarityMatrix::of(&[&x, &y], Similarity::Cosine);
        assert_eq!(m.get(0, 1), 1.0);
        assert!(SimilarityMatrix::from_rows(&[vec![1.0, 0.0]]).is_none());
        assert_eq!(m.reordered(&[1, 0, 7]), matrix(&[&[1.0, 1.0], &[1.0, 1.0]]));
    }

    #[test]
    fn average_linkage_by_hand() {
        // Items 0 and 2 look alike (0.9), 1 and 3 look alike (0.8), across ~0.1-0.3.
        //      0    1    2    3
        // 0  1.0  0.1  0.9  0.2
        // 1  0.1  1.0  0.3  0.8
        // 2  0.9  0.3  1.0  0.1
        // 3  0.2  0.8  0.1  1.0
        let m = matrix(&[
            &[1.0, 0.1, 0.9, 0.2],
            &[0.1, 1.0, 0.3, 0.8],
            &[0.9, 0.3, 1.0, 0.1],
            &[0.2, 0.8, 0.1, 1.0],
        ]);
        let c = average_linkage(&m);
        // Merge 1: {0,2} at 0.9, order 0 2. Merge 2: {1,3} at 0.8, order 1 3.
        // Merge 3: average over the 4 cross pairs (0.1 + 0.2 + 0.3 + 0.1) / 4 = 0.175.
        // Orientations: 2|1 = 0.3, 0|1 = 0.1, 2|3 = 0.1, 0|3 = 0.2 -> keep 0 2 1 3.
        assert_eq!(c.order, [0, 2, 1, 3]);
        assert_eq!(c.merges.len(), 3);
        assert_eq!((c.merges[0].a, c.merges[0].b, c.merges[0].size), (0, 2, 2));
        assert_eq!(c.merges[0].similarity, 0.9);
        assert_eq!((c.merges[1].a, c.merges[1].b), (1, 3));
        assert_eq!(c.merges[1].similarity, 0.8);
        assert_eq!((c.merges[2].a, c.merges[2].b, c.merges[2].size), (0, 1, 4));
        assert!((c.merges[2].similarity - 0.175).abs() < 1e-12);
        // Reordered, the look-alikes are adjacent: the first off-diagonal is high.
        let r = m.reordered(&c.order);
        assert_eq!((r.get(0, 1), r.get(2, 3)), (0.9, 0.8));
    }

    #[test]
    fn the_leaves_that_meet_decide_the_orientation() {
        // {0,1} merge first (0.95) with order 0 1. Item 2 is close to 0, not to 1, so
        // the joined order is reversed to 1 0 2 (0|2 = 0.6 beats 1|2 = 0.0).
        let m = matrix(&[&[1.0, 0.95, 0.6], &[0.95, 1.0, 0.0], &[0.6, 0.0, 1.0]]);
        let c = average_linkage(&m);
        assert_eq!(c.order, [1, 0, 2]);
        assert!((c.merges[1].similarity - 0.3).abs() < 1e-12);
    }

    #[test]
    fn ties_go_to_the_smallest_members_and_degenerate_inputs_are_fine() {
        // All similarities equal: merges (0,1), then ({0,1},2), then (.., 3).
        let m = matrix(&[
            &[1.0, 0.5, 0.5, 0.5],
            &[0.5, 1.0, 0.5, 0.5],
            &[0.5, 0.5, 1.0, 0.5],
            &[0.5, 0.5, 0.5, 1.0],
        ]);
        let c = average_linkage(&m);
        assert_eq!(c.order, [0, 1, 2, 3]);
        assert_eq!(
            c.merges.iter().map(|g| (g.a, g.b)).collect::<Vec<_>>(),
            [(0, 1), (0, 2), (0, 3)]
        );
        assert_eq!(
            average_linkage(&SimilarityMatrix::default()),
            Clustering::default()
        );
        let one = average_linkage(&matrix(&[&[1.0]]));
        assert_eq!((one.order, one.merges.len()), (vec![0], 0));
        // NaN similarities count as 0 and never panic.
        let c = average_linkage(&matrix(&[
            &[1.0, f64::NAN, 0.5],
            &[f64::NAN, 1.0, 0.0],
            &[0.5, 0.0, 1.0],
        ]));
        assert_eq!(c.order.len(), 3);
        assert_eq!((c.merges[0].a, c.merges[0].b), (0, 2));
    }

    #[test]
    fn whole_capture_is_the_representation_of_every_active_bin() {
        use svcprint_flow::FlowRecord;
        // One device, TCP/443 in 2 of 4 hours, UDP/53 in all 4.
        let mut agg = Aggregator::new(&Config::default()).expect("default");
        let h = 3_600_000i64;
        for hour in 0..4i64 {
            let dev: std::net::IpAddr = "192.168.1.5".parse().expect("ip");
            let dns_server: std::net::IpAddr = "8.8.8.8".parse().expect("ip");
            let mut dns =
                FlowRecord::new(hour * h, hour * h + 1, 17, (dev, 40000), (dns_server, 53));
            dns.reverse_packets = Some(1);
            agg.add(&dns);
            if hour % 2 == 0 {
                let mut web = dns.clone();
                web.protocol = 6;
                web.dst_port = 443;
                agg.add(&web);
            }
        }
        let agg = agg.finish();
        for (rep, k, want) in [
            (Representation::Sp, 2, [0.5, 1.0]),
            (Representation::Sl, 2, [1.0, 1.0]),
            (Representation::G, 4, [0.5, 1.0]),
        ] {
            let cfg = Config {
                representation: rep,
                granularity: k,
                ..Config::default()
            };
            let act = crate::activity(&agg, &cfg);
            let dev = act.devices().first().expect("one device");
            let f = whole_capture(dev, &cfg);
            let named: Vec<(String, f64)> = f
                .weights
                .iter()
                .map(|&(id, w)| {
                    (
                        act.service(id).map(|s| s.to_string()).unwrap_or_default(),
                        w,
                    )
                })
                .collect();
            assert_eq!(
                named,
                [
                    ("TCP/443".to_string(), want[0]),
                    ("UDP/53".to_string(), want[1])
                ],
                "{rep:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn the_order_is_a_permutation_and_the_matrix_symmetric(
            raw in proptest::collection::vec(proptest::collection::vec((0u32..8, 0.05f64..1.0), 0..6), 0..12)
        ) {
            let fps: Vec<Fingerprint<u32>> = raw
                .into_iter()
                .map(|w| Fingerprint { weights: w }.with_keys(|k| k))
                .collect();
            let refs: Vec<&Fingerprint<u32>> = fps.iter().collect();
            let m = SimilarityMatrix::of(&refs, Similarity::Jaccard);
            for i in 0..m.len() {
                for j in 0..m.len() {
                    prop_assert_eq!(m.get(i, j), m.get(j, i));
                    prop_assert!((0.0..=1.0).contains(&m.get(i, j)));
                }
            }
            let c = average_linkage(&m);
            let mut sorted = c.order.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, (0..m.len()).collect::<Vec<_>>());
            prop_assert_eq!(c.merges.len(), m.len().saturating_sub(1));
            // Average linkage is monotone: merge similarities never increase.
            for w in c.merges.windows(2) {
                prop_assert!(w[1].similarity <= w[0].similarity + 1e-12);
            }
        }
    }
}
