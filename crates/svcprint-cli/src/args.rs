//! The config flags shared by every analysis subcommand, named as in method.md with
//! dashes; each one given overrides the base configuration (the defaults, or a
//! library's parameters for `identify`).

use clap::Args;
use std::path::{Path, PathBuf};
use svcprint_engine::labels::Labels;
use svcprint_engine::{Config, Prefix, Representation, Similarity};

#[derive(Args, Clone, Debug, Default)]
pub struct ConfigArgs {
    /// M5 bin width: a number with a unit, ms, s, m (min), h or d (e.g. 1h, 30m). Default 1h.
    #[arg(long, value_name = "DURATION")]
    pub bin: Option<String>,
    /// M8 representation: SL, SP, G (with --granularity) or Gk (G4). Default G.
    #[arg(long, value_name = "SL|SP|G|Gk")]
    pub representation: Option<String>,
    /// M6 granularity k of G_k (>= 1). Default 2.
    #[arg(long, value_name = "K")]
    pub granularity: Option<u32>,
    /// M7 similarity: jaccard or cosine. Default jaccard.
    #[arg(long, value_name = "jaccard|cosine")]
    pub similarity: Option<String>,
    /// M8 stability threshold in [0, 1]. Default 0.9.
    #[arg(long)]
    pub tau: Option<f64>,
    /// M8 stability run. Default 3.
    #[arg(long, value_name = "N")]
    pub stable_bins: Option<u32>,
    /// M8 minimum window (and M4 folding threshold). Default 24.
    #[arg(long, value_name = "N")]
    pub min_bins: Option<u32>,
    /// M8 maximum window. Default 336.
    #[arg(long, value_name = "N")]
    pub max_bins: Option<u32>,
    /// M9 recurrence threshold in [0, 1]. Default: tau.
    #[arg(long)]
    pub tau_recur: Option<f64>,
    /// M10 open-set threshold in [0, 1]. Default 0.85.
    #[arg(long)]
    pub rho: Option<f64>,
    /// M11 temporal split point in (0, 1). Default 0.5.
    #[arg(long)]
    pub split: Option<f64>,
    /// M4 keep the direction of services (in:/out). Default true.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub direction_aware: Option<bool>,
    /// M4 a biflow whose server sent nothing gives the server no service. Default true.
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub ignore_unanswered_inbound: Option<bool>,
    /// M4 flows with fewer packets (forward plus reverse) are ignored. Default 1.
    #[arg(long, value_name = "N")]
    pub min_packets: Option<u64>,
    /// M4 fold high-port services active in fewer bins into PROTO/other; 0 = off. Default 3.
    #[arg(long, value_name = "N")]
    pub fold_rare_bins: Option<u32>,
    /// M3 an extra local prefix (repeatable), e.g. 198.51.100.0/24.
    #[arg(long = "local-prefix", value_name = "PREFIX")]
    pub local_prefix: Vec<String>,
}

/// `1h`, `30m`, `15min`, `90s`, `500ms`, `1d` in ms.
pub fn parse_duration_ms(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let err =
        || format!("--bin {text:?}: expected a whole number and a unit (ms, s, m, h, d), e.g. 1h");
    let n: i64 = num.parse().map_err(|_| err())?;
    let scale = match unit.trim() {
        "ms" => 1,
        "s" | "sec" => 1_000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(err()),
    };
    let ms = n.checked_mul(scale).ok_or_else(err)?;
    if ms <= 0 {
        return Err(format!("--bin {text:?}: must be longer than 0"));
    }
    Ok(ms)
}

