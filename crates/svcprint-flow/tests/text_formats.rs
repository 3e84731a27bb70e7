//! Text dialects: real files from the shared corpus (Zeek conn.log of IoT-23, Joy NDJSON
//! of NEMEA-SIoT) through the engine's device summaries, and hand-written fixtures in
//! each tool's documented format with exact expected records.
//!
//! Golden values for the corpus were computed independently with Python (`csv`/`json`
//! over the same files): data rows and the sums of the packet counters.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use svcprint_engine::{device_summaries, Aggregator, Config};
use svcprint_flow::{
    decode_all, preview, ColumnMap, DecodeOptions, DiagKind, Dialect, FileDecoder, FileSummary,
    FlowRecord, Limits, Mac, Position, UtcOffset,
};

/// The corpus folder (same resolution as tests/corpus.rs): `$SVCPRINT_CORPUS`, else the
/// first `shared/corpus` beside the crate or an ancestor. Missing corpus fails.
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
    manifest
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| {
            panic!("corpus not found: set SVCPRINT_CORPUS to the shared/corpus folder")
        })
}

fn read(rel: &str) -> Vec<u8> {
    let p = corpus_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

fn decode_with(text: &[u8], opts: DecodeOptions) -> (Vec<FlowRecord>, FileSummary) {
    let mut d = FileDecoder::with_options(0, "t", Limits::default(), opts);
    let mut out = Vec::new();
    d.feed(text, &mut out);
    let s = d.finish(&mut out);
    (out, s)
}

fn decode(text: &str) -> (Vec<FlowRecord>, FileSummary) {
    decode_with(text.as_bytes(), DecodeOptions::default())
}

fn chunked(text: &[u8], size: usize) -> (Vec<FlowRecord>, FileSummary) {
    let mut d = FileDecoder::new(0, "t", Limits::default());
    let mut out = Vec::new();
    for c in text.chunks(size) {
        d.feed(c, &mut out);
    }
    let s = d.finish(&mut out);
    (out, s)
}

/// Device key -> its services as `service:flows`, in the summary's order.
fn services(recs: &[FlowRecord]) -> Vec<(String, Vec<String>)> {
    let cfg = Config::default();
    let mut a = Aggregator::new(&cfg).unwrap();
    a.add_all(recs);
    device_summaries(&a.finish(), &cfg)
        .into_iter()
        .map(|d| {
            let s = d
                .services
                .iter()
                .map(|s| format!("{}:{}", s.service, s.flows))
                .collect();
            (d.key, s)
        })
        .collect()
}

fn rec(start: i64, end: i64, proto: u8, src: (&str, u16), dst: (&str, u16)) -> FlowRecord {
    FlowRecord::new(
        start,
        end,
        proto,
        (src.0.parse().unwrap(), src.1),
        (dst.0.parse().unwrap(), dst.1),
    )
}

const ZEEK: &str = "iot-23/CTU-Honeypot-Capture-4-1/bro/conn.log.labeled";

#[test]
fn zeek_conn_log_of_the_hue_bridge() {
    let bytes = read(ZEEK);
    let (recs, s) = decode_all(0, "conn.log.labeled", &bytes, Limits::default());
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept.first());
    assert_eq!(s.format, "tsv-zeek");
    assert_eq!(recs.len(), 452);
    assert_eq!(recs.iter().map(|r| r.packets).sum::<u64>(), 13_384);
    assert_eq!(
        recs.iter().map(|r| r.reverse_packets.unwrap()).sum::<u64>(),
        3_528
    );
    assert!(recs.iter().all(|r| r.source_initiated));
    // 1540469302.538640 ... 192.168.1.132 58687 216.239.35.4 123 udp - 0.114184 48 48 SF
    // - - 0 Dd 1 76 1 76 -   benign   -   (line 9, after 8 header lines)
    let mut want = rec(
        1_540_469_302_538,
        1_540_469_302_652,
        17,
        ("192.168.1.132", 58687),
        ("216.239.35.4", 123),
    );
    want.packets = 1;
    want.octets = 76;
    want.reverse_packets = Some(1);
    want.reverse_octets = Some(76);
    want.source_initiated = true;
    want.position = Position {
        file: 0,
        line: 9,
        byte: 512,
    };
    assert_eq!(recs[0], want);
    let devices = services(&recs);
    let hue = devices.iter().find(|(k, _)| k == "192.168.1.132").unwrap();
    assert_eq!(
        hue.1,
        [
            "TCP/443:88",
            "UDP/1900:13",
            "UDP/123:104",
            "UDP/53:191",
            "TCP/80:54",
            "UDP/67:2"
        ]
    );
    assert_eq!(devices.len(), 2, "the Hue bridge and the gateway");
    assert_eq!(devices[0].1, ["in:UDP/53:191", "in:UDP/67:2"]);
    for size in [1, 5, 64, 4096] {
        assert!(chunked(&bytes, size).0 == recs, "chunk size {size}");
    }
}

#[test]
fn joy_ndjson_of_nemea_siot() {
    let golden = [
        (
            "nemea-siot/ikea-app/gw-init/wireshark-capture-init-ikea.json",
            7,
            57,
            21,
        ),
        ("nemea-siot/ipcam/cloud/cloud-video.json", 30, 4361, 2327),
        ("nemea-siot/ipcam/cloud/cloud-video2.json", 19, 4714, 2517),
        (
            "nemea-siot/ipcam/no-cloud/no-cloud-video.json",
            20,
            4370,
            2342,
        ),
        (
            "nemea-siot/voice-assistant/google-mini/google-mac-filter.json",
            48,
            417,
            478,
        ),
        (
            "nemea-siot/voice-assistant/google-mini/google-quiet.json",
            5,
            25,
            16,
        ),
        (
            "nemea-siot/voice-assistant/google-mini/google9-init.json",
            45,
            466,
            623,
        ),
    ];
    for (file, n, pkts, rev) in golden {
        let bytes = read(file);
        let (recs, s) = decode_all(0, file, &bytes, Limits::default());
        assert!(
            s.diagnostics.is_empty(),
            "{file}: {:?}",
            s.diagnostics.kept.first()
        );
        assert_eq!(s.format, "json-joy", "{file}");
        assert_eq!(recs.len(), n, "{file}");
        assert_eq!(recs.iter().map(|r| r.packets).sum::<u64>(), pkts, "{file}");
        assert_eq!(
            recs.iter().map(|r| r.reverse_packets.unwrap()).sum::<u64>(),
            rev,
            "{file}"
        );
        assert!(recs
            .iter()
            .all(|r| r.src_mac.is_none() && r.dst_mac.is_none()));
        assert!(chunked(&bytes, 7).0 == recs, "{file}");
    }
    // No MACs: devices are keyed by IP. The Google Home Mini (192.168.3.110) is a Cast
    // receiver (in:TCP/8009) and talks to Google over TCP/443 and TCP/5228.
    let (recs, _) = decode_all(0, "q", &read(golden[5].0), Limits::default());
    assert_eq!(
        services(&recs),
        vec![
            ("192.168.3.109".to_string(), vec!["TCP/8009:1".to_string()]),
            (
                "192.168.3.110".to_string(),
                ["TCP/5228:1", "UDP/443:1", "in:TCP/8009:2", "in:UDP/54661:1"]
                    .map(String::from)
                    .to_vec()
            ),
            ("192.168.3.164".to_string(), vec!["TCP/8009:1".to_string()]),
        ]
    );
}

