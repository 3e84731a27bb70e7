//! Every flow export of the shared corpus (logstash-codec-netflow, akvorado, ipfixcol,
//! pmacct, graylog-plugin-netflow, rs-ipfix-rw), decoded in session groups (template
//! files before their data files, in the order of `tests/oracle/groups.py`).
//!
//! Golden values: flow records, data records, options records and diagnostic kinds per
//! group, frozen from this decoder, and beside them the record count tshark 4.0 prints
//! for the same bytes (`tests/oracle/tshark_counts.py`, frozen so the test needs no
//! tshark). The two agree on 95 of the 104 groups; each of the other 9 has a comment
//! saying, from the bytes, why ours is the intended reading. Regenerate ours with
//! `examples/export_groups.rs`.
//! Chunk borders never change the result.

use std::collections::BTreeMap;
use std::path::PathBuf;
use svcprint_flow::{FlowRecord, Limits, Session};

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

struct G {
    name: &'static str,
    files: &'static [&'static str],
    flows: u64,
    data: u64,
    options: u64,
    /// Data plus options records tshark 4.0's cflow dissector prints for the group
    /// (`tests/oracle/tshark_counts.py`), frozen here so the test needs no tshark.
    tshark: u64,
    diags: &'static str,
}

#[derive(Debug, PartialEq)]
struct Outcome {
    records: Vec<FlowRecord>,
    data: u64,
    options: u64,
    kinds: String,
    formats: Vec<String>,
}

/// Decodes a group in one session, feeding each file in chunks from `chunks`.
fn decode(g: &G, chunks: &mut dyn FnMut() -> usize) -> Outcome {
    let dir = corpus();
    let mut session = Session::new(Limits::default());
    let (mut records, mut data, mut options) = (Vec::new(), 0, 0);
    let mut kinds = BTreeMap::new();
    let mut formats = Vec::new();
    for f in g.files {
        let bytes = std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        let mut d = session.file(f);
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            let n = chunks().clamp(1, rest.len());
            d.feed(&rest[..n], &mut records);
            rest = &rest[n..];
        }
        let s = d.finish(&mut records);
        let st = d.export_stats().cloned().unwrap_or_default();
        data += st.data_records;
        options += st.options_records;
        formats.push(s.format);
        for (k, n) in s.diagnostics.counts {
            *kinds.entry(k.as_str()).or_insert(0u64) += n;
        }
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{k}={n}")).collect();
    Outcome {
        records,
        data,
        options,
        kinds: kinds.join(","),
        formats,
    }
}

