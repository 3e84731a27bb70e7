//! The pmacct oracle: `pmacct/<test>/output-flow-*.json` is what pmacct's nfacctd
//! collector emitted (one flow per line) from the `traffic-00.pcap` beside it. In tests
//! 100-104 (not aggregated) every (5-tuple, packets, bytes) it printed must be among
//! the flows we decode from the same pcap, one of ours per line of theirs; where it
//! printed start/end times, ours must be the same second.

use serde_json::Value;
use std::net::IpAddr;
use std::path::PathBuf;
use svcprint_flow::{FlowRecord, Limits};

fn corpus() -> PathBuf {
    let dir = std::env::var_os("SVCPRINT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    assert!(
        dir.join("pmacct").is_dir(),
        "flow-export corpus not found at {} (set SVCPRINT_CORPUS)",
        dir.display()
    );
    dir
}

fn proto(name: &str) -> u8 {
    match name {
        "icmp" => 1,
        "tcp" => 6,
        "udp" => 17,
        "ipv6-icmp" => 58,
        "vrrp" => 112,
        other => panic!("protocol name {other} not in the oracle's map"),
    }
}

#[derive(Debug, PartialEq)]
struct Flow {
    src: (IpAddr, u16),
    dst: (IpAddr, u16),
    proto: u8,
    packets: u64,
    bytes: u64,
    /// Start and end, whole seconds, when pmacct printed them.
    times: Option<(i64, i64)>,
}

/// How pmacct turns a time into whole seconds. IPFIX flowStart/EndMilliseconds: it
/// truncates (floor). NetFlow v9 sysUptime-relative times: it subtracts whole seconds,
/// `unix_secs - (sysUptime - first) / 1000` in integer arithmetic, which is the
/// ceiling of our exact `unix_secs * 1000 - (sysUptime - first)` in milliseconds.
#[derive(Clone, Copy)]
enum Round {
    Floor,
    Ceil,
}

impl Round {
    fn secs(self, ms: i64) -> i64 {
        match self {
            Round::Floor => ms.div_euclid(1000),
            Round::Ceil => -(-ms).div_euclid(1000),
        }
    }
}

fn seconds(v: &Value) -> Option<i64> {
    let s = v.as_str()?;
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    assert!(frac.bytes().all(|b| b == b'0'), "sub-second time {s}");
    Some(whole.parse().expect("seconds"))
}

/// pmacct's lines, with its counters divided by `renormalized` (the sampling rate it
/// multiplied them by when renormalising; 1 when it did not).
fn oracle(path: &std::path::Path, renormalized: u64) -> Vec<Flow> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("one JSON object per line");
            let ip = |k: &str| v[k].as_str().expect(k).parse::<IpAddr>().expect(k);
            let n = |k: &str| v[k].as_u64().expect(k);
            let (packets, bytes) = (n("packets"), n("bytes"));
            assert_eq!(packets % renormalized, 0, "{line}");
            assert_eq!(bytes % renormalized, 0, "{line}");
            let times = match (seconds(&v["timestamp_start"]), seconds(&v["timestamp_end"])) {
                (Some(s), Some(e)) => Some((s, e)),
                _ => None,
            };
            Flow {
                src: (ip("ip_src"), n("port_src") as u16),
                dst: (ip("ip_dst"), n("port_dst") as u16),
                proto: proto(v["ip_proto"].as_str().expect("ip_proto")),
                packets: packets / renormalized,
                bytes: bytes / renormalized,
                times,
            }
        })
        .collect()
}

fn ours(r: &FlowRecord, with_times: bool, round: Round) -> Flow {
    // pmacct prints ports 0 for ICMP; we keep type/code in icmp_type_code only.
    Flow {
        src: (r.src_addr, r.src_port),
        dst: (r.dst_addr, r.dst_port),
        proto: r.protocol,
        packets: r.packets,
        bytes: r.octets,
        times: with_times.then(|| (round.secs(r.start_ms), round.secs(r.end_ms))),
    }
}

/// Decodes `<test>/traffic-00.pcap` and matches every line of `json` (counters
/// divided by `renormalized`) with a distinct decoded flow. Returns (lines, ours).
fn check(test: &str, json: &str, renormalized: u64, round: Round) -> (usize, usize) {
    let dir = corpus().join("pmacct").join(test);
    let bytes = std::fs::read(dir.join("traffic-00.pcap")).expect("traffic-00.pcap");
    let (records, _) = svcprint_flow::decode_all(0, "traffic-00.pcap", &bytes, Limits::default());
    let want = oracle(&dir.join(json), renormalized);
    let mut free: Vec<bool> = vec![true; records.len()];
    let mut missing = Vec::new();
    for w in &want {
        let hit = records
            .iter()
            .enumerate()
            .position(|(i, r)| free[i] && ours(r, w.times.is_some(), round) == *w);
        match hit {
            Some(i) => free[i] = false,
            None => missing.push(w),
        }
    }
    assert!(
        missing.is_empty(),
        "{test}/{json}: {} of {} pmacct flows not among ours: {missing:#?}\nours: {:#?}",
        missing.len(),
        want.len(),
        records
            .iter()
            .map(|r| ours(r, true, round))
            .collect::<Vec<_>>()
    );
    (want.len(), records.len())
}

#[test]
fn pmacct_100_ipfix_cisco() {
    assert_eq!(
        check("100-IPFIXv10-CISCO", "output-flow-00.json", 1, Round::Floor),
        (12, 12)
    );
}

#[test]
fn pmacct_101_netflow_v9_cisco() {
    assert_eq!(
        check(
            "101-NFv9-CISCO-cust_primitives",
            "output-flow-00.json",
            1,
            Round::Ceil
        ),
        (51, 51)
    );
}

/// Test 102 runs the collector twice on the same pcap: first as exported, then (after
/// a reload) renormalising by the sampling interval 1000 that the exporter's options
/// record announces; we never renormalise, so the second file is divided back.
#[test]
fn pmacct_102_netflow_v9_sampling() {
    let d = "102-NFv9-CISCO-f2rd-pretag-sampling-reload";
    assert_eq!(check(d, "output-flow-00.json", 1, Round::Ceil), (35, 35));
    assert_eq!(check(d, "output-flow-01.json", 1000, Round::Ceil), (35, 35));
}

#[test]
fn pmacct_103_ipfix_cisco_times() {
    assert_eq!(
        check(
            "103-IPFIXv10-CISCO-pretag-JSON_encoding",
            "output-flow-00.json",
            1,
            Round::Floor
        ),
        (12, 12)
    );
}

/// Test 104 renormalises by the sampling interval 256 of the exporter's sampling
/// options record (ours: 1 packet of 72 bytes, theirs 256 packets of 18432 bytes).
#[test]
fn pmacct_104_ipfix_ipv6() {
    assert_eq!(
        check(
            "104-IPFIXv10-IPv6-CISCO-sampling_option",
            "output-flow-00.json",
            256,
            Round::Floor
        ),
        (3, 3)
    );
}
