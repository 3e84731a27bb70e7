//! The simulator is deterministic, its CSV reads back exactly, and the engine sees in it
//! the fleet it describes.

use std::collections::BTreeSet;
use svcprint_engine::{device_summaries, Aggregator, Config};
use svcprint_flow::{decode_all, FlowRecord, Limits};
use svcprint_sim::{CsvWriter, SimConfig, Simulator};

const DAY_MS: i64 = 86_400_000;

fn demo() -> Vec<FlowRecord> {
    Simulator::new(SimConfig::default()).collect()
}

#[test]
fn same_seed_same_flows_other_seed_other_flows() {
    let a = demo();
    assert_eq!(a, demo());
    let b: Vec<_> = Simulator::new(SimConfig {
        seed: 2,
        ..SimConfig::default()
    })
    .collect();
    assert_ne!(a, b);
    // Four weeks of a dozen devices: tens of thousands of flows, in time order.
    assert!((20_000..200_000).contains(&a.len()), "{}", a.len());
    assert!(a.windows(2).all(|w| w[0].start_ms <= w[1].start_ms));
    let start = SimConfig::default().start_ms;
    assert!(a
        .iter()
        .all(|r| r.start_ms >= start && r.start_ms < start + 28 * DAY_MS));
}

#[test]
fn csv_reads_back_to_the_same_records() {
    let flows: Vec<_> = demo().into_iter().take(5000).collect();
    let mut writer = CsvWriter::new();
    let mut text = String::new();
    for r in &flows {
        writer.write(r, &mut text);
    }
    let (back, summary) = decode_all(0, "sim.csv", text.as_bytes(), Limits::default());
    assert!(summary.diagnostics.is_empty(), "{:?}", summary.diagnostics);
    assert_eq!(back.len(), flows.len());
    for (a, b) in flows.iter().zip(&back) {
        let mut b = b.clone();
        b.position = a.position;
        assert_eq!(a, &b);
    }
}

#[test]
fn the_engine_sees_the_fleet() {
    let config = Config::default();
    let mut agg = Aggregator::new(&config).expect("default config is valid");
    let sim = Simulator::new(SimConfig::default());
    let devices = sim.devices();
    for r in sim {
        agg.add(&r);
    }
    let summaries = device_summaries(&agg.finish(), &config);
    let keys: BTreeSet<_> = summaries.iter().map(|d| d.key.clone()).collect();
    // Every simulated device (the router as DNS server included) is a device, and no other.
    for d in &devices {
        assert!(
            keys.contains(&d.mac(svcprint_sim::fleet::Home(0)).to_string()),
            "{}",
            d.name
        );
    }
    assert_eq!(keys.len(), devices.len());
    let services = |mac: &str| -> Vec<String> {
        summaries
            .iter()
            .find(|d| d.key == mac)
            .map(|d| d.services.iter().map(|s| s.service.clone()).collect())
            .unwrap_or_default()
    };
    // The plug's firmware update: both MQTT ports over the month.
    let plug = services("02:10:00:00:00:02");
    for s in ["TCP/1883", "TCP/8883", "TCP/443", "UDP/53", "UDP/123"] {
        assert!(plug.contains(&s.to_string()), "plug lacks {s}: {plug:?}");
    }
    // The printer serves IPP and raw printing to the phone.
    let printer = services("02:10:00:00:00:06");
    for s in ["in:TCP/631", "in:TCP/9100", "in:UDP/161", "UDP/5353"] {
        assert!(
            printer.contains(&s.to_string()),
            "printer lacks {s}: {printer:?}"
        );
    }
    // The newcomer joins half-way: about half the active hours of its labelled twin.
    let hours = |mac: &str| {
        summaries
            .iter()
            .find(|d| d.key == mac)
            .map(|d| d.active_bins)
            .unwrap_or(0)
    };
    let (twin, newcomer) = (hours("02:10:00:00:00:01"), hours("02:10:00:00:00:0d"));
    // Hour-long TLS sessions started in the last hour reach into one more bin (M5).
    assert_eq!(twin, 28 * 24 + 1);
    assert_eq!(newcomer, 14 * 24 + 1);
    // The TV is off for four days (days 7-10): 24 days of hours, plus the first hour of
    // its holiday and the hour after the end, reached by sessions started the hour before.
    assert_eq!(hours("02:10:00:00:00:05"), 24 * 24 + 2);
}

#[test]
fn homes_multiply_the_fleet_in_separate_subnets() {
    let one = Simulator::new(SimConfig {
        days: 2,
        ..SimConfig::default()
    })
    .count();
    let three: Vec<_> = Simulator::new(SimConfig {
        days: 2,
        homes: 3,
        ..SimConfig::default()
    })
    .collect();
    assert!(three.len() > 2 * one, "{} vs {one}", three.len());
    assert!(three
        .iter()
        .any(|r| r.src_addr.to_string().starts_with("10.0.2.")));
    let labels = svcprint_sim::labels_csv(&Simulator::new(SimConfig::default()).devices(), 3);
    assert!(labels.starts_with("mac,name,type\n02:10:00:00:00:01,camera-hall,ip_camera\n"));
    assert!(labels.contains("02:10:00:02:00:01,camera-hall@2,ip_camera\n"));
    assert!(!labels.contains("unknown-13"));
}
