//! Invariants of aggregation: record order does not matter, merging parts equals
//! aggregating the whole, aggregates survive serde; and M6 G_1 == SL, G_k near SP.

mod common;

use common::*;
use proptest::prelude::*;
use svcprint_engine::{device_summaries, Aggregates, Config, Fingerprint, ServiceId, WindowCounts};
use svcprint_flow::{FlowRecord, Mac};

const ADDRS: [&str; 10] = [
    "192.168.1.10",
    "192.168.1.20",
    "10.0.0.5",
    "fe80::1",
    "8.8.8.8",
    "203.0.113.1",
    "2001:db8::1",
    "224.0.0.251",
    "255.255.255.255",
    "0.0.0.0",
];
const PORTS: [u16; 11] = [0, 23, 53, 80, 443, 1023, 1024, 5000, 32768, 40000, 50000];
const PROTOCOLS: [u8; 6] = [1, 6, 17, 58, 47, 132];

fn mac_strategy() -> impl Strategy<Value = Option<Mac>> {
    prop_oneof![
        Just(None),
        Just(Some(Mac([0; 6]))),
        Just(Some(Mac([0x60, 0x01, 0x94, 0x54, 0x6b, 0xe8]))),
        Just(Some(Mac([0x02, 0, 0, 0, 0, 0x07]))),
    ]
}

prop_compose! {
    fn record()(
        src in 0..ADDRS.len(), dst in 0..ADDRS.len(),
        sport in 0..PORTS.len(), dport in 0..PORTS.len(),
        protocol in 0..PROTOCOLS.len(),
        start in -5 * H..60 * H, duration in -H..4 * H,
        src_mac in mac_strategy(), dst_mac in mac_strategy(),
        packets in 0u64..3, reverse in proptest::option::of(0u64..3),
        flags in proptest::option::of(prop_oneof![Just(0x02u8), Just(0x12u8), Just(0x10u8)]),
        icmp in proptest::option::of(prop_oneof![Just(0x0800u16), Just(0x0000), Just(0x0303), Just(0x8100)]),
        source_initiated in any::<bool>(),
    ) -> FlowRecord {
        let mut r = flow(PROTOCOLS[protocol], ADDRS[src], PORTS[sport], ADDRS[dst], PORTS[dport], start, start + duration);
        r.src_mac = src_mac;
        r.dst_mac = dst_mac;
        r.packets = packets;
        r.reverse_packets = reverse;
        r.initial_tcp_flags = flags;
        r.icmp_type_code = icmp;
        r.source_initiated = source_initiated;
        r
    }
}

prop_compose! {
    fn config()(direction_aware in any::<bool>(), fold in 0u32..4, min_bins in 1u32..6, max_flow_bins in 1u64..8)
        -> Config {
        Config { direction_aware, fold_rare_bins: fold, min_bins, max_flow_bins, ..Config::default() }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn record_order_does_not_matter(
        (recs, shuffled) in proptest::collection::vec(record(), 0..60)
            .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
        cfg in config(),
    ) {
        let a = aggregate(&recs, &cfg);
        let b = aggregate(&shuffled, &cfg);
        prop_assert_eq!(device_summaries(&a, &cfg), device_summaries(&b, &cfg));
        prop_assert_eq!(a, b);
    }

    #[test]
    fn merging_two_halves_equals_aggregating_all(
        recs in proptest::collection::vec(record(), 0..60),
        cut in 0.0f64..=1.0,
        cfg in config(),
    ) {
        let k = ((recs.len() as f64) * cut) as usize;
        let whole = aggregate(&recs, &cfg);
        let mut first = aggregate(&recs[..k], &cfg);
        let second = aggregate(&recs[k..], &cfg);
        let mut other_way = second.clone();
        other_way.merge(first.clone()).unwrap();
        first.merge(second).unwrap();
        prop_assert_eq!(&first, &whole);
        prop_assert_eq!(&other_way, &whole);
        prop_assert_eq!(device_summaries(&first, &cfg), device_summaries(&whole, &cfg));
    }

    #[test]
    fn aggregates_survive_serde(recs in proptest::collection::vec(record(), 0..40), cfg in config()) {
        let agg = aggregate(&recs, &cfg);
        let back: Aggregates = serde_json::from_str(&serde_json::to_string(&agg).unwrap()).unwrap();
        prop_assert_eq!(back, agg);
    }

    #[test]
    fn summaries_are_consistent(recs in proptest::collection::vec(record(), 0..60), cfg in config()) {
        let agg = aggregate(&recs, &cfg);
        for s in device_summaries(&agg, &cfg) {
            prop_assert!(!s.services.is_empty());
            prop_assert!(s.active_bins >= 1);
            prop_assert!(s.first_ms <= s.last_ms);
            let service_flows: u64 = s.services.iter().map(|x| x.flows).sum();
            // A flow gives a device at most two services (one per end, same device).
            prop_assert!(service_flows <= 2 * s.flows);
            for x in &s.services {
                prop_assert!(x.prevalence > 0.0 && x.prevalence <= 1.0);
                prop_assert!(x.flows >= 1);
            }
            for w in s.services.windows(2) {
                prop_assert!(
                    w[0].prevalence > w[1].prevalence
                        || (w[0].prevalence == w[1].prevalence && w[0].service < w[1].service)
                );
            }
        }
    }

    #[test]
    fn g1_is_sl_and_gk_is_within_one_over_k_of_sp(
        bins in proptest::collection::vec(proptest::collection::btree_set(0u32..12, 1..6), 1..40),
        k in 1u32..50,
    ) {
        let sets: Vec<Vec<ServiceId>> = bins.iter().map(|b| b.iter().map(|&i| ServiceId(i)).collect()).collect();
        let w = WindowCounts::of_bins(sets.iter().map(|s| s.as_slice()));
        prop_assert_eq!(Fingerprint::generalized(&w, 1), Fingerprint::service_list(&w));
        let sp = Fingerprint::service_prevalence(&w);
        let g = Fingerprint::generalized(&w, k);
        prop_assert_eq!(g.len(), sp.len());
        for ((gs, gw), (ps, pw)) in g.weights.iter().zip(&sp.weights) {
            prop_assert_eq!(gs, ps);
            prop_assert!(*gw >= *pw && *gw - *pw < 1.0 / f64::from(k) + 1e-12 && *gw <= 1.0);
        }
    }
}
