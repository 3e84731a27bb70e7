//! Aggregation and device summaries on hand-made flows: method.md M3 devices, M4
//! services, M5 bins, M11 flow counts, and the aggregation limits and stats.

mod common;

use common::*;
use svcprint_engine::{
    device_summaries, Aggregates, AggregationStats, Aggregator, Config, ConfigError, DeviceSummary,
    MergeError, ServiceFlows, ServiceStat,
};

fn stat(service: &str, prevalence: f64, flows: u64) -> ServiceStat {
    ServiceStat {
        service: service.to_string(),
        prevalence,
        flows,
    }
}

#[test]
fn local_to_local_flow_counts_for_both_devices_each_with_its_role() {
    let cfg = Config::default();
    let got = summaries(
        &[tcp("192.168.1.10", 50000, "192.168.1.20", 80, 1_000, 2_000)],
        &cfg,
    );
    assert_eq!(
        got,
        [
            DeviceSummary {
                key: "192.168.1.10".into(),
                flows: 1,
                active_bins: 1,
                first_ms: 1_000,
                last_ms: 2_000,
                services: vec![stat("TCP/80", 1.0, 1)],
            },
            DeviceSummary {
                key: "192.168.1.20".into(),
                flows: 1,
                active_bins: 1,
                first_ms: 1_000,
                last_ms: 2_000,
                services: vec![stat("in:TCP/80", 1.0, 1)],
            },
        ]
    );
}

#[test]
fn remote_broadcast_multicast_and_unspecified_endpoints_are_not_devices() {
    let cfg = Config::default();
    let recs = [
        udp("192.168.1.10", 50000, "239.255.255.250", 1900, 0, 0),
        udp("192.168.1.10", 68, "255.255.255.255", 67, 0, 0),
        udp("192.168.1.10", 137, "192.168.255.255", 137, 0, 0),
        udp("fe80::1", 5353, "ff02::fb", 5353, 0, 0),
        tcp("192.168.1.10", 50000, "8.8.8.8", 443, 0, 0),
        // Neither end is a device.
        udp("0.0.0.0", 68, "255.255.255.255", 67, 0, 0),
        tcp("8.8.8.8", 443, "1.1.1.1", 50000, 0, 0),
    ];
    let agg = aggregate(&recs, &cfg);
    assert_eq!(agg.stats().without_device, 2);
    let got = device_summaries(&agg, &cfg);
    assert_eq!(keys(&got), ["192.168.1.10", "fe80::1"]);
    assert_eq!(
        services(&got[0]),
        [
            ("TCP/443", 1.0, 1),
            ("UDP/137", 1.0, 1),
            ("UDP/1900", 1.0, 1),
            ("UDP/67", 1.0, 1)
        ]
    );
    assert_eq!(services(&got[1]), [("UDP/5353", 1.0, 1)]);
}

#[test]
fn device_key_is_the_mac_when_present_else_the_ip() {
    let cfg = Config::default();
    let mut with_mac = tcp("192.168.1.10", 50000, "8.8.8.8", 443, 0, 0);
    with_mac.src_mac = Some(mac("60:01:94:54:6B:E8"));
    // The remote end's MAC (the gateway) does not make it a device.
    with_mac.dst_mac = Some(mac("00:11:22:33:44:55"));
    let mut zero_mac = tcp("192.168.1.11", 50000, "8.8.8.8", 443, 0, 0);
    zero_mac.src_mac = Some(mac("00:00:00:00:00:00"));
    let no_mac = tcp("192.168.1.12", 50000, "8.8.8.8", 443, 0, 0);
    // Same MAC behind another IP: the same device.
    let mut moved = tcp("192.168.1.99", 50000, "8.8.4.4", 53, 0, 0);
    moved.src_mac = Some(mac("60:01:94:54:6b:e8"));
    let got = summaries(&[with_mac, zero_mac, no_mac, moved], &cfg);
    assert_eq!(
        keys(&got),
        ["192.168.1.11", "192.168.1.12", "60:01:94:54:6b:e8"]
    );
    assert_eq!(got[2].flows, 2);
    assert_eq!(services(&got[2]), [("TCP/443", 1.0, 1), ("TCP/53", 1.0, 1)]);
}

