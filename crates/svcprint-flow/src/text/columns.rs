//! Our side of a column mapping: the flow-record fields ([`Field`]), how a value is
//! read ([`Conv`]), the user's [`ColumnMap`] and [`DecodeOptions`], and the compiled
//! [`Plan`] that turns one row (or one JSON object) into a [`FlowRecord`].
//!
//! A plan lists, per field, the columns it may be read from in priority order; the
//! first one whose value is not empty wins (IPFIX `sourceIPv4Address` then
//! `sourceIPv6Address`, `sourceMacAddress` then `postSourceMacAddress`, …).

use crate::mac::Mac;
use crate::record::{FlowRecord, Position};
use crate::text::dialect::Dialect;
use crate::time::{parse_datetime_zoned_bytes, parse_day_first_ms};
use crate::value::{
    parse_protocol, parse_tcp_flags, parse_time_ms, parse_u64, parse_uint, TimeUnit,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

/// A field of the flow record (method.md M1) that a text column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Start,
    End,
    Duration,
    Proto,
    SrcIp,
    DstIp,
    SrcPort,
    DstPort,
    SrcMac,
    DstMac,
    Packets,
    Bytes,
    RevPackets,
    RevBytes,
    TcpFlags,
    InitialTcpFlags,
    RevInitialTcpFlags,
    IcmpTypeCode,
}

pub(crate) const NFIELDS: usize = 18;

impl Field {
    /// Every field, in record order.
    pub const ALL: [Field; NFIELDS] = [
        Field::Start,
        Field::End,
        Field::Duration,
        Field::Proto,
        Field::SrcIp,
        Field::DstIp,
        Field::SrcPort,
        Field::DstPort,
        Field::SrcMac,
        Field::DstMac,
        Field::Packets,
        Field::Bytes,
        Field::RevPackets,
        Field::RevBytes,
        Field::TcpFlags,
        Field::InitialTcpFlags,
        Field::RevInitialTcpFlags,
        Field::IcmpTypeCode,
    ];

    /// The fields without which no record can be made.
    pub const REQUIRED: [Field; 4] = [Field::Start, Field::Proto, Field::SrcIp, Field::DstIp];

    /// The field's name as the mapping (`--map`) writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Start => "start",
            Field::End => "end",
            Field::Duration => "duration",
            Field::Proto => "proto",
            Field::SrcIp => "src_ip",
            Field::DstIp => "dst_ip",
            Field::SrcPort => "src_port",
            Field::DstPort => "dst_port",
            Field::SrcMac => "src_mac",
            Field::DstMac => "dst_mac",
            Field::Packets => "packets",
            Field::Bytes => "bytes",
            Field::RevPackets => "rev_packets",
            Field::RevBytes => "rev_bytes",
            Field::TcpFlags => "tcp_flags",
            Field::InitialTcpFlags => "initial_tcp_flags",
            Field::RevInitialTcpFlags => "rev_initial_tcp_flags",
            Field::IcmpTypeCode => "icmp_type_code",
        }
    }
}

/// How a column's text becomes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Conv {
    /// A time: a number of `Some(unit)`s since the epoch, or of a unit told by the
    /// magnitude (`None`, see [`epoch_unit`]); or date-time text, RFC 3339 /
    /// `YYYY-MM-DD HH:MM:SS[.f]` / day-first `D/M/YYYY H:MM[:SS] [AM|PM]`.
    Time(Option<TimeUnit>),
    /// Like `Time(None)`, but date-time text without a zone is UTC whatever the user's time
    /// zone: for tools documented to write UTC (super_mediator formats with `gmtime_r`).
    TimeUtc,
    /// A duration in the unit, converted to ms.
    Duration(TimeUnit),
    Proto,
    Ip,
    Port,
    Mac,
    Count,
    Flags,
    /// IPFIX tcpControlBits (16 bits; the low 8 are the flags).
    ControlBits,
    /// type*256+code, read only for ICMPv4 / ICMPv6 / either.
    IcmpV4,
    IcmpV6,
    IcmpAny,
}