#[test]
fn nfdump_csv_16_with_summary_block_and_local_time() {
    // nfdump 1.6 `-o csv`: local time without zone, protocol names, flag letters;
    // opkt/obyt are egress counters (not reverse); a Summary block ends the flows.
    let text = "ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr\n\
2019-06-25 10:36:47,2019-06-25 10:36:48,1.250,192.168.1.20,8.8.8.8,40000,53,UDP,......,0,0,1,60,0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,aa:bb:cc:dd:ee:01,00:00:00:00:00:00,11:22:33:44:55:66,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0.000,0.000,0.000,10.0.0.1,0/0,1,1970-01-01 00:00:00.000\n\
2019-06-25 10:36:49,2019-06-25 10:36:49,0.000,192.168.1.20,93.184.216.34,40001,443,TCP,...AP.SF,0,0,5,400,0,0,0,0,0,0,0,0,0,0,0.0.0.0,0.0.0.0,0,0,aa:bb:cc:dd:ee:01,00:00:00:00:00:00,11:22:33:44:55:66,00:00:00:00:00:00,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0.000,0.000,0.000,10.0.0.1,0/0,1,1970-01-01 00:00:00.000\n\
Summary\n\
flows,bytes,packets,avg_bps,avg_pps,avg_bpp\n\
2,460,6,0,0,76\n";
    let opts = DecodeOptions {
        time_zone: UtcOffset::parse("+02:00"),
        ..DecodeOptions::default()
    };
    let (recs, s) = decode_with(text.as_bytes(), opts);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "csv-nfdump");
    let mut a = rec(
        1_561_451_807_000,
        1_561_451_808_000,
        17,
        ("192.168.1.20", 40000),
        ("8.8.8.8", 53),
    );
    a.octets = 60;
    a.union_tcp_flags = Some(0);
    a.src_mac = Mac::parse("aa:bb:cc:dd:ee:01");
    a.dst_mac = Mac::parse("11:22:33:44:55:66");
    let nl: Vec<u64> = text
        .match_indices('\n')
        .map(|(i, _)| i as u64 + 1)
        .collect();
    a.position = Position {
        file: 0,
        line: 2,
        byte: nl[0],
    };
    let mut b = rec(
        1_561_451_809_000,
        1_561_451_809_000,
        6,
        ("192.168.1.20", 40001),
        ("93.184.216.34", 443),
    );
    b.packets = 5;
    b.octets = 400;
    b.union_tcp_flags = Some(0x1b);
    b.src_mac = a.src_mac;
    b.dst_mac = a.dst_mac;
    b.position = Position {
        file: 0,
        line: 3,
        byte: nl[1],
    };
    assert_eq!(recs, vec![a.clone(), b]);
    // Without the offset, zone-less times are UTC.
    let (utc, _) = decode(text);
    assert_eq!(utc[0].start_ms, a.start_ms + 2 * 3_600_000);
}

#[test]
fn nfdump_json_array() {
    // nfdump 1.7 `-o json`: an array of pretty-printed objects.
    let text = "[{\n\t\"type\" : \"FLOW\",\n\t\"sampled\" : 0,\n\t\"export_sysid\" : 1,\n\t\"t_first\" : \"2019-06-25T08:36:47.096\",\n\t\"t_last\" : \"2019-06-25T08:36:48.000\",\n\t\"proto\" : 6,\n\t\"src4_addr\" : \"192.168.1.20\",\n\t\"dst4_addr\" : \"93.184.216.34\",\n\t\"src_port\" : 40001,\n\t\"dst_port\" : 443,\n\t\"fwd_status\" : 0,\n\t\"tcp_flags\" : \"...AP.S.\",\n\t\"src_tos\" : 0,\n\t\"in_packets\" : 5,\n\t\"in_bytes\" : 400,\n\t\"in_src_mac\" : \"aa:bb:cc:dd:ee:01\",\n\t\"out_dst_mac\" : \"00:00:00:00:00:00\",\n\t\"in_dst_mac\" : \"11:22:33:44:55:66\",\n\t\"out_src_mac\" : \"00:00:00:00:00:00\",\n\t\"label\" : \"<none>\"\n}, {\n\t\"type\" : \"FLOW\",\n\t\"t_first\" : \"2019-06-25T08:36:49.000\",\n\t\"t_last\" : \"2019-06-25T08:36:49.000\",\n\t\"proto\" : 58,\n\t\"src6_addr\" : \"fe80::1\",\n\t\"dst6_addr\" : \"ff02::1\",\n\t\"src_port\" : 0,\n\t\"dst_port\" : 34560,\n\t\"in_packets\" : 1,\n\t\"in_bytes\" : 72\n}\n]\n";
    let (recs, s) = decode(text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "json-nfdump");
    let mut a = rec(
        1_561_451_807_096,
        1_561_451_808_000,
        6,
        ("192.168.1.20", 40001),
        ("93.184.216.34", 443),
    );
    a.packets = 5;
    a.octets = 400;
    a.union_tcp_flags = Some(0x1a);
    a.src_mac = Mac::parse("aa:bb:cc:dd:ee:01");
    a.dst_mac = Mac::parse("11:22:33:44:55:66");
    a.position = Position {
        file: 0,
        line: 1,
        byte: 1,
    };
    let mut b = rec(
        1_561_451_809_000,
        1_561_451_809_000,
        58,
        ("fe80::1", 0),
        ("ff02::1", 34560),
    );
    b.octets = 72;
    let second = text.find("}, {").unwrap() as u64 + 3;
    b.position = Position {
        file: 0,
        line: 22,
        byte: second,
    };
    assert_eq!(recs, vec![a, b]);
}