#[test]
fn user_prefix_makes_its_addresses_devices() {
    let recs = [
        tcp("198.51.100.7", 50000, "8.8.8.8", 443, 0, 0),
        udp("198.51.100.7", 50000, "198.51.100.255", 9999, 0, 0),
    ];
    let mut cfg = Config::default();
    assert!(summaries(&recs, &cfg).is_empty());
    cfg.local_prefixes.push("198.51.100.0/24".parse().unwrap());
    let got = summaries(&recs, &cfg);
    assert_eq!(keys(&got), ["198.51.100.7"]);
    // The prefix's all-ones host is broadcast, not a device.
    assert_eq!(
        services(&got[0]),
        [("TCP/443", 1.0, 1), ("UDP/9999", 1.0, 1)]
    );
}

#[test]
fn direction_forms_of_services() {
    let cfg = Config::default();
    let d = "192.168.1.10";
    let mut ping = flow(1, d, 8, "8.8.8.8", 0, 0, 0);
    ping.icmp_type_code = Some(8 * 256);
    let recs = [
        tcp(d, 50000, "203.0.113.1", 443, 0, 0),
        tcp("203.0.113.9", 50000, d, 80, 0, 0),
        udp(d, 40000, "192.168.1.1", 53, 0, 0),
        ping,
        flow(58, "fe80::2", 128, "fe80::1", 0, 0, 0),
    ];
    let got = summaries(&recs, &cfg);
    assert_eq!(
        keys(&got),
        ["192.168.1.1", "192.168.1.10", "fe80::1", "fe80::2"]
    );
    assert_eq!(services(&got[0]), [("in:UDP/53", 1.0, 1)]);
    assert_eq!(
        services(&got[1]),
        [
            ("ICMP", 1.0, 1),
            ("TCP/443", 1.0, 1),
            ("UDP/53", 1.0, 1),
            ("in:TCP/80", 1.0, 1)
        ]
    );
    assert_eq!(services(&got[2]), [("in:ICMPv6", 1.0, 1)]);
    assert_eq!(services(&got[3]), [("ICMPv6", 1.0, 1)]);
}

#[test]
fn direction_blind_mode_drops_the_direction_and_merges_counts() {
    let d = "192.168.1.10";
    let recs = [
        tcp(d, 50000, "203.0.113.1", 8080, 0, 0),
        tcp("203.0.113.9", 50000, d, 8080, H, H),
        tcp("203.0.113.9", 50001, d, 22, H, H),
    ];
    let mut cfg = Config::default();
    let aware = summaries(&recs, &cfg);
    assert_eq!(
        services(&aware[0]),
        [
            ("TCP/8080", 0.5, 1),
            ("in:TCP/22", 0.5, 1),
            ("in:TCP/8080", 0.5, 1)
        ]
    );
    cfg.direction_aware = false;
    let blind = summaries(&recs, &cfg);
    assert_eq!(
        services(&blind[0]),
        [("TCP/8080", 1.0, 2), ("TCP/22", 0.5, 1)]
    );
    assert_eq!(blind[0].active_bins, 2);
}

#[test]
fn unanswered_inbound_gives_the_server_no_service() {
    let d = "192.168.1.10";
    let mut scan = tcp("203.0.113.9", 40000, d, 23, 0, 0);
    scan.reverse_packets = Some(0);
    let mut answered = tcp("203.0.113.9", 40001, d, 80, 0, 0);
    answered.reverse_packets = Some(3);
    // Local to local: the client still counts.
    let mut local = tcp("192.168.1.20", 40000, d, 445, 0, 0);
    local.reverse_packets = Some(0);
    let recs = [scan, answered, local];

    let cfg = Config::default();
    let agg = aggregate(&recs, &cfg);
    assert_eq!(agg.stats().unanswered_inbound, 2);
    let got = device_summaries(&agg, &cfg);
    assert_eq!(keys(&got), ["192.168.1.10", "192.168.1.20"]);
    // The device is an endpoint of all three flows (M11) but only one gives it a service.
    assert_eq!(got[0].flows, 3);
    assert_eq!(services(&got[0]), [("in:TCP/80", 1.0, 1)]);
    assert_eq!(services(&got[1]), [("TCP/445", 1.0, 1)]);

    let cfg = Config {
        ignore_unanswered_inbound: false,
        ..Config::default()
    };
    let got = summaries(&recs, &cfg);
    assert_eq!(
        services(&got[0]),
        [
            ("in:TCP/23", 1.0, 1),
            ("in:TCP/445", 1.0, 1),
            ("in:TCP/80", 1.0, 1)
        ]
    );
}

