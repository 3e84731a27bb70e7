//! Throughput of aggregation + fingerprinting + evaluation (flows/s), on the 7 UNSW
//! devices of the shared corpus and on a large synthetic input. Prints figures; asserts
//! nothing about speed.
//!
//!     cargo bench -p svcprint-engine --bench throughput [-- --out prevalences.json]
//!
//! `--out` writes the per-device service prevalences as `{device: {service: p}}`, the
//! same JSON `pandas_prevalence.py --out` writes, so the two can be compared.
//! Stages on the corpus: (1) read the zips, decode (svcprint-flow) and aggregate, the
//! per-device prevalences (what the pandas script computes), end to end; (2) the
//! exporter for SL, SP, G2, G4, G8; (3) the M11 evaluation of all five.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::time::Instant;
use svcprint_engine::labels::{Label, Labels};
use svcprint_engine::{
    activity, device_summaries, evaluate, exports, Aggregator, Config, DeviceKey, Representation,
};
use svcprint_flow::{FileDecoder, FlowRecord, Limits};

const FILES: [&str; 7] = [
    "au_network_camera",
    "jvc_kenwood_hdtv_ip_camera",
    "mouse_computer_room_hub",
    "nature_remo",
    "planex_smacam_outdoor",
    "planex_smacam_pantilt",
    "xiaomi_mijia_led",
];

fn corpus_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("SVCPRINT_CORPUS") {
        return PathBuf::from(p);
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .find(|p| p.is_dir())
        .expect("corpus not found: set SVCPRINT_CORPUS")
}

fn rate(n: u64, secs: f64) -> String {
    format!("{:>12.0} flows/s", n as f64 / secs)
}

/// Streams the given corpus files into one aggregator.
fn aggregate_files(
    dir: &Path,
    files: &[usize],
    cfg: &Config,
    aggregate: bool,
) -> svcprint_engine::Aggregates {
    let mut agg = Aggregator::new(cfg).expect("config");
    let mut buf = vec![0u8; 1 << 20];
    let mut batch = Vec::with_capacity(8192);
    for &i in files {
        let name = format!("{}.zip", FILES[i]);
        let mut file = std::fs::File::open(dir.join(&name)).expect("corpus file");
        let mut dec = FileDecoder::new(i as u32, &name, Limits::default());
        loop {
            let n = file.read(&mut buf).expect("read");
            if n == 0 {
                break;
            }
            dec.feed(&buf[..n], &mut batch);
            if aggregate {
                agg.add_all(&batch);
            }
            batch.clear();
        }
        dec.finish(&mut batch);
        agg.add_all(&batch);
        batch.clear();
    }
    agg.finish()
}

/// Decoding alone (svcprint-flow), one thread: the floor of the end-to-end time.
fn decode_only() {
    let dir = corpus_dir().join("unsw-ipfix-iot-2019");
    let t = Instant::now();
    let all: Vec<usize> = (0..FILES.len()).collect();
    aggregate_files(&dir, &all, &Config::default(), false);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "corpus: read+decode only (no engine)  {secs:>8.3} s {}",
        rate(887_303, secs)
    );
}

