//! Aggregation: flow records in, the compact per-device, per-bin service activity out
//! (method.md M2-M5 applied to every record).
//!
//! [`Aggregator`] is the hot path: devices and services are interned to small integers
//! in `FxHashMap`s, and a flow sets the bits of the bins it touches in its (device,
//! service) pair's bitmap (64 bins a word), so memory grows with devices x services x
//! active span / 64, never with flows, and the steady state allocates nothing per record
//! (a pair's bitmap grows by a word every 64 bins). [`Aggregator::finish`] sorts everything
//! into the canonical [`Aggregates`]: equal inputs in any order give equal aggregates,
//! and [`Aggregates::merge`] of two parts equals aggregating the whole.
//!
//! Aggregates keep services direction-aware and unfolded; direction-blind mode and
//! rare-port folding are applied afterwards ([`mod@crate::activity`]), so they can change
//! without re-reading the input.

use crate::bin_sets::{BinSets, BinSetsError};
use crate::bins::FlowBins;
use crate::config::{Config, ConfigError};
use crate::device::{AddressKind, DeviceKey, Locality};
use crate::prefix::Prefix;
use crate::role::{self, Side};
use crate::service::{self, Service, ServiceId};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;
use svcprint_flow::FlowRecord;

/// The parameters that shape aggregation, frozen into the [`Aggregates`] they made.
/// Aggregates merge only when these are equal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregationParams {
    /// M5 \[bin\].
    pub bin_ms: i64,
    /// M4 \[min_packets\].
    pub min_packets: u64,
    /// M4 \[ignore_unanswered_inbound\].
    pub ignore_unanswered_inbound: bool,
    /// M3 \[local_prefixes\].
    pub local_prefixes: Vec<Prefix>,
    /// Limit on the bins of one flow (M5).
    pub max_flow_bins: u64,
}

impl AggregationParams {
    /// The aggregation part of `config`.
    pub fn from_config(config: &Config) -> AggregationParams {
        AggregationParams {
            bin_ms: config.bin_ms,
            min_packets: config.min_packets,
            ignore_unanswered_inbound: config.ignore_unanswered_inbound,
            local_prefixes: config.local_prefixes.clone(),
            max_flow_bins: config.max_flow_bins,
        }
    }

    /// The name of the first field that differs, if any.
    fn first_difference(&self, other: &AggregationParams) -> Option<&'static str> {
        if self.bin_ms != other.bin_ms {
            Some("bin_ms")
        } else if self.min_packets != other.min_packets {
            Some("min_packets")
        } else if self.ignore_unanswered_inbound != other.ignore_unanswered_inbound {
            Some("ignore_unanswered_inbound")
        } else if self.local_prefixes != other.local_prefixes {
            Some("local_prefixes")
        } else if self.max_flow_bins != other.max_flow_bins {
            Some("max_flow_bins")
        } else {
            None
        }
    }
}

/// What happened to the records, counted. Every record is counted in `records`; the
/// other counters say why records or parts of them gave no service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregationStats {
    /// Records added.
    pub records: u64,
    /// Records ignored: fewer than min_packets packets (M4).
    pub below_min_packets: u64,
    /// Records with no device at either end (M3).
    pub without_device: u64,
    /// Records that give no service: ICMP error reports (M2 rule 0).
    pub no_service: u64,
    /// Server sides skipped as unanswered inbound (M4); a flow counts once per device.
    pub unanswered_inbound: u64,
    /// Records giving a service whose end was before their start (M5: start bin only).
    pub end_before_start: u64,
    /// Records giving a service whose span exceeded `max_flow_bins` bins and was clamped.
    pub clamped_flows: u64,
    /// Endpoints dropped because the device table was full (2^32 devices).
    pub device_table_full: u64,
}

impl AggregationStats {
    fn add(&mut self, o: &AggregationStats) {
        self.records = self.records.saturating_add(o.records);
        self.below_min_packets = self.below_min_packets.saturating_add(o.below_min_packets);
        self.without_device = self.without_device.saturating_add(o.without_device);
        self.no_service = self.no_service.saturating_add(o.no_service);
        self.unanswered_inbound = self.unanswered_inbound.saturating_add(o.unanswered_inbound);
        self.end_before_start = self.end_before_start.saturating_add(o.end_before_start);
        self.clamped_flows = self.clamped_flows.saturating_add(o.clamped_flows);
        self.device_table_full = self.device_table_full.saturating_add(o.device_table_full);
    }
}

