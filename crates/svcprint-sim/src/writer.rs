//! Writes simulated flows as a CSV with IPFIX information-element names (the layout of the
//! UNSW exports, which `svcprint-flow` reads), and the fleet's label file.

use crate::fleet::{Home, SimDevice};
use std::fmt::Write as _;
use svcprint_flow::{format_rfc3339_ms, FlowRecord};

const HEADER: &str = "flowStartMilliseconds,flowEndMilliseconds,protocolIdentifier,sourceIPv4Address,sourceTransportPort,destinationIPv4Address,destinationTransportPort,sourceMacAddress,destinationMacAddress,packetTotalCount,octetTotalCount,reversePacketTotalCount,reverseOctetTotalCount,initialTCPFlags,unionTCPFlags,reverseInitialTCPFlags\n";

/// CSV text of flow records, header first. Feed records, take the text in pieces.
#[derive(Default)]
pub struct CsvWriter {
    started: bool,
}

impl CsvWriter {
    pub fn new() -> Self {
        CsvWriter::default()
    }

    /// Append `r` as one line (after the header, the first time) to `out`.
    pub fn write(&mut self, r: &FlowRecord, out: &mut String) {
        if !self.started {
            out.push_str(HEADER);
            self.started = true;
        }
        let time = |ms: i64| {
            let t = format_rfc3339_ms(ms);
            t.trim_end_matches('Z').replacen('T', " ", 1)
        };
        let mac = |m: Option<svcprint_flow::Mac>| m.map(|m| m.to_string()).unwrap_or_default();
        let opt = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        let flags = |v: Option<u8>| v.map(|v| format!("0x{v:02x}")).unwrap_or_default();
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            time(r.start_ms),
            time(r.end_ms),
            r.protocol,
            r.src_addr,
            r.src_port,
            r.dst_addr,
            r.dst_port,
            mac(r.src_mac),
            mac(r.dst_mac),
            r.packets,
            r.octets,
            opt(r.reverse_packets),
            opt(r.reverse_octets),
            flags(r.initial_tcp_flags),
            flags(r.union_tcp_flags),
            flags(r.reverse_initial_tcp_flags),
        );
    }
}

/// The label file (`mac,name,type`) of the labelled devices of `homes` homes.
pub fn labels_csv(devices: &[SimDevice], homes: u16) -> String {
    let mut out = String::from("mac,name,type\n");
    for h in 0..homes.max(1) {
        let home = Home(h);
        for d in devices.iter().filter(|d| d.labelled) {
            let _ = writeln!(out, "{},{},{}", d.mac(home), d.name_in(home), d.kind);
        }
    }
    out
}
