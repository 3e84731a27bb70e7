#!/usr/bin/env python3
"""Reference field values from tshark (Wireshark's cflow dissector), an independent
decoder, for every file of the flow-export corpus: the golden file
tests/oracle/tshark_fields.json read by tests/tshark_fields.rs (which needs no tshark).

Usage: tests/oracle/tshark_fields.py [CORPUS] > tests/oracle/tshark_fields.json
       (CORPUS defaults to ../shared/corpus; needs tshark and mergecap, Debian's tshark)

Each session group of groups.py becomes one capture (capture.py, as for
tshark_counts.py) which tshark dissects to PDML with every UDP port decoded as cflow.
A frame number tells which file of the group a record came from. The flow records of a
file are tshark's data records ("Flow N", v5 "pdu N/M") that are not from an options
template and show a source and a destination address; of these the golden file keeps
all when a file has at most 8, else the first 3, the middle one and the last, plus the
count of all.

Each kept record holds the values tshark shows, turned into what a FlowRecord must hold
for them by the mapping svcprint documents (crates/svcprint-flow/src/ipfix/plan.rs); an element that
repeats in a record (an outer tunnel header, then the inner packet's) gives its last value:
  src/dst      IPv4 or IPv6 address (an unset one, 0.0.0.0 or ::, never wins; when
               both are set, the later in the record)
  sport/dport  ports (0 when absent); proto (0 when absent)
  pkts/octs    delta counter, else total (permanent), else initiator; 0 when none
  rpkts/rocts  RFC 5103 reverse delta, else reverse total / responderOctets (absent: none)
  smac/dmac    source/destination MAC, else the post (egress) one; all-zero is none
  flags        TCP flags (YAF union flags first); iflags/riflags YAF initial flags
  icmp         icmpTypeCode (type*256+code), else type and code
  init         biflowDirection is 1 (initiator)
  start/end    ms since 1970, UTC: the absolute time tshark prints (seconds, ms, NTP
               us/ns), else sysUpTime-relative times against the header (v5/v9: export
               time minus the 32-bit uptime difference) or the exporter's last
               systemInitTimeMilliseconds (IPFIX); a missing end/start from the
               duration; else observation time, else the export time.
Optional keys are left out when tshark shows no such field: the decoded value must then
be None. `frame` is tshark's frame number in the group capture, `i` the record's index
among the file's flow records, both for people reading a failure.
"""
import calendar, ipaddress, json, os, re, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(__file__))
from capture import build, cflow_ports  # noqa: E402
from groups import GROUPS  # noqa: E402

