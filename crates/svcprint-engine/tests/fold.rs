//! Rare high ports (method.md M4 [fold_rare_bins]) on hand-made flows.

mod common;

use common::*;
use svcprint_engine::{activity, device_summaries, Config};
use svcprint_flow::FlowRecord;

const D: &str = "192.168.1.10";
const R: &str = "203.0.113.1";

/// Device D: TCP/443 in bins 0..bins; UDP/40001 in bin 0; UDP/40002 in bins 0-1;
/// UDP/40003 in bins 0-2; TCP/1023 in bin 3; in:TCP/5000 in bin 4.
fn device_flows(bins: i64) -> Vec<FlowRecord> {
    let mut v: Vec<FlowRecord> = (0..bins)
        .map(|b| tcp(D, 50000, R, 443, b * H, b * H + 10))
        .collect();
    v.push(udp(D, 50000, R, 40001, 0, 0));
    for b in 0..2 {
        v.push(udp(D, 50000, R, 40002, b * H, b * H));
    }
    for b in 0..3 {
        v.push(udp(D, 50000, R, 40003, b * H, b * H));
    }
    v.push(tcp(D, 50000, R, 1023, 3 * H, 3 * H));
    v.push(tcp(R, 50000, D, 5000, 4 * H, 4 * H));
    v
}

#[test]
fn rare_high_ports_fold_into_other_with_the_same_direction() {
    let cfg = Config::default();
    let got = summaries(&device_flows(24), &cfg);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].active_bins, 24);
    assert_eq!(
        services(&got[0]),
        [
            ("TCP/443", 1.0, 24),
            ("UDP/40003", 3.0 / 24.0, 3),
            // UDP/40001 (bin 0) and UDP/40002 (bins 0-1): active in bins 0-1, 1 + 2 flows.
            ("UDP/other", 2.0 / 24.0, 3),
            // Port 1023 is not high; in:TCP/5000 folds with its direction.
            ("TCP/1023", 1.0 / 24.0, 1),
            ("in:TCP/other", 1.0 / 24.0, 1),
        ]
    );
    assert_eq!(got[0].flows, 24 + 1 + 2 + 3 + 1 + 1);
}

#[test]
fn a_device_below_min_bins_is_left_as_it_is() {
    let cfg = Config::default();
    let got = summaries(&device_flows(23), &cfg);
    assert_eq!(got[0].active_bins, 23);
    assert_eq!(
        services(&got[0]),
        [
            ("TCP/443", 1.0, 23),
            ("UDP/40003", 3.0 / 23.0, 3),
            ("UDP/40002", 2.0 / 23.0, 2),
            ("TCP/1023", 1.0 / 23.0, 1),
            ("UDP/40001", 1.0 / 23.0, 1),
            ("in:TCP/5000", 1.0 / 23.0, 1),
        ]
    );
    // With min_bins lowered to 23 the same device folds.
    let cfg = Config {
        min_bins: 23,
        ..Config::default()
    };
    let got = summaries(&device_flows(23), &cfg);
    let names: Vec<&str> = got[0].services.iter().map(|s| s.service.as_str()).collect();
    assert_eq!(
        names,
        [
            "TCP/443",
            "UDP/40003",
            "UDP/other",
            "TCP/1023",
            "in:TCP/other"
        ]
    );
}

#[test]
fn fold_rare_bins_zero_turns_folding_off() {
    let cfg = Config {
        fold_rare_bins: 0,
        ..Config::default()
    };
    let got = summaries(&device_flows(24), &cfg);
    let names: Vec<&str> = got[0].services.iter().map(|s| s.service.as_str()).collect();
    assert_eq!(
        names,
        [
            "TCP/443",
            "UDP/40003",
            "UDP/40002",
            "TCP/1023",
            "UDP/40001",
            "in:TCP/5000"
        ]
    );
}

#[test]
fn fold_threshold_is_strictly_fewer_bins() {
    // fold_rare_bins = 4: UDP/40003 (3 bins) now folds too.
    let cfg = Config {
        fold_rare_bins: 4,
        ..Config::default()
    };
    let got = summaries(&device_flows(24), &cfg);
    assert_eq!(
        services(&got[0]),
        [
            ("TCP/443", 1.0, 24),
            ("UDP/other", 3.0 / 24.0, 6),
            ("TCP/1023", 1.0 / 24.0, 1),
            ("in:TCP/other", 1.0 / 24.0, 1)
        ]
    );
    // fold_rare_bins = 1: nothing is active in fewer than 1 bin.
    let cfg = Config {
        fold_rare_bins: 1,
        ..Config::default()
    };
    assert_eq!(summaries(&device_flows(24), &cfg)[0].services.len(), 6);
}

#[test]
fn folding_counts_bins_after_the_direction_mode() {
    // TCP/6000 out in bins 0-1 and in bin 2 inbound: each direction is rare, the
    // direction-blind service is active in 3 bins.
    let mut recs = device_flows(24);
    recs.push(tcp(D, 50000, R, 6000, 0, H));
    recs.push(tcp(R, 50000, D, 6000, 2 * H, 2 * H));
    let aware = summaries(&recs, &Config::default());
    assert_eq!(
        services(&aware[0]),
        [
            ("TCP/443", 1.0, 24),
            ("UDP/40003", 3.0 / 24.0, 3),
            ("TCP/other", 2.0 / 24.0, 1),
            ("UDP/other", 2.0 / 24.0, 3),
            // in:TCP/6000 (bin 2) and in:TCP/5000 (bin 4).
            ("in:TCP/other", 2.0 / 24.0, 2),
            ("TCP/1023", 1.0 / 24.0, 1),
        ]
    );

    let blind = summaries(
        &recs,
        &Config {
            direction_aware: false,
            ..Config::default()
        },
    );
    assert_eq!(
        services(&blind[0]),
        [
            ("TCP/443", 1.0, 24),
            ("TCP/6000", 3.0 / 24.0, 2),
            ("UDP/40003", 3.0 / 24.0, 3),
            ("UDP/other", 2.0 / 24.0, 3),
            ("TCP/1023", 1.0 / 24.0, 1),
            ("TCP/other", 1.0 / 24.0, 1),
        ]
    );
}

#[test]
fn folding_is_per_device() {
    // Another device uses UDP/40001 in one bin only but has few bins: untouched, while
    // D's UDP/40001 folds.
    let mut recs = device_flows(24);
    recs.push(udp("192.168.1.20", 50000, R, 40001, 0, 0));
    let cfg = Config::default();
    let agg = aggregate(&recs, &cfg);
    let got = device_summaries(&agg, &cfg);
    assert_eq!(keys(&got), [D, "192.168.1.20"]);
    assert_eq!(services(&got[1]), [("UDP/40001", 1.0, 1)]);
    // The activity's table holds only services in use, sorted.
    let act = activity(&agg, &cfg);
    let table: Vec<String> = act.services().iter().map(|s| s.to_string()).collect();
    assert_eq!(
        table,
        [
            "TCP/443",
            "TCP/1023",
            "UDP/40001",
            "UDP/40003",
            "UDP/other",
            "in:TCP/other"
        ]
    );
}
