//! Separability (method.md M9): for each export, the best similarity to another export
//! of the same device and to any export of another device, and the margin between them.

use crate::exporter::DeviceExports;
use crate::representation::{Bits, Fingerprint};
use crate::similarity::Similarity;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Separability of one export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Separability {
    /// Index into the device list given.
    pub device: usize,
    /// Index into that device's exports.
    pub export: usize,
    /// Best J to another export of the same device (`None` when it has only one).
    pub same_device: Option<f64>,
    /// Best J to an export of another device (`None` when there is none).
    pub other_device: Option<f64>,
    /// same_device - other_device, when both exist; positive means separable.
    pub margin: Option<f64>,
}

impl Separability {
    /// Export `export` of device `device` with its two best similarities; the margin
    /// follows from them.
    fn of(device: usize, export: usize, same: Option<f64>, other: Option<f64>) -> Separability {
        Separability {
            device,
            export,
            same_device: same,
            other_device: other,
            margin: same.zip(other).map(|(a, b)| a - b),
        }
    }
}

/// The larger of a best-so-far and a similarity (the similarity when there is none yet).
fn best(so_far: Option<f64>, s: f64) -> Option<f64> {
    Some(so_far.map_or(s, |x| x.max(s)))
}

/// method.md M9 separability of every export of `devices` (their fingerprints must use
/// one service table, as the exports of one [`crate::Activity`] do).
///
/// Identical fingerprints (the same ids and the same weights, bit for bit) have the same
/// similarity to everything, so each distinct fingerprint is compared with each other
/// once and the best per device is taken from those values: exactly the results of
/// comparing every export with every other ([`separability_pairwise`]), with far fewer
/// comparisons when windows repeat (a regular device's exports mostly do).
pub fn separability(devices: &[DeviceExports], sim: Similarity) -> Vec<Separability> {
    // The distinct fingerprints ("classes"), numbered in order of first appearance.
    let mut class_of: FxHashMap<Bits, usize> = FxHashMap::default();
    let mut classes: Vec<&Fingerprint> = Vec::new();
    // Per device: its classes (increasing) with how many of its exports have each.
    let mut per_device: Vec<Vec<(usize, usize)>> = Vec::with_capacity(devices.len());
    // Per export, in output order: (device, export, class).
    let mut all: Vec<(usize, usize, usize)> = Vec::new();
    for (d, dev) in devices.iter().enumerate() {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for (e, x) in dev.exports.iter().enumerate() {
            let next = classes.len();
            let c = *class_of.entry(x.fingerprint.bits()).or_insert(next);
            if c == next {
                classes.push(&x.fingerprint);
            }
            all.push((d, e, c));
            counts.push((c, 1));
        }
        counts.sort_unstable_by_key(|&(c, _)| c);
        counts.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += 1;
            }
            same
        });
        per_device.push(counts);
    }
    // The devices holding each class.
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); classes.len()];
    for (d, counts) in per_device.iter().enumerate() {
        for &(c, _) in counts {
            if let Some(h) = holders.get_mut(c) {
                h.push(d);
            }
        }
    }
    // (same device, other device) per (device, class).
    let mut answers: FxHashMap<(usize, usize), (Option<f64>, Option<f64>)> = FxHashMap::default();
    let mut row: Vec<f64> = Vec::with_capacity(classes.len());
    for (c, f) in classes.iter().enumerate() {
        row.clear();
        row.extend(classes.iter().map(|g| sim.of(f, g)));
        let at = |k: usize| row.get(k).copied().unwrap_or(f64::NAN);
        // The best similarity to each device's exports, and the two best devices.
        let mut first: Option<(usize, f64)> = None;
        let mut second: Option<f64> = None;
        for (d, counts) in per_device.iter().enumerate() {
            let Some(here) = counts.iter().fold(None, |acc, &(k, _)| best(acc, at(k))) else {
                continue;
            };
            match first {
                Some((_, top)) if best(Some(top), here) == Some(top) => second = best(second, here),
                _ => {
                    second = first
                        .map(|(_, top)| top)
                        .map_or(second, |top| best(second, top));
                    first = Some((d, here));
                }
            }
        }
        for &d in holders.get(c).map_or(&[][..], |h| h.as_slice()) {
            let counts = per_device.get(d).map_or(&[][..], |v| v.as_slice());
            let same = counts
                .iter()
                .filter(|&&(k, n)| k != c || n >= 2)
                .fold(None, |acc, &(k, _)| best(acc, at(k)));
            let other = match first {
                Some((top_device, _)) if top_device == d => second,
                top => top.map(|(_, v)| v),
            };
            answers.insert((d, c), (same, other));
        }
    }
    all.iter()
        .map(|&(d, e, c)| {
            let (same, other) = answers.get(&(d, c)).copied().unwrap_or((None, None));
            Separability::of(d, e, same, other)
        })
        .collect()
}

