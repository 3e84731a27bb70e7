//! Every parameter of method.md, named as there, with its default.
//!
//! Two stages use them. Aggregation ([`crate::Aggregator`]) reads `bin_ms`,
//! `min_packets`, `ignore_unanswered_inbound`, `local_prefixes` and `max_flow_bins`;
//! they are frozen into the [`crate::Aggregates`] ([`crate::AggregationParams`]).
//! Everything else (`direction_aware`, `fold_rare_bins`, `min_bins` and all of M6-M11)
//! is applied to the aggregates afterwards, so changing it needs no re-reading of files.

use crate::prefix::Prefix;
use crate::representation::Representation;
use crate::similarity::Similarity;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The parameters of method.md. Build with `Config::default()` and change fields;
/// check with [`Config::validate`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// M5 \[bin\]: time bin width in ms, aligned to the Unix epoch. Default 1 h.
    pub bin_ms: i64,
    /// M4 \[direction_aware\]: `false` drops the direction of services. Default true.
    pub direction_aware: bool,
    /// M4 \[ignore_unanswered_inbound\]: a biflow whose server sent no packets gives the
    /// server no service. Default true.
    pub ignore_unanswered_inbound: bool,
    /// M4 \[min_packets\]: flows with fewer packets (forward plus reverse) are ignored. Default 1.
    pub min_packets: u64,
    /// M4 \[fold_rare_bins\]: high-port services active in fewer bins fold into
    /// `PROTO/other`; 0 turns folding off. Default 3.
    pub fold_rare_bins: u32,
    /// M8 \[min_bins\]: minimum window; also the number of active bins a device needs
    /// before M4 folding applies. Default 24.
    pub min_bins: u32,
    /// M3 \[local_prefixes\]: the local networks. Default: the M3 list
    /// ([`Prefix::defaults`]); user prefixes are appended.
    pub local_prefixes: Vec<Prefix>,
    /// Limit (not in method.md): a flow is active in at most this many bins (M5); longer
    /// spans, which come from bad timestamps, are clamped to the first `max_flow_bins`
    /// bins and counted in [`crate::AggregationStats::clamped_flows`]. Default 10 000.
    pub max_flow_bins: u64,
    /// M8 \[representation\]: SL, SP or G. Default G.
    pub representation: Representation,
    /// M6 \[granularity\]: k of G_k, >= 1. Default 2.
    pub granularity: u32,
    /// M7 \[similarity\]: jaccard or cosine. Default jaccard.
    pub similarity: Similarity,
    /// M8 \[tau\]: stability threshold in [0, 1]. Default 0.9.
    pub tau: f64,
    /// M8 \[stable_bins\]: stability run. Default 3.
    pub stable_bins: u32,
    /// M8 \[max_bins\]: maximum window. Default 336.
    pub max_bins: u32,
    /// M9 \[tau_recur\]: recurrence threshold; `None` means `tau`.
    pub tau_recur: Option<f64>,
    /// M10 \[rho\]: open-set threshold in [0, 1]. Default 0.85.
    pub rho: f64,
    /// M11 \[split\]: temporal split point as a share of each device's span, in (0, 1). Default 0.5.
    pub split: f64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            bin_ms: 3_600_000,
            direction_aware: true,
            ignore_unanswered_inbound: true,
            min_packets: 1,
            fold_rare_bins: 3,
            min_bins: 24,
            local_prefixes: Prefix::defaults(),
            max_flow_bins: 10_000,
            representation: Representation::G,
            granularity: 2,
            similarity: Similarity::Jaccard,
            tau: 0.9,
            stable_bins: 3,
            max_bins: 336,
            tau_recur: None,
            rho: 0.85,
            split: 0.5,
        }
    }
}

