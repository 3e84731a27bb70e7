//! S(d, b) of one device (method.md M5): its active bins in time order, each with the
//! sorted set of its services.
//!
//! Dictionary-encoded, because IoT devices repeat the same few service sets bin after
//! bin: each distinct set is stored once (one flat vector of service ids, one of u32 end
//! offsets), and each bin keeps only its index, as a u32 offset from the first bin, and
//! the u32 number of its set, so memory grows with active bins x 8 bytes plus the distinct
//! sets. A device whose bins span more than u32 can count from its first bin (small bin
//! widths or absurd timestamps) keeps them as i64 instead (12 bytes a bin), switching on
//! the push that does not fit; the results are the same either way. The sets are
//! numbered in the order of their first bin, which makes the layout canonical (two values
//! with the same bins and sets are stored alike). A device's bins are one contiguous block
//! (a window of M6/M8 is a range of positions). Serialized, the bins are written as i64
//! and the sets out per bin, as before the dictionary
//! (`{"bins":[..],"ends":[..],"ids":[..]}`).

use crate::service::ServiceId;
use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::hash::BuildHasher;

/// The active bins of one device with their service sets. Invariants (checked on
/// deserialization): bins strictly increasing; every set non-empty and strictly
/// increasing.
#[derive(Clone, Default, Deserialize)]
#[serde(try_from = "BinSetsRepr")]
pub struct BinSets {
    bins: Bins,
    /// `set_of[i]` is the number of bin i's set in the dictionary.
    set_of: Vec<u32>,
    /// The dictionary: set k is `ids[ends[k - 1]..ends[k]]` (from 0 for k = 0). Each set
    /// is there once, and sets are numbered in the order of the first bin that has them.
    ends: Vec<u32>,
    ids: Vec<ServiceId>,
    /// The dictionary's set numbers by content hash, for `push`. Dropped by
    /// [`BinSets::shrink_to_fit`] and rebuilt by the next push: it holds no data.
    lookup: HashTable<u32>,
}

/// The bin indices, increasing. Stored as u32 offsets from the first bin while they fit
/// (4 bytes a bin); the push of a bin whose offset does not fit switches to plain i64 (8
/// bytes a bin). Which form a value has follows from its bins (the span from the first to
/// the last bin), so equal bins are stored alike.
#[derive(Clone, Debug)]
enum Bins {
    /// Bin i is `base + offsets[i]`; `base` is the first bin (0 while there is none).
    Offsets { base: i64, offsets: Vec<u32> },
    /// Some bin is more than `u32::MAX` after the first.
    Wide(Vec<i64>),
}

impl Default for Bins {
    fn default() -> Bins {
        Bins::Offsets {
            base: 0,
            offsets: Vec::new(),
        }
    }
}

impl Bins {
    fn with_capacity(n: usize) -> Bins {
        Bins::Offsets {
            base: 0,
            offsets: Vec::with_capacity(n),
        }
    }

    fn len(&self) -> usize {
        match self {
            Bins::Offsets { offsets, .. } => offsets.len(),
            Bins::Wide(bins) => bins.len(),
        }
    }

    /// The bin at `position`, if any.
    fn get(&self, position: usize) -> Option<i64> {
        match self {
            // Exact: the offset was taken from this base.
            Bins::Offsets { base, offsets } => offsets.get(position).map(|&o| base + i64::from(o)),
            Bins::Wide(bins) => bins.get(position).copied(),
        }
    }

    fn last(&self) -> Option<i64> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// Appends `bin` (after the last one).
    fn push(&mut self, bin: i64) {
        match self {
            Bins::Offsets { base, offsets } => {
                if offsets.is_empty() {
                    *base = bin;
                }
                match bin.checked_sub(*base).and_then(|d| u32::try_from(d).ok()) {
                    Some(offset) => offsets.push(offset),
                    None => {
                        let mut wide =
                            Vec::with_capacity(offsets.capacity().max(offsets.len() + 1));
                        wide.extend(offsets.iter().map(|&o| *base + i64::from(o)));
                        wide.push(bin);
                        *self = Bins::Wide(wide);
                    }
                }
            }
            Bins::Wide(bins) => bins.push(bin),
        }
    }