/// A device's observed span (method.md M11): the first start and the last end of the
/// flows that give it a service (ends as kept by [`FlowBins`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeSpan {
    pub first_ms: i64,
    pub last_ms: i64,
}

impl TimeSpan {
    fn union(a: Option<TimeSpan>, b: Option<TimeSpan>) -> Option<TimeSpan> {
        match (a, b) {
            (Some(x), Some(y)) => Some(TimeSpan {
                first_ms: x.first_ms.min(y.first_ms),
                last_ms: x.last_ms.max(y.last_ms),
            }),
            (x, None) => x,
            (None, y) => y,
        }
    }
}

/// The flows that gave a device one service (method.md M4), and how many of them had a
/// peer that is not remote ([`crate::device::AddressKind`] other than `Remote`: a local,
/// broadcast, multicast or unspecified address), for the `local-networks` ACEs of the
/// M12 MUD draft.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ServiceFlows {
    pub flows: u64,
    pub local_peer: u64,
}

impl ServiceFlows {
    /// Both counts summed (saturating).
    pub fn plus(self, o: ServiceFlows) -> ServiceFlows {
        ServiceFlows {
            flows: self.flows.saturating_add(o.flows),
            local_peer: self.local_peer.saturating_add(o.local_peer),
        }
    }
}

/// One device in [`Aggregates`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceAggregate {
    key: DeviceKey,
    flows: u64,
    span: Option<TimeSpan>,
    bins: BinSets,
    service_flows: Vec<(ServiceId, ServiceFlows)>,
}

impl DeviceAggregate {
    /// method.md M3 \[device_key\].
    pub fn key(&self) -> DeviceKey {
        self.key
    }

    /// method.md M11: every flow the device is an endpoint of (among those that pass
    /// min_packets), whether or not it gives it a service.
    pub fn flows(&self) -> u64 {
        self.flows
    }

    /// The first start and last end of the flows that give the device a service;
    /// `None` when none does.
    pub fn span(&self) -> Option<TimeSpan> {
        self.span
    }

    /// S(d, b) for every active bin b (M5), ids into [`Aggregates::services`].
    pub fn bins(&self) -> &BinSets {
        &self.bins
    }

    /// Per service, the flows that gave it to the device; sorted by id.
    pub fn service_flows(&self) -> &[(ServiceId, ServiceFlows)] {
        &self.service_flows
    }
}

/// Why two [`Aggregates`] cannot be merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// They were made with different aggregation parameters.
    ParamsDiffer { field: &'static str },
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::ParamsDiffer { field } => {
                write!(f, "cannot merge aggregates made with different {field}")
            }
        }
    }
}

impl std::error::Error for MergeError {}

/// Why stored aggregates are inconsistent (deserialization).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AggregatesError {
    /// `bin_ms` must be > 0.
    BinNotPositive { bin_ms: i64 },
    /// The service table must be strictly increasing.
    ServicesNotSorted { position: usize },
    /// Devices must be strictly increasing by key.
    DevicesNotSorted { position: usize },
    /// A device uses a service id outside the table.
    ServiceIdOutOfRange {
        device: usize,
        id: u32,
        services: usize,
    },
    /// A device's per-service flow counts are unsorted, zero, or disagree with its bins
    /// and span (all empty or all present).
    DeviceInconsistent { device: usize },
    /// A device's bin sets are inconsistent.
    BinSets { device: usize, error: BinSetsError },
}

impl fmt::Display for AggregatesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AggregatesError::BinNotPositive { bin_ms } => {
                write!(f, "bin must be positive, got {bin_ms} ms")
            }
            AggregatesError::ServicesNotSorted { position } => {
                write!(f, "service {position} is out of order")
            }
            AggregatesError::DevicesNotSorted { position } => {
                write!(f, "device {position} is out of order")
            }
            AggregatesError::ServiceIdOutOfRange {
                device,
                id,
                services,
            } => {
                write!(
                    f,
                    "device {device} uses service id {id} of a table of {services}"
                )
            }
            AggregatesError::DeviceInconsistent { device } => {
                write!(f, "device {device} is inconsistent")
            }
            AggregatesError::BinSets { device, error } => write!(f, "device {device}: {error}"),
        }
    }
}