#[test]
fn zeek_json_lines_with_macs_nested_and_iso_time() {
    let text = concat!(
        "{\"ts\":1540469302.53864,\"uid\":\"C1\",\"id.orig_h\":\"192.168.1.132\",\"id.orig_p\":58687,\"id.resp_h\":\"216.239.35.4\",\"id.resp_p\":123,\"proto\":\"udp\",\"duration\":0.114184,\"orig_bytes\":48,\"resp_bytes\":48,\"conn_state\":\"SF\",\"orig_pkts\":1,\"orig_ip_bytes\":76,\"resp_pkts\":1,\"resp_ip_bytes\":76,\"orig_l2_addr\":\"ec:b5:fa:00:98:da\",\"resp_l2_addr\":\"00:0c:29:aa:bb:cc\"}\n",
        "{\"ts\":\"2018-10-25T12:08:22.538640Z\",\"uid\":\"C2\",\"id\":{\"orig_h\":\"fe80::1\",\"orig_p\":135,\"resp_h\":\"ff02::1\",\"resp_p\":0},\"proto\":\"icmp\",\"orig_pkts\":2,\"orig_ip_bytes\":144,\"resp_pkts\":0,\"resp_ip_bytes\":0}\n",
    );
    let (recs, s) = decode(text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "json-zeek");
    let mut a = rec(
        1_540_469_302_538,
        1_540_469_302_652,
        17,
        ("192.168.1.132", 58687),
        ("216.239.35.4", 123),
    );
    a.octets = 76;
    a.reverse_packets = Some(1);
    a.reverse_octets = Some(76);
    a.position.line = 1;
    a.src_mac = Mac::parse("ec:b5:fa:00:98:da");
    a.dst_mac = Mac::parse("00:0c:29:aa:bb:cc");
    a.source_initiated = true;
    let mut b = rec(
        1_540_469_302_538,
        1_540_469_302_538,
        58,
        ("fe80::1", 135),
        ("ff02::1", 0),
    );
    b.packets = 2;
    b.octets = 144;
    b.reverse_packets = Some(0);
    b.reverse_octets = Some(0);
    b.source_initiated = true;
    b.position = Position {
        file: 0,
        line: 2,
        byte: text.find('\n').unwrap() as u64 + 1,
    };
    assert_eq!(recs, vec![a, b]);
}

#[test]
fn nprobe_pipe_separated_dump() {
    let text = "IPV4_SRC_ADDR|IPV4_DST_ADDR|IN_PKTS|IN_BYTES|OUT_PKTS|OUT_BYTES|FIRST_SWITCHED|LAST_SWITCHED|L4_SRC_PORT|L4_DST_PORT|TCP_FLAGS|PROTOCOL|IN_SRC_MAC|OUT_DST_MAC\n\
192.168.1.20|93.184.216.34|5|400|4|3000|1561451807|1561451809|40001|443|27|6|AA:BB:CC:DD:EE:01|11:22:33:44:55:66\n";
    let (recs, s) = decode(text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "csv-nprobe");
    let mut a = rec(
        1_561_451_807_000,
        1_561_451_809_000,
        6,
        ("192.168.1.20", 40001),
        ("93.184.216.34", 443),
    );
    a.packets = 5;
    a.octets = 400;
    a.reverse_packets = Some(4);
    a.reverse_octets = Some(3000);
    a.union_tcp_flags = Some(27);
    a.src_mac = Mac::parse("aa:bb:cc:dd:ee:01");
    a.dst_mac = Mac::parse("11:22:33:44:55:66");
    a.position = Position {
        file: 0,
        line: 2,
        byte: text.find('\n').unwrap() as u64 + 1,
    };
    assert_eq!(recs, vec![a]);
}

#[test]
fn cicflowmeter_day_first_timestamp_and_microsecond_duration() {
    let text = "Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,TotLen Fwd Pkts,TotLen Bwd Pkts,Flow Byts/s,Label\r\n\
192.168.1.20-93.184.216.34-40001-443-6,192.168.1.20,40001,93.184.216.34,443,6,25/06/2019 08:36:47 AM,1500000,5,4,400,3000,Infinity,Benign\r\n";
    let (recs, s) = decode(text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "csv-cicflowmeter");
    let mut a = rec(
        1_561_451_807_000,
        1_561_451_808_500,
        6,
        ("192.168.1.20", 40001),
        ("93.184.216.34", 443),
    );
    a.packets = 5;
    a.octets = 400;
    a.reverse_packets = Some(4);
    a.reverse_octets = Some(3000);
    a.source_initiated = true;
    a.position = Position {
        file: 0,
        line: 2,
        byte: text.find('\n').unwrap() as u64 + 1,
    };
    assert_eq!(recs, vec![a]);
}

