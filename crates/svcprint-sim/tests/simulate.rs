//! The simulator is deterministic, its CSV and IPFIX files read back exactly, and the
//! engine sees in it the fleet it describes.

use std::collections::BTreeSet;
use svcprint_engine::{device_summaries, Aggregator, Config};
use svcprint_flow::{decode_all, FileDecoder, FlowRecord, Limits, Mac};
use svcprint_sim::{CsvWriter, IpfixWriter, SimConfig, Simulator};

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

fn ipfix(flows: &[FlowRecord]) -> Vec<u8> {
    let mut writer = IpfixWriter::new();
    let mut bytes = Vec::new();
    for r in flows {
        writer.write(r, &mut bytes);
    }
    writer.finish(&mut bytes);
    bytes
}

/// `bytes` decoded in chunks of `chunk` bytes, positions cleared.
fn decode_in_chunks(bytes: &[u8], chunk: usize) -> Vec<FlowRecord> {
    let mut decoder = FileDecoder::new(0, "sim.ipfix", Limits::default());
    let mut out = Vec::new();
    for piece in bytes.chunks(chunk) {
        decoder.feed(piece, &mut out);
    }
    let summary = decoder.finish(&mut out);
    assert_eq!(summary.format, "ipfix");
    assert!(summary.diagnostics.is_empty(), "{:?}", summary.diagnostics);
    for r in &mut out {
        r.position = Default::default();
    }
    out
}

#[test]
fn ipfix_reads_back_to_the_same_records() {
    let flows: Vec<_> = demo().into_iter().take(20_000).collect();
    let bytes = ipfix(&flows);
    // Records of 74 bytes (77 with TCP flags), plus message, set and template headers.
    assert!(
        bytes.len() > 74 * flows.len() && bytes.len() < 80 * flows.len(),
        "{}",
        bytes.len()
    );
    assert_eq!(&bytes[..2], &[0, 10]);
    let back = decode_in_chunks(&bytes, 1 << 20);
    assert_eq!(back.len(), flows.len());
    assert_eq!(back, flows);
    // Chunk borders change nothing.
    for chunk in [7, 4096] {
        assert_eq!(decode_in_chunks(&bytes, chunk), flows, "chunks of {chunk}");
    }
}

#[test]
fn ipfix_carries_every_optional_field_as_given() {
    let v4 = |s: &str| s.parse().unwrap();
    let mut plain = FlowRecord::new(
        1_000,
        2_500,
        17,
        (v4("10.0.0.1"), 5353),
        (v4("224.0.0.251"), 5353),
    );
    plain.octets = 300;
    let mut v6 = FlowRecord::new(3_000, 3_000, 58, (v4("fe80::1"), 0), (v4("2001:db8::2"), 0));
    v6.icmp_type_code = Some(0x8000);
    v6.src_mac = Some(Mac([2, 0, 0, 0, 0, 1]));
    let mut mixed = FlowRecord::new(4_000, 9_000, 6, (v4("10.0.0.1"), 40_000), (v4("::1"), 443));
    mixed.reverse_octets = Some(0);
    mixed.union_tcp_flags = Some(0x1b);
    mixed.dst_mac = Some(Mac([2, 0, 0, 0, 0, 2]));
    let mut icmp4 = FlowRecord::new(5_000, 5_001, 1, (v4("10.0.0.1"), 0), (v4("10.0.0.2"), 0));
    icmp4.icmp_type_code = Some(0x0800);
    icmp4.source_initiated = true;
    let flows = vec![plain.clone(), v6, mixed.clone(), icmp4, plain.clone()];
    let back = decode_in_chunks(&ipfix(&flows), 1 << 20);
    // A v4 address beside a v6 one travels v4-mapped and reads back as that.
    mixed.src_addr = v4("::ffff:10.0.0.1");
    let mut expected = flows.clone();
    expected[2] = mixed;
    assert_eq!(back, expected);
    // Four templates (one per field set), the first one used twice.
    let bytes = ipfix(&flows);
    assert_eq!(
        bytes.len(),
        u16::from_be_bytes([bytes[2], bytes[3]]) as usize,
        "one message"
    );
}

#[test]
fn csv_and_ipfix_give_the_same_devices() {
    let sim = Simulator::new(SimConfig {
        days: 3,
        homes: 2,
        ..SimConfig::default()
    });
    let flows: Vec<_> = sim.collect();
    let mut csv = String::new();
    let mut writer = CsvWriter::new();
    for r in &flows {
        writer.write(r, &mut csv);
    }
    let config = Config::default();
    let devices = |bytes: &[u8], name: &str| {
        let (records, summary) = decode_all(0, name, bytes, Limits::default());
        assert!(
            summary.diagnostics.is_empty(),
            "{name}: {:?}",
            summary.diagnostics
        );
        assert_eq!(records.len(), flows.len(), "{name}");
        let mut agg = Aggregator::new(&config).expect("default config is valid");
        agg.add_all(&records);
        device_summaries(&agg.finish(), &config)
    };
    let from_csv = devices(csv.as_bytes(), "sim.csv");
    let from_ipfix = devices(&ipfix(&flows), "sim.ipfix");
    assert_eq!(from_csv.len(), 28);
    assert_eq!(from_csv, from_ipfix);
}