#[test]
fn a_device_whose_only_flows_give_no_service_is_not_listed() {
    let d = "192.168.1.10";
    let mut scan = tcp("203.0.113.9", 40000, d, 23, 0, 0);
    scan.reverse_packets = Some(0);
    let unreachable = flow(1, d, 0, "8.8.8.8", 3 * 256 + 3, 0, 0);
    let cfg = Config::default();
    let agg = aggregate(&[scan, unreachable], &cfg);
    assert_eq!(agg.stats().no_service, 1);
    assert_eq!(agg.devices().len(), 1);
    assert_eq!(agg.devices()[0].flows(), 2);
    assert!(agg.devices()[0].bins().is_empty());
    assert_eq!(agg.devices()[0].span(), None);
    assert!(device_summaries(&agg, &cfg).is_empty());
}

#[test]
fn min_packets_ignores_small_flows_entirely() {
    let d = "192.168.1.10";
    let one = tcp(d, 50000, "8.8.8.8", 443, 0, 0);
    let mut one_plus_one = tcp(d, 50000, "8.8.8.8", 853, 0, 0);
    one_plus_one.reverse_packets = Some(1);
    let mut zero = tcp(d, 50000, "8.8.8.8", 80, 0, 0);
    zero.packets = 0;
    let recs = [one, one_plus_one, zero];

    let agg = aggregate(&recs, &Config::default());
    assert_eq!(agg.stats().below_min_packets, 1);
    let got = device_summaries(&agg, &Config::default());
    assert_eq!(got[0].flows, 2);
    assert_eq!(
        services(&got[0]),
        [("TCP/443", 1.0, 1), ("TCP/853", 1.0, 1)]
    );

    let cfg = Config {
        min_packets: 2,
        ..Config::default()
    };
    let agg = aggregate(&recs, &cfg);
    assert_eq!(agg.stats().below_min_packets, 2);
    let got = device_summaries(&agg, &cfg);
    // Ignored flows do not count as flows of the device either.
    assert_eq!(got[0].flows, 1);
    assert_eq!(services(&got[0]), [("TCP/853", 1.0, 1)]);
}

#[test]
fn flows_count_every_flow_of_the_device_services_only_those_giving_it() {
    let d = "192.168.1.10";
    let recs = [
        tcp(d, 50000, "8.8.8.8", 443, 10, 20),
        flow(1, "8.8.8.8", 0, d, 11 * 256, 5, 30 * H),
        tcp(d, 50001, "8.8.8.8", 443, 2 * H + 5, 2 * H + 7),
    ];
    let got = summaries(&recs, &Config::default());
    assert_eq!(got[0].flows, 3);
    assert_eq!(got[0].active_bins, 2);
    // The span is that of the flows giving a service, not of the ICMP error.
    assert_eq!((got[0].first_ms, got[0].last_ms), (10, 2 * H + 7));
    assert_eq!(services(&got[0]), [("TCP/443", 1.0, 2)]);
}