#[test]
fn generic_headers_in_several_separators_bom_crlf_and_quotes() {
    let want = {
        let mut a = rec(
            1_561_451_807_096,
            1_561_451_807_096,
            17,
            ("192.168.1.20", 5353),
            ("224.0.0.251", 5353),
        );
        a.position.line = 2;
        a
    };
    for text in [
        "\u{feff}src_ip,dst_ip,src_port,dst_port,proto,start\r\n192.168.1.20,224.0.0.251,5353,5353,udp,1561451807096\r\n",
        "src_ip;dst_ip;src_port;dst_port;proto;start\n\"192.168.1.20\";224.0.0.251;5353;5353;UDP;2019-06-25T08:36:47.096Z\n",
        "src_ip\tdst_ip\tsrc_port\tdst_port\tproto\tstart\n192.168.1.20\t224.0.0.251\t5353\t5353\t17\t1561451807.096\n",
        "src_ip   dst_ip        src_port dst_port proto start\n192.168.1.20   224.0.0.251  5353  5353  17  1561451807096123\n",
    ] {
        let (recs, s) = decode(text);
        assert!(s.diagnostics.is_empty(), "{text:?}: {:?}", s.diagnostics.kept);
        assert_eq!(s.format, "csv-generic", "{text:?}");
        assert_eq!(recs.len(), 1, "{text:?}");
        let mut got = recs[0].clone();
        got.position.byte = 0;
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn unknown_header_gives_one_diagnostic_and_a_mapping_reads_it() {
    let text = "When,From,To,Kind,Count\n2019-06-25 08:36:47,10.0.0.5,8.8.8.8,17,3\nbad,10.0.0.5,8.8.8.8,17,3\n";
    let (recs, s) = decode(text);
    assert!(recs.is_empty());
    assert_eq!(s.format, "csv");
    assert_eq!(s.diagnostics.total(), 1);
    let d = &s.diagnostics.kept[0];
    assert_eq!((d.kind, d.line), (DiagKind::MissingColumn, Some(1)));
    assert_eq!(
        d.message,
        "cannot tell the flow format from the header (no known column names); needed: start, proto, \
         src_ip, dst_ip (optional: end, duration, src_port, dst_port, src_mac, dst_mac, packets, bytes, \
         rev_packets, rev_bytes, tcp_flags); map them to columns, e.g. --map \
         start=COL,proto=COL,src_ip=COL,dst_ip=COL; header columns: \"When\", \"From\", \"To\", \"Kind\", \
         \"Count\"; no records read from this text"
    );
    let map =
        ColumnMap::parse("start=When,src_ip=from,dst_ip=To,proto=Kind,packets=Count").unwrap();
    let opts = DecodeOptions {
        column_map: map,
        time_zone: None,
    };
    let (recs, s) = decode_with(text.as_bytes(), opts.clone());
    assert_eq!(s.format, "csv-mapped");
    let mut a = rec(
        1_561_451_807_000,
        1_561_451_807_000,
        17,
        ("10.0.0.5", 0),
        ("8.8.8.8", 0),
    );
    a.packets = 3;
    a.position = Position {
        file: 0,
        line: 2,
        byte: 24,
    };
    assert_eq!(recs, vec![a]);
    assert_eq!(s.diagnostics.total(), 1);
    assert_eq!(s.diagnostics.kept[0].column.as_deref(), Some("When"));
    assert_eq!(s.diagnostics.kept[0].line, Some(3));
    // A mapping naming a column the header lacks.
    let opts = DecodeOptions {
        column_map: ColumnMap::parse("start=Time").unwrap(),
        time_zone: None,
    };
    let (_, s) = decode_with(text.as_bytes(), opts);
    assert_eq!(s.diagnostics.total(), 1);
    assert!(s.diagnostics.kept[0]
        .message
        .starts_with("the mapping names column(s) the header lacks: \"Time\";"));
}

#[test]
fn images_and_pdfs_are_rejected_at_once() {
    for (bytes, what) in [
        (&b"\x89PNG\r\n\x1a\n\0\0"[..], "a PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3", "a PDF document"),
    ] {
        let (recs, s) = decode_with(bytes, DecodeOptions::default());
        assert!(recs.is_empty());
        assert_eq!(s.format, "unknown");
        assert_eq!(
            s.diagnostics.kept[0].message,
            format!("not a text file: looks like {what}; no records read")
        );
    }
}

#[test]
fn previews_for_a_mapping_ui() {
    let p = preview(b"When;From;To\n2019-06-25 08:36:47;10.0.0.5;8.8.8.8\n\"x;y\";a;b\ncut");
    assert_eq!(p.syntax, "csv");
    assert_eq!(p.separator.as_deref(), Some(";"));
    assert_eq!(p.dialect, None);
    assert_eq!(p.columns, ["When", "From", "To"]);
    assert_eq!(
        p.rows,
        vec![
            vec!["2019-06-25 08:36:47", "10.0.0.5", "8.8.8.8"],
            vec!["x;y", "a", "b"]
        ]
    );
    let p = preview(&read(ZEEK)[..2000]);
    assert_eq!(
        (p.syntax.as_str(), p.dialect),
        ("tsv-zeek", Some(Dialect::Zeek))
    );
    assert_eq!(p.columns.len(), 23);
    assert_eq!(p.columns[22], "detailed-label");
    assert_eq!(p.rows[0][2], "192.168.1.132");
    assert_eq!(p.rows[0][21], "benign");
    let p = preview(&read(
        "nemea-siot/voice-assistant/google-mini/google-quiet.json",
    ));
    assert_eq!(
        (p.syntax.as_str(), p.dialect, p.rows.len()),
        ("json", Some(Dialect::Joy), 5)
    );
    let p = preview(&read("unsw-ipfix-iot-2019/mouse_computer_room_hub.zip")[..20_000]);
    assert_eq!(p.dialect, Some(Dialect::Ipfix));
    assert_eq!(p.columns.len(), 55);
    let p = preview(b"%PDF-1.7");
    assert_eq!(
        p.problem.as_deref(),
        Some("not a text file: looks like a PDF document")
    );
}

/// One flow written in several dialects.
#[derive(Clone, Debug)]
struct Flow {
    start_ms: i64,
    dur_ms: i64,
    proto: u8,
    src: [u8; 4],
    dst: [u8; 4],
    sport: u16,
    dport: u16,
    pkts: u64,
    bytes: u64,
    rpkts: u64,
    rbytes: u64,
    /// initial, union and reverse initial TCP flags: only super_mediator writes them.
    flags: [u8; 3],
}

fn ip(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

fn ipfix_csv(flows: &[Flow]) -> String {
    let mut s = String::from("flowStartMilliseconds,flowEndMilliseconds,protocolIdentifier,sourceIPv4Address,sourceTransportPort,destinationIPv4Address,destinationTransportPort,packetTotalCount,octetTotalCount,reversePacketTotalCount,reverseOctetTotalCount\n");
    for f in flows {
        s += &format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            f.start_ms,
            f.start_ms + f.dur_ms,
            f.proto,
            ip(f.src),
            f.sport,
            ip(f.dst),
            f.dport,
            f.pkts,
            f.bytes,
            f.rpkts,
            f.rbytes
        );
    }
    s
}

fn zeek_tsv(flows: &[Flow]) -> String {
    let mut s = String::from("#separator \\x09\n#unset_field\t-\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tduration\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\n");
    for f in flows {
        let proto = match f.proto {
            6 => "tcp".to_string(),
            17 => "udp".to_string(),
            p => p.to_string(),
        };
        s += &format!(
            "{}.{:03}\tC\t{}\t{}\t{}\t{}\t{}\t{}.{:03}\t{}\t{}\t{}\t{}\n",
            f.start_ms / 1000,
            f.start_ms % 1000,
            ip(f.src),
            f.sport,
            ip(f.dst),
            f.dport,
            proto,
            f.dur_ms / 1000,
            f.dur_ms % 1000,
            f.pkts,
            f.bytes,
            f.rpkts,
            f.rbytes
        );
    }
    s
}

fn cic_csv(flows: &[Flow]) -> String {
    let mut s = String::from("Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,TotLen Fwd Pkts,TotLen Bwd Pkts\n");
    for f in flows {
        let t = svcprint_flow::format_rfc3339_ms(f.start_ms);
        // 2019-06-25T08:36:47.096Z -> 25/06/2019 08:36:47.096
        let day_first = format!("{}/{}/{} {}", &t[8..10], &t[5..7], &t[0..4], &t[11..23]);
        s += &format!(
            "x,{},{},{},{},{},{},{},{},{},{},{}\n",
            ip(f.src),
            f.sport,
            ip(f.dst),
            f.dport,
            f.proto,
            day_first,
            f.dur_ms * 1000,
            f.pkts,
            f.rpkts,
            f.bytes,
            f.rbytes
        );
    }
    s
}

fn joy_json(flows: &[Flow]) -> String {
    let mut s = String::new();
    for f in flows {
        s += &format!(
            "{{\"sa\": \"{}\", \"da\": \"{}\", \"pr\": {}, \"sp\": {}, \"dp\": {}, \"bytes_out\": {}, \"num_pkts_out\": {}, \"bytes_in\": {}, \"num_pkts_in\": {}, \"time_start\": {}.{:03}, \"time_end\": {}.{:03}, \"ppi\": [{{\"b\": 1}}]}}\n",
            ip(f.src), ip(f.dst), f.proto, f.sport, f.dport, f.bytes, f.pkts, f.rbytes, f.rpkts,
            f.start_ms / 1000, f.start_ms % 1000, (f.start_ms + f.dur_ms) / 1000, (f.start_ms + f.dur_ms) % 1000
        );
    }
    s
}

/// UTC `YYYY-MM-DD HH:MM:SS.mmm`, as super_mediator prints times.
fn sm_time(ms: i64) -> String {
    let t = svcprint_flow::format_rfc3339_ms(ms);
    format!("{} {}", &t[0..10], &t[11..23])
}

/// TCP flags as super_mediator's `md_util_print_tcp_flags` spells them (1.x: `0` for none).
fn sm_flags(f: u8, none: &str) -> String {
    let s: String = [
        (0x40, 'E'),
        (0x80, 'C'),
        (0x20, 'U'),
        (0x10, 'A'),
        (0x08, 'P'),
        (0x04, 'R'),
        (0x02, 'S'),
        (0x01, 'F'),
    ]
    .iter()
    .filter(|(bit, _)| f & bit != 0)
    .map(|(_, c)| *c)
    .collect();
    if s.is_empty() {
        none.to_string()
    } else {
        s
    }
}

/// super_mediator 1.x default TEXT (see `SM_HEADER`), with or without its header line.
fn sm1_text(flows: &[Flow], header: bool) -> String {
    let mut s = String::from(if header { SM_HEADER } else { "" });
    for f in flows {
        s += &format!(
            "{}|{}|{:8.3}|{:8.3}|{:3}|{:>40}|{:5}|{:8}|{:8}|00|00:00:00:00:00:00|{:>40}|{:5}|{:8}|{:8}|00|00:00:00:00:00:00|{:>8}|{:>8}|{:>8}|{:>8}|00000000|00000000|    0|    0|000|    0| 00|  idle|\n",
            sm_time(f.start_ms),
            sm_time(f.start_ms + f.dur_ms),
            f.dur_ms as f64 / 1000.0,
            0.0,
            f.proto,
            ip(f.src),
            f.sport,
            f.pkts,
            f.bytes,
            ip(f.dst),
            f.dport,
            f.rpkts,
            f.rbytes,
            sm_flags(f.flags[0], "0"),
            sm_flags(f.flags[1], "0"),
            sm_flags(f.flags[2], "0"),
            sm_flags(0, "0"),
        );
    }
    s
}

/// super_mediator 2.0 TEXT with FIELDS and PRINT_HEADER (element names, a delimiter after
/// every value).
fn sm2_text(flows: &[Flow]) -> String {
    let mut s = String::from("flowStartMilliseconds|flowEndMilliseconds|protocolIdentifier|sourceIPv4Address|sourceTransportPort|destinationIPv4Address|destinationTransportPort|packetTotalCount|octetTotalCount|reversePacketTotalCount|reverseOctetTotalCount|initialTCPFlags|unionTCPFlags|reverseInitialTCPFlags\n");
    for f in flows {
        s += &format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|\n",
            sm_time(f.start_ms),
            sm_time(f.start_ms + f.dur_ms),
            f.proto,
            ip(f.src),
            f.sport,
            ip(f.dst),
            f.dport,
            f.pkts,
            f.bytes,
            f.rpkts,
            f.rbytes,
            sm_flags(f.flags[0], ""),
            sm_flags(f.flags[1], ""),
            sm_flags(f.flags[2], ""),
        );
    }
    s
}

fn flow() -> impl Strategy<Value = Flow> {
    (
        1_000_000_000_000i64..2_000_000_000_000,
        0i64..100_000,
        prop_oneof![Just(6u8), Just(17u8), Just(47u8)],
        any::<[u8; 4]>(),
        any::<[u8; 4]>(),
        any::<u16>(),
        any::<u16>(),
        (0u64..1 << 40, 0u64..1 << 40, 0u64..1 << 40, 0u64..1 << 40),
        any::<[u8; 3]>(),
    )
        .prop_map(
            |(
                start_ms,
                dur_ms,
                proto,
                src,
                dst,
                sport,
                dport,
                (pkts, bytes, rpkts, rbytes),
                flags,
            )| {
                Flow {
                    start_ms,
                    dur_ms,
                    proto,
                    src,
                    dst,
                    sport,
                    dport,
                    pkts,
                    bytes,
                    rpkts,
                    rbytes,
                    flags,
                }
            },
        )
}

fn without_positions(mut v: Vec<FlowRecord>) -> Vec<FlowRecord> {
    for r in &mut v {
        r.position = Position::default();
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The same biflows written as IPFIX CSV, Zeek TSV, CICFlowMeter CSV, Joy NDJSON and
    /// super_mediator 1.x (with or without its header) and 2.0 text give the same records;
    /// every dialect gives the same result in any chunking. Only super_mediator writes TCP
    /// flags: those are checked against the flows, then left out of the comparison.
    #[test]
    fn same_flows_in_six_dialects(flows in prop::collection::vec(flow(), 1..20), cut in 1usize..50) {
        let texts = [
            ipfix_csv(&flows),
            zeek_tsv(&flows),
            cic_csv(&flows),
            joy_json(&flows),
            sm1_text(&flows, cut % 2 == 0),
            sm2_text(&flows),
        ];
        let formats = ["csv-ipfix", "tsv-zeek", "csv-cicflowmeter", "json-joy", "csv-super_mediator", "csv-ipfix"];
        let mut all = Vec::new();
        for (i, (t, f)) in texts.iter().zip(formats).enumerate() {
            let whole = decode(t);
            prop_assert!(whole.1.diagnostics.is_empty(), "{}: {:?}", f, whole.1.diagnostics.kept);
            prop_assert_eq!(whole.1.format.as_str(), f);
            prop_assert_eq!(whole.0.len(), flows.len());
            let parts = chunked(t.as_bytes(), cut);
            prop_assert!(parts == whole, "{} chunked by {}", f, cut);
            let mut recs = without_positions(whole.0);
            if i >= 4 {
                let some = |x: u8| if i == 5 && x == 0 { None } else { Some(x) };
                for (r, fl) in recs.iter_mut().zip(&flows) {
                    let got = (r.initial_tcp_flags, r.union_tcp_flags, r.reverse_initial_tcp_flags);
                    prop_assert_eq!(got, (some(fl.flags[0]), some(fl.flags[1]), some(fl.flags[2])), "{}", f);
                    (r.initial_tcp_flags, r.union_tcp_flags, r.reverse_initial_tcp_flags) = (None, None, None);
                }
            }
            all.push(recs);
        }
        for (i, recs) in all.iter().enumerate().skip(1) {
            prop_assert_eq!(recs, &all[0], "{} (#{}) differs from csv-ipfix", formats[i], i);
        }
    }
}

/// Byte offset of the start of each line after the first.
fn line_starts(text: &str) -> Vec<u64> {
    text.match_indices('\n')
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

#[test]
fn nfdump_17_csv_fast() {
    // nfdump 1.7 `-o csv-fast`: header and row layout from nfdump src/output/output_csv.c
    // (csv_prolog_fast, csv_record_fast): record counter, address family, first/last in
    // Unix milliseconds, protocol number, flag string (TCP only), input packets/bytes.
    let text = "cnt,af,firstSeen,lastSeen,proto,srcAddr,srcPort,dstAddr,dstPort,srcAS,dstAS,input,output,flags,srcTos,packets,bytes\n\
1,2,1561451807096,1561451808000,6,192.168.1.20,40001,93.184.216.34,443,0,0,0,0,...AP.S.,0,5,400\n\
2,10,1561451809000,1561451809000,17,fe80::1,5353,ff02::fb,5353,0,0,0,0,........,0,1,120\n";
    let (recs, s) = decode(text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "csv-nfdump");
    let nl = line_starts(text);
    let mut a = rec(
        1_561_451_807_096,
        1_561_451_808_000,
        6,
        ("192.168.1.20", 40001),
        ("93.184.216.34", 443),
    );
    a.packets = 5;
    a.octets = 400;
    a.union_tcp_flags = Some(0x1a);
    a.position = Position {
        file: 0,
        line: 2,
        byte: nl[0],
    };
    let mut b = rec(
        1_561_451_809_000,
        1_561_451_809_000,
        17,
        ("fe80::1", 5353),
        ("ff02::fb", 5353),
    );
    b.octets = 120;
    b.union_tcp_flags = Some(0);
    b.position = Position {
        file: 0,
        line: 3,
        byte: nl[1],
    };
    assert_eq!(recs, vec![a, b]);
}

#[test]
fn fdsdump_csv_and_json_with_aliases() {
    // fdsdump (CESNET/ipfixcol2 src/tools/fdsdump/src/lister/csvPrinter.cpp): the header
    // is the requested field list as given; `timestamp=unix` prints Unix milliseconds;
    // biflows are split into a forward and a reverse row (one-way each). The field list
    // is the one CESNET's own test suite passes to fdsdump (FDSDUMP_CSV_FIELDS =
    // "flowstart,flowend,proto,srcip,dstip,srcport,dstport,packets,bytes").
    let csv = "flowstart,flowend,proto,srcip,dstip,srcport,dstport,packets,bytes\n\
1561451807096,1561451808000,6,192.168.1.20,93.184.216.34,40001,443,5,400\n\
1561451807120,1561451807990,6,93.184.216.34,192.168.1.20,443,40001,4,3000\n";
    let (recs, s) = decode(csv);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "csv-ipfix");
    let nl = line_starts(csv);
    let mut a = rec(
        1_561_451_807_096,
        1_561_451_808_000,
        6,
        ("192.168.1.20", 40001),
        ("93.184.216.34", 443),
    );
    a.packets = 5;
    a.octets = 400;
    a.position = Position {
        file: 0,
        line: 2,
        byte: nl[0],
    };
    let mut b = rec(
        1_561_451_807_120,
        1_561_451_807_990,
        6,
        ("93.184.216.34", 443),
        ("192.168.1.20", 40001),
    );
    b.packets = 4;
    b.octets = 3000;
    b.position = Position {
        file: 0,
        line: 3,
        byte: nl[1],
    };
    assert_eq!(recs, vec![a.clone(), b.clone()]);
    // The same rows from jsonPrinter.cpp: "[" then "\n " before the first object,
    // ",\n " between objects, "\n]\n" at the end; member names are the field names.
    let json = "[\n {\"flowstart\":1561451807096,\"flowend\":1561451808000,\"proto\":6,\"srcip\":\"192.168.1.20\",\"dstip\":\"93.184.216.34\",\"srcport\":40001,\"dstport\":443,\"packets\":5,\"bytes\":400},\n {\"flowstart\":1561451807120,\"flowend\":1561451807990,\"proto\":6,\"srcip\":\"93.184.216.34\",\"dstip\":\"192.168.1.20\",\"srcport\":443,\"dstport\":40001,\"packets\":4,\"bytes\":3000}\n]\n";
    let (jrecs, s) = decode(json);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "json-ipfix");
    a.position = Position {
        file: 0,
        line: 2,
        byte: 3,
    };
    b.position = Position {
        file: 0,
        line: 3,
        byte: json.find(",\n {").unwrap() as u64 + 3,
    };
    assert_eq!(jrecs, vec![a, b]);
}

#[test]
fn joy_without_reverse_counters() {
    // A one-way Joy record: only the `_out` pair, as in Joy's documented sample output
    // (the `_in` members are reverse counters). Hand-written; Joy's source was not
    // checked for exactly when it omits `_in`. Absent `_in` counters read as 0.
    let text = "{\"sa\":\"192.168.3.110\",\"da\":\"239.255.255.250\",\"pr\":17,\"sp\":50000,\"dp\":1900,\"bytes_out\":175,\"num_pkts_out\":1,\"time_start\":1528288498.812,\"time_end\":1528288498.812}\n";
    let (recs, s) = decode(text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "json-joy");
    let mut a = rec(
        1_528_288_498_812,
        1_528_288_498_812,
        17,
        ("192.168.3.110", 50000),
        ("239.255.255.250", 1900),
    );
    a.octets = 175;
    a.source_initiated = true;
    a.reverse_packets = Some(0);
    a.reverse_octets = Some(0);
    a.position = Position {
        file: 0,
        line: 1,
        byte: 0,
    };
    assert_eq!(recs, vec![a]);
}

// super_mediator 1.x default TEXT exporter. Layout from the CERT NetSA super_mediator 1.x
// sources (github.com/movsoftware/super_mediator): field order `mdCreateBasicFlowList` and
// printf formats `mdSetFieldListDecoratorBasic` (src/mediator_core.c), field printers and the
// `PRINT_HEADER` line `mdPrintBasicHeader` (src/mediator_print.c), other record kinds in the
// TEXT exporter section of src/super_mediator.conf.pod (`stats|…`, DPI `irc|125|…`).
// Times UTC `%Y-%m-%d %H:%M:%S.mmm`; `%8.3f` seconds; `%40s` addresses; MACs with the
// trailing colon `mdPrintMAC` leaves (`00:00:00:00:00:00` when none); flags `ECUAPRSF`
// letters, `0` for none; ICMPv4 `sp` = type, `dp` = code; payload hexdumps after the line.
const SM_HEADER: &str = "start-time             |end-time               |dur     |rtt     |pro|sip                                     |sp   |pkt     |oct     |at|srcMacAddr       |dip                                     |dp   |rpkt    |roct    |ra|destMacAddr      |iflags  |uflags  |riflags |ruflags |isn     |risn    |in   |out  |tag|app  |tos|end   |collector\n";
const SM_TCP: &str = "2019-06-25 08:36:47.096|2019-06-25 08:36:48.346|   1.250|   0.012|  6|                            192.168.1.20|40001|       5|     400|00|aa:bb:cc:dd:ee:01:|                           93.184.216.34|  443|       4|    3000|00|11:22:33:44:55:66:|       S|    APSF|      AS|     APF|b3332bea|ead9dce8|    0|    0|000|  443| 00|  idle|C1\n";
const SM_UDP: &str = "2019-06-25 08:36:49.000|2019-06-25 08:36:49.000|   0.000|   0.000| 17|                            192.168.1.20| 5353|       1|     120|00|00:00:00:00:00:00|                             224.0.0.251| 5353|       0|       0|00|00:00:00:00:00:00|       0|       0|       0|       0|00000000|00000000|    0|    0|000|    0| 00|  idle|C1\n";
const SM_ICMP: &str = "2019-06-25 08:36:50.500|2019-06-25 08:36:50.520|   0.020|   0.020|  1|                            192.168.1.20|    8|       1|      84|00|aa:bb:cc:dd:ee:01:|                                 8.8.8.8|    0|       1|      84|00|11:22:33:44:55:66:|       0|       0|       0|       0|00000000|00000000|    0|    0|000|    0| 00|   eof|C1\n";

/// The three flows of the super_mediator fixtures, positions left at 0.
fn sm_expected() -> Vec<FlowRecord> {
    let mac_a = Mac::parse("aa:bb:cc:dd:ee:01");
    let mac_b = Mac::parse("11:22:33:44:55:66");
    let mut a = rec(
        1_561_451_807_096,
        1_561_451_808_346,
        6,
        ("192.168.1.20", 40001),
        ("93.184.216.34", 443),
    );
    a.packets = 5;
    a.octets = 400;
    a.reverse_packets = Some(4);
    a.reverse_octets = Some(3000);
    a.src_mac = mac_a;
    a.dst_mac = mac_b;
    a.initial_tcp_flags = Some(0x02);
    a.union_tcp_flags = Some(0x1b);
    a.reverse_initial_tcp_flags = Some(0x12);
    a.source_initiated = true;
    let mut b = rec(
        1_561_451_809_000,
        1_561_451_809_000,
        17,
        ("192.168.1.20", 5353),
        ("224.0.0.251", 5353),
    );
    b.octets = 120;
    b.reverse_packets = Some(0);
    b.reverse_octets = Some(0);
    b.initial_tcp_flags = Some(0);
    b.union_tcp_flags = Some(0);
    b.reverse_initial_tcp_flags = Some(0);
    b.source_initiated = true;
    let mut c = rec(
        1_561_451_810_500,
        1_561_451_810_520,
        1,
        ("192.168.1.20", 8),
        ("8.8.8.8", 0),
    );
    c.octets = 84;
    c.reverse_packets = Some(1);
    c.reverse_octets = Some(84);
    c.src_mac = mac_a;
    c.dst_mac = mac_b;
    c.initial_tcp_flags = Some(0);
    c.union_tcp_flags = Some(0);
    c.reverse_initial_tcp_flags = Some(0);
    c.source_initiated = true;
    vec![a, b, c]
}

/// `want` with the positions of the rows that start with `rows` in `text`.
fn at_rows(mut want: Vec<FlowRecord>, text: &str, rows: &[&str]) -> Vec<FlowRecord> {
    for (r, row) in want.iter_mut().zip(rows) {
        let byte = text.find(row).unwrap();
        r.position = Position {
            file: 0,
            line: text[..byte].matches('\n').count() as u64 + 1,
            byte: byte as u64,
        };
    }
    want
}

#[test]
fn super_mediator_1x_text_with_print_header() {
    let text = [
        SM_HEADER,
        SM_TCP,
        "irc|125|NICK nickname\n",
        "stats|2|56|0|0|0|0|2|1|10.20.11.51|0|131|3685\n",
        SM_UDP,
        SM_ICMP,
        "\n",
        "  ->  0000: 08 00 4d 5a 00 01 00 01 61 62 63 64 65 66 67 68  ..MZ....abcdefgh\n",
        " <-  0000: 00 00 55 5a 00 01 00 01 61 62 63 64 65 66 67 68  ..UZ....abcdefgh\n",
    ]
    .concat();
    let (recs, s) = decode(&text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "csv-super_mediator");
    let want = at_rows(sm_expected(), &text, &[SM_TCP, SM_UDP, SM_ICMP]);
    assert_eq!(recs, want);
    assert_eq!(
        (recs[1].position.line, recs[2].position.line),
        (5, 6),
        "DPI and stats lines counted, not decoded"
    );
    // super_mediator writes UTC (gmtime_r): a time zone for zone-less text does not apply.
    let opts = DecodeOptions {
        time_zone: UtcOffset::parse("+02:00"),
        ..DecodeOptions::default()
    };
    assert_eq!(decode_with(text.as_bytes(), opts).0, want);
    for size in [1, 7, 100] {
        assert!(
            chunked(text.as_bytes(), size).0 == recs,
            "chunk size {size}"
        );
    }
}

#[test]
fn super_mediator_1x_default_text_has_no_header() {
    // Without PRINT_HEADER (the default) the file starts with a flow line; a row that does
    // not read is still reported, with the layout's column name.
    let bad = SM_UDP.replace("224.0.0.251", "224.0.0.999");
    let text = [
        SM_TCP,
        SM_UDP,
        bad.as_str(),
        "stats|2|56|0|0|0|0|2|1|10.20.11.51|0|131|3685\n",
        SM_ICMP,
    ]
    .concat();
    let (recs, s) = decode(&text);
    assert_eq!(s.format, "csv-super_mediator");
    assert_eq!(
        recs,
        at_rows(sm_expected(), &text, &[SM_TCP, SM_UDP, SM_ICMP])
    );
    assert_eq!(
        recs[0].position,
        Position {
            file: 0,
            line: 1,
            byte: 0
        }
    );
    assert_eq!(s.diagnostics.total(), 1);
    let d = &s.diagnostics.kept[0];
    assert_eq!(
        (d.kind, d.line, d.column.as_deref()),
        (DiagKind::BadValue, Some(3), Some("dip"))
    );
    // Any single-character DELIMITER: the same layout with commas.
    let commas = [SM_TCP, SM_UDP].concat().replace('|', ",");
    let (recs, s) = decode(&commas);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "csv-super_mediator");
    assert_eq!(without_positions(recs), sm_expected()[..2].to_vec());
    // The preview shows the layout's column names over the first rows.
    let p = preview(text.as_bytes());
    assert_eq!(
        (p.syntax.as_str(), p.dialect),
        ("csv", Some(Dialect::SuperMediator))
    );
    assert_eq!(p.separator.as_deref(), Some("|"));
    assert_eq!(p.columns.len(), 30);
    assert_eq!(
        (p.columns[0].as_str(), p.columns[29].as_str()),
        ("start-time", "collector")
    );
    assert_eq!(p.rows[0][5], "192.168.1.20");
    assert_eq!(p.rows[1][11], "224.0.0.251");
}