MONTHS = {m: i for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
RECORD = re.compile(r"(Flow \d+|pdu \d+/\d+)\b")
SET = re.compile(r"(?:Set|FlowSet) \d+ \[id=\d+\] \((Data|Options) Template\): ([\d,]+)")
KEEP_ALL = 8


def abstime_ms(show):
    """'Dec 25, 2016 12:58:35.818000000 UTC' -> ms since 1970 (fraction truncated)."""
    m = re.fullmatch(r"(\w{3}) +(\d+), (\d+) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? UTC", show)
    if not m:
        raise ValueError(f"time {show!r}")
    mon, day, year, hh, mm, ss, frac = m.groups()
    secs = calendar.timegm((int(year), MONTHS[mon], int(day), int(hh), int(mm), int(ss)))
    return secs * 1000 + int((frac or "0").ljust(3, "0")[:3])


def seconds_ms(show):
    """'2395375.053000000' (seconds) -> ms, truncated."""
    whole, _, frac = show.partition(".")
    return int(whole) * 1000 + int(frac.ljust(3, "0")[:3])


def wrap_i32(x):
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >= 1 << 31 else x


def leaves(e):
    """(name, show, showname, element) of every field below e, depth first."""
    for c in e:
        if c.tag != "field":
            continue
        yield c.get("name", ""), c.get("show", ""), c.get("showname") or "", c
        yield from leaves(c)


# tshark shows some elements under one field name (cflow.srcport is also
# tcpSourcePort 182 and udpSourcePort 180): where the template says which element a
# value is, only these count.
ELEMENT = {"srcport": 7, "dstport": 11, "srcaddr": 8, "dstaddr": 12, "srcaddrv6": 27, "dstaddrv6": 28,
           "protocol": 4, "octets": 1, "packets": 2, "tcpflags": 6}


def element_at(rec, fields):
    """Absolute byte position of each field value of record `rec` -> (element id,
    enterprise), from the template's fields (id, enterprise, length)."""
    data, base, at, out = bytes.fromhex(rec.get("value", "")), int(rec.get("pos")), 0, {}
    for ie, pen, length in fields:
        if length == 65535:
            if at >= len(data):
                break
            length, at = (data[at], at + 1) if data[at] < 255 else (int.from_bytes(data[at + 1:at + 3], "big"), at + 3)
        out[base + at] = (ie, pen)
        at += length
    return out


def record_values(rec, fields):
    """The raw values of one tshark record, by kind. An element that repeats in the
    template (an outer tunnel header, then the inner packet's) keeps its last value."""
    v = {}
    at = element_at(rec, fields) if fields else {}
    for name, show, showname, el in leaves(rec):
        rev = "(Reverse Type" in showname
        n = name[6:] if name.startswith("cflow.") else None
        if n is None:
            continue
        ie = at.get(int(el.get("pos", -1)))
        if ie is not None and n in ELEMENT and not rev and ie != (ELEMENT[n], 0):
            continue
        if rev:
            if n in ("octets", "packets", "permanent_octets", "permanent_packets"):
                v["rev_" + n] = int(show)
            continue
        if n in ("srcaddr", "dstaddr", "srcaddrv6", "dstaddrv6", "srcmac", "dstmac", "post_srcmac", "post_dstmac"):
            v[n] = show
            if n.endswith("addr") or n.endswith("addrv6"):
                v[n[:3] + "4_last"] = not n.endswith("v6")
        elif n in ("srcport", "dstport", "protocol", "packets", "octets", "permanent_packets", "permanent_octets",
                   "initiator_octets", "initiator_packets", "responder_octets", "responder_packets",
                   "icmp_ipv4_type", "icmp_ipv4_code", "icmp_ipv6_type", "icmp_ipv6_code", "biflow_direction"):
            v[n] = int(show)
        elif n in ("tcpflags", "icmp_type_code_ipv4", "icmp_type_code_ipv6"):
            v[n] = int(show, 16)
        elif n in ("abstimestart", "abstimeend", "sys_init_time", "observation_time_milliseconds",
                   "observation_time_seconds"):
            v[n] = abstime_ms(show)
        elif n in ("timestart", "timeend"):
            v[n] = seconds_ms(show)
        elif n == "timedelta" and el.get("value") is not None and len(el) == 0:
            # flowDurationMilli/Microseconds: a duration field of its own (the computed
            # "Duration" over start/end has children and no bytes).
            v["duration"] = seconds_ms(show)
        elif n == "enterprise_private_entry":
            m = re.search(r"\(CERT Coordination Center\) Type (\d+): Value \(hex bytes\): ([0-9a-f ]+)$", showname)
            if m and m.group(1) in ("14", "15", "16398"):
                v["cert" + m.group(1)] = int(m.group(2).replace(" ", ""), 16) & 0xFF
    return v


def flow(v, hdr, scope_init):
    """The FlowRecord values for raw values v (None when not a flow: no addresses)."""
    def pick(a6, a4, v4_last):
        if a6 is not None and a4 is not None:
            unset6, unset4 = ipaddress.ip_address(a6).is_unspecified, ipaddress.ip_address(a4).is_unspecified
            return a4 if unset6 or (v4_last and not unset4) else a6
        return a6 if a6 is not None else a4
    src = pick(v.get("srcaddrv6"), v.get("srcaddr"), v.get("src4_last"))
    dst = pick(v.get("dstaddrv6"), v.get("dstaddr"), v.get("dst4_last"))
    if src is None or dst is None:
        return None
    r = {"src": str(ipaddress.ip_address(src)), "dst": str(ipaddress.ip_address(dst)),
         "sport": v.get("srcport", 0), "dport": v.get("dstport", 0), "proto": v.get("protocol", 0)}
    first = lambda *ks: next((v[k] for k in ks if k in v), None)  # noqa: E731
    r["pkts"] = first("packets", "permanent_packets", "initiator_packets") or 0
    r["octs"] = first("octets", "permanent_octets", "initiator_octets") or 0
    rp = first("rev_packets", "rev_permanent_packets", "responder_packets")
    ro = first("rev_octets", "rev_permanent_octets", "responder_octets")
    if rp is not None:
        r["rpkts"] = rp
    if ro is not None:
        r["rocts"] = ro
    nz = lambda m: m if m is not None and m != "00:00:00:00:00:00" else None  # noqa: E731
    for key, a, b in (("smac", "srcmac", "post_srcmac"), ("dmac", "dstmac", "post_dstmac")):
        m = nz(v.get(a)) or nz(v.get(b))
        if m:
            r[key] = m
    fl = first("cert15", "tcpflags")
    if fl is not None:
        r["flags"] = fl
    if "cert14" in v:
        r["iflags"] = v["cert14"]
    if "cert16398" in v:
        r["riflags"] = v["cert16398"]
    icmp = first("icmp_type_code_ipv4", "icmp_type_code_ipv6")
    if icmp is None:
        t, c = first("icmp_ipv4_type", "icmp_ipv6_type"), first("icmp_ipv4_code", "icmp_ipv6_code")
        if t is not None:
            icmp = t << 8 | (c or 0)
    if icmp is not None:
        r["icmp"] = icmp
    if v.get("biflow_direction") == 1:
        r["init"] = True

    def up(ms):
        if hdr["uptime"] is not None:
            return hdr["export"] - wrap_i32(hdr["uptime"] - ms)
        init = v.get("sys_init_time", scope_init)
        return None if init is None else init + ms
    s = v.get("abstimestart")
    if s is None and "timestart" in v:
        s = up(v["timestart"])
    e = v.get("abstimeend")
    if e is None and "timeend" in v:
        e = up(v["timeend"])
    d = v.get("duration")
    fallback = first("observation_time_milliseconds", "observation_time_seconds")
    fallback = hdr["export"] if fallback is None else fallback
    if s is not None and e is None:
        e = s + d if d is not None else s
    elif s is None and e is not None:
        s = e - d if d is not None else e
    elif s is None and e is None:
        s = e = fallback
    r["start"], r["end"] = s, e
    return r


def template_fields(t):
    """(element id, enterprise, length) of each field of a template as tshark lists it."""
    out = []
    for f in t:
        if not f.get("show", "").startswith("Field ("):
            continue
        kids = {c.get("name"): c.get("show") for c in f}
        ie = kids.get("cflow.template_ipfix_field_type") or kids.get("cflow.template_field_type")
        out.append((int(ie) if ie else -1, int(kids.get("cflow.template_ipfix_field_pen", 0)),
                    int(kids.get("cflow.template_field_length", 0))))
    return out


def header(proto):
    """Export time (ms) and, for v5/v9, the header's sysUptime (ms)."""
    h = {}
    for c in proto:
        if c.tag == "field":
            h[c.get("name")] = c
            for cc in c:
                h[cc.get("name")] = cc
    version = int(h["cflow.version"].get("show"))
    if version == 10:
        export = int(h["cflow.exporttime"].get("show")) * 1000
        return {"export": export, "uptime": None, "domain": int(h["cflow.od_id"].get("show"))}
    export = int(h["cflow.unix_secs"].get("show")) * 1000
    if version == 5:
        export += int(h["cflow.unix_nsecs"].get("show")) // 1_000_000
    domain = int(h["cflow.source_id"].get("show")) if "cflow.source_id" in h else 0
    return {"export": export, "uptime": seconds_ms(h["cflow.sysuptime"].get("show")), "domain": domain}


def group_records(paths):
    """Per file: its flow records in tshark's order."""
    with tempfile.TemporaryDirectory() as tmp:
        cap = os.path.join(tmp, "g.pcap")
        counts = build(paths, cap)
        pdml = subprocess.run(["tshark", "-r", cap, "-T", "pdml"] + cflow_ports(cap),
                              capture_output=True, check=True).stdout
    root = ET.fromstring(pdml)
    ends, total = [], 0
    for n in counts:
        total += n
        ends.append(total)
    per_file = [[] for _ in paths]
    options = {}          # (frame, template id) -> defined by an options template
    templates = {}        # (frame, template id) -> data template fields (id, enterprise, length)
    sys_init = {}         # (exporter, domain) -> last systemInitTimeMilliseconds
    for pkt in root.iter("packet"):
        frame = int(next(f.get("show") for f in pkt.iter("field") if f.get("name") == "num"))
        exporter = next((f.get("show") for f in pkt.iter("field") if f.get("name") in ("ip.src", "ipv6.src")), None)
        fi = next(i for i, e in enumerate(ends) if frame <= e)
        for proto in pkt.iter("proto"):
            if proto.get("name") != "cflow":
                continue
            hdr = header(proto)
            scope = (exporter, hdr["domain"])
            for s in proto:
                title = s.get("show", "")
                m = SET.match(title)
                if m:
                    for tid in m.group(2).split(","):
                        options[(frame, int(tid))] = m.group(1) == "Options"
                    for t in s:
                        tm = re.match(r"Template \(Id = (\d+)", t.get("show", ""))
                        if tm and m.group(1) == "Data":
                            templates[(frame, int(tm.group(1)))] = template_fields(t)
                    continue
                if s.tag != "field" or s.get("name") != "":
                    continue
                recs = [s] if RECORD.match(title) else [c for c in s if c.tag == "field" and RECORD.match(c.get("show", ""))]
                if not recs:
                    continue
                tframe = next((c.get("show") for c in s if c.get("name") == "cflow.template_frame"), None)
                set_id = next((c.get("show") for c in s if c.get("name") == "cflow.flowset_id"), None)
                key = None if tframe is None else (int(tframe), int(set_id))
                is_options = options.get(key, False)
                for rec in recs:
                    v = record_values(rec, templates.get(key))
                    r = None if is_options else flow(v, hdr, sys_init.get(scope))
                    if "sys_init_time" in v:
                        sys_init[scope] = v["sys_init_time"]
                    if r is not None:
                        r["frame"] = frame
                        per_file[fi].append(r)
    return per_file


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../../../shared/corpus")
    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    out = ["{", f'"tshark": {json.dumps(version)},', '"groups": [']
    for gi, (name, files) in enumerate(GROUPS):
        per_file = group_records([os.path.join(corpus, f) for f in files])
        out.append(f'{{"group": {json.dumps(name)}, "files": [')
        for fi, (f, recs) in enumerate(zip(files, per_file)):
            idx = list(range(len(recs)))
            if len(recs) > KEEP_ALL:
                idx = sorted({0, 1, 2, len(recs) // 2, len(recs) - 1})
            out.append(f'  {{"file": {json.dumps(f)}, "flows": {len(recs)}, "records": [')
            for k, i in enumerate(idx):
                r = dict(i=i, **recs[i])
                out.append("    " + json.dumps(r, separators=(",", ":")) + ("," if k + 1 < len(idx) else ""))
            out.append("  ]}" + ("," if fi + 1 < len(files) else ""))
        out.append("]}" + ("," if gi + 1 < len(GROUPS) else ""))
    out += ["]", "}"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