/// Unit of an epoch number whose unit is not given, told by its magnitude: below
/// 10^11 seconds (up to year 5138), below 10^14 milliseconds, below 10^17
/// microseconds, else nanoseconds.
pub fn epoch_unit(integer_part: u64) -> TimeUnit {
    match integer_part {
        0..100_000_000_000 => TimeUnit::Seconds,
        100_000_000_000..100_000_000_000_000 => TimeUnit::Milliseconds,
        100_000_000_000_000..100_000_000_000_000_000 => TimeUnit::Microseconds,
        _ => TimeUnit::Nanoseconds,
    }
}

/// The mapping keys `--map` accepts, with the field and how the column is read.
const MAP_KEYS: &[(&str, Field, Conv)] = &[
    ("start", Field::Start, Conv::Time(None)),
    ("end", Field::End, Conv::Time(None)),
    (
        "duration",
        Field::Duration,
        Conv::Duration(TimeUnit::Seconds),
    ),
    (
        "duration_ms",
        Field::Duration,
        Conv::Duration(TimeUnit::Milliseconds),
    ),
    (
        "duration_us",
        Field::Duration,
        Conv::Duration(TimeUnit::Microseconds),
    ),
    ("proto", Field::Proto, Conv::Proto),
    ("src_ip", Field::SrcIp, Conv::Ip),
    ("dst_ip", Field::DstIp, Conv::Ip),
    ("src_port", Field::SrcPort, Conv::Port),
    ("dst_port", Field::DstPort, Conv::Port),
    ("src_mac", Field::SrcMac, Conv::Mac),
    ("dst_mac", Field::DstMac, Conv::Mac),
    ("packets", Field::Packets, Conv::Count),
    ("bytes", Field::Bytes, Conv::Count),
    ("rev_packets", Field::RevPackets, Conv::Count),
    ("rev_bytes", Field::RevBytes, Conv::Count),
    ("tcp_flags", Field::TcpFlags, Conv::Flags),
    ("initial_tcp_flags", Field::InitialTcpFlags, Conv::Flags),
    (
        "rev_initial_tcp_flags",
        Field::RevInitialTcpFlags,
        Conv::Flags,
    ),
    ("icmp_type_code", Field::IcmpTypeCode, Conv::IcmpAny),
];

/// Why a mapping could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapError {
    /// An item is not `key=column`.
    Syntax(String),
    /// The key is not one of [`ColumnMap::KEYS`].
    UnknownKey(String),
    /// The same key (or two keys for the same field) given twice.
    Duplicate(String),
}

impl fmt::Display for MapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MapError::Syntax(item) => write!(f, "mapping item {item:?} is not key=column"),
            MapError::UnknownKey(k) => write!(
                f,
                "unknown mapping key {k:?}; known keys: {}",
                ColumnMap::KEYS.join(", ")
            ),
            MapError::Duplicate(k) => write!(f, "mapping key {k:?} given twice"),
        }
    }
}

impl std::error::Error for MapError {}

/// The user's column mapping for a text file whose header we cannot read by ourselves
/// (or read wrongly): our field (`src_ip`, `start`, …; see [`ColumnMap::KEYS`]) to
/// their column name. Column names match the header exactly (surrounding spaces and
/// ASCII case ignored), else after dropping everything but letters and digits. For
/// JSON, the column is the member name, nested members joined with `.` (`id.orig_h`).
///
/// Serialised as a JSON object `{"src_ip": "ColA", …}`; reading one checks the keys.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<String, String>",
    into = "BTreeMap<String, String>"
)]
pub struct ColumnMap {
    columns: BTreeMap<String, String>,
}

impl ColumnMap {
    /// Every key a mapping may use. `start` / `end` read epoch numbers (unit told by
    /// magnitude) or date-time text; `duration` is in seconds, `duration_ms` /
    /// `duration_us` in milliseconds / microseconds.
    pub const KEYS: [&'static str; 20] = [
        "start",
        "end",
        "duration",
        "duration_ms",
        "duration_us",
        "proto",
        "src_ip",
        "dst_ip",
        "src_port",
        "dst_port",
        "src_mac",
        "dst_mac",
        "packets",
        "bytes",
        "rev_packets",
        "rev_bytes",
        "tcp_flags",
        "initial_tcp_flags",
        "rev_initial_tcp_flags",
        "icmp_type_code",
    ];

    pub fn new() -> Self {
        ColumnMap::default()
    }

