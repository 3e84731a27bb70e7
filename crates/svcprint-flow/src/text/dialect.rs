//! The text flow formats we recognise from their column (or member) names, each mapped
//! onto the flow record (method.md M1) with the biflow / initiator semantics its tool
//! defines.
//!
//! | dialect | tool | initiator (M2 rule 1) |
//! |---|---|---|
//! | `ipfix` | YAF / ipfixcol2 / super_mediator 2: IPFIX IE names | source, when any `reverse…` (ipfixcol2: `…@reverse`) column exists |
//! | `zeek` | Zeek `conn.log` (TSV or JSON) | `orig_*` is the initiator, always |
//! | `nfdump` | `nfdump -o csv` (1.6 `ts,te,td,sa,…` and 1.7 `firstSeen,…`), `-o json` | none: NetFlow flows are one-way (`opkt`/`obyt` are egress counters, not reverse) |
//! | `joy` | Cisco Joy / NEMEA NDJSON | source sent the first packet; `*_in` are the reverse counters (absent = 0) |
//! | `nprobe` | nProbe / NetFlow v9 names (`IPV4_SRC_ADDR`, …) | biflow: `OUT_PKTS`/`OUT_BYTES` are dst->src |
//! | `generic` | headers like `src_ip,dst_ip,src_port,dst_port,proto,start` | biflow only when reverse columns exist |
//! | `cicflowmeter` | CICFlowMeter CSV (`Src IP`, `Flow Duration` in µs, day-first `Timestamp`) | `Src IP` sent the first packet: forward = initiator |
//! | `super_mediator` | super_mediator 1.x default TEXT exporter (`start-time\|end-time\|dur\|…`, with or without its `PRINT_HEADER` line) | YAF biflow: `sip` is the initiator, `rpkt`/`roct` the reverse counters |
//!
//! Names are compared after [`normalize`](super::columns::normalize) (case, spaces,
//! `_`, `.` and `-` ignored). A header is given to the complete dialect (every required
//! field has a column) that knows the most of its columns, at least two; ties go to the
//! earlier dialect in [`Dialect::ALL`].

use super::columns::{normalize, Conv, Field};
use crate::value::TimeUnit;
use serde::{Deserialize, Serialize};
use Conv::{ControlBits, Count, Flags, IcmpAny, IcmpV4, IcmpV6, Ip, Mac, Port, Time, TimeUtc};
use Field::*;
use TimeUnit::{Microseconds as Us, Milliseconds as Ms, Nanoseconds as Ns, Seconds as S};

/// A recognised text flow format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    Ipfix,
    Zeek,
    Nfdump,
    Joy,
    Nprobe,
    Generic,
    Cicflowmeter,
    SuperMediator,
}

type Table = &'static [(&'static str, Field, Conv)];

