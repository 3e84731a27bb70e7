//! The UNSW IoT IPFIX corpus (../shared/corpus/unsw-ipfix-iot-2019), read at test time.
//!
//! Golden values were computed independently of this crate (Python's `zipfile` and
//! `csv` modules over the same files): data rows per CSV, the MAC that appears in the
//! most rows as source or destination (it is in every row: the device itself), and the
//! sums of the four counters.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use svcprint_flow::{decode_all, FileDecoder, FileSummary, FlowRecord, Limits, Mac, Position};

struct Golden {
    file: &'static str,
    records: usize,
    main_mac: &'static str,
    packets: u64,
    octets: u64,
    reverse_packets: u64,
    reverse_octets: u64,
}

const GOLDEN: [Golden; 7] = [
    Golden {
        file: "au_network_camera.zip",
        records: 175_731,
        main_mac: "ec:3d:fd:39:6f:98",
        packets: 6_138_357,
        octets: 2_067_871_139,
        reverse_packets: 1_661_068,
        reverse_octets: 506_405_109,
    },
    Golden {
        file: "jvc_kenwood_hdtv_ip_camera.zip",
        records: 144_740,
        main_mac: "e0:b9:4d:5c:cf:c5",
        packets: 3_609_019,
        octets: 1_055_384_435,
        reverse_packets: 705_830,
        reverse_octets: 217_404_868,
    },
    Golden {
        file: "mouse_computer_room_hub.zip",
        records: 10_763,
        main_mac: "aa:1e:84:06:1c:b4",
        packets: 1_500_720,
        octets: 298_656_309,
        reverse_packets: 778,
        reverse_octets: 168_514,
    },
    Golden {
        file: "nature_remo.zip",
        records: 125_025,
        main_mac: "60:01:94:54:6b:e8",
        packets: 576_448,
        octets: 41_168_654,
        reverse_packets: 48_937,
        reverse_octets: 4_076_320,
    },
    Golden {
        file: "planex_smacam_outdoor.zip",
        records: 168_365,
        main_mac: "00:22:cf:fd:c1:08",
        packets: 1_397_702,
        octets: 169_670_478,
        reverse_packets: 241_107,
        reverse_octets: 22_487_193,
    },
    Golden {
        file: "planex_smacam_pantilt.zip",
        records: 133_878,
        main_mac: "e0:b9:4d:b9:eb:e9",
        packets: 2_495_720,
        octets: 722_566_177,
        reverse_packets: 460_627,
        reverse_octets: 116_586_123,
    },
    Golden {
        file: "xiaomi_mijia_led.zip",
        records: 128_801,
        main_mac: "78:11:dc:55:76:4c",
        packets: 1_539_227,
        octets: 95_533_814,
        reverse_packets: 565_790,
        reverse_octets: 40_014_245,
    },
];

/// The corpus folder: `$SVCPRINT_CORPUS`, else the first `shared/corpus` found beside
/// the crate or one of its ancestors (`/work/shared/corpus` for `/work/main/crates/…`).
/// A missing corpus fails the test: it never passes silently.
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
                "corpus not found: set SVCPRINT_CORPUS to the shared/corpus folder (tried {})",
                tried
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

