//! Separability (method.md M9): for each export, the best similarity to another export
//! of the same device and to any export of another device, and the margin between them.

use crate::exporter::DeviceExports;
use crate::similarity::Similarity;
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

/// method.md M9 separability of every export of `devices` (their fingerprints must use
/// one service table, as the exports of one [`crate::Activity`] do).
pub fn separability(devices: &[DeviceExports], sim: Similarity) -> Vec<Separability> {
    let all: Vec<(usize, usize, &crate::Fingerprint)> = devices
        .iter()
        .enumerate()
        .flat_map(|(d, dev)| {
            dev.exports
                .iter()
                .enumerate()
                .map(move |(e, x)| (d, e, &x.fingerprint))
        })
        .collect();
    let max = |a: Option<f64>, s: f64| Some(a.map_or(s, |x: f64| x.max(s)));
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
                    same = max(same, s);
                } else {
                    other = max(other, s);
                }
            }
            Separability {
                device: d,
                export: e,
                same_device: same,
                other_device: other,
                margin: same.zip(other).map(|(a, b)| a - b),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DeviceKey;
    use crate::exporter::{Export, Window};
    use crate::representation::Fingerprint;
    use crate::service::ServiceId;

    fn dev(key: &str, sets: &[&[u32]]) -> DeviceExports {
        DeviceExports {
            key: key.parse().unwrap(),
            exports: sets
                .iter()
                .map(|ids| Export {
                    window: Window {
                        first_bin: 0,
                        last_bin: 0,
                        n: 1,
                        start_ms: 0,
                        end_ms: 1,
                    },
                    stable: true,
                    fingerprint: Fingerprint {
                        weights: ids.iter().map(|&i| (ServiceId(i), 1.0)).collect(),
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
}