    /// Parse `src_ip=ColA,dst_ip=ColB,...` (the CLI's `--map`). Spaces around keys and
    /// column names are dropped; an empty text is an empty map.
    pub fn parse(spec: &str) -> Result<ColumnMap, MapError> {
        let mut m = ColumnMap::new();
        for item in spec.split(',').filter(|i| !i.trim().is_empty()) {
            let (k, v) = item
                .split_once('=')
                .ok_or_else(|| MapError::Syntax(item.to_string()))?;
            if v.trim().is_empty() {
                return Err(MapError::Syntax(item.to_string()));
            }
            m.insert(k, v)?;
        }
        Ok(m)
    }

    /// Map `key` to `column`.
    pub fn insert(&mut self, key: &str, column: &str) -> Result<(), MapError> {
        let key = key.trim();
        let (_, field, _) = map_key(key).ok_or_else(|| MapError::UnknownKey(key.to_string()))?;
        if self
            .columns
            .keys()
            .any(|k| map_key(k).is_some_and(|(_, f, _)| f == field))
        {
            return Err(MapError::Duplicate(key.to_string()));
        }
        self.columns
            .insert(key.to_string(), column.trim().to_string());
        Ok(())
    }

    /// The column mapped to `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.columns.get(key).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// `(key, column)` pairs, by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.columns.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl fmt::Display for ColumnMap {
    /// The `--map` form, `key=column,…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{k}={v}")?;
        }
        Ok(())
    }
}

impl TryFrom<BTreeMap<String, String>> for ColumnMap {
    type Error = MapError;
    fn try_from(m: BTreeMap<String, String>) -> Result<Self, MapError> {
        let mut out = ColumnMap::new();
        for (k, v) in &m {
            out.insert(k, v)?;
        }
        Ok(out)
    }
}

impl From<ColumnMap> for BTreeMap<String, String> {
    fn from(m: ColumnMap) -> Self {
        m.columns
    }
}

fn map_key(key: &str) -> Option<(&'static str, Field, Conv)> {
    MAP_KEYS.iter().copied().find(|(k, _, _)| *k == key)
}

/// A fixed offset from UTC for date-time text that carries no zone (nfdump and
/// CICFlowMeter write local time). Written `+02:00`, `-05:30`, `+0200`, `+02`, `Z` or
/// `UTC`; at most ±23:59. Epoch numbers and text with its own zone are never shifted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UtcOffset {
    minutes: i32,
}

impl UtcOffset {
    /// East of UTC is positive.
    pub fn from_minutes(minutes: i32) -> Option<UtcOffset> {
        (minutes.abs() < 24 * 60).then_some(UtcOffset { minutes })
    }

    pub fn minutes(self) -> i32 {
        self.minutes
    }

    /// Parse `+hh:mm`, `-hh:mm`, `+hhmm`, `+hh`, `Z` or `UTC`.
    pub fn parse(s: &str) -> Option<UtcOffset> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
            return Some(UtcOffset { minutes: 0 });
        }
        let (sign, rest) = match s.as_bytes().first()? {
            b'+' => (1, &s[1..]),
            b'-' => (-1, &s[1..]),
            _ => return None,
        };
        let digits: String = rest.chars().filter(|c| *c != ':').collect();
        let colon_ok = match rest.find(':') {
            None => true,
            Some(i) => i == 2 && rest.len() == 5,
        };
        if !colon_ok || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (h, m) = match digits.len() {
            2 => (digits.parse::<i32>().ok()?, 0),
            4 => (
                digits[..2].parse::<i32>().ok()?,
                digits[2..].parse::<i32>().ok()?,
            ),
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        UtcOffset::from_minutes(sign * (h * 60 + m))
    }
}

impl fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minutes < 0 { '-' } else { '+' };
        let m = self.minutes.abs();
        write!(f, "{sign}{:02}:{:02}", m / 60, m % 60)
    }
}

impl TryFrom<String> for UtcOffset {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        UtcOffset::parse(&s).ok_or_else(|| format!("not a UTC offset: {s:?} (want +hh:mm)"))
    }
}

impl From<UtcOffset> for String {
    fn from(o: UtcOffset) -> String {
        o.to_string()
    }
}

/// What the caller tells the text decoders beyond [`crate::Limits`]: a column mapping
/// for headers we cannot read, and the offset of zone-less times (default UTC).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodeOptions {
    #[serde(default)]
    pub column_map: ColumnMap,
    #[serde(default)]
    pub time_zone: Option<UtcOffset>,
}