fn corpus(out: Option<&str>, threads: usize) {
    let cfg = Config::default();
    let dir = corpus_dir().join("unsw-ipfix-iot-2019");
    let t0 = Instant::now();
    // Files spread over `threads` threads (largest first to the least-loaded), each
    // streamed into its own aggregator; the parts merged (as the CLI does).
    let mut groups: Vec<(u64, Vec<usize>)> = vec![(0, Vec::new()); threads];
    let mut order: Vec<(u64, usize)> = FILES
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                std::fs::metadata(dir.join(format!("{f}.zip"))).map_or(0, |m| m.len()),
                i,
            )
        })
        .collect();
    order.sort_by(|a, b| b.cmp(a));
    for (size, i) in order {
        if let Some(g) = groups.iter_mut().min_by_key(|g| g.0) {
            g.0 += size;
            g.1.push(i);
        }
    }
    let parts: Vec<svcprint_engine::Aggregates> = std::thread::scope(|s| {
        let hs: Vec<_> = groups
            .iter()
            .map(|(_, files)| {
                let (dir, cfg) = (&dir, &cfg);
                s.spawn(move || aggregate_files(dir, files, cfg, true))
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    let mut parts = parts.into_iter();
    let mut aggregates = parts.next().expect("one part");
    for p in parts {
        aggregates.merge(p).expect("same params");
    }
    let flows = aggregates.stats().records;
    let summaries = device_summaries(&aggregates, &cfg);
    let t_prev = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let act = activity(&aggregates, &cfg);
    let mut n_exports = 0;
    for (rep, k) in svcprint_engine::evaluate::REPRESENTATIONS {
        let c = Config {
            representation: rep,
            granularity: k,
            ..cfg.clone()
        };
        n_exports += exports(&act, &c)
            .iter()
            .map(|d| d.exports.len())
            .sum::<usize>();
    }
    let t_fp = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../svcprint-cli/tests/unsw7_labels.csv"),
    )
    .expect("label fixture");
    let (labels, _) = Labels::parse(&text);
    let ev = evaluate(&act, &labels, &cfg);
    let t_ev = t2.elapsed().as_secs_f64();
    let total = t0.elapsed().as_secs_f64();
    println!(
        "corpus: 7 UNSW files, {flows} flows, {} devices, {threads} thread(s)",
        summaries.len()
    );
    println!(
        "  read+decode+aggregate+prevalences {t_prev:>8.3} s {}",
        rate(flows, t_prev)
    );
    println!("  fingerprints (5 reps, {n_exports} exports) {t_fp:>8.3} s");
    println!("  evaluation (5 reps)                {t_ev:>8.3} s");
    println!(
        "  end to end                         {total:>8.3} s {}",
        rate(flows, total)
    );
    println!(
        "  G2 closed-set accuracy {:.3}",
        ev.representations
            .get("G2")
            .map_or(0.0, |r| r.closed.accuracy)
    );
    if let Some(path) = out {
        let map: BTreeMap<&str, BTreeMap<&str, f64>> = summaries
            .iter()
            .map(|d| {
                (
                    d.key.as_str(),
                    d.services
                        .iter()
                        .map(|s| (s.service.as_str(), s.prevalence))
                        .collect(),
                )
            })
            .collect();
        std::fs::write(path, serde_json::to_string_pretty(&map).expect("json")).expect("write");
        println!("  prevalences written to {path}");
    }
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `devices` devices of `types` types over `hours` hours with `per_hour` flows each hour:
/// each type has 6 services used with its own probability per hour; flows are streamed
/// into the aggregator, never stored.
fn synthetic(devices: u32, types: u32, hours: i64, per_hour: u32) {
    const H: i64 = 3_600_000;
    let cfg = Config::default();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // Per type: (protocol, port, probability in percent).
    let profiles: Vec<Vec<(u8, u16, u64)>> = (0..types)
        .map(|_| {
            (0..6)
                .map(|j| {
                    let proto = if rng.below(3) == 0 { 6 } else { 17 };
                    let port = [53u16, 123, 443, 80, 8883, 5353, 1900][rng.below(7) as usize]
                        .wrapping_add(if j > 3 { rng.below(4000) as u16 } else { 0 });
                    (proto, port, 20 + rng.below(81))
                })
                .collect()
        })
        .collect();
    let ip = |d: u32| IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + d + 1));
    let mut labels = Labels::default();
    for d in 0..devices {
        labels.insert(
            DeviceKey::Ip(ip(d)),
            Label {
                name: format!("dev{d}"),
                kind: Some(format!("type{}", d % types)),
            },
        );
    }
    let t0 = Instant::now();
    let mut agg = Aggregator::new(&cfg).expect("config");
    let mut flows = 0u64;
    let remote = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 7));
    for h in 0..hours {
        for d in 0..devices {
            let p = &profiles[(d % types) as usize];
            for i in 0..per_hour {
                let (proto, port, pct) = p[(i as usize) % p.len()];
                if rng.below(100) >= pct {
                    continue;
                }
                let start = h * H + rng.below(3_000_000) as i64;
                let mut r =
                    FlowRecord::new(start, start + 1000, proto, (ip(d), 40000), (remote, port));
                r.reverse_packets = Some(1);
                r.packets = 1;
                agg.add(&r);
                flows += 1;
            }
        }
    }
    let aggregates = agg.finish();
    let t_agg = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let act = activity(&aggregates, &cfg);
    let ex = exports(
        &act,
        &Config {
            representation: Representation::G,
            ..cfg.clone()
        },
    );
    let n: usize = ex.iter().map(|d| d.exports.len()).sum();
    let t_fp = t1.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let ev = evaluate(&act, &labels, &cfg);
    let t_ev = t2.elapsed().as_secs_f64();
    let total = t0.elapsed().as_secs_f64();
    println!("synthetic: {devices} devices of {types} types, {hours} h, {flows} flows");
    println!(
        "  aggregate                          {t_agg:>8.3} s {}",
        rate(flows, t_agg)
    );
    println!("  fingerprints (G2, {n} exports)     {t_fp:>8.3} s");
    println!("  evaluation (5 reps)                {t_ev:>8.3} s");
    println!(
        "  end to end                         {total:>8.3} s {}",
        rate(flows, total)
    );
    println!(
        "  G2 closed-set accuracy {:.3}, open-set AUROC {:.3}",
        ev.representations
            .get("G2")
            .map_or(0.0, |r| r.closed.accuracy),
        ev.representations
            .get("G2")
            .and_then(|r| r.open.auroc)
            .unwrap_or(0.0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    decode_only();
    corpus(None, 1);
    corpus(out, 2);
    synthetic(200, 20, 24 * 60, 40);
}