/// Why a [`Config`] is unusable. Each variant carries the offending values.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigError {
    /// `bin_ms` must be > 0.
    BinNotPositive { bin_ms: i64 },
    /// `granularity` must be >= 1.
    GranularityZero,
    /// `max_bins` must be >= 1.
    MaxBinsZero,
    /// `min_bins` must be <= `max_bins`.
    MinBinsAboveMaxBins { min_bins: u32, max_bins: u32 },
    /// `max_flow_bins` must be >= 1.
    MaxFlowBinsZero,
    /// A threshold (`tau`, `tau_recur`, `rho`) must be in [0, 1].
    ThresholdOutOfRange { name: &'static str, value: f64 },
    /// `split` must be in (0, 1).
    SplitOutOfRange { value: f64 },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::BinNotPositive { bin_ms } => {
                write!(f, "bin must be longer than 0 ms (got {bin_ms} ms)")
            }
            ConfigError::GranularityZero => f.write_str("granularity must be at least 1"),
            ConfigError::MaxBinsZero => f.write_str("max_bins must be at least 1"),
            ConfigError::MinBinsAboveMaxBins { min_bins, max_bins } => {
                write!(
                    f,
                    "min_bins ({min_bins}) must not exceed max_bins ({max_bins})"
                )
            }
            ConfigError::MaxFlowBinsZero => f.write_str("max_flow_bins must be at least 1"),
            ConfigError::ThresholdOutOfRange { name, value } => {
                write!(f, "{name} must be between 0 and 1 (got {value})")
            }
            ConfigError::SplitOutOfRange { value } => {
                write!(f, "split must be strictly between 0 and 1 (got {value})")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Checks every parameter; the first problem found is returned.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.bin_ms <= 0 {
            return Err(ConfigError::BinNotPositive {
                bin_ms: self.bin_ms,
            });
        }
        if self.granularity == 0 {
            return Err(ConfigError::GranularityZero);
        }
        if self.max_bins == 0 {
            return Err(ConfigError::MaxBinsZero);
        }
        if self.min_bins > self.max_bins {
            return Err(ConfigError::MinBinsAboveMaxBins {
                min_bins: self.min_bins,
                max_bins: self.max_bins,
            });
        }
        if self.max_flow_bins == 0 {
            return Err(ConfigError::MaxFlowBinsZero);
        }
        let thresholds = [
            ("tau", Some(self.tau)),
            ("tau_recur", self.tau_recur),
            ("rho", Some(self.rho)),
        ];
        for (name, value) in thresholds {
            if let Some(value) = value {
                if !(0.0..=1.0).contains(&value) {
                    return Err(ConfigError::ThresholdOutOfRange { name, value });
                }
            }
        }
        if !(self.split > 0.0 && self.split < 1.0) {
            return Err(ConfigError::SplitOutOfRange { value: self.split });
        }
        Ok(())
    }

    /// M9: the recurrence threshold, `tau_recur` when set, else `tau`.
    pub fn effective_tau_recur(&self) -> f64 {
        self.tau_recur.unwrap_or(self.tau)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_those_of_method_md() {
        let c = Config::default();
        assert_eq!(c.bin_ms, 3_600_000);
        assert!(c.direction_aware);
        assert!(c.ignore_unanswered_inbound);
        assert_eq!(c.min_packets, 1);
        assert_eq!(c.fold_rare_bins, 3);
        assert_eq!(c.min_bins, 24);
        assert_eq!(c.local_prefixes, Prefix::defaults());
        assert_eq!(c.max_flow_bins, 10_000);
        assert_eq!(c.representation, Representation::G);
        assert_eq!(c.granularity, 2);
        assert_eq!(c.similarity, Similarity::Jaccard);
        assert_eq!(c.tau, 0.9);
        assert_eq!(c.stable_bins, 3);
        assert_eq!(c.max_bins, 336);
        assert_eq!(c.tau_recur, None);
        assert_eq!(c.effective_tau_recur(), 0.9);
        assert_eq!(c.rho, 0.85);
        assert_eq!(c.split, 0.5);
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn validate_names_each_problem() {
        let with = |f: &dyn Fn(&mut Config)| {
            let mut c = Config::default();
            f(&mut c);
            c.validate()
        };
        assert_eq!(
            with(&|c| c.bin_ms = 0),
            Err(ConfigError::BinNotPositive { bin_ms: 0 })
        );
        assert_eq!(
            with(&|c| c.bin_ms = -5),
            Err(ConfigError::BinNotPositive { bin_ms: -5 })
        );
        assert_eq!(
            with(&|c| c.granularity = 0),
            Err(ConfigError::GranularityZero)
        );
        assert_eq!(with(&|c| c.max_bins = 0), Err(ConfigError::MaxBinsZero));
        assert_eq!(
            with(&|c| c.min_bins = 400),
            Err(ConfigError::MinBinsAboveMaxBins {
                min_bins: 400,
                max_bins: 336
            })
        );
        assert_eq!(
            with(&|c| c.max_flow_bins = 0),
            Err(ConfigError::MaxFlowBinsZero)
        );
        assert_eq!(
            with(&|c| c.tau = 1.5),
            Err(ConfigError::ThresholdOutOfRange {
                name: "tau",
                value: 1.5
            })
        );
        assert_eq!(
            with(&|c| c.tau_recur = Some(-0.1)),
            Err(ConfigError::ThresholdOutOfRange {
                name: "tau_recur",
                value: -0.1
            })
        );
        assert_eq!(
            with(&|c| c.rho = 2.0),
            Err(ConfigError::ThresholdOutOfRange {
                name: "rho",
                value: 2.0
            })
        );
        assert_eq!(
            with(&|c| c.split = 1.0),
            Err(ConfigError::SplitOutOfRange { value: 1.0 })
        );
        assert_eq!(
            with(&|c| c.split = 0.0),
            Err(ConfigError::SplitOutOfRange { value: 0.0 })
        );
        assert!(matches!(
            with(&|c| c.tau = f64::NAN),
            Err(ConfigError::ThresholdOutOfRange { name: "tau", .. })
        ));
        assert!(matches!(
            with(&|c| c.split = f64::NAN),
            Err(ConfigError::SplitOutOfRange { .. })
        ));
        // Boundaries that are allowed.
        assert_eq!(
            with(&|c| {
                c.tau = 0.0;
                c.rho = 1.0;
                c.min_bins = 336
            }),
            Ok(())
        );
        assert_eq!(
            ConfigError::BinNotPositive { bin_ms: 0 }.to_string(),
            "bin must be longer than 0 ms (got 0 ms)"
        );
    }

    #[test]
    fn serde_round_trip_and_partial_input() {
        let mut c = Config::default();
        c.local_prefixes.push("192.0.2.0/24".parse().unwrap());
        c.tau_recur = Some(0.8);
        let text = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<Config>(&text).unwrap(), c);
        let partial: Config =
            serde_json::from_str(r#"{"bin_ms": 900000, "representation": "SP"}"#).unwrap();
        assert_eq!(partial.bin_ms, 900_000);
        assert_eq!(partial.representation, Representation::Sp);
        assert_eq!(partial.tau, 0.9);
    }
}