/// A header name reduced for matching: the part after the last `:` (ipfixcol2 writes
/// `iana:sourceIPv4Address`), ASCII letters and digits only, lower case. So `Src IP`,
/// `src_ip` and `SRC-IP` are the same name, and so are `id.orig_h` and `id_orig_h`.
pub fn normalize(name: &str) -> String {
    let tail = name.rsplit(':').next().unwrap_or(name);
    tail.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect()
}

/// Values of one row (CSV fields or JSON members) by column index, trimmed.
pub(crate) trait Values {
    fn get(&self, col: usize) -> &[u8];
}

/// Why a row was rejected: the column and a description of the problem.
pub(crate) type RowError = (usize, &'static str);

/// A compiled header.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub ncols: usize,
    /// Column names as the header gives them (for diagnostics).
    pub names: Vec<String>,
    /// The dialect the header was recognised as, `None` when only the map applies.
    pub dialect: Option<Dialect>,
    /// The user's mapping was applied.
    pub mapped: bool,
    slots: [Vec<(usize, Conv)>; NFIELDS],
    source_initiated: bool,
    tz_ms: i64,
    /// Values that mean "unset" besides the empty text (Zeek's `-` and `(empty)`).
    nulls: Vec<Vec<u8>>,
}

/// Why a header cannot be used: a message for the one `MissingColumn` diagnostic.
pub(crate) type HeaderError = String;

impl Plan {
    /// Compile a header: recognise its dialect, apply the mapping, check that the
    /// required fields have a column.
    /// With `force`, that dialect is used when the header is complete for it.
    pub fn compile(
        names: Vec<String>,
        opts: &DecodeOptions,
        force: Option<Dialect>,
    ) -> Result<Plan, HeaderError> {
        let names: Vec<String> = names
            .into_iter()
            .map(|n| n.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        let norm: Vec<String> = names.iter().map(|n| normalize(n)).collect();
        let find = |n: &str| norm.iter().position(|x| x == n);
        let mut plan = Plan {
            ncols: names.len(),
            names: Vec::new(),
            dialect: None,
            mapped: false,
            slots: Default::default(),
            source_initiated: false,
            tz_ms: opts
                .time_zone
                .map_or(0, |z| i64::from(z.minutes()) * 60_000),
            nulls: Vec::new(),
        };
        let detected = force
            .filter(|d| d.complete(&norm))
            .or_else(|| Dialect::detect(&norm));
        if let Some(d) = detected {
            plan.dialect = Some(d);
            for (name, field, conv) in d.columns() {
                if let Some(i) = find(&normalize(name)) {
                    let slot = &mut plan.slots[*field as usize];
                    if !slot.iter().any(|(c, _)| *c == i) {
                        slot.push((i, *conv));
                    }
                }
            }
            plan.source_initiated = d.source_initiated(&norm);
        }
        let map = &opts.column_map;
        if !map.is_empty() {
            let mut resolved = Vec::new();
            let mut unknown = Vec::new();
            for (key, column) in map.iter() {
                let Some((_, field, conv)) = map_key(key) else {
                    continue;
                };
                let at = names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(column))
                    .or_else(|| find(&normalize(column)));
                match at {
                    Some(i) => resolved.push((field, i, conv)),
                    None => unknown.push(column),
                }
            }
            if unknown.is_empty() {
                for (field, i, conv) in resolved {
                    plan.slots[field as usize] = vec![(i, conv)];
                }
                plan.mapped = true;
            } else if plan.dialect.is_none() {
                return Err(format!(
                    "the mapping names column(s) the header lacks: {}; header columns: {}; no records read from this text",
                    quoted_list(unknown.iter().map(|s| s.to_string())),
                    quoted_list(names.iter().cloned()),
                ));
            }
        }
        let missing: Vec<Field> = Field::REQUIRED
            .iter()
            .copied()
            .filter(|f| plan.slots[*f as usize].is_empty())
            .collect();
        if !missing.is_empty() {
            return Err(match (detected, plan.mapped) {
                (Some(d), false) => format!(
                    "header lacks required column(s): {}; no records read from this text",
                    missing
                        .iter()
                        .map(|f| d.describe(*f))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                (_, true) => format!(
                    "the mapping leaves required field(s) without a column: {}; no records read from this text",
                    missing.iter().map(|f| f.as_str()).collect::<Vec<_>>().join(", ")
                ),
                (None, false) => format!(
                    "cannot tell the flow format from the header (no known column names); \
                     needed: start, proto, src_ip, dst_ip (optional: end, duration, src_port, dst_port, \
                     src_mac, dst_mac, packets, bytes, rev_packets, rev_bytes, tcp_flags); map them to \
                     columns, e.g. --map start=COL,proto=COL,src_ip=COL,dst_ip=COL; header columns: {}; \
                     no records read from this text",
                    quoted_list(names.iter().cloned())
                ),
            });
        }
        plan.names = names;
        Ok(plan)
    }

    /// Values equal to one of `nulls` are read as empty.
    pub fn set_nulls(&mut self, nulls: Vec<Vec<u8>>) {
        self.nulls = nulls;
    }

    /// `csv`-style label of what was recognised: the dialect's name, or `mapped`.
    pub fn label(&self) -> &'static str {
        match (self.mapped, self.dialect) {
            (true, _) | (false, None) => "mapped",
            (false, Some(d)) => d.as_str(),
        }
    }