impl std::error::Error for AggregatesError {}

/// The per-device, per-bin service activity of a whole input, canonical: services
/// sorted ([`Service`]'s order) and devices sorted by key, so it does not depend on
/// record order. Serializable, so an app can keep it and recompute views later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AggregatesRepr")]
pub struct Aggregates {
    params: AggregationParams,
    services: Vec<Service>,
    devices: Vec<DeviceAggregate>,
    stats: AggregationStats,
}

#[derive(Deserialize)]
struct AggregatesRepr {
    params: AggregationParams,
    services: Vec<Service>,
    devices: Vec<DeviceAggregate>,
    stats: AggregationStats,
}

impl TryFrom<AggregatesRepr> for Aggregates {
    type Error = AggregatesError;

    fn try_from(r: AggregatesRepr) -> Result<Aggregates, AggregatesError> {
        if r.params.bin_ms <= 0 {
            return Err(AggregatesError::BinNotPositive {
                bin_ms: r.params.bin_ms,
            });
        }
        if let Some(position) = first_unsorted(&r.services, |a, b| a < b) {
            return Err(AggregatesError::ServicesNotSorted { position });
        }
        if let Some(position) = first_unsorted(&r.devices, |a, b| a.key < b.key) {
            return Err(AggregatesError::DevicesNotSorted { position });
        }
        let services = r.services.len();
        for (device, d) in r.devices.iter().enumerate() {
            let ids = d
                .bins
                .distinct_set_ids()
                .iter()
                .chain(d.service_flows.iter().map(|(id, _)| id));
            if let Some(id) = ids.copied().find(|id| id.index() >= services) {
                return Err(AggregatesError::ServiceIdOutOfRange {
                    device,
                    id: id.0,
                    services,
                });
            }
            let flows_ok = first_unsorted(&d.service_flows, |a, b| a.0 < b.0).is_none()
                && d.service_flows
                    .iter()
                    .all(|(_, n)| n.flows > 0 && n.local_peer <= n.flows);
            let empties = [
                d.bins.is_empty(),
                d.service_flows.is_empty(),
                d.span.is_none(),
            ];
            if !flows_ok || empties.iter().any(|e| *e != empties[0]) {
                return Err(AggregatesError::DeviceInconsistent { device });
            }
        }
        Ok(Aggregates {
            params: r.params,
            services: r.services,
            devices: r.devices,
            stats: r.stats,
        })
    }
}

/// The position of the first element not in order after its predecessor.
fn first_unsorted<T>(v: &[T], in_order: impl Fn(&T, &T) -> bool) -> Option<usize> {
    v.windows(2)
        .position(|w| !in_order(&w[0], &w[1]))
        .map(|p| p + 1)
}

impl Aggregates {
    /// The parameters that made these aggregates.
    pub fn params(&self) -> &AggregationParams {
        &self.params
    }

    /// What happened to the records.
    pub fn stats(&self) -> &AggregationStats {
        &self.stats
    }

    /// The service table: [`ServiceId`] n is `services()\[n\]`. Sorted, direction-aware,
    /// unfolded.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The service of an id.
    pub fn service(&self, id: ServiceId) -> Option<Service> {
        self.services.get(id.index()).copied()
    }

    /// Every device that was an endpoint of a counted flow, sorted by key; those with
    /// no service have no bins.
    pub fn devices(&self) -> &[DeviceAggregate] {
        &self.devices
    }

    /// Adds `other` (aggregated from other records with the same parameters) to
    /// `self`. The result equals aggregating all the records at once.
    pub fn merge(&mut self, other: Aggregates) -> Result<(), MergeError> {
        if let Some(field) = self.params.first_difference(&other.params) {
            return Err(MergeError::ParamsDiffer { field });
        }
        let (services, map_a, map_b) = union_tables(&self.services, &other.services);
        let mine = std::mem::take(&mut self.devices);
        let mut out = Vec::with_capacity(mine.len().max(other.devices.len()));
        let mut a = mine.into_iter().peekable();
        let mut b = other.devices.into_iter().peekable();
        loop {
            let order = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.key.cmp(&y.key),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => break,
            };
            let merged = match order {
                Ordering::Less => a.next().map(|x| combine(x, &map_a, None, &map_b)),
                Ordering::Greater => b.next().map(|y| combine(y, &map_b, None, &map_a)),
                Ordering::Equal => match (a.next(), b.next()) {
                    (Some(x), y) => Some(combine(x, &map_a, y, &map_b)),
                    (None, y) => y.map(|y| combine(y, &map_b, None, &map_a)),
                },
            };
            out.extend(merged);
        }
        self.devices = out;
        self.services = services;
        self.stats.add(&other.stats);
        Ok(())
    }
}

