#!/usr/bin/env python3
"""Reference record counts from tshark (Wireshark's cflow dissector), an independent
decoder, for the flow-export groups of the shared corpus.

Usage: tests/oracle/tshark_counts.py [CORPUS]   (default ../shared/corpus)

Each group (files fed to one session in order) becomes one capture: pcaps are
concatenated with `mergecap -a`; raw files (.dat/.bin/.ipfix) are wrapped into UDP
datagrams to port 2055 (an .ipfix file is split into one datagram per message).
tshark -V prints one "Flow N" subtree per data record (options records included);
the count per group is printed as `group<TAB>count`. The numbers were frozen into
tests/exports.rs (`tshark` column). Needs tshark and mergecap (Debian package tshark).
"""
import os, struct, subprocess, sys, tempfile, re

sys.path.insert(0, os.path.dirname(__file__))
from groups import GROUPS  # noqa: E402

corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../../../shared/corpus")

def udp_frame(payload):
    udp = struct.pack(">HHHH", 40000, 2055, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    return b"\x00" * 12 + b"\x08\x00" + ip + udp

def split_messages(data):
    """One datagram per IPFIX message (length in the header) or per NetFlow v5
    datagram (24 + 48 * count bytes); anything else is one datagram."""
    out, at = [], 0
    if data[:2] == b"\x00\x0a":
        while at + 4 <= len(data):
            n = struct.unpack(">H", data[at + 2:at + 4])[0]
            if n < 16:
                break
            out.append(data[at:at + n]); at += n
    elif data[:2] == b"\x00\x05":
        while at + 24 <= len(data) and data[at:at + 2] == b"\x00\x05":
            n = 24 + 48 * struct.unpack(">H", data[at + 2:at + 4])[0]
            if at + n > len(data):
                break
            out.append(data[at:at + n]); at += n
        if at < len(data):
            out.append(data[at:])
    return out or [data]

for name, files in GROUPS:
    paths = [os.path.join(corpus, f) for f in files]
    with tempfile.TemporaryDirectory() as tmp:
        cap = os.path.join(tmp, "g.pcap")
        if all(p.endswith(".pcap") for p in paths):
            subprocess.run(["mergecap", "-F", "pcap", "-a", "-w", cap] + paths, check=True)
        else:
            with open(cap, "wb") as w:
                w.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
                for p in paths:
                    for m in split_messages(open(p, "rb").read()):
                        fr = udp_frame(m)
                        w.write(struct.pack("<IIII", 0, 0, len(fr), len(fr)) + fr)
        # Decode every UDP port of the capture as cflow (exporters use 2055, 9990,
        # 9995, 4739, 6343, ... and some pcaps mix several).
        # Only the outer UDP header counts (-E occurrence=f): IPFIX data-link sections
        # carry inner packets with their own UDP ports.
        fields = subprocess.run(["tshark", "-r", cap, "-T", "fields", "-E", "occurrence=f", "-e", "udp.dstport"],
                                capture_output=True, text=True).stdout.split()
        ports = []
        for port in sorted(set(fields)):
            ports += ["-d", f"udp.port=={port},cflow"]
        txt = subprocess.run(["tshark", "-r", cap, "-V"] + ports, capture_output=True, text=True).stdout
        # IPFIX / v9 records are "Flow N" subtrees, v5 records "pdu N/M".
        # (a data record may be titled "Flow 1 (unknown)").
        n = len(re.findall(r"^\s+(?:Flow \d+|pdu \d+/\d+)\b", txt, re.M))
        print(f"{name}\t{n}")