    fn is_null(&self, v: &[u8]) -> bool {
        v.is_empty() || (!self.nulls.is_empty() && self.nulls.iter().any(|n| n == v))
    }

    /// The first non-empty value for `f`.
    #[inline]
    fn value<'r, V: Values>(&self, row: &'r V, f: Field) -> Option<(usize, Conv, &'r [u8])> {
        for &(c, conv) in &self.slots[f as usize] {
            let v = row.get(c);
            if !self.is_null(v) {
                return Some((c, conv, v));
            }
        }
        None
    }

    /// Whether the source initiated each flow (method.md M2 rule 1).
    pub(crate) fn source_initiated(&self) -> bool {
        self.source_initiated
    }

    fn has(&self, f: Field) -> bool {
        !self.slots[f as usize].is_empty()
    }

    fn first_col(&self, f: Field) -> usize {
        self.slots[f as usize].first().map_or(0, |(c, _)| *c)
    }

    fn parse<V: Values, T>(
        &self,
        row: &V,
        f: Field,
        what: &'static str,
        parse: impl Fn(&[u8], Conv) -> Option<T>,
    ) -> Result<Option<T>, RowError> {
        match self.value(row, f) {
            None => Ok(None),
            Some((c, conv, v)) => parse(v, conv).map(Some).ok_or((c, what)),
        }
    }

    fn time<V: Values>(&self, row: &V, f: Field) -> Result<Option<i64>, RowError> {
        self.parse(row, f, "not a time", |v, conv| match conv {
            Conv::Time(unit) => parse_time(v, unit, self.tz_ms),
            Conv::TimeUtc => parse_time(v, None, 0),
            _ => None,
        })
    }

    /// Decode one row.
    pub fn decode<V: Values>(&self, row: &V, position: Position) -> Result<FlowRecord, RowError> {
        let start_ms = self
            .time(row, Field::Start)?
            .ok_or((self.first_col(Field::Start), "required value is empty"))?;
        let end_ms = match self.time(row, Field::End)? {
            Some(e) => e,
            None => {
                let d = self.parse(
                    row,
                    Field::Duration,
                    "not a duration",
                    |v, conv| match conv {
                        Conv::Duration(u) => parse_number_ms(v, u),
                        _ => None,
                    },
                )?;
                d.map_or(start_ms, |d| start_ms.saturating_add(d))
            }
        };
        let mut protocol = self
            .parse(row, Field::Proto, "not a protocol number", |v, _| {
                parse_protocol(v)
            })?
            .ok_or((self.first_col(Field::Proto), "required value is empty"))?;
        let src_addr = self.addr(row, Field::SrcIp)?;
        let dst_addr = self.addr(row, Field::DstIp)?;
        if protocol == 1 && (src_addr.is_ipv6() || dst_addr.is_ipv6()) {
            protocol = 58; // "icmp" over IPv6 (Zeek writes it so) is ICMPv6
        }
        let port = |v: &[u8], _| parse_u64(v).and_then(|p| u16::try_from(p).ok());
        let bad_port = "not a port number (0-65535)";
        let src_port = self
            .parse(row, Field::SrcPort, bad_port, port)?
            .unwrap_or(0);
        let dst_port = self
            .parse(row, Field::DstPort, bad_port, port)?
            .unwrap_or(0);
        let counter = "not a count (unsigned integer)";
        let count = |v: &[u8], _| parse_count(v);
        let packets = self
            .parse(row, Field::Packets, counter, count)?
            .unwrap_or(if self.has(Field::Packets) { 0 } else { 1 });
        let octets = self.parse(row, Field::Bytes, counter, count)?.unwrap_or(0);
        let reverse_packets = match self.has(Field::RevPackets) {
            true => Some(
                self.parse(row, Field::RevPackets, counter, count)?
                    .unwrap_or(0),
            ),
            false => None,
        };
        let reverse_octets = match self.has(Field::RevBytes) {
            true => Some(
                self.parse(row, Field::RevBytes, counter, count)?
                    .unwrap_or(0),
            ),
            false => None,
        };
        let flags = "not TCP flags (hex 0x12, decimal 18 or letters like SA)";
        let flag = |v: &[u8], _| parse_tcp_flags(v);
        let initial_tcp_flags = self.parse(row, Field::InitialTcpFlags, flags, flag)?;
        let union_tcp_flags = match self.value(row, Field::TcpFlags) {
            None => None,
            Some((c, Conv::ControlBits, v)) => Some(
                parse_uint(v)
                    .filter(|x| *x <= 0xffff)
                    .map(|x| (x & 0xff) as u8)
                    // formatted, as ipfixcol2 writes them: `.A..SF`
                    .or_else(|| parse_tcp_flags(v).filter(|_| !v[0].is_ascii_digit()))
                    .ok_or((c, "not TCP control bits (0-65535 or letters like .AP.S.)"))?,
            ),
            Some((c, _, v)) => Some(parse_tcp_flags(v).ok_or((c, flags))?),
        };
        let reverse_initial_tcp_flags = self.parse(row, Field::RevInitialTcpFlags, flags, flag)?;
        let mut icmp_type_code = None;
        for &(c, conv) in &self.slots[Field::IcmpTypeCode as usize] {
            let applies = match conv {
                Conv::IcmpV4 => protocol == 1,
                Conv::IcmpV6 => protocol == 58,
                _ => protocol == 1 || protocol == 58,
            };
            let v = row.get(c);
            if applies && !self.is_null(v) {
                let tc = parse_uint(v).and_then(|x| u16::try_from(x).ok());
                icmp_type_code = Some(tc.ok_or((c, "not an ICMP type*256+code (0-65535)"))?);
                break;
            }
        }
        let src_mac = self.mac(row, Field::SrcMac)?;
        let dst_mac = self.mac(row, Field::DstMac)?;
        Ok(FlowRecord {
            start_ms,
            end_ms,
            protocol,
            src_addr,
            dst_addr,
            src_port,
            dst_port,
            src_mac,
            dst_mac,
            packets,
            octets,
            reverse_packets,
            reverse_octets,
            initial_tcp_flags,
            union_tcp_flags,
            reverse_initial_tcp_flags,
            icmp_type_code,
            source_initiated: self.source_initiated,
            position,
        })
    }

    /// The first non-empty, non-zero MAC among the field's columns. The all-zero address is
    /// "no MAC" (as the IPFIX decoder and the engine treat it; super_mediator and nfdump
    /// print it for flows without one), so a later column may still give one.
    fn mac<V: Values>(&self, row: &V, f: Field) -> Result<Option<Mac>, RowError> {
        for &(c, _) in &self.slots[f as usize] {
            let v = row.get(c);
            if self.is_null(v) {
                continue;
            }
            let m = parse_mac(v).ok_or((c, "not a MAC address"))?;
            if !m.is_zero() {
                return Ok(Some(m));
            }
        }
        Ok(None)
    }

    fn addr<V: Values>(&self, row: &V, f: Field) -> Result<IpAddr, RowError> {
        self.parse(
            row,
            f,
            "not an IP address",
            |v, _| match crate::value::parse_ipv4_canonical(v) {
                Some(a) => Some(IpAddr::V4(a)),
                None => std::str::from_utf8(v).ok()?.parse::<IpAddr>().ok(),
            },
        )?
        .ok_or((self.first_col(f), "required value is empty"))
    }
}