fn read(file: &str) -> Vec<u8> {
    let path = corpus_dir().join("unsw-ipfix-iot-2019").join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn every_unsw_file_decodes_completely_and_cleanly() {
    for (i, g) in GOLDEN.iter().enumerate() {
        let bytes = read(g.file);
        let (recs, s) = decode_all(i as u32, g.file, &bytes, Limits::default());
        assert!(
            s.diagnostics.is_empty(),
            "{}: {:?}",
            g.file,
            s.diagnostics.kept.first()
        );
        assert_eq!(recs.len(), g.records, "{}", g.file);
        assert_eq!(s.records, g.records as u64);
        assert_eq!(s.format, "zip/csv-ipfix");
        assert_eq!(s.bytes_in, bytes.len() as u64);

        let mut macs: HashMap<Mac, usize> = HashMap::new();
        for r in &recs {
            for m in [r.src_mac, r.dst_mac].into_iter().flatten() {
                *macs.entry(m).or_default() += 1;
            }
        }
        let (top, n) = macs
            .iter()
            .max_by_key(|(m, n)| (**n, std::cmp::Reverse(**m)))
            .unwrap();
        assert_eq!(top.to_string(), g.main_mac, "{}", g.file);
        assert_eq!(
            *n, g.records,
            "{}: the device's MAC is in every row",
            g.file
        );

        let sum = |f: fn(&FlowRecord) -> u64| recs.iter().map(f).sum::<u64>();
        assert_eq!(sum(|r| r.packets), g.packets, "{}", g.file);
        assert_eq!(sum(|r| r.octets), g.octets, "{}", g.file);
        assert_eq!(
            sum(|r| r.reverse_packets.unwrap()),
            g.reverse_packets,
            "{}",
            g.file
        );
        assert_eq!(
            sum(|r| r.reverse_octets.unwrap()),
            g.reverse_octets,
            "{}",
            g.file
        );
        assert!(recs
            .iter()
            .all(|r| r.source_initiated && r.position.file == i as u32));
        assert!(recs.iter().all(|r| r.end_ms >= r.start_ms));
        assert!(recs
            .windows(2)
            .all(|w| w[1].position.line == w[0].position.line + 1));
    }
}

#[test]
fn first_nature_remo_record_field_by_field() {
    // "2019-06-25 08:36:47.096","2019-06-25 08:36:47.675",0.579,0,17,"192.168.1.1",39396,2,156,
    // "01","38:d5:47:0c:25:d4","192.168.1.225",137,0,0,"00","60:01:94:54:6b:e8","0","0","0",...
    let (recs, _) = decode_all(
        7,
        "nature_remo.zip",
        &read("nature_remo.zip"),
        Limits::default(),
    );
    let r = &recs[0];
    let mut want = FlowRecord::new(
        1_561_451_807_096,
        1_561_451_807_675,
        17,
        ("192.168.1.1".parse().unwrap(), 39396),
        ("192.168.1.225".parse().unwrap(), 137),
    );
    want.src_mac = Mac::parse("38:d5:47:0c:25:d4");
    want.dst_mac = Mac::parse("60:01:94:54:6b:e8");
    want.packets = 2;
    want.octets = 156;
    want.reverse_packets = Some(0);
    want.reverse_octets = Some(0);
    want.initial_tcp_flags = Some(0);
    want.union_tcp_flags = Some(0);
    want.reverse_initial_tcp_flags = Some(0);
    want.source_initiated = true;
    // The header is 1217 bytes plus CRLF.
    want.position = Position {
        file: 7,
        line: 2,
        byte: 1219,
    };
    assert_eq!(*r, want);
    // TCP flags in YAF letters: the first SYN-only flow and its SYN+ACK answer.
    let syn = recs
        .iter()
        .find(|r| r.protocol == 6 && r.initial_tcp_flags == Some(0x02))
        .unwrap();
    assert_eq!(syn.reverse_initial_tcp_flags, Some(0x12));
    // ICMP rows keep type and code in the port columns (type in the source port).
    assert!(recs
        .iter()
        .any(|r| r.protocol == 1 && (r.src_port, r.dst_port) == (3, 3)));
    assert!(recs
        .iter()
        .filter(|r| r.protocol == 1)
        .all(|r| r.icmp_type_code.is_none()));
}

fn feed_with(bytes: &[u8], mut next: impl FnMut() -> usize) -> (Vec<FlowRecord>, FileSummary) {
    let mut d = FileDecoder::new(0, "mouse_computer_room_hub.zip", Limits::default());
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let n = next().clamp(1, bytes.len() - at);
        d.feed(&bytes[at..at + n], &mut out);
        at += n;
    }
    let s = d.finish(&mut out);
    (out, s)
}

#[test]
fn chunk_size_does_not_change_the_result() {
    let bytes = read("mouse_computer_room_hub.zip");
    let whole = decode_all(0, "mouse_computer_room_hub.zip", &bytes, Limits::default());
    assert_eq!(whole.0.len(), 10_763);
    for size in [1, 7, 64, 4096] {
        assert!(feed_with(&bytes, || size) == whole, "chunk size {size}");
    }
    // Sizes from a fixed-seed LCG, 1..=65536 bytes.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let lcg = move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((x >> 33) % 65_536) as usize + 1
    };
    assert!(feed_with(&bytes, lcg) == whole, "LCG chunk sizes");
}
