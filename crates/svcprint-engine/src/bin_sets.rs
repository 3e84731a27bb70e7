//! S(d, b) of one device (method.md M5): its active bins in time order, each with the
//! sorted set of its services.
//!
//! Stored compactly: one vector of bin indices, one of end offsets, one flat vector of
//! service ids, so memory grows with active bins x services per bin, and a device's
//! bins are one contiguous block (a window of M6/M8 is a range of positions).

use crate::service::ServiceId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The active bins of one device with their service sets. Invariants (checked on
/// deserialization): bins strictly increasing; every set non-empty and strictly
/// increasing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BinSetsRepr")]
pub struct BinSets {
    bins: Vec<i64>,
    /// `ends[i]` is the end of bin i's ids in `ids`; bin i starts at `ends[i - 1]` (or 0).
    ends: Vec<usize>,
    ids: Vec<ServiceId>,
}

#[derive(Deserialize)]
struct BinSetsRepr {
    bins: Vec<i64>,
    ends: Vec<usize>,
    ids: Vec<ServiceId>,
}

/// Why stored bin sets are inconsistent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BinSetsError {
    /// `ends` must have one entry per bin.
    EndsLength { bins: usize, ends: usize },
    /// Bin indices must be strictly increasing.
    BinsNotIncreasing { position: usize },
    /// Each bin's set must be non-empty and inside `ids`.
    BadEnd { position: usize, end: usize },
    /// Each set must be strictly increasing.
    SetNotSorted { position: usize },
    /// The last end must be the number of ids.
    TrailingIds { end: usize, ids: usize },
}

impl fmt::Display for BinSetsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BinSetsError::EndsLength { bins, ends } => write!(f, "{bins} bins but {ends} set ends"),
            BinSetsError::BinsNotIncreasing { position } => {
                write!(f, "bin {position} is not after the previous")
            }
            BinSetsError::BadEnd { position, end } => {
                write!(f, "bin {position} has a bad set end {end}")
            }
            BinSetsError::SetNotSorted { position } => {
                write!(f, "the set of bin {position} is not sorted")
            }
            BinSetsError::TrailingIds { end, ids } => {
                write!(f, "sets end at {end} but there are {ids} ids")
            }
        }
    }
}

impl TryFrom<BinSetsRepr> for BinSets {
    type Error = BinSetsError;

    fn try_from(r: BinSetsRepr) -> Result<BinSets, BinSetsError> {
        if r.ends.len() != r.bins.len() {
            return Err(BinSetsError::EndsLength {
                bins: r.bins.len(),
                ends: r.ends.len(),
            });
        }
        let mut start = 0usize;
        for (position, &end) in r.ends.iter().enumerate() {
            if position > 0 && r.bins.get(position - 1) >= r.bins.get(position) {
                return Err(BinSetsError::BinsNotIncreasing { position });
            }
            let set = match r.ids.get(start..end) {
                Some(set) if !set.is_empty() => set,
                _ => return Err(BinSetsError::BadEnd { position, end }),
            };
            if set.windows(2).any(|w| w[0] >= w[1]) {
                return Err(BinSetsError::SetNotSorted { position });
            }
            start = end;
        }
        if start != r.ids.len() {
            return Err(BinSetsError::TrailingIds {
                end: start,
                ids: r.ids.len(),
            });
        }
        Ok(BinSets {
            bins: r.bins,
            ends: r.ends,
            ids: r.ids,
        })
    }
}

impl BinSets {
    /// No active bins.
    pub fn new() -> BinSets {
        BinSets::default()
    }

    /// The number of active bins.
    pub fn len(&self) -> usize {
        self.bins.len()
    }

    /// True when there is no active bin.
    pub fn is_empty(&self) -> bool {
        self.bins.is_empty()
    }

    /// The active bin indices, increasing.
    pub fn bins(&self) -> &[i64] {
        &self.bins
    }

    /// The service set of the bin at `position` (empty when out of range).
    pub fn set(&self, position: usize) -> &[ServiceId] {
        let start = if position == 0 {
            0
        } else {
            self.ends.get(position - 1).copied().unwrap_or(0)
        };
        let end = self.ends.get(position).copied().unwrap_or(start);
        self.ids.get(start..end).unwrap_or(&[])
    }