/// The sorted union of two sorted service tables and each table's increasing map into it.
fn union_tables(a: &[Service], b: &[Service]) -> (Vec<Service>, Vec<ServiceId>, Vec<ServiceId>) {
    let mut out: Vec<Service> = Vec::with_capacity(a.len().max(b.len()));
    let (mut map_a, mut map_b) = (Vec::with_capacity(a.len()), Vec::with_capacity(b.len()));
    let (mut i, mut j) = (0, 0);
    loop {
        let next_id = ServiceId(u32::try_from(out.len()).unwrap_or(u32::MAX));
        let (x, y) = (a.get(i), b.get(j));
        let s = match (x, y) {
            (Some(x), Some(y)) if x == y => {
                map_a.push(next_id);
                map_b.push(next_id);
                i += 1;
                j += 1;
                *x
            }
            (Some(x), Some(y)) if x < y => {
                map_a.push(next_id);
                i += 1;
                *x
            }
            (Some(x), None) => {
                map_a.push(next_id);
                i += 1;
                *x
            }
            (_, Some(y)) => {
                map_b.push(next_id);
                j += 1;
                *y
            }
            (None, None) => break,
        };
        out.push(s);
    }
    (out, map_a, map_b)
}

/// One device from one or both sides of a merge, ids mapped into the union table
/// (`a`'s through `map_a`, `b`'s through `map_b`). Symmetric in (a, b).
fn combine(
    a: DeviceAggregate,
    map_a: &[ServiceId],
    b: Option<DeviceAggregate>,
    map_b: &[ServiceId],
) -> DeviceAggregate {
    let remap = |v: &[(ServiceId, ServiceFlows)], map: &[ServiceId]| {
        v.iter()
            .filter_map(|(id, n)| map.get(id.index()).map(|m| (*m, *n)))
            .collect::<Vec<_>>()
    };
    let empty = BinSets::new();
    let bins = BinSets::union(
        &a.bins,
        map_a,
        b.as_ref().map_or(&empty, |y| &y.bins),
        map_b,
    );
    let fa = remap(&a.service_flows, map_a);
    let fb = b
        .as_ref()
        .map(|y| remap(&y.service_flows, map_b))
        .unwrap_or_default();
    let mut service_flows = Vec::with_capacity(fa.len().max(fb.len()));
    let (mut i, mut j) = (0, 0);
    loop {
        let next = match (fa.get(i), fb.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                i += 1;
                j += 1;
                (x.0, x.1.plus(y.1))
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                i += 1;
                *x
            }
            (Some(x), None) => {
                i += 1;
                *x
            }
            (_, Some(y)) => {
                j += 1;
                *y
            }
            (None, None) => break,
        };
        service_flows.push(next);
    }
    DeviceAggregate {
        key: a.key,
        flows: a.flows.saturating_add(b.as_ref().map_or(0, |y| y.flows)),
        span: TimeSpan::union(a.span, b.as_ref().and_then(|y| y.span)),
        bins,
        service_flows,
    }
}

/// A device while aggregating.
#[derive(Clone, Debug)]
struct DeviceAcc {
    key: DeviceKey,
    flows: u64,
    span: Option<TimeSpan>,
}

/// Builds [`Aggregates`] from flow records (method.md M2-M5, M11 flow counts).
#[derive(Clone, Debug)]
pub struct Aggregator {
    params: AggregationParams,
    locality: Locality,
    devices: Vec<DeviceAcc>,
    device_ids: FxHashMap<DeviceKey, u32>,
    services: Vec<Service>,
    service_ids: FxHashMap<Service, u32>,
    /// (device, service) -> the flows that gave the device the service and the bins in
    /// which it was active. One entry per pair (not per bin): memory grows with
    /// pairs x active span / 64 words, and a flow costs one hash lookup per side.
    pairs: FxHashMap<(u32, u32), PairAcc>,
    stats: AggregationStats,
}