#[test]
fn super_mediator_2_text_with_element_names() {
    // super_mediator 2.0 TEXT exporter (CERT NetSA super_mediator 2.0.0, as published in
    // github.com/Fidelis-Farm-Technologies/cert-nsa-super_mediator): PRINT_HEADER prints the
    // FIELDS element names joined by the delimiter (`mdPrintBasicHeader`,
    // src/mediator_print.c); without FIELDS the list is `mdCreateBasicFlowList`
    // (src/mediator_core.c; SIP_ANY / DIP_ANY print as sourceIPv4Address /
    // destinationIPv4Address, COLLECTOR as interfaceName). `mdPrintFieldEntry` writes the
    // delimiter after every value, the last one too. Values (`mdPrintRecordValue`): times
    // `YYYY-MM-DD HH:MM:SS.mmm` UTC, flowDurationMilliseconds and
    // reverseFlowDeltaMilliseconds as seconds `%ld.%03ld`, TCP flags as letters (nothing
    // for none), MACs `%02x:…`, all-zero MAC when absent, ICMP type*256+code in the
    // destination port as YAF exports it. A `stats|…` line is another record kind.
    let header = "flowStartMilliseconds|flowEndMilliseconds|flowDurationMilliseconds|reverseFlowDeltaMilliseconds|protocolIdentifier|sourceIPv4Address|sourceTransportPort|packetTotalCount|octetTotalCount|flowAttributes|sourceMacAddress|destinationIPv4Address|destinationTransportPort|reversePacketTotalCount|reverseOctetTotalCount|reverseFlowAttributes|destinationMacAddress|initialTCPFlags|unionTCPFlags|reverseInitialTCPFlags|reverseUnionTCPFlags|tcpSequenceNumber|reverseTcpSequenceNumber|ingressInterface|egressInterface|vlanId|reverseVlanId|silkAppLabel|ipClassOfService|flowEndReason|interfaceName\n";
    let tcp = "2019-06-25 08:36:47.096|2019-06-25 08:36:48.346|1.250|0.012|6|192.168.1.20|40001|5|400|0|aa:bb:cc:dd:ee:01|93.184.216.34|443|4|3000|0|11:22:33:44:55:66|S|APSF|AS|APF|3006475242|3940146408|0|0|0|0|443|0|idle|C1|\n";
    let udp = "2019-06-25 08:36:49.000|2019-06-25 08:36:49.000|0.000|0.000|17|192.168.1.20|5353|1|120|0|00:00:00:00:00:00|224.0.0.251|5353|0|0|0|00:00:00:00:00:00|||||0|0|0|0|0|0|0|0|idle|C1|\n";
    let icmp = "2019-06-25 08:36:50.500|2019-06-25 08:36:50.520|0.020|0.020|1|192.168.1.20|0|1|84|0|aa:bb:cc:dd:ee:01|8.8.8.8|2048|1|84|0|11:22:33:44:55:66|||||0|0|0|0|0|0|0|0|eof|C1|\n";
    let text = [
        header,
        tcp,
        "stats|2|56|0|0|0|0|2|1|10.20.11.51|0|131|3685\n",
        udp,
        icmp,
    ]
    .concat();
    let (recs, s) = decode(&text);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "csv-ipfix");
    let mut want = at_rows(sm_expected(), &text, &[tcp, udp, icmp]);
    for r in &mut want[1..] {
        // no flags on these flows: super_mediator 2 prints nothing
        (
            r.initial_tcp_flags,
            r.union_tcp_flags,
            r.reverse_initial_tcp_flags,
        ) = (None, None, None);
    }
    (want[2].src_port, want[2].dst_port) = (0, 2048);
    assert_eq!(recs, want);
    // The same rows without the trailing delimiter read the same.
    let trimmed = text.replace("|\n", "\n");
    assert_eq!(
        without_positions(decode(&trimmed).0),
        without_positions(want)
    );
}