    fn shrink_to_fit(&mut self) {
        match self {
            Bins::Offsets { offsets, .. } => offsets.shrink_to_fit(),
            Bins::Wide(bins) => bins.shrink_to_fit(),
        }
    }

    fn iter(&self) -> BinIter<'_> {
        match self {
            Bins::Offsets { base, offsets } => BinIter::Offsets(*base, offsets.iter()),
            Bins::Wide(bins) => BinIter::Wide(bins.iter()),
        }
    }
}

/// The bin indices of [`Bins`], increasing.
enum BinIter<'a> {
    /// The base and the offsets.
    Offsets(i64, std::slice::Iter<'a, u32>),
    Wide(std::slice::Iter<'a, i64>),
}

impl Iterator for BinIter<'_> {
    type Item = i64;

    #[inline]
    fn next(&mut self) -> Option<i64> {
        match self {
            BinIter::Offsets(base, offsets) => offsets.next().map(|&o| *base + i64::from(o)),
            BinIter::Wide(bins) => bins.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            BinIter::Offsets(_, offsets) => offsets.size_hint(),
            BinIter::Wide(bins) => bins.size_hint(),
        }
    }
}

impl DoubleEndedIterator for BinIter<'_> {
    fn next_back(&mut self) -> Option<i64> {
        match self {
            BinIter::Offsets(base, offsets) => offsets.next_back().map(|&o| *base + i64::from(o)),
            BinIter::Wide(bins) => bins.next_back().copied(),
        }
    }
}

impl ExactSizeIterator for BinIter<'_> {}

/// The serialized form: each bin's set written out.
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
    /// The distinct sets hold more ids, or there are more of them, than u32 can count.
    TooLarge { position: usize },
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
            BinSetsError::TooLarge { position } => {
                write!(
                    f,
                    "the distinct sets up to bin {position} hold more ids than u32 can count"
                )
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
        let mut out = BinSets::with_capacity(r.bins.len());
        let mut start = 0usize;
        for (position, (&bin, &end)) in r.bins.iter().zip(&r.ends).enumerate() {
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
            let k = out.intern(set).ok_or(BinSetsError::TooLarge { position })?;
            out.append(bin, k);
            start = end;
        }
        if start != r.ids.len() {
            return Err(BinSetsError::TrailingIds {
                end: start,
                ids: r.ids.len(),
            });
        }
        out.shrink_to_fit();
        Ok(out)
    }
}

impl Serialize for BinSets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// Each bin's set end in the written-out ids.
        struct Ends<'a>(&'a BinSets);
        impl Serialize for Ends<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
                let mut end = 0usize;
                for (_, set) in self.0.iter() {
                    end += set.len();
                    seq.serialize_element(&end)?;
                }
                seq.end()
            }
        }
        /// Every bin's set, one after the other.
        struct Ids<'a>(&'a BinSets);
        impl Serialize for Ids<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let n = self.0.iter().map(|(_, set)| set.len()).sum();
                let mut seq = serializer.serialize_seq(Some(n))?;
                for id in self.0.iter().flat_map(|(_, set)| set) {
                    seq.serialize_element(id)?;
                }
                seq.end()
            }
        }
        /// The bin indices.
        struct BinsOut<'a>(&'a Bins);
        impl Serialize for BinsOut<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.iter())
            }
        }
        let mut s = serializer.serialize_struct("BinSets", 3)?;
        s.serialize_field("bins", &BinsOut(&self.bins))?;
        s.serialize_field("ends", &Ends(self))?;
        s.serialize_field("ids", &Ids(self))?;
        s.end()
    }
}

