"""One capture per session group, as tshark reads it (shared by the tshark oracles).

Pcaps are concatenated with `mergecap -a`; raw files (.dat/.bin/.ipfix and the
ipfixcol TCP pieces) are wrapped into UDP datagrams from 10.0.0.1:40000 to
10.0.0.2:2055 (an IPFIX stream is split into one datagram per message, glued NetFlow v5
datagrams into one each). `build` returns, per file, how many frames it gave, so a
frame number tells which file a record came from.
"""
import os, struct, subprocess


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


def pcap_frames(path):
    """Packets in a classic pcap file."""
    data = open(path, "rb").read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    at, n = 24, 0
    while at + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
        at += 16 + incl
        n += 1
    return n


def build(paths, cap):
    """Writes the group's capture to `cap`; returns the frame count of each file."""
    if all(p.endswith(".pcap") for p in paths):
        subprocess.run(["mergecap", "-F", "pcap", "-a", "-w", cap] + paths, check=True)
        return [pcap_frames(p) for p in paths]
    counts = []
    with open(cap, "wb") as w:
        w.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for p in paths:
            ms = split_messages(open(p, "rb").read())
            counts.append(len(ms))
            for m in ms:
                fr = udp_frame(m)
                w.write(struct.pack("<IIII", 0, 0, len(fr), len(fr)) + fr)
    return counts


def cflow_ports(cap):
    """`-d` options decoding every outer UDP destination port of the capture as cflow
    (exporters use 2055, 9990, 9995, 4739, ... and some pcaps mix several). Only the
    outer UDP header counts (-E occurrence=f): IPFIX data-link sections carry inner
    packets with their own UDP ports."""
    fields = subprocess.run(["tshark", "-r", cap, "-T", "fields", "-E", "occurrence=f", "-e", "udp.dstport"],
                            capture_output=True, text=True).stdout.split()
    ports = []
    for port in sorted(set(fields)):
        ports += ["-d", f"udp.port=={port},cflow"]
    return ports