/// A MAC in any notation [`Mac::parse`] reads; one trailing `:` is tolerated because
/// super_mediator 1.x's `mdPrintMAC` writes `aa:bb:cc:dd:ee:ff:` (src/mediator_print.c).
fn parse_mac(v: &[u8]) -> Option<Mac> {
    Mac::parse_bytes(v).or_else(|| Mac::parse(std::str::from_utf8(v).ok()?.strip_suffix(':')?))
}

/// A count: an unsigned integer; a float with a zero fraction (`12.0`, as JSON
/// writers sometimes print) is accepted.
fn parse_count(v: &[u8]) -> Option<u64> {
    parse_u64(v).or_else(|| {
        let (int, frac) = v.split_at(v.iter().position(|&c| c == b'.')?);
        frac[1..]
            .iter()
            .all(|&c| c == b'0')
            .then(|| parse_u64(int))
            .flatten()
    })
}

/// A number of `unit`s (optional sign and fraction) as ms; no date-time text.
fn parse_number_ms(v: &[u8], unit: TimeUnit) -> Option<i64> {
    let digits = v.strip_prefix(b"-").unwrap_or(v);
    if digits.is_empty() || !digits.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
        return None;
    }
    parse_time_ms(v, unit)
}

/// A time value: epoch number (in `unit`, or told by magnitude), else date-time text
/// (ISO or day-first), zone-less text shifted by `tz_ms`.
pub(crate) fn parse_time(v: &[u8], unit: Option<TimeUnit>, tz_ms: i64) -> Option<i64> {
    let first = *v.first()?;
    if first.is_ascii_digit() || first == b'-' {
        let body = v.strip_prefix(b"-").unwrap_or(v);
        let int_len = body.iter().position(|&c| c == b'.').unwrap_or(body.len());
        let numeric = int_len > 0
            && body[..int_len].iter().all(u8::is_ascii_digit)
            && body[int_len..].iter().skip(1).all(u8::is_ascii_digit);
        if numeric {
            let int = parse_u64(&body[..int_len])?;
            let unit = match unit {
                // Below 10^14 a µs / ns count would fall before March 1973 (µs) or on
                // 2 January 1970 (ns): the number is in another unit. ipfixcol2's JSON
                // output writes Unix ms for every timestamp unless formatted, whatever the
                // element's unit (libfds tests/unit_tests/converters/json.cpp:
                // `iana:flowStartNanoseconds` = 1522670362000).
                Some(TimeUnit::Microseconds | TimeUnit::Nanoseconds)
                    if int < 100_000_000_000_000 =>
                {
                    epoch_unit(int)
                }
                Some(u) => u,
                None => epoch_unit(int),
            };
            return parse_time_ms(v, unit);
        }
    }
    match parse_datetime_zoned_bytes(v) {
        Some((ms, true)) => Some(ms),
        Some((ms, false)) => ms.checked_sub(tz_ms),
        None => parse_day_first_ms(std::str::from_utf8(v).ok()?)?.checked_sub(tz_ms),
    }
}

