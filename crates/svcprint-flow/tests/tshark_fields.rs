//! tshark as field-value oracle for every file of the flow-export corpus.
//!
//! `tests/oracle/tshark_fields.json` holds, per file of every session group of
//! `tests/oracle/groups.py`, how many flow records tshark 4.0's cflow dissector shows
//! (data records, not options, with both addresses) and the values of some of them
//! (all when a file has at most 8, else the first three, the middle and the last),
//! each turned into the `FlowRecord` it must give (`tests/oracle/tshark_fields.py`
//! says how). The test decodes every group with our decoder, from the corpus at run
//! time, and checks that each file gives as many flows as tshark shows and that every
//! golden record is among its flows with every field equal (all but `position`). Where
//! tshark and we disagree, the exception is listed below with its reason, read from
//! the bytes; an exception that no longer happens fails the test too.
//!
//! Regenerate the golden file (needs tshark and mergecap, Debian package `tshark`):
//! `python3 tests/oracle/tshark_fields.py ../../../shared/corpus > tests/oracle/tshark_fields.json`
//! from this crate's folder.

use serde::Deserialize;
use std::net::IpAddr;
use std::path::PathBuf;
use svcprint_flow::{FlowRecord, Limits, Mac, Session};

const GOLDEN: &str = include_str!("oracle/tshark_fields.json");

fn corpus() -> PathBuf {
    let dir = std::env::var_os("SVCPRINT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    assert!(
        dir.join("logstash-codec-netflow").is_dir(),
        "flow-export corpus not found at {} (set SVCPRINT_CORPUS)",
        dir.display()
    );
    dir
}

#[derive(Deserialize)]
struct Golden {
    tshark: String,
    groups: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    group: String,
    files: Vec<File>,
}

#[derive(Deserialize)]
struct File {
    file: String,
    flows: usize,
    records: Vec<Rec>,
}

#[derive(Deserialize, Debug)]
struct Rec {
    i: usize,
    frame: u64,
    src: IpAddr,
    dst: IpAddr,
    sport: u16,
    dport: u16,
    proto: u8,
    pkts: u64,
    octs: u64,
    start: i64,
    end: i64,
    smac: Option<String>,
    dmac: Option<String>,
    rpkts: Option<u64>,
    rocts: Option<u64>,
    flags: Option<u16>,
    iflags: Option<u8>,
    riflags: Option<u8>,
    icmp: Option<u16>,
    #[serde(default)]
    init: bool,
}

impl Rec {
    /// The flow record tshark's values must give (position left default).
    fn expected(&self) -> FlowRecord {
        let mac = |m: &Option<String>| {
            m.as_deref()
                .map(|s| Mac::parse(s).unwrap_or_else(|| panic!("MAC {s}")))
        };
        let mut r = FlowRecord::new(
            self.start,
            self.end,
            self.proto,
            (self.src, self.sport),
            (self.dst, self.dport),
        );
        (r.packets, r.octets) = (self.pkts, self.octs);
        (r.reverse_packets, r.reverse_octets) = (self.rpkts, self.rocts);
        (r.src_mac, r.dst_mac) = (mac(&self.smac), mac(&self.dmac));
        // tcpControlBits may be 2 bytes (RFC 7125: NS and the header-length nibble above
        // the classic 8 flags); a FlowRecord keeps the 8 flags of the low byte.
        r.union_tcp_flags = self.flags.map(|f| (f & 0xff) as u8);
        r.initial_tcp_flags = self.iflags;
        r.reverse_initial_tcp_flags = self.riflags;
        r.icmp_type_code = self.icmp;
        r.source_initiated = self.init;
        r
    }
}