const IPFIX: Table = &[
    ("flowStartMilliseconds", Start, Time(Some(Ms))),
    ("flowStartSeconds", Start, Time(Some(S))),
    ("flowStartMicroseconds", Start, Time(Some(Us))),
    ("flowStartNanoseconds", Start, Time(Some(Ns))),
    ("flowEndMilliseconds", End, Time(Some(Ms))),
    ("flowEndSeconds", End, Time(Some(S))),
    ("flowEndMicroseconds", End, Time(Some(Us))),
    ("flowEndNanoseconds", End, Time(Some(Ns))),
    ("flowDurationMilliseconds", Duration, Conv::Duration(Ms)),
    ("flowDurationMicroseconds", Duration, Conv::Duration(Us)),
    ("protocolIdentifier", Proto, Conv::Proto),
    ("sourceIPv4Address", SrcIp, Ip),
    ("sourceIPv6Address", SrcIp, Ip),
    ("destinationIPv4Address", DstIp, Ip),
    ("destinationIPv6Address", DstIp, Ip),
    ("sourceTransportPort", SrcPort, Port),
    ("destinationTransportPort", DstPort, Port),
    ("sourceMacAddress", SrcMac, Mac),
    ("postSourceMacAddress", SrcMac, Mac),
    ("destinationMacAddress", DstMac, Mac),
    ("postDestinationMacAddress", DstMac, Mac),
    ("packetTotalCount", Packets, Count),
    ("packetDeltaCount", Packets, Count),
    ("octetTotalCount", Bytes, Count),
    ("octetDeltaCount", Bytes, Count),
    ("reversePacketTotalCount", RevPackets, Count),
    ("reversePacketDeltaCount", RevPackets, Count),
    ("reverseOctetTotalCount", RevBytes, Count),
    ("reverseOctetDeltaCount", RevBytes, Count),
    // ipfixcol2's JSON output (libfds fds_drec2json) names a biflow's reverse fields
    // `iana@reverse:octetDeltaCount@reverse` (libfds tests/unit_tests/converters/json.cpp);
    // the part after the last `:` normalizes to `octetdeltacountreverse`.
    ("packetTotalCount@reverse", RevPackets, Count),
    ("packetDeltaCount@reverse", RevPackets, Count),
    ("octetTotalCount@reverse", RevBytes, Count),
    ("octetDeltaCount@reverse", RevBytes, Count),
    ("initialTCPFlags", InitialTcpFlags, Flags),
    ("unionTCPFlags", TcpFlags, Flags),
    ("tcpControlBits", TcpFlags, ControlBits),
    ("reverseInitialTCPFlags", RevInitialTcpFlags, Flags),
    ("icmpTypeCodeIPv4", IcmpTypeCode, IcmpV4),
    ("icmpTypeCodeIPv6", IcmpTypeCode, IcmpV6),
    // fdsdump (ipfixcol2) `-o csv:FIELDS` / `-o json:FIELDS` write each requested
    // field name as the column (member) name, so its libfds aliases appear as headers
    // (src/tools/fdsdump/src/lister/csvPrinter.cpp, jsonPrinter.cpp in CESNET/ipfixcol2).
    // Times are `YYYY-MM-DDThh:mm:ss.sssZ` (`timestamp=formatted`, the default) or Unix
    // milliseconds (`timestamp=unix`); biflows are split into two one-way rows.
    ("flowstart", Start, Time(None)),
    ("flowend", End, Time(None)),
    ("proto", Proto, Conv::Proto),
    ("srcip", SrcIp, Ip),
    ("dstip", DstIp, Ip),
    ("srcport", SrcPort, Port),
    ("dstport", DstPort, Port),
    ("packets", Packets, Count),
    ("bytes", Bytes, Count),
];

const ZEEK: Table = &[
    ("ts", Start, Time(Some(S))),
    ("duration", Duration, Conv::Duration(S)),
    ("id.orig_h", SrcIp, Ip),
    ("id.orig_p", SrcPort, Port),
    ("id.resp_h", DstIp, Ip),
    ("id.resp_p", DstPort, Port),
    ("proto", Proto, Conv::Proto),
    ("orig_pkts", Packets, Count),
    ("orig_ip_bytes", Bytes, Count),
    ("orig_bytes", Bytes, Count),
    ("resp_pkts", RevPackets, Count),
    ("resp_ip_bytes", RevBytes, Count),
    ("resp_bytes", RevBytes, Count),
    ("orig_l2_addr", SrcMac, Mac),
    ("resp_l2_addr", DstMac, Mac),
];

const NFDUMP: Table = &[
    // -o csv, nfdump 1.6
    ("ts", Start, Time(None)),
    ("te", End, Time(None)),
    ("td", Duration, Conv::Duration(S)),
    ("sa", SrcIp, Ip),
    ("da", DstIp, Ip),
    ("sp", SrcPort, Port),
    ("dp", DstPort, Port),
    ("pr", Proto, Conv::Proto),
    ("flg", TcpFlags, Flags),
    ("ipkt", Packets, Count),
    ("ibyt", Bytes, Count),
    ("ismc", SrcMac, Mac),
    ("osmc", SrcMac, Mac),
    ("idmc", DstMac, Mac),
    ("odmc", DstMac, Mac),
    // -o csv, nfdump 1.7
    ("firstSeen", Start, Time(None)),
    ("lastSeen", End, Time(None)),
    ("duration", Duration, Conv::Duration(S)),
    ("srcAddr", SrcIp, Ip),
    ("dstAddr", DstIp, Ip),
    ("srcPort", SrcPort, Port),
    ("dstPort", DstPort, Port),
    ("inPackets", Packets, Count),
    ("inBytes", Bytes, Count),
    ("inSrcMac", SrcMac, Mac),
    ("inDstMac", DstMac, Mac),
    // -o csv-fast, nfdump 1.7 (src/output/output_csv.c, csv_prolog_fast):
    // cnt,af,firstSeen,lastSeen,proto,srcAddr,srcPort,dstAddr,dstPort,srcAS,dstAS,
    // input,output,flags,srcTos,packets,bytes; times in Unix milliseconds.
    ("flags", TcpFlags, Flags),
    ("packets", Packets, Count),
    ("bytes", Bytes, Count),
    // -o json
    ("t_first", Start, Time(None)),
    ("t_last", End, Time(None)),
    ("proto", Proto, Conv::Proto),
    ("src4_addr", SrcIp, Ip),
    ("src6_addr", SrcIp, Ip),
    ("dst4_addr", DstIp, Ip),
    ("dst6_addr", DstIp, Ip),
    ("src_port", SrcPort, Port),
    ("dst_port", DstPort, Port),
    ("tcp_flags", TcpFlags, Flags),
    ("in_packets", Packets, Count),
    ("in_bytes", Bytes, Count),
    ("in_src_mac", SrcMac, Mac),
    ("out_src_mac", SrcMac, Mac),
    ("in_dst_mac", DstMac, Mac),
    ("out_dst_mac", DstMac, Mac),
];