impl ConfigArgs {
    /// `base` with every given flag applied, validated.
    pub fn apply(&self, mut c: Config) -> Result<Config, String> {
        if let Some(b) = &self.bin {
            c.bin_ms = parse_duration_ms(b)?;
        }
        if let Some(r) = &self.representation {
            let up = r.trim().to_ascii_uppercase();
            let (rep, k) = match up.as_str() {
                "SL" => (Representation::Sl, None),
                "SP" => (Representation::Sp, None),
                "G" => (Representation::G, None),
                g if g.starts_with('G') => match g[1..].parse::<u32>() {
                    Ok(k) if k >= 1 => (Representation::G, Some(k)),
                    _ => {
                        return Err(format!(
                            "--representation {r:?}: expected SL, SP, G or Gk with k >= 1 (G4)"
                        ))
                    }
                },
                _ => {
                    return Err(format!(
                        "--representation {r:?}: expected SL, SP, G or Gk (G4)"
                    ))
                }
            };
            if let (Some(k), Some(g)) = (k, self.granularity) {
                if k != g {
                    return Err(format!(
                        "--representation {r} and --granularity {g} disagree"
                    ));
                }
            }
            c.representation = rep;
            if let Some(k) = k {
                c.granularity = k;
            }
        }
        if let Some(g) = self.granularity {
            c.granularity = g;
        }
        if let Some(s) = &self.similarity {
            c.similarity = match s.trim().to_ascii_lowercase().as_str() {
                "jaccard" => Similarity::Jaccard,
                "cosine" => Similarity::Cosine,
                _ => return Err(format!("--similarity {s:?}: expected jaccard or cosine")),
            };
        }
        if let Some(v) = self.tau {
            c.tau = v;
        }
        if let Some(v) = self.stable_bins {
            c.stable_bins = v;
        }
        if let Some(v) = self.min_bins {
            c.min_bins = v;
        }
        if let Some(v) = self.max_bins {
            c.max_bins = v;
        }
        if let Some(v) = self.tau_recur {
            c.tau_recur = Some(v);
        }
        if let Some(v) = self.rho {
            c.rho = v;
        }
        if let Some(v) = self.split {
            c.split = v;
        }
        if let Some(v) = self.direction_aware {
            c.direction_aware = v;
        }
        if let Some(v) = self.ignore_unanswered_inbound {
            c.ignore_unanswered_inbound = v;
        }
        if let Some(v) = self.min_packets {
            c.min_packets = v;
        }
        if let Some(v) = self.fold_rare_bins {
            c.fold_rare_bins = v;
        }
        for p in &self.local_prefix {
            let prefix: Prefix = p
                .parse()
                .map_err(|e| format!("--local-prefix {p:?}: {e}"))?;
            if !c.local_prefixes.contains(&prefix) {
                c.local_prefixes.push(prefix);
            }
        }
        c.validate().map_err(|e| format!("bad parameters: {e}"))?;
        Ok(c)
    }
}

/// Reads a label file; problems are printed as warnings with their line numbers. Fails
/// when the file cannot be read or labels nothing.
pub fn load_labels(path: &Path) -> Result<Labels, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (labels, errors) = Labels::parse(&String::from_utf8_lossy(&bytes));
    for e in &errors {
        eprintln!("svcprint: warning: {}: {e}", path.display());
    }
    if labels.is_empty() {
        return Err(format!("{}: no labels read", path.display()));
    }
    Ok(labels)
}

/// An optional `--labels` path, loaded.
pub fn maybe_labels(path: &Option<PathBuf>) -> Result<Option<Labels>, String> {
    path.as_deref().map(load_labels).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("1h"), Ok(3_600_000));
        assert_eq!(parse_duration_ms("30m"), Ok(1_800_000));
        assert_eq!(parse_duration_ms("15min"), Ok(900_000));
        assert_eq!(parse_duration_ms("500ms"), Ok(500));
        assert_eq!(parse_duration_ms("2d"), Ok(172_800_000));
        assert!(parse_duration_ms("1").unwrap_err().contains("unit"));
        assert!(parse_duration_ms("0h")
            .unwrap_err()
            .contains("longer than 0"));
        assert!(parse_duration_ms("h").is_err());
    }

    #[test]
    fn flags_apply_and_validate() {
        let a = ConfigArgs {
            representation: Some("g4".into()),
            tau: Some(0.8),
            local_prefix: vec!["198.51.100.0/24".into()],
            direction_aware: Some(false),
            ..ConfigArgs::default()
        };
        let c = a.apply(Config::default()).unwrap();
        assert_eq!(
            (c.representation, c.granularity, c.tau),
            (Representation::G, 4, 0.8)
        );
        assert!(!c.direction_aware);
        assert_eq!(
            c.local_prefixes.len(),
            Config::default().local_prefixes.len() + 1
        );
        let bad = ConfigArgs {
            tau: Some(1.5),
            ..ConfigArgs::default()
        };
        assert_eq!(
            bad.apply(Config::default()).unwrap_err(),
            "bad parameters: tau must be between 0 and 1 (got 1.5)"
        );
        let bad = ConfigArgs {
            representation: Some("G4".into()),
            granularity: Some(8),
            ..ConfigArgs::default()
        };
        assert!(bad
            .apply(Config::default())
            .unwrap_err()
            .contains("disagree"));
        let bad = ConfigArgs {
            similarity: Some("dice".into()),
            ..ConfigArgs::default()
        };
        assert!(bad
            .apply(Config::default())
            .unwrap_err()
            .contains("jaccard or cosine"));
    }
}