/// Equal when the bins and their sets are: the dictionary is canonical (sets numbered by
/// first use), so comparing the stored vectors is comparing the content.
impl PartialEq for BinSets {
    fn eq(&self, other: &BinSets) -> bool {
        self.bins.len() == other.bins.len()
            && self.bins.iter().eq(other.bins.iter())
            && self.set_of == other.set_of
            && self.ends == other.ends
            && self.ids == other.ids
    }
}

impl Eq for BinSets {}

impl fmt::Debug for BinSets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BinSets")
            .field("bins", &self.bins)
            .field("set_of", &self.set_of)
            .field("ends", &self.ends)
            .field("ids", &self.ids)
            .finish_non_exhaustive()
    }
}

/// Set `k` of the dictionary `(ends, ids)` (empty when out of range).
fn dict_set<'a>(ends: &[u32], ids: &'a [ServiceId], k: u32) -> &'a [ServiceId] {
    let k = k as usize;
    let start = match k.checked_sub(1) {
        Some(prev) => ends.get(prev).copied().unwrap_or(0),
        None => 0,
    };
    let end = ends.get(k).copied().unwrap_or(start);
    ids.get(start as usize..end as usize).unwrap_or(&[])
}

fn hash_set(set: &[ServiceId]) -> u64 {
    FxBuildHasher.hash_one(set)
}

impl BinSets {
    /// No active bins.
    pub fn new() -> BinSets {
        BinSets::default()
    }

    /// No active bins, with room for `bins` of them (their sets take no room per bin).
    pub fn with_capacity(bins: usize) -> BinSets {
        BinSets {
            bins: Bins::with_capacity(bins),
            set_of: Vec::with_capacity(bins),
            ..BinSets::default()
        }
    }

    /// The number of active bins.
    pub fn len(&self) -> usize {
        self.bins.len()
    }

    /// True when there is no active bin.
    pub fn is_empty(&self) -> bool {
        self.set_of.is_empty()
    }