const JOY: Table = &[
    ("time_start", Start, Time(Some(S))),
    ("time_end", End, Time(Some(S))),
    ("sa", SrcIp, Ip),
    ("da", DstIp, Ip),
    ("sp", SrcPort, Port),
    ("dp", DstPort, Port),
    ("pr", Proto, Conv::Proto),
    ("num_pkts_out", Packets, Count),
    ("bytes_out", Bytes, Count),
    ("num_pkts_in", RevPackets, Count),
    ("bytes_in", RevBytes, Count),
];

const NPROBE: Table = &[
    ("FLOW_START_MILLISECONDS", Start, Time(Some(Ms))),
    ("FLOW_START_SEC", Start, Time(Some(S))),
    ("FIRST_SWITCHED", Start, Time(None)),
    ("FLOW_END_MILLISECONDS", End, Time(Some(Ms))),
    ("FLOW_END_SEC", End, Time(Some(S))),
    ("LAST_SWITCHED", End, Time(None)),
    ("FLOW_DURATION_MILLISECONDS", Duration, Conv::Duration(Ms)),
    ("IPV4_SRC_ADDR", SrcIp, Ip),
    ("IPV6_SRC_ADDR", SrcIp, Ip),
    ("IPV4_DST_ADDR", DstIp, Ip),
    ("IPV6_DST_ADDR", DstIp, Ip),
    ("L4_SRC_PORT", SrcPort, Port),
    ("L4_DST_PORT", DstPort, Port),
    ("PROTOCOL", Proto, Conv::Proto),
    ("IN_PKTS", Packets, Count),
    ("IN_BYTES", Bytes, Count),
    ("OUT_PKTS", RevPackets, Count),
    ("OUT_BYTES", RevBytes, Count),
    ("TCP_FLAGS", TcpFlags, Flags),
    ("IN_SRC_MAC", SrcMac, Mac),
    ("SRC_MAC", SrcMac, Mac),
    ("OUT_DST_MAC", DstMac, Mac),
    ("IN_DST_MAC", DstMac, Mac),
    ("DST_MAC", DstMac, Mac),
    ("ICMP_TYPE", IcmpTypeCode, IcmpAny),
];

