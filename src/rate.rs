//! Throughput and time left for the progress bar, from (time, bytes, flows) samples
//! taken as the worker acknowledges slices. Plain Rust, tested natively; only
//! `components/progress.rs` uses it.

/// How far back the rate looks: long enough to smooth the slice-by-slice steps, short
/// enough to follow a change of pace (a big zip after small CSVs).
pub const WINDOW_MS: f64 = 5_000.0;

/// One observation: milliseconds (any clock), bytes done, flows decoded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub ms: f64,
    pub bytes: u64,
    pub flows: u64,
}

/// The samples of one run, oldest first, pruned to about [`WINDOW_MS`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rate {
    samples: Vec<Sample>,
    /// The run's first sample (for the average shown once it is done).
    first: Option<Sample>,
}

/// What the progress bar shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub flows_per_s: f64,
    pub bytes_per_s: f64,
    /// Seconds left at the current byte rate (None before a rate is known).
    pub seconds_left: Option<f64>,
}

impl Rate {
    /// Adds a sample; a sample going backwards (a new run) starts over.
    pub fn push(&mut self, s: Sample) {
        if self
            .samples
            .last()
            .is_some_and(|l| s.bytes < l.bytes || s.ms < l.ms)
        {
            *self = Rate::default();
        }
        if self
            .samples
            .last()
            .is_some_and(|l| l.bytes == s.bytes && l.flows == s.flows)
        {
            return;
        }
        self.first.get_or_insert(s);
        self.samples.push(s);
        // Keep one sample older than the window, so the window is always spanned.
        while self.samples.len() > 2 && s.ms - self.samples[1].ms >= WINDOW_MS {
            self.samples.remove(0);
        }
    }

    /// The rate over the window and the time left to reach `total` bytes.
    pub fn estimate(&self, total: u64) -> Option<Estimate> {
        let (a, b) = (self.samples.first()?, self.samples.last()?);
        rate_between(a, b, total)
    }

    /// The average over the whole run (from its first sample to its last).
    pub fn average(&self) -> Option<Estimate> {
        rate_between(self.first.as_ref()?, self.samples.last()?, 0)
    }
}

fn rate_between(a: &Sample, b: &Sample, total: u64) -> Option<Estimate> {
    let secs = (b.ms - a.ms) / 1000.0;
    if secs <= 0.0 {
        return None;
    }
    let bytes_per_s = b.bytes.saturating_sub(a.bytes) as f64 / secs;
    let flows_per_s = b.flows.saturating_sub(a.flows) as f64 / secs;
    let left = total.saturating_sub(b.bytes) as f64;
    Some(Estimate {
        flows_per_s,
        bytes_per_s,
        seconds_left: (bytes_per_s > 0.0).then(|| left / bytes_per_s),
    })
}

/// Seconds as `about 1 min 20 s`, `about 12 s`, `under a second`.
pub fn human_seconds(s: f64) -> String {
    if !s.is_finite() {
        return "unknown".into();
    }
    let s = s.max(0.0).round() as u64;
    match s {
        0 => "under a second".into(),
        1..=59 => format!("about {s} s"),
        60..=3599 => format!("about {} min {} s", s / 60, s % 60),
        _ => format!("about {} h {} min", s / 3600, s % 3600 / 60),
    }
}

/// A count per second with thousands separated by a thin space (`1 234 567`).
pub fn human_count(v: f64) -> String {
    let n = v.max(0.0).round() as u64;
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// `n` and the noun, singular for one (`1 problem`, `3 problems`).
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(ms: f64, bytes: u64, flows: u64) -> Sample {
        Sample { ms, bytes, flows }
    }

    #[test]
    fn rate_and_time_left_over_the_last_seconds() {
        let mut r = Rate::default();
        assert_eq!(r.estimate(100), None);
        r.push(s(0.0, 0, 0));
        assert_eq!(r.estimate(100), None, "one sample has no rate");
        r.push(s(1000.0, 10, 500));
        assert_eq!(
            r.estimate(100),
            Some(Estimate {
                flows_per_s: 500.0,
                bytes_per_s: 10.0,
                seconds_left: Some(9.0)
            })
        );
        // The pace doubles; after the window only the new pace counts.
        for i in 2..=10 {
            r.push(s(
                i as f64 * 1000.0,
                10 + (i - 1) * 20,
                500 + (i - 1) * 1000,
            ));
        }
        let e = r.estimate(400).expect("rate");
        assert_eq!(e.bytes_per_s, 20.0);
        assert_eq!(e.flows_per_s, 1000.0);
        assert_eq!(e.seconds_left, Some((400.0 - 190.0) / 20.0));
        // The average spans the whole run: 190 bytes and 9500 flows in 10 s.
        let avg = r.average().expect("average");
        assert_eq!((avg.bytes_per_s, avg.flows_per_s), (19.0, 950.0));
    }

    #[test]
    fn a_new_run_starts_over_and_repeated_samples_are_ignored() {
        let mut r = Rate::default();
        r.push(s(0.0, 0, 0));
        r.push(s(1000.0, 50, 50));
        r.push(s(2000.0, 50, 50));
        assert_eq!(r.estimate(100).map(|e| e.seconds_left), Some(Some(1.0)));
        r.push(s(3000.0, 5, 1));
        assert_eq!(r.estimate(100), None);
        assert_eq!(r.average(), None);
        // A stalled read has no rate in bytes: no time left is claimed.
        let mut r = Rate::default();
        r.push(s(0.0, 0, 0));
        r.push(s(1000.0, 0, 7));
        assert_eq!(r.estimate(100).map(|e| e.seconds_left), Some(None));
    }

    #[test]
    fn figures_read_as_words() {
        assert_eq!(human_seconds(0.3), "under a second");
        assert_eq!(human_seconds(12.4), "about 12 s");
        assert_eq!(human_seconds(80.0), "about 1 min 20 s");
        assert_eq!(human_seconds(3725.0), "about 1 h 2 min");
        assert_eq!(human_seconds(f64::NAN), "unknown");
        assert_eq!(human_count(1234567.4), "1\u{202f}234\u{202f}567");
        assert_eq!(human_count(999.0), "999");
        assert_eq!(human_count(1000.0), "1\u{202f}000");
    }

    #[test]
    fn counts_are_singular_for_one_only() {
        assert_eq!(count(0u64, "problem", "problems"), "0 problems");
        assert_eq!(count(1u64, "problem", "problems"), "1 problem");
        assert_eq!(count(2u64, "device", "devices"), "2 devices");
    }
}