impl Aggregator {
    /// An empty aggregator; fails when `config` does not validate.
    pub fn new(config: &Config) -> Result<Aggregator, ConfigError> {
        config.validate()?;
        let params = AggregationParams::from_config(config);
        Ok(Aggregator {
            locality: Locality::new(&params.local_prefixes),
            params,
            devices: Vec::new(),
            device_ids: FxHashMap::default(),
            services: Vec::new(),
            service_ids: FxHashMap::default(),
            pairs: FxHashMap::default(),
            stats: AggregationStats::default(),
        })
    }

    /// The counters so far (for progress reports).
    pub fn stats(&self) -> &AggregationStats {
        &self.stats
    }

    /// The device id of the endpoint, when it is a device (M3) and the table has room.
    fn device(
        &mut self,
        kind: AddressKind,
        addr: std::net::IpAddr,
        mac: Option<svcprint_flow::Mac>,
    ) -> Option<u32> {
        if kind != AddressKind::Local {
            return None;
        }
        let key = DeviceKey::of(addr, mac);
        if let Some(&id) = self.device_ids.get(&key) {
            return Some(id);
        }
        let Ok(id) = u32::try_from(self.devices.len()) else {
            self.stats.device_table_full += 1;
            return None;
        };
        self.device_ids.insert(key, id);
        self.devices.push(DeviceAcc {
            key,
            flows: 0,
            span: None,
        });
        Some(id)
    }

    fn service(&mut self, s: Service) -> u32 {
        let services = &mut self.services;
        // At most 3 x 256 x 65 538 distinct services: always fits in u32.
        *self.service_ids.entry(s).or_insert_with(|| {
            services.push(s);
            u32::try_from(services.len() - 1).unwrap_or(u32::MAX)
        })
    }

    /// Adds one flow record.
    ///
    /// - M4 min_packets: a record with fewer packets (forward plus reverse) is ignored.
    /// - M3: each end whose address is local is a device, keyed by MAC or IP; the flow
    ///   counts once for each distinct device (M11 flow count).
    /// - M2: roles; an ICMP error gives no service.
    /// - M4: each device end gets its service, except a server in an unanswered biflow
    ///   \[ignore_unanswered_inbound\].
    /// - M5: the service is active in every bin of the flow (clamped to max_flow_bins).
    pub fn add(&mut self, rec: &FlowRecord) {
        self.stats.records += 1;
        if rec.total_packets() < self.params.min_packets {
            self.stats.below_min_packets += 1;
            return;
        }
        let src_kind = self.locality.kind(rec.src_addr);
        let dst_kind = self.locality.kind(rec.dst_addr);
        let src = self.device(src_kind, rec.src_addr, rec.src_mac);
        let dst = self.device(dst_kind, rec.dst_addr, rec.dst_mac);
        if src.is_none() && dst.is_none() {
            self.stats.without_device += 1;
            return;
        }
        let distinct_dst = if dst == src { None } else { dst };
        for d in [src, distinct_dst].into_iter().flatten() {
            if let Some(acc) = self.devices.get_mut(d as usize) {
                acc.flows = acc.flows.saturating_add(1);
            }
        }
        let Some(roles) = role::roles(rec) else {
            self.stats.no_service += 1;
            return;
        };
        let flow_bins = FlowBins::of(
            rec.start_ms,
            rec.end_ms,
            self.params.bin_ms,
            self.params.max_flow_bins,
        );
        let span = TimeSpan {
            first_ms: flow_bins.start_ms,
            last_ms: flow_bins.end_ms,
        };
        let mut gave = false;
        for (side, dev) in [(Side::Source, src), (Side::Destination, dst)] {
            let Some(dev) = dev else { continue };
            if side == roles.server()
                && self.params.ignore_unanswered_inbound
                && service::is_unanswered_inbound(rec, roles)
            {
                self.stats.unanswered_inbound += 1;
                continue;
            }
            let sid = self.service(Service::for_side(rec, roles, side));
            let pair = self.pairs.entry((dev, sid)).or_default();
            pair.bins.insert_range(flow_bins.first, flow_bins.last);
            let peer_local = match side {
                Side::Source => dst_kind != AddressKind::Remote,
                Side::Destination => src_kind != AddressKind::Remote,
            };
            let one = ServiceFlows {
                flows: 1,
                local_peer: u64::from(peer_local),
            };
            pair.flows = pair.flows.plus(one);
            if let Some(acc) = self.devices.get_mut(dev as usize) {
                acc.span = TimeSpan::union(acc.span, Some(span));
            }
            gave = true;
        }
        if gave {
            self.stats.clamped_flows += u64::from(flow_bins.clamped);
            self.stats.end_before_start += u64::from(flow_bins.end_before_start);
        }
    }