/// Files where tshark shows another number of flows than we decode:
/// (file, tshark's flows, ours, why, from the bytes). The per-group counts and the same
/// reasons are in `tests/exports.rs`.
const COUNT_EXCEPTIONS: &[(&str, usize, usize, &str)] = &[
    (
        "logstash-codec-netflow/netflow5_test_invalid01.dat",
        30,
        0,
        "v5 header count 55582 (> 30, the v5 maximum) in a 1464-byte datagram: tshark reads \
         the 30 records that fit, we reject a datagram whose count and length disagree",
    ),
    (
        "logstash-codec-netflow/netflow5_test_invalid02.dat",
        30,
        0,
        "v5 header count 163 (> 30) in a 1464-byte datagram: as invalid01",
    ),
    (
        "logstash-codec-netflow/netflow9_test_h3c_data3281.dat",
        1,
        16,
        "template 3281 gives sourceIPv4Prefix (IE 43) 2 bytes: tshark throws 'IPv4 address \
         with length 2' in the first record and drops the rest of the datagram; the \
         template fixes the record length (80), so the 16 one-record flowsets of the \
         1364-byte datagram (20 + 16 x 84) frame cleanly",
    ),
    (
        "logstash-codec-netflow/netflow9_test_invalid01.dat",
        0,
        2,
        "header count 2, but 2 templates, 1 options template, 1 options record and 2 data \
         records whose flowset lengths (60, 60, 22, 16, 70, 44) fill the 292 bytes: tshark \
         stops after `count` records, we frame by flowset length (RFC 3954 5.1)",
    ),
    (
        "akvorado/data+templates.pcap",
        10,
        21,
        "data set 257 (660 bytes, 11 records of 60) comes before template 257 in the same \
         datagram: tshark drops it, we hold it and decode it when the template arrives \
         (header count 24 = 11 + 1 + 1 + 1 + 10)",
    ),
    (
        "ipfixcol/messages/tcp/normal/withdrawn-test-complex/4-data",
        5,
        4,
        "file 3 withdraws template 258 (field count 0, RFC 7011 8.1): tshark 4.0 ignores \
         withdrawals and decodes the 1-record set 258 of this file with the withdrawn \
         template, we report missing_template",
    ),
    (
        "graylog-plugin-netflow/netflow-v9-1.dat",
        0,
        6,
        "two v9 datagrams glued, whose exporter counts only data records (count 2, then \
         4): tshark stops after `count` records (the two templates), we decode the 2 + 4 \
         data records",
    ),
    (
        "graylog-plugin-netflow/netflow9.pcap",
        18,
        21,
        "same exporter convention: frame 1 has count 1 but holds templates 1024 and 2048, \
         an options template, an options record and a data record tshark never reaches; \
         the 2048 sets of frames 7 and 9 then have a template for us",
    ),
    (
        "graylog-plugin-netflow/nprobe-netflow9-4.pcap",
        1,
        15,
        "frames 1 and 2 carry 7 data records each for template 257, which arrives in frame \
         3: tshark drops them, we hold them until the template comes",
    ),
];

/// How a golden record differs from the flow we decode for it.
#[derive(Clone, Copy, Debug)]
enum Differs {
    /// Not among our flows at all.
    Absent,
    /// Ours has these start and end times (ms); everything else is equal.
    Times(i64, i64),
}

/// FIRST_SWITCHED / LAST_SWITCHED (IE 22 / 21) of 0 ms: tshark's cflow dissector picks
/// relative or absolute display by testing the uptime value, not the element
/// (`if (msec_start[rev][duration_type])` in `dissect_v9_v10_pdu_data`), so an uptime of
/// 0 is shown as the absolute time 1970-01-01T00:00:00Z. Ours is what the bytes say: 0 ms
/// after the exporter's boot.
const ZERO_UPTIME: &str = "uptime 0 shown by tshark as 1970-01-01";

/// Golden records (file, record index `i`, how ours differs, why from the bytes);
/// `None` for the index means every golden record of the file.
const RECORD_EXCEPTIONS: &[(&str, Option<usize>, Differs, &str)] = &[
    (
        "logstash-codec-netflow/netflow5_test_invalid01.dat",
        None,
        Differs::Absent,
        "we reject the datagram (see COUNT_EXCEPTIONS)",
    ),
    (
        "logstash-codec-netflow/netflow5_test_invalid02.dat",
        None,
        Differs::Absent,
        "we reject the datagram (see COUNT_EXCEPTIONS)",
    ),
    (
        "ipfixcol/messages/tcp/normal/withdrawn-test-complex/4-data",
        Some(0),
        Differs::Absent,
        "the one record of set 258, whose template file 3 withdrew (see COUNT_EXCEPTIONS)",
    ),
    // IPFIX flowStartSysUpTime 0: systemInitTimeMilliseconds 1431516013506 (the options
    // record before it) + 0; flowEndSysUpTime 12726 is shown relative, as it should.
    (
        "logstash-codec-netflow/ipfix.dat",
        Some(0),
        Differs::Times(1_431_516_013_506, 1_431_516_026_232),
        ZERO_UPTIME,
    ),
    (
        "logstash-codec-netflow/ipfix.dat",
        Some(1),
        Differs::Times(1_431_516_013_506, 1_431_516_026_232),
        ZERO_UPTIME,
    ),
    // NetFlow v9 FIRST_SWITCHED 0: export time minus the header's sysUptime.
    // nProbe: sysUptime 33990 ms at 1444331189 s.
    (
        "logstash-codec-netflow/netflow9_test_nprobe_data.dat",
        Some(0),
        Differs::Times(1_444_331_155_010, 1_444_331_155_015),
        ZERO_UPTIME,
    ),
    // sysUptime 413 ms at 1502188584 s; both switched times 0.
    (
        "graylog-plugin-netflow/nprobe-netflow9-2.pcap",
        Some(0),
        Differs::Times(1_502_188_583_587, 1_502_188_583_587),
        ZERO_UPTIME,
    ),
    // sysUptime 31725 ms at 1502188586 s; first switched 0, last 1 ms.
    (
        "graylog-plugin-netflow/nprobe-netflow9-2.pcap",
        Some(1),
        Differs::Times(1_502_188_554_275, 1_502_188_554_276),
        ZERO_UPTIME,
    ),
    // sysUptime 23740 ms at 1502186890 s; both switched times 0.
    (
        "graylog-plugin-netflow/nprobe-netflow9.pcap",
        Some(151),
        Differs::Times(1_502_186_866_260, 1_502_186_866_260),
        ZERO_UPTIME,
    ),
];