#[test]
fn bins_of_flows_in_the_aggregates() {
    let d = "192.168.1.10";
    let recs = [
        // 10:30 to 12:15: bins 10, 11, 12.
        tcp(d, 50000, "8.8.8.8", 443, 10 * H + H / 2, 12 * H + H / 4),
        // Ends exactly on the 21:00 border: bins 20 and 21.
        udp(d, 50000, "8.8.8.8", 53, 20 * H + 1, 21 * H),
        // End before start: the start bin 30 only.
        udp(d, 50000, "8.8.8.8", 123, 30 * H + 9, 29 * H),
        // Before the epoch: bins -2 and -1.
        udp(d, 50000, "8.8.8.8", 123, -H - 1, -1),
    ];
    let agg = aggregate(&recs, &Config::default());
    assert_eq!(agg.stats().end_before_start, 1);
    assert_eq!(agg.stats().clamped_flows, 0);
    let dev = &agg.devices()[0];
    assert_eq!(
        dev.bins().bins().collect::<Vec<_>>(),
        [-2, -1, 10, 11, 12, 20, 21, 30]
    );
    let names: Vec<Vec<String>> = dev
        .bins()
        .iter()
        .map(|(_, set)| {
            set.iter()
                .map(|id| agg.service(*id).unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        names,
        [
            vec!["UDP/123"],
            vec!["UDP/123"],
            vec!["TCP/443"],
            vec!["TCP/443"],
            vec!["TCP/443"],
            vec!["UDP/53"],
            vec!["UDP/53"],
            vec!["UDP/123"]
        ]
    );
    let span = dev.span().unwrap();
    assert_eq!((span.first_ms, span.last_ms), (-H - 1, 30 * H + 9));
}

#[test]
fn absurd_flow_spans_are_clamped_and_counted() {
    let d = "192.168.1.10";
    let cfg = Config {
        max_flow_bins: 5,
        ..Config::default()
    };
    let recs = [
        tcp(d, 50000, "8.8.8.8", 443, 0, 1_000 * H),
        tcp(d, 50000, "8.8.8.8", 443, 0, 4 * H),
    ];
    let agg = aggregate(&recs, &cfg);
    assert_eq!(agg.stats().clamped_flows, 1);
    let got = device_summaries(&agg, &cfg);
    assert_eq!(got[0].active_bins, 5);
    assert_eq!((got[0].first_ms, got[0].last_ms), (0, 5 * H - 1));
}

#[test]
fn a_flow_from_a_device_to_itself_counts_once_with_both_services() {
    let d = "192.168.1.10";
    let got = summaries(&[udp(d, 40000, d, 5000, 0, 0)], &Config::default());
    assert_eq!(got[0].flows, 1);
    assert_eq!(
        services(&got[0]),
        [("UDP/5000", 1.0, 1), ("in:UDP/5000", 1.0, 1)]
    );
}

#[test]
fn stats_count_every_record() {
    let d = "192.168.1.10";
    let mut small = tcp(d, 50000, "8.8.8.8", 443, 0, 0);
    small.packets = 0;
    let recs = [
        small,
        tcp("8.8.8.8", 1, "8.8.4.4", 2, 0, 0),
        flow(1, d, 0, "8.8.8.8", 3 * 256, 0, 0),
        tcp(d, 50000, "8.8.8.8", 443, 5, 0),
    ];
    let agg = aggregate(&recs, &Config::default());
    assert_eq!(
        *agg.stats(),
        AggregationStats {
            records: 4,
            below_min_packets: 1,
            without_device: 1,
            no_service: 1,
            unanswered_inbound: 0,
            end_before_start: 1,
            clamped_flows: 0,
            device_table_full: 0,
        }
    );
}

#[test]
fn aggregator_rejects_an_invalid_config() {
    let cfg = Config {
        bin_ms: 0,
        ..Config::default()
    };
    assert_eq!(
        Aggregator::new(&cfg).err(),
        Some(ConfigError::BinNotPositive { bin_ms: 0 })
    );
}

#[test]
fn merge_requires_the_same_aggregation_parameters() {
    let recs = [tcp("192.168.1.10", 50000, "8.8.8.8", 443, 0, 0)];
    let mut a = aggregate(&recs, &Config::default());
    let b = aggregate(
        &recs,
        &Config {
            bin_ms: 60_000,
            ..Config::default()
        },
    );
    assert_eq!(
        a.merge(b),
        Err(MergeError::ParamsDiffer { field: "bin_ms" })
    );
    let mut cfg = Config::default();
    cfg.local_prefixes.push("198.51.100.0/24".parse().unwrap());
    let c = aggregate(&recs, &cfg);
    assert_eq!(
        a.merge(c),
        Err(MergeError::ParamsDiffer {
            field: "local_prefixes"
        })
    );
    // View parameters do not matter.
    let d = aggregate(
        &recs,
        &Config {
            fold_rare_bins: 0,
            direction_aware: false,
            tau: 0.5,
            ..Config::default()
        },
    );
    assert_eq!(a.merge(d), Ok(()));
    assert_eq!(a.devices()[0].flows(), 2);
    assert_eq!(a.devices()[0].service_flows().len(), 1);
    assert_eq!(
        a.devices()[0].service_flows()[0].1,
        ServiceFlows {
            flows: 2,
            local_peer: 0
        }
    );
}

#[test]
fn aggregates_round_trip_through_serde_and_reject_inconsistent_input() {
    let recs = [
        tcp("192.168.1.10", 50000, "192.168.1.20", 80, 0, 2 * H),
        udp("192.168.1.10", 50000, "8.8.8.8", 53, 5 * H, 5 * H),
    ];
    let agg = aggregate(&recs, &Config::default());
    let text = serde_json::to_string(&agg).unwrap();
    let back: Aggregates = serde_json::from_str(&text).unwrap();
    assert_eq!(back, agg);

    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["devices"][0]["bins"]["ids"][0] = 99.into();
    let err = serde_json::from_value::<Aggregates>(v)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("device 0 uses service id 99 of a table of 3"),
        "{err}"
    );

    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["devices"].as_array_mut().unwrap().reverse();
    let err = serde_json::from_value::<Aggregates>(v)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("device 1 is out of order"), "{err}");

    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["services"].as_array_mut().unwrap().reverse();
    let err = serde_json::from_value::<Aggregates>(v)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("service 1 is out of order"), "{err}");

    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["devices"][0]["span"] = serde_json::Value::Null;
    let err = serde_json::from_value::<Aggregates>(v)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("device 0 is inconsistent"), "{err}");

    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["params"]["bin_ms"] = 0.into();
    let err = serde_json::from_value::<Aggregates>(v)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("bin must be positive, got 0 ms"), "{err}");
}

