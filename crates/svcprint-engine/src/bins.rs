//! Time bins (method.md M5).
//!
//! Bin b covers [b * bin, (b + 1) * bin) ms since the Unix epoch, UTC. Negative bins
//! (before 1970) are fine: indices use Euclidean division, so -1 ms is in bin -1.
//! The functions here never panic; `bin_ms` must be positive ([`crate::Config::validate`]),
//! and a non-positive one is treated as 1.

use std::ops::RangeInclusive;

/// method.md M5: the bin of instant `ms`, floor(ms / bin).
pub fn bin_index(ms: i64, bin_ms: i64) -> i64 {
    ms.div_euclid(bin_ms.max(1))
}

/// The first ms of bin `bin` (saturating at the ends of the i64 range).
pub fn bin_start_ms(bin: i64, bin_ms: i64) -> i64 {
    bin.saturating_mul(bin_ms.max(1))
}

/// The last ms of bin `bin`, i.e. the start of the next bin minus 1 (saturating).
pub fn bin_last_ms(bin: i64, bin_ms: i64) -> i64 {
    bin.saturating_add(1)
        .saturating_mul(bin_ms.max(1))
        .saturating_sub(1)
}

/// The bins a flow is active in, and the part of its time the engine keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowBins {
    /// floor(start / bin).
    pub first: i64,
    /// floor(end / bin), or `first` when end is before start; clamped (see `clamped`).
    pub last: i64,
    /// The flow's start, ms.
    pub start_ms: i64,
    /// The flow's end as kept: the start when the end is before it; the last ms of bin
    /// `last` when the span was clamped; else the end.
    pub end_ms: i64,
    /// The record's end was before its start.
    pub end_before_start: bool,
    /// The flow spanned more than `max_flow_bins` bins and was cut to the first ones.
    pub clamped: bool,
}

impl FlowBins {
    /// method.md M5: a flow is active in every bin from floor(start / bin) to
    /// floor(end / bin), both included; a flow ending exactly on a border touches the next
    /// bin; end before start counts as the start bin. Limit: at most `max_flow_bins`
    /// bins (at least 1) are kept, the first ones.
    pub fn of(start_ms: i64, end_ms: i64, bin_ms: i64, max_flow_bins: u64) -> FlowBins {
        let end_before_start = end_ms < start_ms;
        let end = end_ms.max(start_ms);
        let first = bin_index(start_ms, bin_ms);
        let last = bin_index(end, bin_ms);
        let span = i128::from(last) - i128::from(first) + 1;
        let max = i128::from(max_flow_bins.max(1));
        if span > max {
            // first + max - 1 < last here, so it fits in i64.
            let last = i64::try_from(i128::from(first) + max - 1).unwrap_or(last);
            return FlowBins {
                first,
                last,
                start_ms,
                end_ms: bin_last_ms(last, bin_ms),
                end_before_start,
                clamped: true,
            };
        }
        FlowBins {
            first,
            last,
            start_ms,
            end_ms: end,
            end_before_start,
            clamped: false,
        }
    }

    /// The bin indices, in order.
    pub fn bins(&self) -> RangeInclusive<i64> {
        self.first..=self.last
    }

    /// The number of bins (>= 1).
    pub fn count(&self) -> u64 {
        u64::try_from(i128::from(self.last) - i128::from(self.first) + 1).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    fn bins(start: i64, end: i64) -> Vec<i64> {
        FlowBins::of(start, end, H, 10_000).bins().collect()
    }

    #[test]
    fn flow_spanning_three_bins() {
        // 10:30 to 12:15 on day 0.
        assert_eq!(bins(10 * H + H / 2, 12 * H + H / 4), [10, 11, 12]);
        let f = FlowBins::of(10 * H + H / 2, 12 * H + H / 4, H, 10_000);
        assert_eq!(f.count(), 3);
        assert!(!f.clamped);
        assert_eq!(f.end_ms, 12 * H + H / 4);
    }

    #[test]
    fn flow_within_one_bin() {
        assert_eq!(bins(5 * H, 5 * H + 10), [5]);
        assert_eq!(bins(5 * H + H - 1, 5 * H + H - 1), [5]);
    }

    #[test]
    fn end_exactly_on_a_border_touches_the_next_bin() {
        assert_eq!(bins(5 * H + 1, 6 * H), [5, 6]);
        assert_eq!(bins(5 * H + 1, 6 * H - 1), [5]);
        assert_eq!(bins(6 * H, 6 * H), [6]);
    }

    #[test]
    fn end_before_start_counts_as_the_start_bin() {
        let f = FlowBins::of(7 * H + 5, 2 * H, H, 10_000);
        assert_eq!(f.bins().collect::<Vec<_>>(), [7]);
        assert!(f.end_before_start);
        assert_eq!(f.end_ms, 7 * H + 5);
    }

    #[test]
    fn negative_epoch_uses_floor() {
        assert_eq!(bin_index(-1, H), -1);
        assert_eq!(bin_index(-H, H), -1);
        assert_eq!(bin_index(-H - 1, H), -2);
        assert_eq!(bins(-H - 1, 1), [-2, -1, 0]);
        assert_eq!(bin_start_ms(-2, H), -2 * H);
        assert_eq!(bin_last_ms(-1, H), -1);
    }

    #[test]
    fn absurd_spans_are_clamped_to_max_flow_bins() {
        let f = FlowBins::of(0, 20_000 * H, H, 10_000);
        assert!(f.clamped);
        assert_eq!((f.first, f.last), (0, 9_999));
        assert_eq!(f.count(), 10_000);
        assert_eq!(f.end_ms, 10_000 * H - 1);
        // Exactly max_flow_bins bins is not clamped.
        let f = FlowBins::of(0, 9_999 * H, H, 10_000);
        assert!(!f.clamped);
        assert_eq!(f.count(), 10_000);
        // The whole i64 range does not overflow.
        let f = FlowBins::of(i64::MIN, i64::MAX, 1, 3);
        assert!(f.clamped);
        assert_eq!((f.first, f.last, f.count()), (i64::MIN, i64::MIN + 2, 3));
        assert_eq!(f.end_ms, i64::MIN + 2);
        // A limit of 0 keeps one bin.
        assert_eq!(FlowBins::of(0, 5 * H, H, 0).count(), 1);
    }

    #[test]
    fn extremes_do_not_panic() {
        assert_eq!(bin_index(i64::MIN, H), i64::MIN.div_euclid(H));
        assert_eq!(bin_last_ms(i64::MAX, H), i64::MAX - 1);
        assert_eq!(bin_start_ms(i64::MIN, H), i64::MIN);
        assert_eq!(bin_index(5, 0), 5);
        assert_eq!(bin_index(5, -3), 5);
    }
}