/// Decodes a group in one session; the flows of each file, in order.
fn decode(files: &[File]) -> Vec<Vec<FlowRecord>> {
    let dir = corpus();
    let mut session = Session::new(Limits::default());
    let mut out = vec![Vec::new(); files.len()];
    for (i, f) in files.iter().enumerate() {
        let bytes = std::fs::read(dir.join(&f.file)).unwrap_or_else(|e| panic!("{}: {e}", f.file));
        let mut d = session.file(&f.file);
        d.feed(&bytes, &mut out[i]);
        d.finish(&mut out[i]);
    }
    out
}

/// Whether `want` is among `ours`, every field equal but the position.
fn among(want: &FlowRecord, ours: &[FlowRecord]) -> bool {
    ours.iter().any(|o| {
        let mut o = o.clone();
        o.position = want.position;
        o == *want
    })
}

#[test]
fn every_file_agrees_with_tshark_field_by_field() {
    let golden: Golden = serde_json::from_str(GOLDEN).expect("golden JSON");
    assert!(golden.tshark.starts_with("TShark (Wireshark) 4.0."));
    let mut wrong = Vec::new();
    let (mut files, mut with_flows, mut records, mut tshark_flows) = (0, 0, 0, 0);
    let (mut count_used, mut record_used) = (Vec::new(), Vec::new());
    for g in &golden.groups {
        let ours = decode(&g.files);
        for (f, ours) in g.files.iter().zip(&ours) {
            files += 1;
            tshark_flows += f.flows;
            with_flows += usize::from(!f.records.is_empty());
            let exc = COUNT_EXCEPTIONS.iter().position(|e| e.0 == f.file);
            match exc {
                Some(k) => {
                    let (_, theirs, mine, _) = COUNT_EXCEPTIONS[k];
                    if (f.flows, ours.len()) != (theirs, mine) {
                        wrong.push(format!(
                            "{}: tshark {} flows, ours {}; the exception says {theirs} and {mine}",
                            f.file,
                            f.flows,
                            ours.len()
                        ));
                    }
                    count_used.push(k);
                }
                None if ours.len() != f.flows => wrong.push(format!(
                    "{}: tshark shows {} flows, we decode {}",
                    f.file,
                    f.flows,
                    ours.len()
                )),
                None => {}
            }
            for r in &f.records {
                records += 1;
                let want = r.expected();
                let exc = RECORD_EXCEPTIONS
                    .iter()
                    .position(|e| e.0 == f.file && e.1.is_none_or(|i| i == r.i));
                let ok = match exc.map(|k| (k, RECORD_EXCEPTIONS[k].2)) {
                    None => among(&want, ours),
                    Some((k, Differs::Absent)) => {
                        record_used.push(k);
                        !among(&want, ours)
                    }
                    Some((k, Differs::Times(start, end))) => {
                        record_used.push(k);
                        let mut ours_reading = want.clone();
                        (ours_reading.start_ms, ours_reading.end_ms) = (start, end);
                        !among(&want, ours) && among(&ours_reading, ours)
                    }
                };
                if !ok {
                    wrong.push(format!(
                        "{} record {} (tshark frame {}{}):\n  tshark {want:?}\n  ours   {:?}",
                        f.file,
                        r.i,
                        r.frame,
                        if exc.is_some() {
                            ", listed as an exception"
                        } else {
                            ""
                        },
                        ours.get(r.i)
                    ));
                }
            }
        }
        assert!(!g.group.is_empty());
    }
    for (k, e) in COUNT_EXCEPTIONS.iter().enumerate() {
        if !count_used.contains(&k) {
            wrong.push(format!("count exception for {} matches no file", e.0));
        }
    }
    for (k, e) in RECORD_EXCEPTIONS.iter().enumerate() {
        if !record_used.contains(&k) {
            wrong.push(format!(
                "record exception {:?} of {} matches no golden record",
                e.1, e.0
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    // What the golden file covers (README quotes these numbers): every file of the 104
    // groups, 12,381 flows tshark shows in 111 of them, 469 records kept, each compared
    // in all 17 FlowRecord fields but `position`.
    assert_eq!(
        (
            golden.groups.len(),
            files,
            with_flows,
            tshark_flows,
            records
        ),
        (104, 185, 111, 12_381, 469)
    );
}
