//! M6-M12 end to end on hand-made records, and properties: similarity symmetric, in
//! [0, 1] and 1 on identical inputs; exports and evaluation independent of record
//! order; G_k tends to SP; the library JSON round trip; label files of the corpus.

mod common;

use common::*;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use svcprint_engine::labels::Labels;
use svcprint_engine::similarity::{at_least, cosine, jaccard};
use svcprint_engine::{
    activity, evaluate, exports, Config, Fingerprint, Library, Representation, ServiceId,
    Similarity, WindowCounts,
};
use svcprint_flow::FlowRecord;

/// A device at `ip` that talks TCP/443 every hour and UDP/53 every `dns_every` hours.
fn device_hours(ip: &str, hours: i64, dns_every: i64, extra_port: u16) -> Vec<FlowRecord> {
    let mut v = Vec::new();
    for h in 0..hours {
        v.push(tcp(ip, 40000, "203.0.113.1", 443, h * H + 10, h * H + 20));
        if h % dns_every == 0 {
            v.push(udp(ip, 40001, "8.8.8.8", 53, h * H + 30, h * H + 31));
        }
        v.push(udp(
            ip,
            40002,
            "203.0.113.9",
            extra_port,
            h * H + 40,
            h * H + 41,
        ));
    }
    v
}

#[test]
fn a_flow_spanning_three_bins_counts_in_each() {
    // One TCP/443 flow from 00:30 to 02:10 plus UDP/53 at 01:15: bins 0, 1, 2.
    let recs = [
        tcp(
            "192.168.1.5",
            40000,
            "203.0.113.1",
            443,
            H / 2,
            2 * H + H / 6,
        ),
        udp(
            "192.168.1.5",
            40001,
            "8.8.8.8",
            53,
            H + H / 4,
            H + H / 4 + 5,
        ),
    ];
    let cfg = Config {
        representation: Representation::Sp,
        min_bins: 3,
        stable_bins: 1,
        ..Config::default()
    };
    let act = activity(&aggregate(&recs, &cfg), &cfg);
    let ex = exports(&act, &cfg);
    assert_eq!(ex.len(), 1);
    let e = &ex[0].exports;
    // SP of bins {443}, {443, 53}, {443}: J(F3, F2) = (1 + 1/3) / (1 + 1/2) = 8/9 < 0.9,
    // so the run is broken at the third bin: nothing exported, pending n = 3.
    assert!(e.is_empty());
    let p = ex[0].pending.as_ref().unwrap();
    assert_eq!(p.window.n, 3);
    assert_eq!(p.run, 0);
    let names: Vec<(String, f64)> = p
        .fingerprint
        .weights
        .iter()
        .map(|(s, w)| (act.service(*s).unwrap().to_string(), *w))
        .collect();
    assert_eq!(
        names,
        [
            ("TCP/443".to_string(), 1.0),
            ("UDP/53".to_string(), 1.0 / 3.0)
        ]
    );
}

#[test]
fn evaluation_on_two_devices_by_hand() {
    // Two devices, 60 hours each; they differ by one port, so every representation
    // tells them apart: accuracy 1, AUROC 1.
    let mut recs = device_hours("192.168.1.5", 60, 1, 5000);
    recs.extend(device_hours("192.168.1.6", 60, 1, 6000));
    let cfg = Config {
        fold_rare_bins: 0,
        ..Config::default()
    };
    let act = activity(&aggregate(&recs, &cfg), &cfg);
    let (labels, errors) = Labels::parse("ip,name\n192.168.1.5,a\n192.168.1.6,b\n");
    assert!(errors.is_empty());
    let ev = evaluate(&act, &labels, &cfg);
    assert_eq!(
        ev.representations.keys().collect::<Vec<_>>(),
        ["G2", "G4", "G8", "SL", "SP"]
    );
    for (name, r) in &ev.representations {
        // Each device exports at bins 24 and 48: the first ends at 24 h, before the
        // split (about 29.5 h: first start + 0.5 x span); the second is the query.
        assert_eq!(r.closed.library, 2, "{name}");
        assert_eq!(r.closed.queries, 2, "{name}");
        assert_eq!(r.closed.accuracy, 1.0, "{name}");
        assert_eq!(r.closed.macro_f1, 1.0, "{name}");
        assert_eq!(r.closed.device_accuracy, 1.0, "{name}");
        assert_eq!(r.open.known_queries, 2);
        assert_eq!(r.open.unknown_queries, 2);
        // Unknown queries score J({443, 53, 5000}, {443, 53, 6000}) = 2/4.
        assert_eq!(r.open.auroc, Some(1.0), "{name}");
        assert_eq!(r.open.best_rho, 0.51, "{name}");
        assert_eq!(r.open.best_balanced_accuracy, 1.0, "{name}");
    }
}