    /// Adds every record of `recs`.
    pub fn add_all(&mut self, recs: &[FlowRecord]) {
        for rec in recs {
            self.add(rec);
        }
    }

    /// The canonical aggregates of everything added.
    pub fn finish(self) -> Aggregates {
        let mut dev_order: Vec<usize> = (0..self.devices.len()).collect();
        dev_order.sort_unstable_by(|&a, &b| {
            let key = |i: usize| self.devices.get(i).map(|d| d.key);
            key(a).cmp(&key(b))
        });
        let mut dev_new = vec![0u32; self.devices.len()];
        for (new, &old) in dev_order.iter().enumerate() {
            if let Some(slot) = dev_new.get_mut(old) {
                *slot = u32::try_from(new).unwrap_or(u32::MAX);
            }
        }
        let mut svc_order: Vec<usize> = (0..self.services.len()).collect();
        svc_order.sort_unstable_by(|&a, &b| self.services.get(a).cmp(&self.services.get(b)));
        let services: Vec<Service> = svc_order
            .iter()
            .filter_map(|&i| self.services.get(i).copied())
            .collect();
        let mut svc_new = vec![ServiceId(0); self.services.len()];
        for (new, &old) in svc_order.iter().enumerate() {
            if let Some(slot) = svc_new.get_mut(old) {
                *slot = ServiceId(u32::try_from(new).unwrap_or(u32::MAX));
            }
        }
        let dev_of = |d: u32| dev_new.get(d as usize).copied().unwrap_or(0);
        let svc_of = |s: u32| svc_new.get(s as usize).copied().unwrap_or(ServiceId(0));

        let mut pairs: Vec<(u32, ServiceId, PairAcc)> = self
            .pairs
            .into_iter()
            .map(|((d, s), p)| (dev_of(d), svc_of(s), p))
            .collect();
        pairs.sort_unstable_by_key(|&(d, s, _)| (d, s));

        let mut devices: Vec<DeviceAggregate> = dev_order
            .iter()
            .filter_map(|&old| self.devices.get(old))
            .map(|acc| DeviceAggregate {
                key: acc.key,
                flows: acc.flows,
                span: acc.span,
                bins: BinSets::new(),
                service_flows: Vec::new(),
            })
            .collect();
        // Per device (pairs are sorted by device, then service): its bins from the
        // pairs' words, merged by word index, then bit by bit.
        let mut words: Vec<(i64, ServiceId, u64)> = Vec::new();
        let mut set: Vec<ServiceId> = Vec::new();
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            let Some(dev) = group.first().and_then(|g| devices.get_mut(g.0 as usize)) else {
                continue;
            };
            words.clear();
            for (_, s, p) in group {
                dev.service_flows.push((*s, p.flows));
                words.extend(p.bins.words().map(|(w, bits)| (w, *s, bits)));
            }
            words.sort_unstable_by_key(|&(w, s, _)| (w, s));
            let or_bits = |same_word: &[(i64, ServiceId, u64)]| {
                same_word.iter().fold(0u64, |acc, x| acc | x.2)
            };
            // The device's bins, to size its BinSets exactly.
            let active: usize = words
                .chunk_by(|a, b| a.0 == b.0)
                .map(|same_word| or_bits(same_word).count_ones() as usize)
                .sum();
            dev.bins = BinSets::with_capacity(active);
            for same_word in words.chunk_by(|a, b| a.0 == b.0) {
                let w = same_word.first().map_or(0, |x| x.0);
                let mut rest = or_bits(same_word);
                while rest != 0 {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    set.extend(
                        same_word
                            .iter()
                            .filter(|x| x.2 >> bit & 1 == 1)
                            .map(|x| x.1),
                    );
                    dev.bins.push(BinBits::bin(w, bit), &mut set);
                    set.clear();
                }
            }
            debug_assert_eq!(dev.bins.len(), active, "one bin per set bit");
            // Built: its lookup table and the dictionary's spare room go.
            dev.bins.shrink_to_fit();
        }
        Aggregates {
            params: self.params,
            services,
            devices,
            stats: self.stats,
        }
    }
}