const GROUPS: &[G] = &[
    G {
        name: "logstash/ipfix",
        files: &["logstash-codec-netflow/ipfix.dat"],
        flows: 12,
        data: 12,
        options: 1,
        tshark: 13,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_barracuda",
        files: &["logstash-codec-netflow/ipfix_test_barracuda_tpl.dat", "logstash-codec-netflow/ipfix_test_barracuda_data256.dat"],
        flows: 8,
        data: 8,
        options: 0,
        tshark: 8,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_barracuda_extended_uniflow",
        files: &["logstash-codec-netflow/ipfix_test_barracuda_extended_uniflow_tpl256.dat", "logstash-codec-netflow/ipfix_test_barracuda_extended_uniflow_data256.dat"],
        flows: 2,
        data: 2,
        options: 0,
        tshark: 2,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_ixia",
        files: &["logstash-codec-netflow/ipfix_test_ixia_tpldata256.dat", "logstash-codec-netflow/ipfix_test_ixia_tpldata271.dat"],
        flows: 3,
        data: 3,
        options: 0,
        tshark: 3,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_juniper_mx240_junos151r6s3",
        files: &["logstash-codec-netflow/ipfix_test_juniper_mx240_junos151r6s3_opttpl512.dat", "logstash-codec-netflow/ipfix_test_juniper_mx240_junos151r6s3_data512.dat"],
        flows: 0,
        data: 0,
        options: 1,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_mikrotik",
        files: &["logstash-codec-netflow/ipfix_test_mikrotik_tpl.dat", "logstash-codec-netflow/ipfix_test_mikrotik_data258.dat", "logstash-codec-netflow/ipfix_test_mikrotik_data259.dat"],
        flows: 46,
        data: 46,
        options: 0,
        tshark: 46,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_nokia_bras",
        files: &["logstash-codec-netflow/ipfix_test_nokia_bras_tpl.dat", "logstash-codec-netflow/ipfix_test_nokia_bras_data256.dat"],
        flows: 1,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_openbsd_pflow",
        files: &["logstash-codec-netflow/ipfix_test_openbsd_pflow_tpl.dat", "logstash-codec-netflow/ipfix_test_openbsd_pflow_data.dat"],
        flows: 26,
        data: 26,
        options: 0,
        tshark: 26,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_procera",
        files: &["logstash-codec-netflow/ipfix_test_procera_tpl52935.dat", "logstash-codec-netflow/ipfix_test_procera_data52935.dat"],
        flows: 8,
        data: 8,
        options: 0,
        tshark: 8,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_viptela",
        files: &["logstash-codec-netflow/ipfix_test_viptela_tpl257.dat", "logstash-codec-netflow/ipfix_test_viptela_data257.dat"],
        flows: 1,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_vmware_vds",
        files: &["logstash-codec-netflow/ipfix_test_vmware_vds_tpl.dat", "logstash-codec-netflow/ipfix_test_vmware_vds_data264.dat", "logstash-codec-netflow/ipfix_test_vmware_vds_data266.dat", "logstash-codec-netflow/ipfix_test_vmware_vds_data266_267.dat"],
        flows: 5,
        data: 5,
        options: 0,
        tshark: 5,
        diags: "",
    },
    G {
        name: "logstash/ipfix_test_yaf",
        files: &["logstash-codec-netflow/ipfix_test_yaf_tpl45841.dat", "logstash-codec-netflow/ipfix_test_yaf_tpls_option_tpl.dat", "logstash-codec-netflow/ipfix_test_yaf_data45841.dat", "logstash-codec-netflow/ipfix_test_yaf_data45873.dat", "logstash-codec-netflow/ipfix_test_yaf_data53248.dat"],
        flows: 2,
        data: 2,
        options: 1,
        tshark: 3,
        diags: "",
    },
    G {
        name: "logstash/netflow5",
        files: &["logstash-codec-netflow/netflow5.dat"],
        flows: 30,
        data: 30,
        options: 0,
        tshark: 30,
        diags: "",
    },
    G {
        name: "logstash/netflow5_test_invalid01",
        files: &["logstash-codec-netflow/netflow5_test_invalid01.dat"],
        flows: 0,
        data: 0,
        options: 0,
        // tshark disagrees: header count 55582 (> 30, the v5 maximum) against a 1464-byte datagram: tshark reads the 30 records that fit, we reject the datagram because its count and length disagree (the issue asks the count to be checked against the length).
        tshark: 30,
        diags: "framing=1",
    },
    G {
        name: "logstash/netflow5_test_invalid02",
        files: &["logstash-codec-netflow/netflow5_test_invalid02.dat"],
        flows: 0,
        data: 0,
        options: 0,
        // tshark disagrees: header count 163 (> 30) against a 1464-byte datagram: as invalid01.
        tshark: 30,
        diags: "framing=1",
    },
    G {
        name: "logstash/netflow5_test_juniper_mx80",
        files: &["logstash-codec-netflow/netflow5_test_juniper_mx80.dat"],
        flows: 29,
        data: 29,
        options: 0,
        tshark: 29,
        diags: "",
    },
    G {
        name: "logstash/netflow5_test_microtik",
        files: &["logstash-codec-netflow/netflow5_test_microtik.dat"],
        flows: 30,
        data: 30,
        options: 0,
        tshark: 30,
        diags: "",
    },
    G {
        name: "logstash/netflow9_cisco_asr1001x",
        files: &["logstash-codec-netflow/netflow9_cisco_asr1001x_tpl259.dat"],
        flows: 25,
        data: 25,
        options: 0,
        tshark: 25,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_0length_fields",
        files: &["logstash-codec-netflow/netflow9_test_0length_fields_tpl_data.dat"],
        flows: 10,
        data: 10,
        options: 0,
        tshark: 10,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_cisco_1941K9",
        files: &["logstash-codec-netflow/netflow9_test_cisco_1941K9.dat"],
        flows: 29,
        data: 29,
        options: 0,
        tshark: 29,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_cisco_aci",
        files: &["logstash-codec-netflow/netflow9_test_cisco_aci_tpl256-258.dat", "logstash-codec-netflow/netflow9_test_cisco_aci_data256.dat"],
        flows: 3,
        data: 3,
        options: 0,
        tshark: 3,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_cisco_asa_1",
        files: &["logstash-codec-netflow/netflow9_test_cisco_asa_1_tpl.dat", "logstash-codec-netflow/netflow9_test_cisco_asa_1_data.dat"],
        flows: 14,
        data: 14,
        options: 0,
        tshark: 14,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_cisco_asa_2",
        files: &["logstash-codec-netflow/netflow9_test_cisco_asa_2_tpl_26x.dat", "logstash-codec-netflow/netflow9_test_cisco_asa_2_tpl_27x.dat", "logstash-codec-netflow/netflow9_test_cisco_asa_2_data.dat"],
        flows: 19,
        data: 19,
        options: 0,
        tshark: 19,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_cisco_asr9k",
        files: &["logstash-codec-netflow/netflow9_test_cisco_asr9k_opttpl256.dat", "logstash-codec-netflow/netflow9_test_cisco_asr9k_opttpl257.dat", "logstash-codec-netflow/netflow9_test_cisco_asr9k_opttpl334.dat", "logstash-codec-netflow/netflow9_test_cisco_asr9k_tpl260.dat", "logstash-codec-netflow/netflow9_test_cisco_asr9k_tpl266.dat", "logstash-codec-netflow/netflow9_test_cisco_asr9k_data256.dat", "logstash-codec-netflow/netflow9_test_cisco_asr9k_data260.dat"],
        flows: 21,
        data: 21,
        options: 19,
        tshark: 40,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_cisco_nbar",
        files: &["logstash-codec-netflow/netflow9_test_cisco_nbar_opttpl260.dat", "logstash-codec-netflow/netflow9_test_cisco_nbar_tpl262.dat", "logstash-codec-netflow/netflow9_test_cisco_nbar_data262.dat"],
        flows: 5,
        data: 5,
        options: 15,
        tshark: 20,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_cisco_wlc_8510",
        files: &["logstash-codec-netflow/netflow9_test_cisco_wlc_8510_tpl_262.dat"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_cisco_wlc",
        files: &["logstash-codec-netflow/netflow9_test_cisco_wlc_tpl.dat", "logstash-codec-netflow/netflow9_test_cisco_wlc_data261.dat"],
        flows: 0,
        data: 19,
        options: 0,
        tshark: 19,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_field_layer2segmentid",
        files: &["logstash-codec-netflow/netflow9_test_field_layer2segmentid_tpl.dat", "logstash-codec-netflow/netflow9_test_field_layer2segmentid_data.dat"],
        flows: 1,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_fortigate_fortios_521",
        files: &["logstash-codec-netflow/netflow9_test_fortigate_fortios_521_tpl.dat", "logstash-codec-netflow/netflow9_test_fortigate_fortios_521_data256.dat", "logstash-codec-netflow/netflow9_test_fortigate_fortios_521_data257.dat"],
        flows: 1,
        data: 1,
        options: 1,
        tshark: 2,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_fortigate_fortios_542_appid",
        files: &["logstash-codec-netflow/netflow9_test_fortigate_fortios_542_appid_tpl258-269.dat", "logstash-codec-netflow/netflow9_test_fortigate_fortios_542_appid_data258_262.dat"],
        flows: 17,
        data: 17,
        options: 0,
        tshark: 17,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_h3c",
        files: &["logstash-codec-netflow/netflow9_test_h3c_tpl3281.dat", "logstash-codec-netflow/netflow9_test_h3c_data3281.dat"],
        flows: 16,
        data: 16,
        options: 0,
        // tshark disagrees: template 3281 declares sourceIPv4Prefix (IE 43) with length 2; tshark throws 'IPv4 address with length 2' in the first record and drops the packet; the record length (80) is fixed by the template, so the 16 one-record flowsets of the 1364-byte datagram (20 + 16 x 84) frame cleanly.
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_h3c_netstream_varstring",
        files: &["logstash-codec-netflow/netflow9_test_h3c_netstream_varstring_tpl3281.dat", "logstash-codec-netflow/netflow9_test_h3c_netstream_varstring_data3281.dat"],
        flows: 1,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_huawei_netstream",
        files: &["logstash-codec-netflow/netflow9_test_huawei_netstream_tpl.dat", "logstash-codec-netflow/netflow9_test_huawei_netstream_data.dat"],
        flows: 1,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_invalid01",
        files: &["logstash-codec-netflow/netflow9_test_invalid01.dat"],
        flows: 2,
        data: 2,
        options: 1,
        // tshark disagrees: header count 2 but the datagram holds 2 templates, 1 options template, 1 options record and 2 data records whose flowset lengths (60, 60, 22, 16, 70, 44) fill its 292 bytes exactly; tshark stops after `count` records (the templates), we frame by flowset length (RFC 3954 section 5.1 count is advisory: exporters count differently).
        tshark: 0,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_iptnetflow_reduced_size_encoding",
        files: &["logstash-codec-netflow/netflow9_test_iptnetflow_reduced_size_encoding_tpldata260.dat"],
        flows: 12,
        data: 12,
        options: 0,
        tshark: 12,
        diags: "missing_template=6",
    },
    G {
        name: "logstash/netflow9_test_juniper_srx",
        files: &["logstash-codec-netflow/netflow9_test_juniper_srx_tplopt.dat"],
        flows: 0,
        data: 0,
        options: 1,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_macaddr",
        files: &["logstash-codec-netflow/netflow9_test_macaddr_tpl.dat", "logstash-codec-netflow/netflow9_test_macaddr_data.dat"],
        flows: 29,
        data: 29,
        options: 1,
        tshark: 30,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_nprobe",
        files: &["logstash-codec-netflow/netflow9_test_nprobe_tpl.dat", "logstash-codec-netflow/netflow9_test_nprobe_data.dat"],
        flows: 1,
        data: 1,
        options: 1,
        tshark: 2,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_nprobe_dpi",
        files: &["logstash-codec-netflow/netflow9_test_nprobe_dpi.dat"],
        flows: 1,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_paloalto_81",
        files: &["logstash-codec-netflow/netflow9_test_paloalto_81_tpl256-263.dat", "logstash-codec-netflow/netflow9_test_paloalto_81_data257_1flowset_in_large_zerofilled_packet.dat"],
        flows: 1,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_paloalto_panos",
        files: &["logstash-codec-netflow/netflow9_test_paloalto_panos_tpl.dat", "logstash-codec-netflow/netflow9_test_paloalto_panos_data.dat"],
        flows: 8,
        data: 8,
        options: 0,
        tshark: 8,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_softflowd",
        files: &["logstash-codec-netflow/netflow9_test_softflowd_tpl_data.dat"],
        flows: 7,
        data: 7,
        options: 0,
        tshark: 7,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_streamcore",
        files: &["logstash-codec-netflow/netflow9_test_streamcore_tpl_data256.dat", "logstash-codec-netflow/netflow9_test_streamcore_tpl_data260.dat"],
        flows: 4,
        data: 4,
        options: 0,
        tshark: 4,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_ubnt_edgerouter",
        files: &["logstash-codec-netflow/netflow9_test_ubnt_edgerouter_tpl.dat", "logstash-codec-netflow/netflow9_test_ubnt_edgerouter_data1024.dat", "logstash-codec-netflow/netflow9_test_ubnt_edgerouter_data1025.dat"],
        flows: 16,
        data: 16,
        options: 0,
        tshark: 16,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_unknown",
        files: &["logstash-codec-netflow/netflow9_test_unknown_tpl266_292_data.dat"],
        flows: 2,
        data: 2,
        options: 0,
        tshark: 2,
        diags: "",
    },
    G {
        name: "logstash/netflow9_test_valid01",
        files: &["logstash-codec-netflow/netflow9_test_valid01.dat"],
        flows: 7,
        data: 7,
        options: 0,
        tshark: 7,
        diags: "",
    },
    G {
        name: "akvorado/base",
        files: &["akvorado/template.pcap", "akvorado/options-template.pcap", "akvorado/data.pcap", "akvorado/options-data.pcap"],
        flows: 4,
        data: 4,
        options: 4,
        tshark: 8,
        diags: "",
    },
    G {
        name: "akvorado/data+templates",
        files: &["akvorado/data+templates.pcap"],
        flows: 21,
        data: 21,
        options: 1,
        // tshark disagrees: data set 257 (660 bytes = 11 records of 60) comes before template 257 in the same datagram; tshark drops it, we hold it (max_buffered_bytes) and decode it when the template arrives, as the issue asks; the header count 24 = 11 + 1 + 1 + 1 + 10 confirms the exporter meant those 11 records.
        tshark: 11,
        diags: "",
    },
    G {
        name: "akvorado/datalink",
        files: &["akvorado/datalink-data.pcap", "akvorado/datalink-template.pcap"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "missing_template=1",
    },
    G {
        name: "akvorado/ethernet-over-mpls-with-control-word",
        files: &["akvorado/ethernet-over-mpls-with-control-word-template.pcap", "akvorado/ethernet-over-mpls-with-control-word-data.pcap"],
        flows: 0,
        data: 10,
        options: 0,
        tshark: 10,
        diags: "",
    },
    G {
        name: "akvorado/icmp",
        files: &["akvorado/icmp-template.pcap", "akvorado/icmp-data.pcap"],
        flows: 4,
        data: 4,
        options: 0,
        tshark: 4,
        diags: "",
    },
    G {
        name: "akvorado/ipfix-srv6",
        files: &["akvorado/ipfix-srv6-template.pcap", "akvorado/ipfix-srv6-data.pcap"],
        flows: 0,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "akvorado/ipfixprobe",
        files: &["akvorado/ipfixprobe-templates.pcap", "akvorado/ipfixprobe-data.pcap"],
        flows: 4,
        data: 4,
        options: 0,
        tshark: 4,
        diags: "",
    },
    G {
        name: "akvorado/juniper-cpid",
        files: &["akvorado/juniper-cpid-template.pcap", "akvorado/juniper-cpid-data.pcap"],
        flows: 0,
        data: 1,
        options: 0,
        tshark: 1,
        diags: "",
    },
    G {
        name: "akvorado/mpls",
        files: &["akvorado/mpls.pcap"],
        flows: 2,
        data: 2,
        options: 1,
        tshark: 3,
        diags: "",
    },
    G {
        name: "akvorado/multiplesamplingrates",
        files: &["akvorado/multiplesamplingrates-template.pcap", "akvorado/multiplesamplingrates-options-template.pcap", "akvorado/multiplesamplingrates-data.pcap", "akvorado/multiplesamplingrates-options-data.pcap"],
        flows: 12,
        data: 12,
        options: 2,
        tshark: 14,
        diags: "",
    },
    G {
        name: "akvorado/nat",
        files: &["akvorado/nat.pcap"],
        flows: 9,
        data: 9,
        options: 0,
        tshark: 9,
        diags: "",
    },
    G {
        name: "akvorado/nfv5",
        files: &["akvorado/nfv5.pcap"],
        flows: 29,
        data: 29,
        options: 0,
        tshark: 29,
        diags: "",
    },
    G {
        name: "akvorado/physicalinterfaces",
        files: &["akvorado/physicalinterfaces.pcap"],
        flows: 8,
        data: 8,
        options: 1,
        tshark: 9,
        diags: "",
    },
    G {
        name: "akvorado/samplingrate",
        files: &["akvorado/samplingrate-template.pcap", "akvorado/samplingrate-data.pcap"],
        flows: 6,
        data: 6,
        options: 0,
        tshark: 6,
        diags: "",
    },
    G {
        name: "ipfixcol/01-odid0",
        files: &["ipfixcol/01-odid0.ipfix"],
        flows: 4251,
        data: 4251,
        options: 0,
        tshark: 4251,
        diags: "",
    },
    G {
        name: "ipfixcol/01-odid4",
        files: &["ipfixcol/01-odid4.ipfix"],
        flows: 4243,
        data: 4243,
        options: 0,
        tshark: 4243,
        diags: "",
    },
    G {
        name: "ipfixcol/02-odid0",
        files: &["ipfixcol/02-odid0.ipfix"],
        flows: 121,
        data: 121,
        options: 0,
        tshark: 121,
        diags: "",
    },
    G {
        name: "ipfixcol/02-odid4",
        files: &["ipfixcol/02-odid4.ipfix"],
        flows: 117,
        data: 117,
        options: 0,
        tshark: 117,
        diags: "",
    },
    G {
        name: "ipfixcol/03-odid0-a",
        files: &["ipfixcol/03-odid0-a.ipfix"],
        flows: 151,
        data: 151,
        options: 0,
        tshark: 151,
        diags: "",
    },
    G {
        name: "ipfixcol/03-odid0-b",
        files: &["ipfixcol/03-odid0-b.ipfix"],
        flows: 111,
        data: 111,
        options: 0,
        tshark: 111,
        diags: "",
    },
    G {
        name: "ipfixcol/bad-length-in-set",
        files: &["ipfixcol/bad-length-in-set.ipfix"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "framing=1,template=1,truncated=1",
    },
    G {
        name: "ipfixcol/bad-template-field-count",
        files: &["ipfixcol/bad-template-field-count.ipfix"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "limit=1,missing_template=3",
    },
    G {
        name: "ipfixcol/enterprise-from-nfv9",
        files: &["ipfixcol/enterprise-from-nfv9.ipfix"],
        flows: 57,
        data: 57,
        options: 0,
        tshark: 57,
        diags: "missing_template=1,template=1",
    },
    G {
        name: "ipfixcol/header-and-zeros",
        files: &["ipfixcol/header-and-zeros.ipfix"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "framing=1",
    },
    G {
        name: "ipfixcol/missing-template-258",
        files: &["ipfixcol/missing-template-258.ipfix"],
        flows: 4,
        data: 4,
        options: 0,
        tshark: 4,
        diags: "missing_template=1",
    },
    G {
        name: "ipfixcol/only-data-no-templates",
        files: &["ipfixcol/only-data-no-templates.ipfix"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "missing_template=3",
    },
    G {
        name: "ipfixcol/withdrawal-message-256",
        files: &["ipfixcol/withdrawal-message-256.ipfix"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "",
    },
    G {
        name: "ipfixcol/tcp-all-ok",
        files: &["ipfixcol/messages/tcp/normal/all-ok/01-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/02-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/03-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/04-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/05-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/06-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/07-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/08-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/09-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/10-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/11-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/12-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/13-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/14-tcp-ok.ipfix", "ipfixcol/messages/tcp/normal/all-ok/15-tcp-ok.ipfix"],
        flows: 332,
        data: 332,
        options: 0,
        tshark: 332,
        diags: "",
    },
    G {
        name: "ipfixcol/tcp-withdrawn",
        files: &["ipfixcol/messages/tcp/normal/withdrawn-test-complex/1-teplates-data", "ipfixcol/messages/tcp/normal/withdrawn-test-complex/2-withdrawal-message-256", "ipfixcol/messages/tcp/normal/withdrawn-test-complex/3-withdrawal-message-258", "ipfixcol/messages/tcp/normal/withdrawn-test-complex/4-data"],
        flows: 9,
        data: 9,
        options: 0,
        // tshark disagrees: file 3 withdraws template 258 (template record 258 with field count 0, RFC 7011 section 8.1); tshark 4.0 ignores withdrawals and still decodes the 1-record set 258 of file 4, we report it as missing_template.
        tshark: 10,
        diags: "missing_template=1",
    },
    G {
        name: "ipfixcol/tcp-missing-258-bad-length-in-header-very-long",
        files: &["ipfixcol/messages/tcp/malformed/missing-258-bad-length-in-header-very-long/bad-length-in-header"],
        flows: 4,
        data: 4,
        options: 0,
        tshark: 4,
        diags: "missing_template=1,truncated=1",
    },
    G {
        name: "ipfixcol/tcp-missing-258-bad-length-in-header",
        files: &["ipfixcol/messages/tcp/malformed/missing-258-bad-length-in-header/bad-length-in-header"],
        flows: 4,
        data: 4,
        options: 0,
        tshark: 4,
        diags: "missing_template=1,truncated=1",
    },
    G {
        name: "ipfixcol/tcp-bad-template-field-count-very-high",
        files: &["ipfixcol/messages/tcp/malformed/bad-template-field-count-very-high/bad-template-field-count"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "limit=1,missing_template=3",
    },
    G {
        name: "pmacct/100",
        files: &["pmacct/100-IPFIXv10-CISCO/traffic-00.pcap"],
        flows: 12,
        data: 12,
        options: 0,
        tshark: 12,
        diags: "",
    },
    G {
        name: "pmacct/101",
        files: &["pmacct/101-NFv9-CISCO-cust_primitives/traffic-00.pcap"],
        flows: 51,
        data: 51,
        options: 0,
        tshark: 51,
        diags: "",
    },
    G {
        name: "pmacct/102",
        files: &["pmacct/102-NFv9-CISCO-f2rd-pretag-sampling-reload/traffic-00.pcap"],
        flows: 35,
        data: 35,
        options: 0,
        tshark: 35,
        diags: "",
    },
    G {
        name: "pmacct/103",
        files: &["pmacct/103-IPFIXv10-CISCO-pretag-JSON_encoding/traffic-00.pcap"],
        flows: 12,
        data: 12,
        options: 0,
        tshark: 12,
        diags: "",
    },
    G {
        name: "pmacct/104",
        files: &["pmacct/104-IPFIXv10-IPv6-CISCO-sampling_option/traffic-00.pcap"],
        flows: 3,
        data: 3,
        options: 1,
        tshark: 4,
        diags: "",
    },
    G {
        name: "pmacct/111",
        files: &["pmacct/111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources/traffic-00.pcap", "pmacct/111-IPFIXv10-NFv9-IPv6-IPv4-mix_sources/traffic-01.pcap"],
        flows: 24,
        data: 24,
        options: 0,
        tshark: 24,
        diags: "",
    },
    G {
        name: "pmacct/400",
        files: &["pmacct/400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources/traffic-00.pcap", "pmacct/400-IPFIXv10-BMP-CISCO-SRv6-multiple-sources/traffic-01.pcap"],
        flows: 766,
        data: 766,
        options: 676,
        tshark: 1442,
        diags: "",
    },
    G {
        name: "pmacct/500",
        files: &["pmacct/500-IPFIXv10-BGP-CISCO-SRv6/traffic-00.pcap"],
        flows: 43,
        data: 43,
        options: 10,
        tshark: 53,
        diags: "",
    },
    G {
        name: "pmacct/501",
        files: &["pmacct/501-IPFIXv10-BGP-IPv6-CISCO-MPLS/traffic-00.pcap"],
        flows: 74,
        data: 74,
        options: 39,
        tshark: 113,
        diags: "",
    },
    G {
        name: "pmacct/502",
        files: &["pmacct/502-IPFIXv10-BGP-IPv6-CISCO-SRv6-lcomms/traffic-00.pcap"],
        flows: 75,
        data: 75,
        options: 39,
        tshark: 114,
        diags: "",
    },
    G {
        name: "graylog/netflow-v5-2",
        files: &["graylog-plugin-netflow/netflow-v5-2.dat"],
        flows: 30,
        data: 30,
        options: 0,
        tshark: 30,
        diags: "",
    },
    G {
        name: "graylog/netflow-v9-1",
        files: &["graylog-plugin-netflow/netflow-v9-1.dat"],
        flows: 6,
        data: 6,
        options: 0,
        // tshark disagrees: two v9 datagrams glued in one file whose exporter counts only data records (count 2, then 4); tshark stops after `count` records, i.e. after the two templates, we decode the 2 + 4 data records.
        tshark: 0,
        diags: "",
    },
    G {
        name: "graylog/netflow-v9-3_incomplete",
        files: &["graylog-plugin-netflow/netflow-v9-3_incomplete.dat"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "missing_template=1",
    },
    G {
        name: "graylog/netflow5",
        files: &["graylog-plugin-netflow/netflow5.pcap"],
        flows: 4,
        data: 4,
        options: 0,
        tshark: 4,
        diags: "",
    },
    G {
        name: "graylog/netflow9",
        files: &["graylog-plugin-netflow/netflow9.pcap"],
        flows: 21,
        data: 21,
        options: 1,
        // tshark disagrees: same exporter convention: frame 1 has count 1 but holds templates 1024 and 2048, options template 256 with 1 options record and 1 data record, which tshark never reaches; the 2048 sets of frames 7 and 9 then have a template for us (2 records).
        tshark: 18,
        diags: "",
    },
    G {
        name: "graylog/netgraph-netflow5",
        files: &["graylog-plugin-netflow/netgraph-netflow5.pcap"],
        flows: 120,
        data: 120,
        options: 0,
        tshark: 120,
        diags: "",
    },
    G {
        name: "graylog/nprobe-netflow9-2",
        files: &["graylog-plugin-netflow/nprobe-netflow9-2.pcap"],
        flows: 6,
        data: 6,
        options: 1,
        tshark: 7,
        diags: "",
    },
    G {
        name: "graylog/nprobe-netflow9-3",
        files: &["graylog-plugin-netflow/nprobe-netflow9-3.pcap"],
        flows: 892,
        data: 892,
        options: 6,
        tshark: 898,
        diags: "",
    },
    G {
        name: "graylog/nprobe-netflow9-4",
        files: &["graylog-plugin-netflow/nprobe-netflow9-4.pcap"],
        flows: 15,
        data: 15,
        options: 1,
        // tshark disagrees: frames 1 and 2 carry 7 data records each for template 257, which arrives in frame 3 of the same capture: tshark drops them, we buffer them (data before template in the same stream, bounded by max_buffered_bytes).
        tshark: 2,
        diags: "",
    },
    G {
        name: "graylog/nprobe-netflow9",
        files: &["graylog-plugin-netflow/nprobe-netflow9.pcap"],
        flows: 152,
        data: 152,
        options: 2,
        tshark: 154,
        diags: "",
    },
    G {
        name: "graylog/pmacctd-netflow5",
        files: &["graylog-plugin-netflow/pmacctd-netflow5.pcap"],
        flows: 42,
        data: 42,
        options: 0,
        tshark: 42,
        diags: "",
    },
    G {
        name: "graylog/pmacctd-netflow9",
        files: &["graylog-plugin-netflow/pmacctd-netflow9.pcap"],
        flows: 6,
        data: 6,
        options: 0,
        tshark: 6,
        diags: "",
    },
    G {
        name: "graylog/netflow-v9-2",
        files: &["graylog-plugin-netflow/netflow-v9-2-1.dat", "graylog-plugin-netflow/netflow-v9-2-2.dat", "graylog-plugin-netflow/netflow-v9-2-3.dat"],
        flows: 2,
        data: 2,
        options: 1,
        tshark: 3,
        diags: "",
    },
    G {
        name: "rs-ipfix-rw/templates-then-data",
        files: &["rs-ipfix-rw/parse_temp.bin", "rs-ipfix-rw/parse_temp_1.bin", "rs-ipfix-rw/parse_temp_2.bin", "rs-ipfix-rw/parse_data.bin"],
        flows: 21,
        data: 21,
        options: 0,
        tshark: 21,
        diags: "",
    },
    G {
        name: "rs-ipfix-rw/dns_samp",
        files: &["rs-ipfix-rw/dns_samp.bin"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "missing_template=1",
    },
    G {
        name: "rs-ipfix-rw/http_samp",
        files: &["rs-ipfix-rw/http_samp.bin"],
        flows: 0,
        data: 0,
        options: 0,
        tshark: 0,
        diags: "missing_template=1",
    },
];

#[test]
fn every_export_group_matches_its_golden_counts() {
    let mut wrong = Vec::new();
    for g in GROUPS {
        let o = decode(g, &mut || usize::MAX);
        let got = (o.records.len() as u64, o.data, o.options, o.kinds.as_str());
        if got != (g.flows, g.data, g.options, g.diags) {
            wrong.push(format!("{}: got {got:?}", g.name));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Groups where tshark counts other records than we do; each has its reason, read
/// from the bytes, in a comment beside its golden values above.
const TSHARK_DISAGREES: &[&str] = &[
    "logstash/netflow5_test_invalid01",
    "logstash/netflow5_test_invalid02",
    "logstash/netflow9_test_h3c",
    "logstash/netflow9_test_invalid01",
    "akvorado/data+templates",
    "ipfixcol/tcp-withdrawn",
    "graylog/netflow-v9-1",
    "graylog/netflow9",
    "graylog/nprobe-netflow9-4",
];

/// The second oracle: tshark's record count (frozen) equals our data + options
/// records in every group but the documented disagreements, where it differs.
#[test]
fn record_counts_agree_with_tshark_except_where_explained() {
    let mut wrong = Vec::new();
    for g in GROUPS {
        let agree = g.data + g.options == g.tshark;
        if agree == TSHARK_DISAGREES.contains(&g.name) {
            wrong.push(format!(
                "{}: ours {} + {}, tshark {}",
                g.name, g.data, g.options, g.tshark
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert_eq!(GROUPS.len(), 104);
}

#[test]
fn chunk_borders_never_change_the_result() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for g in GROUPS {
        let whole = decode(g, &mut || usize::MAX);
        for size in [1usize, 7, 64, 4096] {
            assert_eq!(
                decode(g, &mut || size),
                whole,
                "{} in chunks of {size}",
                g.name
            );
        }
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 3000) as usize + 1
        };
        assert_eq!(decode(g, &mut random), whole, "{} in random chunks", g.name);
    }
}

/// Packet captures of IoT traffic are not flow exports: no records, one
/// `unknown_format` diagnostic saying so, never a panic.
#[test]
fn packet_captures_are_rejected_cleanly() {
    let dir = corpus();
    let mut n = 0;
    for sub in ["iot-sentinel", "iot-23", "moniotr-intl-iot"] {
        let mut stack = vec![dir.join(sub)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
                let p = e.expect("dir entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "pcap" || x == "pcapng") {
                    let bytes = std::fs::read(&p).expect("read pcap");
                    let (records, s) =
                        svcprint_flow::decode_all(0, "x.pcap", &bytes, Limits::default());
                    assert!(records.is_empty(), "{}", p.display());
                    assert!(
                        s.format == "pcap" || s.format == "pcapng",
                        "{}: {}",
                        p.display(),
                        s.format
                    );
                    assert_eq!(
                        s.diagnostics
                            .counts
                            .get(&svcprint_flow::DiagKind::UnknownFormat),
                        Some(&1),
                        "{}",
                        p.display()
                    );
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 139);
}

/// A diagnostic's byte offset is where its problem is: the bad set itself, the bad
/// template record, not the start of the message or set that holds it (the message
/// text gives the offset inside too, so the two must agree).
#[test]
fn diagnostics_point_at_the_bad_set_and_the_bad_template() {
    let bytes = std::fs::read(corpus().join("ipfixcol/bad-length-in-set.ipfix")).expect("read");
    let (_, s) = svcprint_flow::decode_all(0, "bad.ipfix", &bytes, Limits::default());
    let at = |kind: svcprint_flow::DiagKind| {
        s.diagnostics
            .kept
            .iter()
            .find(|d| d.kind == kind)
            .map(|d| (d.offset, d.message.clone()))
            .unwrap_or_else(|| panic!("no {kind:?} in {:?}", s.diagnostics))
    };
    // The message starts at byte 0, its first set at 16 (body at 20).
    let (offset, message) = at(svcprint_flow::DiagKind::Framing);
    assert!(
        message.contains("set id 0 at message offset 1076"),
        "{message}"
    );
    assert_eq!(offset, Some(1076));
    let (offset, message) = at(svcprint_flow::DiagKind::Template);
    assert!(
        message.contains("template 258 at set offset 988"),
        "{message}"
    );
    assert_eq!(offset, Some(20 + 988));
    let (offset, message) = at(svcprint_flow::DiagKind::Truncated);
    assert!(
        message.starts_with("message 0: IPFIX message length 1384"),
        "{message}"
    );
    assert_eq!(offset, Some(0));
}

fn group(name: &str) -> &'static G {
    GROUPS
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no group {name}"))
}

fn rec(
    start_ms: i64,
    end_ms: i64,
    protocol: u8,
    src: (&str, u16),
    dst: (&str, u16),
    counters: (u64, u64),
) -> FlowRecord {
    let ip = |s: &str| s.parse().expect("address");
    let mut r = FlowRecord::new(
        start_ms,
        end_ms,
        protocol,
        (ip(src.0), src.1),
        (ip(dst.0), dst.1),
    );
    (r.packets, r.octets) = counters;
    r
}

/// The first record of four groups (v5, v9, two IPFIX exporters), field by field, each value as tshark prints it
/// for the same bytes (times converted to ms since the epoch).
#[test]
fn chosen_field_values_match_tshark() {
    let first = |name: &str| {
        let o = decode(group(name), &mut || usize::MAX);
        o.records.into_iter().next().expect("a record")
    };

    // NetFlow v5: header sysUptime 2874339 s at export time 1680626679 s; the record's
    // start and end uptime 2874324 s, so both are 15 s before the export time.
    let mut want = rec(
        1_680_626_664_000,
        1_680_626_664_000,
        6,
        ("161.202.212.212", 30104),
        ("202.152.70.24", 11963),
        (1, 133),
    );
    want.union_tcp_flags = Some(0x18);
    want.position.byte = 106;
    assert_eq!(first("akvorado/nfv5"), want);

    // NetFlow v9 (H3C): sysUptime 3958284.405 s at 1526894704 s; first/last switched
    // 3958194.563 s / 3958284.082 s.
    let mut want = rec(
        1_526_894_614_158,
        1_526_894_703_677,
        6,
        ("10.22.166.30", 0),
        ("10.22.163.21", 0),
        (697, 1_027_087),
    );
    want.union_tcp_flags = Some(0);
    (want.position.file, want.position.byte) = (1, 24);
    assert_eq!(first("logstash/netflow9_test_h3c"), want);

    // IPFIX (YAF): flowStart/EndMilliseconds, RFC 5103 reverse total counters.
    let mut want = rec(
        1_482_670_715_818,
        1_482_670_715_819,
        17,
        ("172.16.32.201", 46086),
        ("172.16.32.100", 53),
        (2, 132),
    );
    (want.reverse_packets, want.reverse_octets) = (Some(2), Some(200));
    (want.position.file, want.position.byte) = (2, 20);
    assert_eq!(first("logstash/ipfix_test_yaf"), want);

    // IPFIX (ipfixprobe): flowStart/EndMicroseconds in NTP format
    // (06:06:07.492059999 and .526084999 on 2009-10-05), MACs, reverse counters.
    let mut want = rec(
        1_254_722_767_492,
        1_254_722_767_526,
        17,
        ("10.10.1.4", 56166),
        ("10.10.1.1", 53),
        (1, 62),
    );
    (want.reverse_packets, want.reverse_octets) = (Some(1), Some(128));
    want.src_mac = svcprint_flow::Mac::parse("00:e0:1c:3c:17:c2");
    want.dst_mac = svcprint_flow::Mac::parse("00:1f:33:d9:81:60");
    want.union_tcp_flags = Some(0);
    (want.position.file, want.position.byte) = (1, 102);
    assert_eq!(first("akvorado/ipfixprobe"), want);
}