#[test]
fn library_json_round_trip() {
    let mut recs = device_hours("192.168.1.5", 48, 2, 5000);
    recs.extend(device_hours("192.168.1.6", 30, 1, 6000));
    for direction_aware in [true, false] {
        let cfg = Config {
            direction_aware,
            representation: Representation::Sp,
            ..Config::default()
        };
        let act = activity(&aggregate(&recs, &cfg), &cfg);
        let ex = exports(&act, &cfg);
        let (labels, _) = Labels::parse("192.168.1.5 a\n192.168.1.6 b\n");
        for with_devices in [false, true] {
            let lib = Library::build(&act, &ex, &labels, &cfg, with_devices);
            assert_eq!(lib.entries.len(), 3);
            assert_eq!(lib.labels(), ["a", "b"]);
            let text = serde_json::to_string_pretty(&lib).unwrap();
            assert!(text.contains("\"format\": \"svcprint-library\""));
            assert_eq!(text.contains("192.168.1.5"), with_devices);
            let back: Library = serde_json::from_str(&text).unwrap();
            assert_eq!(back, lib);
        }
    }
    let bad = r#"{"format":"svcprint-library","version":9,"params":{},"fingerprints":[]}"#;
    let err = serde_json::from_str::<Library>(bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("library version 9 is not supported"), "{err}");
}

fn corpus_dir() -> PathBuf {
    if let Some(p) = std::env::var_os("SVCPRINT_CORPUS") {
        let p = PathBuf::from(p);
        assert!(
            p.is_dir(),
            "SVCPRINT_CORPUS={} is not a directory",
            p.display()
        );
        return p;
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tried: Vec<PathBuf> = manifest
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .collect();
    tried
        .iter()
        .find(|p| p.is_dir())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "corpus not found: set SVCPRINT_CORPUS to the shared/corpus folder (tried {:?})",
                tried
            )
        })
}

#[test]
fn corpus_label_files() {
    let dir = corpus_dir();
    let text = std::fs::read_to_string(dir.join("moniotr-intl-iot/devices_us.txt")).unwrap();
    let (l, e) = Labels::parse(&text);
    assert_eq!(e, []);
    assert_eq!(l.len(), 77);
    let key = "f8:da:0c:7b:0a:8f".parse().unwrap();
    assert_eq!(l.get(&key).unwrap().name, "labelprinter");
    let bytes = std::fs::read(dir.join("unsw-iot-traces/List_Of_Devices.txt")).unwrap();
    let (l, e) = Labels::parse(&String::from_utf8_lossy(&bytes));
    assert_eq!(e, []);
    let key = "d0:52:a8:00:67:5e".parse().unwrap();
    assert_eq!(l.get(&key).unwrap().name, "Smart Things");
    let key = "00:24:e4:20:28:c6".parse().unwrap();
    assert_eq!(
        l.get(&key).unwrap().name,
        "Withings Aura smart sleep sensor"
    );
    assert_eq!(l.len(), 31);
}