/// One (device, service) pair while aggregating.
#[derive(Clone, Debug, Default)]
struct PairAcc {
    flows: ServiceFlows,
    bins: BinBits,
}

/// A set of bin indices: 64-bit words (bit i of word w is bin 64 w + i). The word of
/// the latest bins is kept inline (`head`, empty while its bits are 0), the others in
/// `older`, sorted by w: records come mostly in time order, so a flow nearly always
/// touches only `head`, in the same cache line as its pair's counters.
#[derive(Clone, Debug, Default)]
struct BinBits {
    head: (i64, u64),
    older: Vec<(i64, u64)>,
}

impl BinBits {
    /// Adds the bins `first..=last` (`first <= last`).
    fn insert_range(&mut self, first: i64, last: i64) {
        let mut b = first;
        while b <= last {
            let w = b.div_euclid(64);
            let lo = b.rem_euclid(64) as u32;
            // The last bin of word w, w * 64 + 63, fits in i64 for every w of an i64 bin.
            let word_last = w * 64 + 63;
            let hi = (last.min(word_last) - w * 64) as u32;
            self.set(w, (u64::MAX >> (63 - hi)) & (u64::MAX << lo));
            match word_last.checked_add(1) {
                Some(next) => b = next,
                None => break,
            }
        }
    }

    /// Sets the bits `mask` (not 0) of word `w`.
    fn set(&mut self, w: i64, mask: u64) {
        let (hw, bits) = self.head;
        if bits == 0 {
            self.head = (w, mask);
        } else if hw == w {
            self.head.1 |= mask;
        } else if hw < w {
            self.older.push(self.head);
            self.head = (w, mask);
        } else {
            match self.older.binary_search_by_key(&w, |x| x.0) {
                Ok(i) => {
                    if let Some(x) = self.older.get_mut(i) {
                        x.1 |= mask;
                    }
                }
                Err(i) => self.older.insert(i, (w, mask)),
            }
        }
    }

    /// The non-empty words, by increasing w.
    fn words(&self) -> impl Iterator<Item = (i64, u64)> + '_ {
        let head = (self.head.1 != 0).then_some(self.head);
        self.older.iter().copied().chain(head)
    }

    /// The bin of bit `bit` of word `w`.
    fn bin(w: i64, bit: u32) -> i64 {
        w * 64 + i64::from(bit)
    }
}

#[cfg(test)]
mod tests {
    use super::BinBits;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn bins(b: &BinBits) -> Vec<i64> {
        b.words()
            .flat_map(|(w, bits)| {
                (0..64)
                    .filter(move |i| bits >> i & 1 == 1)
                    .map(move |i| BinBits::bin(w, i))
            })
            .collect()
    }

    #[test]
    fn bin_bits_hold_ranges_across_words_and_the_ends_of_i64() {
        let mut b = BinBits::default();
        b.insert_range(62, 66);
        b.insert_range(-3, -1);
        b.insert_range(200, 200);
        b.insert_range(i64::MAX - 1, i64::MAX);
        b.insert_range(i64::MIN, i64::MIN);
        b.insert_range(64, 64);
        assert_eq!(
            bins(&b),
            vec![
                i64::MIN,
                -3,
                -2,
                -1,
                62,
                63,
                64,
                65,
                66,
                200,
                i64::MAX - 1,
                i64::MAX
            ]
        );
        // Five words before the head (the word of the latest bins, kept inline).
        assert_eq!(b.older.len(), 5);
        assert_eq!(b.head.0, i64::MAX / 64);
    }

    proptest! {
        #[test]
        fn bin_bits_equal_a_set_in_any_order(ranges in proptest::collection::vec((-300i64..300, 0i64..140), 0..40)) {
            let mut b = BinBits::default();
            let mut set = BTreeSet::new();
            for (first, len) in ranges {
                b.insert_range(first, first + len);
                set.extend(first..=first + len);
            }
            prop_assert_eq!(bins(&b), set.into_iter().collect::<Vec<_>>());
            prop_assert!(b.older.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }
}