/// [`separability`] by comparing every export with every other (the definition; kept as
/// the reference the tests compare with).
pub fn separability_pairwise(devices: &[DeviceExports], sim: Similarity) -> Vec<Separability> {
    let all: Vec<(usize, usize, &Fingerprint)> = devices
        .iter()
        .enumerate()
        .flat_map(|(d, dev)| {
            dev.exports
                .iter()
                .enumerate()
                .map(move |(e, x)| (d, e, &x.fingerprint))
        })
        .collect();
    all.iter()
        .enumerate()
        .map(|(i, &(d, e, f))| {
            let (mut same, mut other) = (None, None);
            for (j, &(d2, _, g)) in all.iter().enumerate() {
                if i == j {
                    continue;
                }
                let s = sim.of(f, g);
                if d2 == d {
                    same = best(same, s);
                } else {
                    other = best(other, s);
                }
            }
            Separability::of(d, e, same, other)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DeviceKey;
    use crate::exporter::{Export, Window};
    use crate::service::ServiceId;
    use proptest::prelude::*;

    fn dev(key: &str, sets: &[&[u32]]) -> DeviceExports {
        weighted(
            key,
            sets.iter()
                .map(|ids| ids.iter().map(|&i| (i, 1.0)).collect()),
        )
    }

    fn weighted(key: &str, fingerprints: impl Iterator<Item = Vec<(u32, f64)>>) -> DeviceExports {
        DeviceExports {
            key: key.parse().unwrap(),
            exports: fingerprints
                .map(|weights| Export {
                    window: Window {
                        first_bin: 0,
                        last_bin: 0,
                        n: 1,
                        start_ms: 0,
                        end_ms: 1,
                    },
                    stable: true,
                    fingerprint: Fingerprint {
                        weights: weights
                            .into_iter()
                            .map(|(i, w)| (ServiceId(i), w))
                            .collect(),
                    },
                })
                .collect(),
            pending: None,
        }
    }

    #[test]
    fn margins_by_hand() {
        let devices = [
            dev("10.0.0.1", &[&[1, 2], &[1, 2, 3]]),
            dev("10.0.0.2", &[&[3, 4]]),
        ];
        let _: DeviceKey = devices[0].key;
        let s = separability(&devices, Similarity::Jaccard);
        assert_eq!(s.len(), 3);
        // {1,2}: same 2/3, other J({1,2},{3,4}) = 0.
        assert_eq!(s[0].same_device, Some(2.0 / 3.0));
        assert_eq!(s[0].other_device, Some(0.0));
        assert_eq!(s[0].margin, Some(2.0 / 3.0));
        // {1,2,3}: same 2/3, other J({1,2,3},{3,4}) = 1/4.
        assert_eq!(s[1].margin, Some(2.0 / 3.0 - 0.25));
        // {3,4}: no other export of its device.
        assert_eq!((s[2].device, s[2].export), (1, 0));
        assert_eq!(s[2].same_device, None);
        assert_eq!(s[2].other_device, Some(0.25));
        assert_eq!(s[2].margin, None);
    }

    #[test]
    fn repeated_fingerprints_by_hand() {
        // Device 1 exports {1,2} twice: its same-device best is J = 1 for both; device
        // 2's single {1,2} has no same-device value and its other-device best is 1;
        // device 3's {3} meets device 1's {3} (other 1), its {4} meets nothing (0).
        let devices = [
            dev("10.0.0.1", &[&[1, 2], &[1, 2], &[3]]),
            dev("10.0.0.2", &[&[1, 2]]),
            dev("10.0.0.3", &[&[3], &[4]]),
        ];
        let s = separability(&devices, Similarity::Jaccard);
        let got: Vec<_> = s.iter().map(|x| (x.same_device, x.other_device)).collect();
        assert_eq!(
            got,
            [
                (Some(1.0), Some(1.0)),
                (Some(1.0), Some(1.0)),
                (Some(0.0), Some(1.0)),
                (None, Some(1.0)),
                (Some(0.0), Some(1.0)),
                (Some(0.0), Some(0.0)),
            ]
        );
        assert_eq!(s, separability_pairwise(&devices, Similarity::Jaccard));
    }

    proptest! {
        /// Devices whose exports draw from a few fingerprints (so many repeat, within a
        /// device and across devices) give exactly the pairwise results.
        #[test]
        fn same_as_pairwise(
            pool in prop::collection::vec(
                prop::collection::btree_map(0u32..6, prop::sample::select(vec![0.25, 0.5, 1.0]), 0..4),
                1..6,
            ),
            picks in prop::collection::vec(prop::collection::vec(0usize..6, 0..6), 0..5),
        ) {
            let devices: Vec<DeviceExports> = picks
                .iter()
                .enumerate()
                .map(|(d, p)| {
                    let key = format!("10.0.0.{}", d + 1);
                    weighted(&key, p.iter().map(|&i| pool[i % pool.len()].clone().into_iter().collect()))
                })
                .collect();
            for sim in [Similarity::Jaccard, Similarity::Cosine] {
                prop_assert_eq!(separability(&devices, sim), separability_pairwise(&devices, sim));
            }
        }
    }
}
