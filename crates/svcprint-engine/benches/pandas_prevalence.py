#!/usr/bin/env python3
"""Per-device service prevalence (method.md M2-M6 with default parameters) in plain pandas.

The baseline for the throughput benchmark (benches/throughput.rs): it reads the same
zipped YAF CSV files and computes what `svcprint devices --json` reports as each
device's `services[].prevalence`: roles (M2 rules 0 and 1: these are biflows),
devices (M3, keyed by MAC), services (M4, unanswered inbound ignored, rare high ports
folded with fold_rare_bins = 3, min_bins = 24), bins of 1 h (M5) and
p_s = c_s / n over all active bins (M6 SP).

    python3 pandas_prevalence.py FILE.zip... [--out prevalences.json]

Prints the wall-clock time and flows/s; --out writes {device: {service: prevalence}}.
"""
import ipaddress
import json
import sys
import time

import numpy as np
import pandas as pd

BIN_MS = 3_600_000
MAX_FLOW_BINS = 10_000
FOLD_RARE_BINS = 3
MIN_BINS = 24
LOCAL = [ipaddress.ip_network(p) for p in
         ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"]]
BROADCAST = {ipaddress.ip_address("255.255.255.255")} | {n.broadcast_address for n in LOCAL}
NAMES = {1: "ICMP", 6: "TCP", 17: "UDP", 58: "ICMPv6", 33: "DCCP", 132: "SCTP", 136: "UDPLite", 47: "GRE"}
WITH_PORTS = {6, 17, 33, 132, 136}
COLUMNS = ["flowStartMilliseconds", "flowEndMilliseconds", "protocolIdentifier",
           "sourceIPv4Address", "sourceTransportPort", "packetTotalCount", "sourceMacAddress",
           "destinationIPv4Address", "destinationTransportPort", "reversePacketTotalCount",
           "destinationMacAddress"]


def is_device(ip):
    a = ipaddress.ip_address(ip)
    if a.is_unspecified or a.is_multicast or a in BROADCAST:
        return False
    return any(a in n for n in LOCAL)


def ms(col):
    t = pd.to_datetime(col, format="%Y-%m-%d %H:%M:%S.%f")
    # Whatever the datetime resolution (ns in pandas 2, us or ms in pandas 3).
    return (t - pd.Timestamp("1970-01-01")) // pd.Timedelta(1, "ms")


def prevalences(paths):
    df = pd.concat([pd.read_csv(p, usecols=COLUMNS, compression="zip") for p in paths],
                   ignore_index=True)
    flows = len(df)
    df = df[(df.packetTotalCount + df.reversePacketTotalCount) >= 1]
    start, end = ms(df.flowStartMilliseconds), ms(df.flowEndMilliseconds)
    proto = df.protocolIdentifier.to_numpy()
    sport = df.sourceTransportPort.to_numpy()
    dport = df.destinationTransportPort.to_numpy()
    # M2 rule 0 (ICMP type from the port fields), then rule 1: the source is the client.
    icmp_type = np.where(dport >= 256, dport >> 8, np.where((sport >= 1) & (sport <= 255), sport, 0))
    v4, v6 = proto == 1, proto == 58
    error = (v4 & np.isin(icmp_type, [3, 4, 5, 11, 12])) | (v6 & np.isin(icmp_type, [1, 2, 3, 4]))
    reply = (v4 & np.isin(icmp_type, [0, 14, 16, 18])) | (v6 & (icmp_type == 129))
    src_is_client = ~reply
    server_port = np.where(src_is_client, dport, sport)
    name = pd.Series(proto).map(lambda p: NAMES.get(p, f"P{p}")).to_numpy()
    has_ports = np.isin(proto, list(WITH_PORTS))
    base = np.where(has_ports, name + "/" + server_port.astype(str), name)
    # The server's packets: reverse when the destination is the server.
    server_packets = np.where(src_is_client, df.reversePacketTotalCount, df.packetTotalCount)
    # M5: bins of each flow, end before start -> start bin, clamped.
    b0 = (start // BIN_MS).to_numpy()
    b1 = np.maximum(end.to_numpy(), start.to_numpy()) // BIN_MS
    b1 = np.minimum(b1, b0 + MAX_FLOW_BINS - 1)
    unique_ips = pd.unique(pd.concat([df.sourceIPv4Address, df.destinationIPv4Address]))
    device_ip = {ip: is_device(ip) for ip in unique_ips}
    parts = []
    for ip_col, mac_col, client in [("sourceIPv4Address", "sourceMacAddress", src_is_client),
                                    ("destinationIPv4Address", "destinationMacAddress", ~src_is_client)]:
        ok = df[ip_col].map(device_ip).to_numpy() & ~error
        # M4: an unanswered server gets no service.
        ok &= client | (server_packets > 0)
        mac = df[mac_col].fillna("").str.lower()
        key = np.where((mac != "") & (mac != "00:00:00:00:00:00"), mac, df[ip_col])
        service = np.where(client, base, "in:" + base)
        parts.append(pd.DataFrame({"device": key[ok], "service": service[ok],
                                   "b0": b0[ok], "b1": b1[ok], "port": server_port[ok],
                                   "ported": has_ports[ok]}))
    s = pd.concat(parts, ignore_index=True)
    n = (s.b1 - s.b0 + 1).to_numpy()
    rows = np.repeat(np.arange(len(s)), n)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(n) - n, n)
    cells = s.iloc[rows].reset_index(drop=True)
    cells["bin"] = cells.b0.to_numpy() + offsets
    cells = cells.drop_duplicates(["device", "service", "bin"])
    active = cells.groupby("device").bin.nunique()
    # M4 folding: high-port services in fewer than 3 bins of a device with >= 24 bins.
    count = cells.groupby(["device", "service"]).bin.transform("size")
    rare = (cells.device.map(active).to_numpy() >= MIN_BINS) & cells.ported.to_numpy() \
        & (cells.port.to_numpy() >= 1024) & (count.to_numpy() < FOLD_RARE_BINS)
    folded = cells.service.str.replace(r"/\d+$", "/other", regex=True)
    cells["service"] = np.where(rare, folded, cells.service)
    cells = cells.drop_duplicates(["device", "service", "bin"])
    c = cells.groupby(["device", "service"]).bin.size()
    p = c / c.index.get_level_values(0).map(active).to_numpy()
    out = {}
    for (d, svc), v in p.items():
        out.setdefault(d, {})[svc] = float(v)
    return flows, out


def main(argv):
    out_path = None
    if "--out" in argv:
        i = argv.index("--out")
        out_path = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    t = time.perf_counter()
    flows, result = prevalences(argv)
    dt = time.perf_counter() - t
    print(f"pandas {pd.__version__}: {flows} flows, {len(result)} devices in {dt:.2f} s "
          f"= {flows / dt:,.0f} flows/s")
    if out_path:
        with open(out_path, "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