fn weights() -> impl Strategy<Value = Fingerprint<u32>> {
    proptest::collection::btree_map(0u32..12, 1u32..=8, 0..8).prop_map(|m| Fingerprint {
        weights: m
            .into_iter()
            .map(|(k, w)| (k, f64::from(w) / 8.0))
            .collect(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn similarity_is_symmetric_bounded_and_one_on_identical(x in weights(), y in weights()) {
        for sim in [Similarity::Jaccard, Similarity::Cosine] {
            let a = sim.of(&x, &y);
            prop_assert_eq!(a, sim.of(&y, &x));
            prop_assert!((0.0..=1.0).contains(&a));
            prop_assert!(at_least(sim.of(&x, &x), 1.0));
        }
        prop_assert_eq!(jaccard(&x, &x), 1.0);
        prop_assert!(at_least(cosine(&y, &y), 1.0));
    }

    #[test]
    fn gk_tends_to_sp_in_similarity(
        bins in proptest::collection::vec(proptest::collection::btree_set(0u32..12, 1..6), 1..40),
    ) {
        let sets: Vec<Vec<ServiceId>> = bins.iter().map(|b| b.iter().map(|&i| ServiceId(i)).collect()).collect();
        let w = WindowCounts::of_bins(sets.iter().map(|s| s.as_slice()));
        let sp = Fingerprint::service_prevalence(&w);
        let total: f64 = sp.weights.iter().map(|x| x.1).sum();
        let m = sp.len() as f64;
        for k in [1u32, 2, 4, 8, 16, 64, 256] {
            let j = jaccard(&Fingerprint::generalized(&w, k), &sp);
            // sum g <= sum p + m / k, so J >= sum p / (sum p + m / k) -> 1.
            prop_assert!(j >= total / (total + m / f64::from(k)) - 1e-12);
        }
        // k a multiple of n: exact.
        let n = u32::try_from(w.n()).unwrap();
        prop_assert_eq!(Fingerprint::generalized(&w, n * 3), sp);
    }

    #[test]
    fn exports_and_evaluation_do_not_depend_on_record_order(
        hours in 30i64..60,
        dns in 1i64..4,
        seed in proptest::collection::vec(any::<u32>(), 1..4),
    ) {
        let mut recs = device_hours("192.168.1.5", hours, dns, 5000);
        recs.extend(device_hours("192.168.1.6", hours + 5, 1, 6000));
        let mut shuffled = recs.clone();
        // A deterministic permutation from the seed.
        for (i, s) in seed.iter().enumerate() {
            let len = shuffled.len();
            shuffled.rotate_left((*s as usize + i) % len);
            shuffled.swap(0, (*s as usize) % len);
            shuffled.reverse();
        }
        let cfg = Config::default();
        let a = activity(&aggregate(&recs, &cfg), &cfg);
        let b = activity(&aggregate(&shuffled, &cfg), &cfg);
        prop_assert_eq!(exports(&a, &cfg), exports(&b, &cfg));
        let (labels, _) = Labels::parse("192.168.1.5 a\n192.168.1.6 b\n");
        prop_assert_eq!(evaluate(&a, &labels, &cfg), evaluate(&b, &labels, &cfg));
    }
}

/// (label number, (service index, weight)s, stable) per entry.
type EntrySpec = (u8, Vec<(usize, f64)>, bool);

fn library_entries() -> impl Strategy<Value = Vec<EntrySpec>> {
    proptest::collection::vec(
        (
            0u8..4,
            proptest::collection::vec((0usize..SERVICES.len(), 1e-9f64..=1.0), 0..6),
            any::<bool>(),
        ),
        0..6,
    )
}

const SERVICES: [&str; 8] = [
    "TCP/443",
    "in:TCP/80",
    "UDP/53",
    "UDP/other",
    "in:UDP/other",
    "ICMP",
    "in:ICMPv6",
    "P253",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_library_survives_its_json(entries in library_entries(), blind in any::<bool>()) {
        use svcprint_engine::exporter::Window;
        use svcprint_engine::library::Entry;
        use svcprint_engine::Service;
        let params = Config { direction_aware: !blind, ..Config::default() };
        let lib = Library {
            params,
            entries: entries
                .into_iter()
                .map(|(label, weights, stable)| Entry {
                    label: format!("type{label}"),
                    representation: "SP".into(),
                    window: Window { first_bin: 1, last_bin: 24, n: 24, start_ms: 3_600_000, end_ms: 90_000_000 },
                    stable,
                    fingerprint: Fingerprint {
                        weights: weights
                            .into_iter()
                            .map(|(i, w)| {
                                let s: Service = SERVICES[i].parse().unwrap();
                                (if blind { s.without_direction() } else { s }, w)
                            })
                            .collect(),
                    }
                    .with_keys(|s| s),
                    device: None,
                })
                .collect(),
        };
        let text = serde_json::to_string(&lib).unwrap();
        let back: Library = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, lib);
    }
}

#[test]
fn named_weights_are_heaviest_first_then_by_name() {
    // Four hours: TCP/443 in each, UDP/53 in hours 0 and 2, UDP/123 in hour 0, UDP/5353 in
    // hour 1. Fewer than min_bins, so the four bins are the pending window.
    let ip = "192.168.1.5";
    let mut recs = Vec::new();
    for h in 0..4 {
        recs.push(tcp(ip, 40000, "203.0.113.1", 443, h * H + 10, h * H + 20));
    }
    for h in [0, 2] {
        recs.push(udp(ip, 40001, "8.8.8.8", 53, h * H + 30, h * H + 31));
    }
    recs.push(udp(ip, 40002, "192.0.2.1", 123, 40, 41));
    recs.push(udp(ip, 40003, "224.0.0.251", 5353, H + 40, H + 41));
    let named = |cfg: &Config| {
        let act = activity(&aggregate(&recs, cfg), cfg);
        let ex = exports(&act, cfg);
        assert!(ex[0].exports.is_empty());
        let p = ex[0].pending.as_ref().expect("a pending window");
        assert_eq!(p.window.n, 4);
        act.named_weights(&p.fingerprint)
    };
    let sp = Config {
        representation: Representation::Sp,
        ..Config::default()
    };
    let want = |v: &[(&str, f64)]| -> Vec<(String, f64)> {
        v.iter().map(|&(s, w)| (s.to_string(), w)).collect()
    };
    // SP: 4/4, 2/4, 1/4, 1/4; the tie by name.
    assert_eq!(
        named(&sp),
        want(&[
            ("TCP/443", 1.0),
            ("UDP/53", 0.5),
            ("UDP/123", 0.25),
            ("UDP/5353", 0.25)
        ])
    );
    // G2: ceil(2c/4)/2 = 1, 0.5, 0.5, 0.5; three tied, by name as text.
    assert_eq!(
        named(&Config::default()),
        want(&[
            ("TCP/443", 1.0),
            ("UDP/123", 0.5),
            ("UDP/53", 0.5),
            ("UDP/5353", 0.5)
        ])
    );
}