fn quoted_list(items: impl Iterator<Item = String>) -> String {
    const MAX: usize = 64;
    let mut v: Vec<String> = Vec::new();
    let mut more = 0;
    for (i, s) in items.enumerate() {
        if i < MAX {
            v.push(format!("{:?}", crate::value::excerpt(s.as_bytes())));
        } else {
            more += 1;
        }
    }
    let mut out = v.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_map_parses_checks_and_round_trips() {
        let m = ColumnMap::parse(" src_ip = Source , dst_ip=Dest Addr,start=When,").unwrap();
        assert_eq!(m.get("src_ip"), Some("Source"));
        assert_eq!(m.get("dst_ip"), Some("Dest Addr"));
        assert_eq!(m.to_string(), "dst_ip=Dest Addr,src_ip=Source,start=When");
        assert_eq!(ColumnMap::parse(&m.to_string()), Ok(m.clone()));
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(
            json,
            r#"{"dst_ip":"Dest Addr","src_ip":"Source","start":"When"}"#
        );
        assert_eq!(serde_json::from_str::<ColumnMap>(&json).unwrap(), m);
        assert!(serde_json::from_str::<ColumnMap>(r#"{"srcip":"x"}"#).is_err());
        assert_eq!(
            ColumnMap::parse("src=x"),
            Err(MapError::UnknownKey("src".into()))
        );
        assert_eq!(
            ColumnMap::parse("src_ip"),
            Err(MapError::Syntax("src_ip".into()))
        );
        assert_eq!(
            ColumnMap::parse("src_ip="),
            Err(MapError::Syntax("src_ip=".into()))
        );
        assert_eq!(
            ColumnMap::parse("duration=a,duration_ms=b"),
            Err(MapError::Duplicate("duration_ms".into()))
        );
        assert_eq!(ColumnMap::parse(""), Ok(ColumnMap::new()));
        assert_eq!(ColumnMap::KEYS.len(), MAP_KEYS.len());
        for (k, (mk, _, _)) in ColumnMap::KEYS.iter().zip(MAP_KEYS) {
            assert_eq!(k, mk);
        }
    }

    #[test]
    fn utc_offsets() {
        for (s, m) in [
            ("+02:00", 120),
            ("-05:30", -330),
            ("+0200", 120),
            ("+02", 120),
            ("Z", 0),
            ("utc", 0),
            ("-23:59", -1439),
        ] {
            assert_eq!(UtcOffset::parse(s).map(UtcOffset::minutes), Some(m), "{s}");
        }
        for s in [
            "",
            "2",
            "+2",
            "+24:00",
            "+02:60",
            "+02:0",
            "+0:200",
            "+02:00:00",
            "CET",
        ] {
            assert_eq!(UtcOffset::parse(s), None, "{s}");
        }
        assert_eq!(UtcOffset::parse("-05:30").unwrap().to_string(), "-05:30");
        let o: DecodeOptions =
            serde_json::from_str(r#"{"time_zone":"+01:00","column_map":{"start":"t"}}"#).unwrap();
        assert_eq!(o.time_zone.unwrap().minutes(), 60);
        assert_eq!(o.column_map.get("start"), Some("t"));
        assert_eq!(
            serde_json::from_str::<DecodeOptions>("{}").unwrap(),
            DecodeOptions::default()
        );
    }

    #[test]
    fn times_by_magnitude_and_zone() {
        let t = 1_561_451_807_096;
        assert_eq!(parse_time(b"1561451807.096", None, 0), Some(t));
        assert_eq!(parse_time(b"1561451807096", None, 0), Some(t));
        assert_eq!(parse_time(b"1561451807096123", None, 0), Some(t));
        assert_eq!(parse_time(b"1561451807096123456", None, 0), Some(t));
        assert_eq!(
            parse_time(b"99999999999", None, 0),
            Some(99_999_999_999_000)
        );
        assert_eq!(parse_time(b"100000000000", None, 0), Some(100_000_000_000));
        // Zone-less text is shifted by the user's offset; zoned text and numbers are not.
        let h2 = 2 * 3_600_000;
        assert_eq!(parse_time(b"2019-06-25 10:36:47.096", None, h2), Some(t));
        assert_eq!(parse_time(b"2019-06-25T08:36:47.096Z", None, h2), Some(t));
        assert_eq!(parse_time(b"1561451807096", None, h2), Some(t));
        assert_eq!(parse_time(b"25/06/2019 10:36:47.096", None, h2), Some(t));
        // µs / ns element names holding ms (ipfixcol2 `timestamp=unix`) or their own unit
        let (us, ns) = (Some(TimeUnit::Microseconds), Some(TimeUnit::Nanoseconds));
        assert_eq!(parse_time(b"1561451807096", ns, 0), Some(t));
        assert_eq!(parse_time(b"1561451807096", us, 0), Some(t));
        assert_eq!(parse_time(b"1561451807096123", us, 0), Some(t));
        assert_eq!(parse_time(b"1561451807096123456", ns, 0), Some(t));
        assert_eq!(
            parse_time(b"1561451807096", Some(TimeUnit::Milliseconds), 0),
            Some(t)
        );
        assert_eq!(parse_time(b"-", None, 0), None);
        assert_eq!(parse_time(b"1.2.3", None, 0), None);
    }

    #[test]
    fn normalized_names() {
        assert_eq!(normalize("Src IP"), "srcip");
        assert_eq!(normalize(" src_ip "), "srcip");
        assert_eq!(normalize("iana:sourceIPv4Address"), "sourceipv4address");
        assert_eq!(normalize("id.orig_h"), "idorigh");
        assert_eq!(
            normalize("\u{feff}flowStartMilliseconds"),
            "flowstartmilliseconds"
        );
    }
}