#[test]
fn ipfixcol2_json_biflow_raw_and_formatted() {
    // ipfixcol2's JSON output converts each record with libfds `fds_drec2json`. A biflow
    // with the values of libfds's own converter test (tests/unit_tests/converters/json.cpp,
    // Drec_biflow) in raw mode (`timestamp=unix`, `protocol=raw`): reverse fields are named
    // `iana@reverse:…@reverse`, and timestamps are Unix milliseconds even for
    // flowStart/EndNanoseconds; repeated elements become arrays (not read).
    let raw = "{\"@type\":\"ipfix.entry\",\"iana:sourceTransportPort\":1234,\"iana:sourceIPv6Address\":\"2001:db8::2:1\",\"iana:destinationTransportPort\":8754,\"iana:destinationIPv6Address\":\"fe80::fea9:6fc4:2e98:cdb2\",\"iana:protocolIdentifier\":17,\"iana:flowStartNanoseconds\":1522670362000,\"iana:flowEndNanoseconds\":1522670373000,\"iana@reverse:flowStartNanoseconds@reverse\":1522670364000,\"iana@reverse:flowEndNanoseconds@reverse\":1522670369000,\"iana:applicationName\":\"firefox\",\"iana:applicationDescription\":\"linux/web browser\",\"iana:interfaceName\":[\"\",\"enp0s31f6\"],\"iana:octetDeltaCount\":1234567,\"iana:packetDeltaCount\":12345,\"iana@reverse:octetDeltaCount@reverse\":7654321,\"iana@reverse:packetDeltaCount@reverse\":54321}\n";
    let (recs, s) = decode(raw);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    assert_eq!(s.format, "json-ipfix");
    let mut a = rec(
        1_522_670_362_000,
        1_522_670_373_000,
        17,
        ("2001:db8::2:1", 1234),
        ("fe80::fea9:6fc4:2e98:cdb2", 8754),
    );
    a.packets = 12345;
    a.octets = 1_234_567;
    a.reverse_packets = Some(54321);
    a.reverse_octets = Some(7_654_321);
    a.source_initiated = true;
    a.position.line = 1;
    assert_eq!(recs, vec![a]);
    // The plugin's default formatting (its README example): ISO 8601 UTC times, protocol
    // names, TCP flags as `.AP.S.` (URG ACK PSH RST SYN FIN); a uniflow record.
    let formatted = "{\"@type\":\"ipfix.entry\",\"iana:octetDeltaCount\":3568720,\"iana:packetDeltaCount\":2383,\"iana:flowStartMilliseconds\":\"2018-05-11T19:44:29.006Z\",\"iana:flowEndMilliseconds\":\"2018-05-11T19:44:30.364Z\",\"iana:ingressInterface\":1,\"iana:ipVersion\":4,\"iana:sourceIPv4Address\":\"192.168.0.100\",\"iana:destinationIPv4Address\":\"192.168.0.101\",\"iana:ipClassOfService\":0,\"iana:ipTTL\":62,\"iana:protocolIdentifier\":\"TCP\",\"iana:tcpControlBits\":\".AP.S.\",\"iana:sourceTransportPort\":47200,\"iana:destinationTransportPort\":20810,\"iana:egressInterface\":0,\"iana:samplingInterval\":0,\"iana:samplingAlgorithm\":0}\n";
    let (recs, s) = decode(formatted);
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics.kept);
    let mut b = rec(
        1_526_067_869_006,
        1_526_067_870_364,
        6,
        ("192.168.0.100", 47200),
        ("192.168.0.101", 20810),
    );
    b.packets = 2383;
    b.octets = 3_568_720;
    b.union_tcp_flags = Some(0x1a);
    b.position.line = 1;
    assert_eq!(recs, vec![b]);
}