const GENERIC: Table = &[
    ("start", Start, Time(None)),
    ("start_time", Start, Time(None)),
    ("stime", Start, Time(None)),
    ("first_seen", Start, Time(None)),
    ("timestamp", Start, Time(None)),
    ("time", Start, Time(None)),
    ("ts", Start, Time(None)),
    ("end", End, Time(None)),
    ("end_time", End, Time(None)),
    ("etime", End, Time(None)),
    ("last_seen", End, Time(None)),
    ("duration", Duration, Conv::Duration(S)),
    ("dur", Duration, Conv::Duration(S)),
    ("proto", Proto, Conv::Proto),
    ("protocol", Proto, Conv::Proto),
    ("ip_proto", Proto, Conv::Proto),
    ("src_ip", SrcIp, Ip),
    ("src_addr", SrcIp, Ip),
    ("source_ip", SrcIp, Ip),
    ("saddr", SrcIp, Ip),
    ("ip_src", SrcIp, Ip),
    ("src", SrcIp, Ip),
    ("dst_ip", DstIp, Ip),
    ("dst_addr", DstIp, Ip),
    ("destination_ip", DstIp, Ip),
    ("daddr", DstIp, Ip),
    ("ip_dst", DstIp, Ip),
    ("dst", DstIp, Ip),
    ("src_port", SrcPort, Port),
    ("sport", SrcPort, Port),
    ("source_port", SrcPort, Port),
    ("dst_port", DstPort, Port),
    ("dport", DstPort, Port),
    ("destination_port", DstPort, Port),
    ("src_mac", SrcMac, Mac),
    ("smac", SrcMac, Mac),
    ("eth_src", SrcMac, Mac),
    ("dst_mac", DstMac, Mac),
    ("dmac", DstMac, Mac),
    ("eth_dst", DstMac, Mac),
    ("packets", Packets, Count),
    ("pkts", Packets, Count),
    ("src_pkts", Packets, Count),
    ("bytes", Bytes, Count),
    ("octets", Bytes, Count),
    ("src_bytes", Bytes, Count),
    ("rev_packets", RevPackets, Count),
    ("dst_pkts", RevPackets, Count),
    ("rev_bytes", RevBytes, Count),
    ("dst_bytes", RevBytes, Count),
    ("tcp_flags", TcpFlags, Flags),
    ("flags", TcpFlags, Flags),
];

const CICFLOWMETER: Table = &[
    ("Timestamp", Start, Time(None)),
    ("Flow Duration", Duration, Conv::Duration(Us)),
    ("Src IP", SrcIp, Ip),
    ("Source IP", SrcIp, Ip),
    ("Dst IP", DstIp, Ip),
    ("Destination IP", DstIp, Ip),
    ("Src Port", SrcPort, Port),
    ("Source Port", SrcPort, Port),
    ("Dst Port", DstPort, Port),
    ("Destination Port", DstPort, Port),
    ("Protocol", Proto, Conv::Proto),
    ("Tot Fwd Pkts", Packets, Count),
    ("Total Fwd Packets", Packets, Count),
    ("TotLen Fwd Pkts", Bytes, Count),
    ("Total Length of Fwd Packets", Bytes, Count),
    ("Tot Bwd Pkts", RevPackets, Count),
    ("Total Backward Packets", RevPackets, Count),
    ("TotLen Bwd Pkts", RevBytes, Count),
    ("Total Length of Bwd Packets", RevBytes, Count),
];

/// super_mediator 1.x's default TEXT exporter: one flow per line in this fixed column order,
/// `|` between fields by default (`DELIMITER`), the column names below as its `PRINT_HEADER`
/// line writes them (each padded with spaces before the delimiter). Taken from CERT NetSA
/// super_mediator 1.x sources (as published in github.com/movsoftware/super_mediator):
/// `mdCreateBasicFlowList` and `mdSetFieldListDecoratorBasic` in `src/mediator_core.c` (field
/// order and printf formats), `mdPrintBasicHeader` and the `mdPrint*` field printers in
/// `src/mediator_print.c`, and the TEXT exporter section of `super_mediator.conf.pod`.
/// Values: times `YYYY-MM-DD HH:MM:SS.mmm` in UTC (`gmtime_r`); `dur`/`rtt` seconds `%8.3f`;
/// `pro` `%3d`; addresses right-aligned `%40s`; counters `%8lu`; MACs `aa:bb:cc:dd:ee:ff:`
/// (the printer leaves a trailing colon) or `00:00:00:00:00:00` when the flow has none; TCP
/// flags as letters `ECUAPRSF` right-aligned `%8s`, `0` for none; for ICMPv4 `sp` is the type
/// and `dp` the code. Lines of other record kinds (`stats|…`, DPI `label|id|value`,
/// `flowstats|…`) and payload hexdumps (`  -> …`) may be interleaved with the flows.
pub(crate) const SUPER_MEDIATOR_BASIC: [&str; 30] = [
    "start-time",
    "end-time",
    "dur",
    "rtt",
    "pro",
    "sip",
    "sp",
    "pkt",
    "oct",
    "at",
    "srcMacAddr",
    "dip",
    "dp",
    "rpkt",
    "roct",
    "ra",
    "destMacAddr",
    "iflags",
    "uflags",
    "riflags",
    "ruflags",
    "isn",
    "risn",
    "in",
    "out",
    "tag",
    "app",
    "tos",
    "end",
    "collector",
];