    /// The active bin indices, increasing.
    pub fn bins(&self) -> impl ExactSizeIterator<Item = i64> + DoubleEndedIterator + '_ {
        self.bins.iter()
    }

    /// The service set of the bin at `position` (empty when out of range).
    pub fn set(&self, position: usize) -> &[ServiceId] {
        match self.set_of.get(position) {
            Some(&k) => dict_set(&self.ends, &self.ids, k),
            None => &[],
        }
    }

    /// (bin index, service set) in time order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (i64, &[ServiceId])> + '_ {
        self.bins
            .iter()
            .zip(&self.set_of)
            .map(|(bin, &k)| (bin, dict_set(&self.ends, &self.ids, k)))
    }

    /// The number of distinct sets among the bins.
    pub fn distinct_sets(&self) -> usize {
        self.ends.len()
    }

    /// Every id that is in some bin's set, each at least once (the distinct sets one
    /// after the other); how often an id appears here means nothing.
    pub fn distinct_set_ids(&self) -> &[ServiceId] {
        &self.ids
    }

    /// The largest service id used, if any.
    pub fn max_id(&self) -> Option<ServiceId> {
        self.ids.iter().copied().max()
    }

    /// Appends a bin after the last one. `set` is sorted and deduplicated here; an empty
    /// set or a bin not after the last one is ignored (returns false), and so is a set
    /// that would give the distinct sets more ids than u32 can count.
    pub fn push(&mut self, bin: i64, set: &mut Vec<ServiceId>) -> bool {
        set.sort_unstable();
        set.dedup();
        if set.is_empty() || self.bins.last().is_some_and(|last| last >= bin) {
            return false;
        }
        match self.intern(set) {
            Some(k) => {
                self.append(bin, k);
                true
            }
            None => false,
        }
    }

    /// Appends `bin` (after the last one) with dictionary set `k`.
    fn append(&mut self, bin: i64, k: u32) {
        self.bins.push(bin);
        self.set_of.push(k);
    }

    /// Releases spare capacity and the lookup table `push` uses (rebuilt by the next
    /// push): for a value that is built.
    pub fn shrink_to_fit(&mut self) {
        self.bins.shrink_to_fit();
        self.set_of.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.ids.shrink_to_fit();
        self.lookup = HashTable::new();
    }

    /// The number of `set` (sorted, non-empty) in the dictionary, added if new; `None`
    /// when u32 cannot count it.
    fn intern(&mut self, set: &[ServiceId]) -> Option<u32> {
        let (ends, ids) = (&self.ends, &self.ids);
        if self.lookup.len() != ends.len() {
            self.lookup = HashTable::with_capacity(ends.len());
            for k in 0..u32::try_from(ends.len()).ok()? {
                let hash = hash_set(dict_set(ends, ids, k));
                self.lookup
                    .insert_unique(hash, k, |&j| hash_set(dict_set(ends, ids, j)));
            }
        }
        let hash = hash_set(set);
        if let Some(&k) = self.lookup.find(hash, |&k| dict_set(ends, ids, k) == set) {
            return Some(k);
        }
        let k = u32::try_from(ends.len()).ok()?;
        let end = u32::try_from(ids.len().checked_add(set.len())?).ok()?;
        self.ids.extend_from_slice(set);
        self.ends.push(end);
        let (ends, ids) = (&self.ends, &self.ids);
        self.lookup
            .insert_unique(hash, k, |&j| hash_set(dict_set(ends, ids, j)));
        Some(k)
    }

    /// The union of `a` and `b` bin by bin, each id passed through its table's map
    /// (`map_a`, `map_b`, which must be increasing so sets stay sorted; an id outside
    /// its map is dropped). A bin of one side only has its set mapped once per distinct
    /// set. The result is shrunk to fit.
    pub fn union(a: &BinSets, map_a: &[ServiceId], b: &BinSets, map_b: &[ServiceId]) -> BinSets {
        let mut out = BinSets::with_capacity(a.len().max(b.len()));
        let remap = |set: &[ServiceId], map: &[ServiceId], out: &mut Vec<ServiceId>| {
            out.extend(set.iter().filter_map(|id| map.get(id.index()).copied()));
        };
        // Per distinct set of a side: its number in `out` once mapped (`Some(None)`: it
        // maps to the empty set, and its bins are dropped).
        let mut memo_a: Vec<Option<Option<u32>>> = vec![None; a.distinct_sets()];
        let mut memo_b: Vec<Option<Option<u32>>> = vec![None; b.distinct_sets()];
        let mut buf: Vec<ServiceId> = Vec::new();
        let mut one_side = |out: &mut BinSets,
                            bin: i64,
                            side: &BinSets,
                            k: u32,
                            map: &[ServiceId],
                            memo: &mut [Option<Option<u32>>]| {
            let mapped = match memo.get(k as usize).copied().flatten() {
                Some(mapped) => mapped,
                None => {
                    buf.clear();
                    remap(dict_set(&side.ends, &side.ids, k), map, &mut buf);
                    buf.sort_unstable();
                    buf.dedup();
                    let mapped = if buf.is_empty() {
                        None
                    } else {
                        out.intern(&buf)
                    };
                    if let Some(slot) = memo.get_mut(k as usize) {
                        *slot = Some(mapped);
                    }
                    mapped
                }
            };
            if let Some(m) = mapped {
                out.append(bin, m);
            }
        };
        let mut both: Vec<ServiceId> = Vec::new();
        let (mut i, mut j) = (0usize, 0usize);
        loop {
            let ea = a.bins.get(i).zip(a.set_of.get(i).copied());
            let eb = b.bins.get(j).zip(b.set_of.get(j).copied());
            match (ea, eb) {
                (Some((x, ka)), Some((y, kb))) if x == y => {
                    both.clear();
                    remap(dict_set(&a.ends, &a.ids, ka), map_a, &mut both);
                    remap(dict_set(&b.ends, &b.ids, kb), map_b, &mut both);
                    out.push(x, &mut both);
                    i += 1;
                    j += 1;
                }
                (Some((x, ka)), Some((y, _))) if x < y => {
                    one_side(&mut out, x, a, ka, map_a, &mut memo_a);
                    i += 1;
                }
                (Some((x, ka)), None) => {
                    one_side(&mut out, x, a, ka, map_a, &mut memo_a);
                    i += 1;
                }
                (_, Some((y, kb))) => {
                    one_side(&mut out, y, b, kb, map_b, &mut memo_b);
                    j += 1;
                }
                (None, None) => break,
            }
        }
        out.shrink_to_fit();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn ids(v: &[u32]) -> Vec<ServiceId> {
        v.iter().map(|&x| ServiceId(x)).collect()
    }

    fn sets(s: &BinSets) -> Vec<(i64, Vec<u32>)> {
        s.iter()
            .map(|(b, set)| (b, set.iter().map(|x| x.0).collect()))
            .collect()
    }

    /// The bins and sets pushed one by one into a new BinSets (the canonical layout).
    fn pushed(bins: &[(i64, Vec<u32>)]) -> BinSets {
        let mut s = BinSets::new();
        for (bin, set) in bins {
            s.push(*bin, &mut ids(set));
        }
        s
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

    #[test]
    fn repeated_sets_are_stored_once() {
        let mut s = BinSets::new();
        for (bin, set) in [
            (1, vec![2, 1]),
            (2, vec![3]),
            (4, vec![1, 2]),
            (5, vec![1, 2, 2]),
            (9, vec![3]),
        ] {
            assert!(s.push(bin, &mut ids(&set)));
        }
        assert_eq!(
            sets(&s),
            [
                (1, vec![1, 2]),
                (2, vec![3]),
                (4, vec![1, 2]),
                (5, vec![1, 2]),
                (9, vec![3])
            ]
        );
        assert_eq!(s.distinct_sets(), 2);
        assert_eq!(s.distinct_set_ids(), ids(&[1, 2, 3]));
        assert_eq!(s.set(3), ids(&[1, 2]));
        assert_eq!(s.max_id(), Some(ServiceId(3)));
        // After shrinking (the lookup table dropped), a push still finds the stored sets.
        s.shrink_to_fit();
        assert!(s.push(10, &mut ids(&[3])));
        assert!(s.push(11, &mut ids(&[4])));
        assert_eq!(s.distinct_sets(), 3);
        assert_eq!(s.set(5), ids(&[3]));
        assert_eq!(s.set(6), ids(&[4]));
    }

    #[test]
    fn union_maps_sets_and_keeps_the_dictionary_canonical() {
        let mut a = BinSets::new();
        a.push(1, &mut ids(&[0, 1]));
        a.push(2, &mut ids(&[0, 2]));
        a.push(3, &mut ids(&[3]));
        a.push(5, &mut ids(&[0, 1]));
        // Ids 1 and 2 map to the same id, 3 is outside the map: {0, 1} and {0, 2} become
        // one set, {3} empties and its bin is dropped.
        let u = BinSets::union(&a, &ids(&[4, 7, 7]), &BinSets::new(), &[]);
        assert_eq!(
            sets(&u),
            [(1, vec![4, 7]), (2, vec![4, 7]), (5, vec![4, 7])]
        );
        assert_eq!(u.distinct_sets(), 1);
        assert_eq!(u, pushed(&sets(&u)));
    }

    #[test]
    fn equality_is_by_bins_and_sets() {
        let mut a = BinSets::new();
        a.push(1, &mut ids(&[2]));
        a.push(2, &mut ids(&[1]));
        let mut b = BinSets::new();
        b.push(1, &mut ids(&[2]));
        b.shrink_to_fit();
        b.push(2, &mut ids(&[1]));
        assert_eq!(a, b);
        let mut c = BinSets::new();
        c.push(1, &mut ids(&[1]));
        c.push(2, &mut ids(&[2]));
        assert_ne!(a, c);
        assert!(a.bins().eq(c.bins()));
        assert_eq!(a.distinct_set_ids(), ids(&[2, 1]));
    }

    #[test]
    fn serialization_writes_each_bin_set_out() {
        let mut s = BinSets::new();
        s.push(3, &mut ids(&[5, 1]));
        s.push(7, &mut ids(&[2]));
        s.push(9, &mut ids(&[1, 5]));
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(text, r#"{"bins":[3,7,9],"ends":[2,3,5],"ids":[1,5,2,1,5]}"#);
        let back: BinSets = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.distinct_sets(), 2);
        assert_eq!(
            serde_json::to_string(&BinSets::new()).unwrap(),
            r#"{"bins":[],"ends":[],"ids":[]}"#
        );
    }

    #[test]
    fn bins_past_u32_offsets_are_kept_exactly() {
        const FAR: i64 = 5_000_000_000;
        let build = || {
            let mut s = BinSets::new();
            for (bin, set) in [
                (-7, vec![1]),
                (0, vec![2]),
                (FAR, vec![1]),
                (FAR + 1, vec![3]),
            ] {
                assert!(s.push(bin, &mut ids(&set)));
            }
            s
        };
        let mut s = build();
        let want = [
            (-7, vec![1]),
            (0, vec![2]),
            (FAR, vec![1]),
            (FAR + 1, vec![3]),
        ];
        assert_eq!(sets(&s), want);
        assert_eq!(s.bins().collect::<Vec<_>>(), [-7, 0, FAR, FAR + 1]);
        assert_eq!(s.bins().next_back(), Some(FAR + 1));
        assert_eq!(s.bins().len(), 4);
        assert_eq!(s.distinct_sets(), 3);
        assert_eq!(s, build());
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(
            text,
            r#"{"bins":[-7,0,5000000000,5000000001],"ends":[1,2,3,4],"ids":[1,2,1,3]}"#
        );
        let back: BinSets = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
        assert_eq!(sets(&back), want);
        // The same sets one bin apart are not equal.
        let mut near = BinSets::new();
        for (bin, set) in [
            (-7, vec![1]),
            (0, vec![2]),
            (FAR, vec![1]),
            (FAR + 2, vec![3]),
        ] {
            assert!(near.push(bin, &mut ids(&set)));
        }
        assert_ne!(near, s);
        // Pushes after the switch, and after shrinking.
        assert!(!s.push(FAR + 1, &mut ids(&[4])));
        s.shrink_to_fit();
        assert!(s.push(FAR + 9, &mut ids(&[4])));
        assert_eq!(s.bins().collect::<Vec<_>>(), [-7, 0, FAR, FAR + 1, FAR + 9]);
        // A union of a wide and a narrow side.
        let mut b = BinSets::new();
        b.push(0, &mut ids(&[0]));
        b.push(1, &mut ids(&[0]));
        let same = ids(&[0, 1, 2, 3, 4]);
        let u = BinSets::union(&s, &same, &b, &same);
        assert_eq!(
            sets(&u),
            [
                (-7, vec![1]),
                (0, vec![0, 2]),
                (1, vec![0]),
                (FAR, vec![1]),
                (FAR + 1, vec![3]),
                (FAR + 9, vec![4])
            ]
        );
        assert_eq!(u, pushed(&sets(&u)));
    }

    #[test]
    fn offsets_hold_up_to_u32_max_and_extreme_bins_work() {
        let base = -(1i64 << 40);
        let top = base + i64::from(u32::MAX);
        let mut s = BinSets::new();
        assert!(s.push(base, &mut ids(&[1])));
        assert!(s.push(top, &mut ids(&[1])));
        assert_eq!(s.bins().collect::<Vec<_>>(), [base, top]);
        assert!(matches!(s.bins, Bins::Offsets { .. }));
        assert!(s.push(top + 1, &mut ids(&[2])));
        assert!(matches!(s.bins, Bins::Wide(_)));
        assert_eq!(s.bins().collect::<Vec<_>>(), [base, top, top + 1]);
        let mut e = BinSets::new();
        assert!(e.push(i64::MIN, &mut ids(&[0])));
        assert!(e.push(-1, &mut ids(&[0])));
        assert!(e.push(i64::MAX, &mut ids(&[1])));
        assert!(!e.push(i64::MAX, &mut ids(&[2])));
        assert_eq!(
            sets(&e),
            [(i64::MIN, vec![0]), (-1, vec![0]), (i64::MAX, vec![1])]
        );
        let back: BinSets = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }

    /// (bin step, set) pairs: bins from the cumulative steps (a step of 0 is a push that
    /// must be ignored; now and then a step of 2^33 takes the bins past u32 offsets), sets
    /// from a few ids so that they repeat.
    fn pushes() -> impl Strategy<Value = Vec<(i64, Vec<u32>)>> {
        let step = prop_oneof![20 => 0i64..4, 1 => Just(1i64 << 33)];
        proptest::collection::vec((step, proptest::collection::vec(0u32..6, 0..4)), 0..60)
    }

    /// The pushes into a plain map (what a BinSets must hold).
    fn model(steps: &[(i64, Vec<u32>)]) -> (BinSets, BTreeMap<i64, Vec<u32>>) {
        let (mut s, mut m) = (BinSets::new(), BTreeMap::new());
        let mut bin = -5;
        for (i, (step, set)) in steps.iter().enumerate() {
            bin += step;
            if i % 7 == 6 {
                // Now and then the lookup table is dropped; pushes must rebuild it.
                s.shrink_to_fit();
            }
            let pushed = s.push(bin, &mut ids(set));
            let sorted: Vec<u32> = set
                .iter()
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let new = !sorted.is_empty() && m.keys().next_back().is_none_or(|&last| last < bin);
            assert_eq!(pushed, new);
            if new {
                m.insert(bin, sorted);
            }
        }
        (s, m)
    }

    proptest! {
        #[test]
        fn bin_sets_hold_what_was_pushed(steps in pushes()) {
            let (s, m) = model(&steps);
            prop_assert_eq!(sets(&s), m.clone().into_iter().collect::<Vec<_>>());
            prop_assert_eq!(s.len(), m.len());
            prop_assert_eq!(s.distinct_sets(), m.values().collect::<BTreeSet<_>>().len());
            let ids_used: BTreeSet<u32> = m.values().flatten().copied().collect();
            let distinct: BTreeSet<u32> = s.distinct_set_ids().iter().map(|x| x.0).collect();
            prop_assert_eq!(&distinct, &ids_used);
            prop_assert_eq!(s.max_id().map(|x| x.0), ids_used.last().copied());
            let back: BinSets = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
            prop_assert_eq!(&back, &s);
        }

        #[test]
        fn union_is_the_mapped_union_bin_by_bin(
            sa in pushes(),
            sb in pushes(),
            steps_a in proptest::collection::vec(1u32..3, 0..6),
            steps_b in proptest::collection::vec(1u32..3, 0..6),
        ) {
            let (a, ma) = model(&sa);
            let (b, mb) = model(&sb);
            // Increasing maps (ids past their end are dropped).
            let increasing = |steps: &[u32]| {
                steps.iter().scan(0, |acc, s| { *acc += s; Some(ServiceId(*acc)) }).collect::<Vec<_>>()
            };
            let (map_a, map_b) = (increasing(&steps_a), increasing(&steps_b));
            let mut want: BTreeMap<i64, BTreeSet<u32>> = BTreeMap::new();
            for (m, map) in [(&ma, &map_a), (&mb, &map_b)] {
                for (bin, set) in m {
                    let mapped = set.iter().filter_map(|&x| map.get(x as usize).map(|y| y.0));
                    want.entry(*bin).or_default().extend(mapped);
                }
            }
            want.retain(|_, set| !set.is_empty());
            let u = BinSets::union(&a, &map_a, &b, &map_b);
            let want: Vec<(i64, Vec<u32>)> =
                want.into_iter().map(|(bin, set)| (bin, set.into_iter().collect())).collect();
            prop_assert_eq!(sets(&u), want.clone());
            // The same as pushing the result bin by bin (the dictionary is canonical).
            prop_assert_eq!(u, pushed(&want));
        }
    }
}