    /// (bin index, service set) in time order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (i64, &[ServiceId])> + '_ {
        (0..self.bins.len()).map(move |i| (self.bins.get(i).copied().unwrap_or(0), self.set(i)))
    }

    /// All service ids, with repetition, in bin order.
    pub fn all_ids(&self) -> &[ServiceId] {
        &self.ids
    }

    /// The largest service id used, if any.
    pub fn max_id(&self) -> Option<ServiceId> {
        self.ids.iter().copied().max()
    }

    /// Appends a bin after the last one. `set` is sorted and deduplicated here; an empty
    /// set or a bin not after the last one is ignored (returns false).
    pub fn push(&mut self, bin: i64, set: &mut Vec<ServiceId>) -> bool {
        set.sort_unstable();
        set.dedup();
        if set.is_empty() || self.bins.last().is_some_and(|&last| last >= bin) {
            return false;
        }
        self.bins.push(bin);
        self.ids.extend_from_slice(set);
        self.ends.push(self.ids.len());
        true
    }

    /// The union of `a` and `b` bin by bin, each id passed through its table's map
    /// (`map_a`, `map_b`, which must be increasing so sets stay sorted; an id outside
    /// its map is dropped).
    pub fn union(a: &BinSets, map_a: &[ServiceId], b: &BinSets, map_b: &[ServiceId]) -> BinSets {
        let mut out = BinSets {
            bins: Vec::with_capacity(a.len().max(b.len())),
            ends: Vec::with_capacity(a.len().max(b.len())),
            ids: Vec::with_capacity(a.ids.len().max(b.ids.len())),
        };
        let remap = |set: &[ServiceId], map: &[ServiceId], out: &mut Vec<ServiceId>| {
            out.extend(set.iter().filter_map(|id| map.get(id.index()).copied()));
        };
        let (mut i, mut j) = (0usize, 0usize);
        let mut buf: Vec<ServiceId> = Vec::new();
        while i < a.len() || j < b.len() {
            let ba = a.bins.get(i).copied();
            let bb = b.bins.get(j).copied();
            buf.clear();
            let bin = match (ba, bb) {
                (Some(x), Some(y)) if x == y => {
                    remap(a.set(i), map_a, &mut buf);
                    remap(b.set(j), map_b, &mut buf);
                    i += 1;
                    j += 1;
                    x
                }
                (Some(x), Some(y)) if x < y => {
                    remap(a.set(i), map_a, &mut buf);
                    i += 1;
                    x
                }
                (Some(x), None) => {
                    remap(a.set(i), map_a, &mut buf);
                    i += 1;
                    x
                }
                (_, Some(y)) => {
                    remap(b.set(j), map_b, &mut buf);
                    j += 1;
                    y
                }
                (None, None) => break,
            };
            out.push(bin, &mut buf);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(v: &[u32]) -> Vec<ServiceId> {
        v.iter().map(|&x| ServiceId(x)).collect()
    }

    fn sets(s: &BinSets) -> Vec<(i64, Vec<u32>)> {
        s.iter()
            .map(|(b, set)| (b, set.iter().map(|x| x.0).collect()))
            .collect()
    }

    #[test]
    fn push_sorts_dedups_and_keeps_time_order() {
        let mut s = BinSets::new();
        assert!(s.push(3, &mut ids(&[5, 1, 5])));
        assert!(!s.push(3, &mut ids(&[2])));
        assert!(!s.push(2, &mut ids(&[2])));
        assert!(!s.push(9, &mut ids(&[])));
        assert!(s.push(7, &mut ids(&[2])));
        assert_eq!(sets(&s), [(3, vec![1, 5]), (7, vec![2])]);
        assert_eq!(s.len(), 2);
        assert_eq!(s.max_id(), Some(ServiceId(5)));
        assert_eq!(s.set(5), &[] as &[ServiceId]);
    }

    #[test]
    fn union_merges_bins_and_sets_through_the_maps() {
        let mut a = BinSets::new();
        a.push(1, &mut ids(&[0]));
        a.push(4, &mut ids(&[0, 1]));
        let mut b = BinSets::new();
        b.push(2, &mut ids(&[0]));
        b.push(4, &mut ids(&[0]));
        b.push(6, &mut ids(&[1]));
        // a's table [x, z] -> [0, 2]; b's table [y, z] -> [1, 2].
        let u = BinSets::union(&a, &ids(&[0, 2]), &b, &ids(&[1, 2]));
        assert_eq!(
            sets(&u),
            [(1, vec![0]), (2, vec![1]), (4, vec![0, 1, 2]), (6, vec![2])]
        );
    }

    #[test]
    fn deserialization_checks_invariants() {
        let ok: BinSets =
            serde_json::from_str(r#"{"bins":[1,2],"ends":[2,3],"ids":[0,4,1]}"#).unwrap();
        assert_eq!(sets(&ok), [(1, vec![0, 4]), (2, vec![1])]);
        let err = |text: &str| {
            serde_json::from_str::<BinSets>(text)
                .unwrap_err()
                .to_string()
        };
        assert!(err(r#"{"bins":[1],"ends":[],"ids":[]}"#).starts_with("1 bins but 0 set ends"));
        assert!(err(r#"{"bins":[2,1],"ends":[1,2],"ids":[0,1]}"#).starts_with("bin 1 is not after"));
        assert!(
            err(r#"{"bins":[1],"ends":[5],"ids":[0]}"#).starts_with("bin 0 has a bad set end 5")
        );
        assert!(err(r#"{"bins":[1,2],"ends":[1,1],"ids":[0]}"#)
            .starts_with("bin 1 has a bad set end 1"));
        assert!(err(r#"{"bins":[1],"ends":[2],"ids":[3,3]}"#)
            .starts_with("the set of bin 0 is not sorted"));
        assert!(err(r#"{"bins":[1],"ends":[1],"ids":[3,4]}"#)
            .starts_with("sets end at 1 but there are 2 ids"));
    }
}
