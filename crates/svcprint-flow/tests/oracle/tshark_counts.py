#!/usr/bin/env python3
"""Reference record counts from tshark (Wireshark's cflow dissector), an independent
decoder, for the flow-export groups of the shared corpus.

Usage: tests/oracle/tshark_counts.py [CORPUS]   (default ../shared/corpus)

Each group (files fed to one session in order) becomes one capture, built by
`capture.py`: pcaps concatenated with `mergecap -a`, raw files (.dat/.bin/.ipfix)
wrapped into UDP datagrams to port 2055 (an IPFIX stream split into one per message).
tshark -V prints one "Flow N" subtree per data record (options records included);
the count per group is printed as `group<TAB>count`. The numbers were frozen into
tests/exports.rs (`tshark` column). Needs tshark and mergecap (Debian package tshark).
"""
import os, re, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
from capture import build, cflow_ports  # noqa: E402
from groups import GROUPS  # noqa: E402

corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../../../shared/corpus")

for name, files in GROUPS:
    paths = [os.path.join(corpus, f) for f in files]
    with tempfile.TemporaryDirectory() as tmp:
        cap = os.path.join(tmp, "g.pcap")
        build(paths, cap)
        txt = subprocess.run(["tshark", "-r", cap, "-V"] + cflow_ports(cap), capture_output=True, text=True).stdout
        # IPFIX / v9 records are "Flow N" subtrees, v5 records "pdu N/M".
        # (a data record may be titled "Flow 1 (unknown)").
        n = len(re.findall(r"^\s+(?:Flow \d+|pdu \d+/\d+)\b", txt, re.M))
        print(f"{name}\t{n}")