const SUPER_MEDIATOR: Table = &[
    ("start-time", Start, TimeUtc),
    ("end-time", End, TimeUtc),
    ("dur", Duration, Conv::Duration(S)),
    ("pro", Proto, Conv::Proto),
    ("sip", SrcIp, Ip),
    ("sp", SrcPort, Port),
    ("pkt", Packets, Count),
    ("oct", Bytes, Count),
    ("srcMacAddr", SrcMac, Mac),
    ("dip", DstIp, Ip),
    ("dp", DstPort, Port),
    ("rpkt", RevPackets, Count),
    ("roct", RevBytes, Count),
    ("destMacAddr", DstMac, Mac),
    ("iflags", InitialTcpFlags, Flags),
    ("uflags", TcpFlags, Flags),
    ("riflags", RevInitialTcpFlags, Flags),
];

/// `YYYY-MM-DD HH:MM:SS.mmm`, as super_mediator prints times.
fn super_mediator_time(v: &[u8]) -> bool {
    v.len() == 23
        && v.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ',
            13 | 16 => c == b':',
            19 => c == b'.',
            _ => c.is_ascii_digit(),
        })
}

/// A row of super_mediator's default flow layout ([`SUPER_MEDIATOR_BASIC`], 30 fields,
/// trimmed by `field`): two times, a protocol number, two addresses.
pub(crate) fn super_mediator_flow_row<'a>(field: impl Fn(usize) -> &'a [u8]) -> bool {
    let ip = |v: &[u8]| std::str::from_utf8(v).is_ok_and(|s| s.parse::<std::net::IpAddr>().is_ok());
    super_mediator_time(field(0))
        && super_mediator_time(field(1))
        && crate::value::parse_u64(field(4)).is_some_and(|p| p <= 255)
        && ip(field(5))
        && ip(field(11))
}

/// A line of another record kind that super_mediator's TEXT exporter interleaves with the
/// flows: a payload hexdump (`  -> …`, `  <- …`), or a line whose first field is a record
/// label — `stats`, `\N` (`STATS_ONLY`), `flowstats`, `flow` (DPI index) or a DPI table
/// name (`http`, `dns`, `tls`, …); see the TEXT exporter in `super_mediator.conf.pod`.
pub(crate) fn super_mediator_other_record(row: &[u8], delim: u8) -> bool {
    let t = row.trim_ascii_start();
    if t.starts_with(b"->") || t.starts_with(b"<-") {
        return true;
    }
    let first = row
        .split(|&c| c == delim)
        .next()
        .unwrap_or(&[])
        .trim_ascii();
    first == b"\\N"
        || (first.first().is_some_and(u8::is_ascii_alphabetic)
            && first
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'_'))
}