#[test]
fn service_flows_count_flows_with_a_peer_that_is_not_remote() {
    let d = "192.168.1.10";
    let recs = [
        udp(d, 40000, "8.8.8.8", 53, 0, 0),
        udp(d, 40001, "192.168.1.1", 53, 0, 0),
        udp(d, 40002, "192.168.1.1", 53, 0, 0),
        udp(d, 50000, "239.255.255.250", 1900, 0, 0),
        udp("203.0.113.7", 50000, d, 1900, 0, 0),
    ];
    let cfg = Config::default();
    let agg = aggregate(&recs, &cfg);
    let dev = agg
        .devices()
        .iter()
        .find(|x| x.key().to_string() == d)
        .unwrap();
    let got: Vec<(String, ServiceFlows)> = dev
        .service_flows()
        .iter()
        .map(|(id, n)| (agg.service(*id).unwrap().to_string(), *n))
        .collect();
    let sf = |flows, local_peer| ServiceFlows { flows, local_peer };
    assert_eq!(
        got,
        [
            ("UDP/53".to_string(), sf(3, 2)),
            ("UDP/1900".to_string(), sf(1, 1)),
            ("in:UDP/1900".to_string(), sf(1, 0)),
        ]
    );
    // Direction-blind mode sums both counts.
    let blind = Config {
        direction_aware: false,
        ..Config::default()
    };
    let act = svcprint_engine::activity(&agg, &blind);
    let dev = act
        .devices()
        .iter()
        .find(|x| x.key().to_string() == d)
        .unwrap();
    let got: Vec<(String, ServiceFlows)> = dev
        .service_flows()
        .iter()
        .map(|(id, n)| (act.service(*id).unwrap().to_string(), *n))
        .collect();
    assert_eq!(
        got,
        [
            ("UDP/53".to_string(), sf(3, 2)),
            ("UDP/1900".to_string(), sf(2, 1))
        ]
    );
}