impl Dialect {
    /// Every dialect, in the order ties are broken.
    pub const ALL: [Dialect; 8] = [
        Dialect::Ipfix,
        Dialect::Zeek,
        Dialect::Nfdump,
        Dialect::Joy,
        Dialect::Nprobe,
        Dialect::Generic,
        Dialect::Cicflowmeter,
        Dialect::SuperMediator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Ipfix => "ipfix",
            Dialect::Zeek => "zeek",
            Dialect::Nfdump => "nfdump",
            Dialect::Joy => "joy",
            Dialect::Nprobe => "nprobe",
            Dialect::Generic => "generic",
            Dialect::Cicflowmeter => "cicflowmeter",
            Dialect::SuperMediator => "super_mediator",
        }
    }

    /// The dialect's column names (as its tool writes them), the field each fills and
    /// how it is read, in priority order per field.
    pub(crate) fn columns(self) -> Table {
        match self {
            Dialect::Ipfix => IPFIX,
            Dialect::Zeek => ZEEK,
            Dialect::Nfdump => NFDUMP,
            Dialect::Joy => JOY,
            Dialect::Nprobe => NPROBE,
            Dialect::Generic => GENERIC,
            Dialect::Cicflowmeter => CICFLOWMETER,
            Dialect::SuperMediator => SUPER_MEDIATOR,
        }
    }

    /// How many of the normalized header names the dialect knows.
    fn score(self, norm: &[String]) -> usize {
        let known: Vec<String> = self
            .columns()
            .iter()
            .map(|(n, _, _)| normalize(n))
            .collect();
        let mut seen: Vec<&str> = Vec::new();
        for n in norm {
            if known.contains(n) && !seen.contains(&n.as_str()) {
                seen.push(n);
            }
        }
        seen.len()
    }

    /// Every required field has a column among the normalized names.
    pub(crate) fn complete(self, norm: &[String]) -> bool {
        Field::REQUIRED.iter().all(|f| {
            self.columns()
                .iter()
                .any(|(n, g, _)| g == f && norm.contains(&normalize(n)))
        })
    }

    /// The dialect of a header given as normalized names: the complete dialect with the
    /// best score (at least 2), else the incomplete one with the best score (so that
    /// the diagnostic can name what is missing in that dialect's terms), else `None`.
    pub fn detect(norm: &[String]) -> Option<Dialect> {
        let mut best: Option<(bool, usize, Dialect)> = None;
        for d in Dialect::ALL {
            let s = d.score(norm);
            if s < 2 {
                continue;
            }
            let key = (d.complete(norm), s);
            if best.is_none_or(|(c, bs, _)| key > (c, bs)) {
                best = Some((key.0, key.1, d));
            }
        }
        best.map(|(_, _, d)| d)
    }

    /// Whether the source initiated each flow (method.md M2 rule 1), by dialect.
    pub(crate) fn source_initiated(self, norm: &[String]) -> bool {
        match self {
            Dialect::Ipfix => norm
                .iter()
                .any(|n| n.starts_with("reverse") || n.ends_with("reverse")),
            Dialect::Zeek | Dialect::Joy | Dialect::Cicflowmeter | Dialect::SuperMediator => true,
            Dialect::Nfdump | Dialect::Nprobe | Dialect::Generic => false,
        }
    }

    /// A required field in this dialect's own column names.
    pub(crate) fn describe(self, f: Field) -> String {
        if self == Dialect::Ipfix {
            match f {
                Start => return "a start time (flowStartMilliseconds, flowStartSeconds, flowStartMicroseconds or flowStartNanoseconds)".into(),
                Proto => return "protocolIdentifier".into(),
                SrcIp => return "a source address (sourceIPv4Address or sourceIPv6Address)".into(),
                DstIp => return "a destination address (destinationIPv4Address or destinationIPv6Address)".into(),
                _ => {}
            }
        }
        let names: Vec<&str> = self
            .columns()
            .iter()
            .filter(|(_, g, _)| *g == f)
            .map(|(n, _, _)| *n)
            .collect();
        match names.as_slice() {
            [one] => (*one).to_string(),
            many => format!("{} ({})", f.as_str(), many.join(" or ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(header: &str) -> Option<Dialect> {
        let norm: Vec<String> = header.split(',').map(normalize).collect();
        Dialect::detect(&norm)
    }

    #[test]
    fn headers_of_each_tool_are_recognised() {
        assert_eq!(
            detect(
                "flowStartMilliseconds,protocolIdentifier,sourceIPv4Address,destinationIPv4Address"
            ),
            Some(Dialect::Ipfix)
        );
        assert_eq!(detect("ts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,service,duration,orig_bytes,resp_bytes"), Some(Dialect::Zeek));
        assert_eq!(
            detect("ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt"),
            Some(Dialect::Nfdump)
        );
        assert_eq!(detect("firstSeen,lastSeen,duration,proto,srcAddr,dstAddr,srcPort,dstPort,inPackets,inBytes"), Some(Dialect::Nfdump));
        assert_eq!(detect("cnt,af,firstSeen,lastSeen,proto,srcAddr,srcPort,dstAddr,dstPort,srcAS,dstAS,input,output,flags,srcTos,packets,bytes"), Some(Dialect::Nfdump));
        assert_eq!(
            detect("flowstart,flowend,proto,srcip,dstip,srcport,dstport,packets,bytes"),
            Some(Dialect::Ipfix)
        );
        assert_eq!(detect("type,t_first,t_last,proto,src4_addr,dst4_addr,src_port,dst_port,in_packets,in_bytes"), Some(Dialect::Nfdump));
        assert_eq!(
            detect("sa,da,sp,dp,pr,time_start,time_end,num_pkts_out,bytes_out"),
            Some(Dialect::Joy)
        );
        assert_eq!(detect("IPV4_SRC_ADDR,L4_SRC_PORT,IPV4_DST_ADDR,L4_DST_PORT,PROTOCOL,IN_BYTES,OUT_BYTES,IN_PKTS,OUT_PKTS,FIRST_SWITCHED"), Some(Dialect::Nprobe));
        assert_eq!(detect("Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,TotLen Fwd Pkts,TotLen Bwd Pkts"), Some(Dialect::Cicflowmeter));
        assert_eq!(detect("Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets"), Some(Dialect::Cicflowmeter));
        assert_eq!(
            detect("src_ip,dst_ip,src_port,dst_port,proto,start"),
            Some(Dialect::Generic)
        );
        assert_eq!(
            detect("src_ip,dst_ip,src_port,dst_port,protocol,timestamp"),
            Some(Dialect::Generic)
        );
        // super_mediator 1.x `PRINT_HEADER` line (mdPrintBasicHeader: each name padded to
        // its column before the `|`), split at `|`.
        let sm = "start-time             |end-time               |dur     |rtt     |pro|sip                                     |sp   |pkt     |oct     |at|srcMacAddr       |dip                                     |dp   |rpkt    |roct    |ra|destMacAddr      |iflags  |uflags  |riflags |ruflags |isn     |risn    |in   |out  |tag|app  |tos|end   |collector";
        let norm: Vec<String> = sm.split('|').map(normalize).collect();
        assert_eq!(norm.len(), SUPER_MEDIATOR_BASIC.len());
        assert_eq!(Dialect::detect(&norm), Some(Dialect::SuperMediator));
        assert!(Dialect::SuperMediator.complete(&norm));
        assert!(Dialect::SuperMediator.source_initiated(&norm));
        assert_eq!(detect("a,b,c"), None);
        assert_eq!(detect("a,src_ip,c"), None, "one known name is not enough");
    }

    #[test]
    fn super_mediator_rows_and_other_records() {
        let row = "2019-06-25 08:36:47.096|2019-06-25 08:36:48.346|   1.250|   0.012|  6|                            192.168.1.20|40001|       5|     400|00|aa:bb:cc:dd:ee:01:|                           93.184.216.34|  443|       4|    3000|00|11:22:33:44:55:66:|       S|    APSF|      AS|     APF|b3332bea|ead9dce8|    0|    0|000|  443| 00|  idle|C1";
        let f: Vec<&[u8]> = row.split('|').map(|x| x.trim().as_bytes()).collect();
        assert_eq!(f.len(), 30);
        assert!(super_mediator_flow_row(|i| f[i]));
        let mut bad = f.clone();
        bad[0] = b"2019-06-25T08:36:47.096";
        assert!(
            !super_mediator_flow_row(|i| bad[i]),
            "T is not super_mediator's layout"
        );
        let mut bad = f.clone();
        bad[11] = b"host";
        assert!(!super_mediator_flow_row(|i| bad[i]));
        for other in [
            "stats|2|56|0|0|0|0|2|1|10.20.11.51|0|131|3685",
            "\\N|2|56|0|0|0|0|2|1|10.20.11.51|0|131|3685",
            "flowstats|0|1|1|49|0|49|0|49|00|0|0|49|0|0|0|0|0|0|0|0|0|0|0|0",
            "irc|125|NICK nickname",
            "p0f|36|Linux",
            "  ->  0000: 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..",
            "  <-  0000: 48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d  HTTP/1.1 200 OK.",
        ] {
            assert!(
                super_mediator_other_record(other.as_bytes(), b'|'),
                "{other}"
            );
        }
        for flowish in [row, "fe80::1|x", "10.0.0.1|y", "|stats", "2019-06-25|a"] {
            assert!(
                !super_mediator_other_record(flowish.as_bytes(), b'|'),
                "{flowish}"
            );
        }
    }

    #[test]
    fn every_dialect_names_each_required_field() {
        for d in Dialect::ALL {
            for f in Field::REQUIRED {
                assert!(d.columns().iter().any(|(_, g, _)| *g == f), "{d:?} {f:?}");
            }
        }
        assert_eq!(Dialect::Zeek.describe(Field::SrcIp), "id.orig_h");
        assert_eq!(
            Dialect::Nfdump.describe(Field::Proto),
            "proto (pr or proto)"
        );
    }
}
