//! S(d, b) as the method uses it: the [`Aggregates`] seen through the direction mode
//! \[direction_aware\] and rare-high-port folding \[fold_rare_bins\] of method.md M4.
//!
//! Order of operations: (1) direction-blind mode replaces every service by the same
//! service without direction (a projection: the port is the server's port either way);
//! (2) folding, per device over all of its active bins (the bins of M5, computed before
//! folding): when the device has at least \[min_bins\] active bins and fold_rare_bins > 0,
//! a service with a port >= 1024 active in fewer than fold_rare_bins of its bins
//! becomes `PROTO/other` with the same direction. Flow counts of the services merged
//! into one are summed. Devices with fewer active bins are left as they are.

use crate::aggregate::{Aggregates, ServiceFlows, TimeSpan};
use crate::bin_sets::BinSets;
use crate::config::Config;
use crate::device::DeviceKey;
use crate::service::{Service, ServiceId};
use rustc_hash::FxHashMap;

/// One device's activity after direction mode and folding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceActivity {
    key: DeviceKey,
    flows: u64,
    span: Option<TimeSpan>,
    bins: BinSets,
    service_flows: Vec<(ServiceId, ServiceFlows)>,
}

impl DeviceActivity {
    /// method.md M3 \[device_key\].
    pub fn key(&self) -> DeviceKey {
        self.key
    }

    /// Every flow the device is an endpoint of (M11).
    pub fn flows(&self) -> u64 {
        self.flows
    }

    /// First start and last end of the flows that give the device a service (M11).
    pub fn span(&self) -> Option<TimeSpan> {
        self.span
    }

    /// S(d, b) for each active bin, ids into [`Activity::services`].
    pub fn bins(&self) -> &BinSets {
        &self.bins
    }

    /// Per service, the flows that gave it (summed over folded services); sorted by id.
    pub fn service_flows(&self) -> &[(ServiceId, ServiceFlows)] {
        &self.service_flows
    }

    /// The flows that gave service `id` (0 when none).
    pub fn flows_of(&self, id: ServiceId) -> u64 {
        match self.service_flows.binary_search_by_key(&id, |&(s, _)| s) {
            Ok(i) => self.service_flows.get(i).map_or(0, |(_, n)| n.flows),
            Err(_) => 0,
        }
    }
}

/// Every device's activity, with its own sorted service table (only services in use).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Activity {
    bin_ms: i64,
    services: Vec<Service>,
    devices: Vec<DeviceActivity>,
}

impl Activity {
    /// The bin width the aggregates were made with (method.md M5 \[bin\]).
    pub fn bin_ms(&self) -> i64 {
        self.bin_ms
    }

    /// The service table: [`ServiceId`] n is `services()\[n\]`.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The service of an id.
    pub fn service(&self, id: ServiceId) -> Option<Service> {
        self.services.get(id.index()).copied()
    }

    /// Every device of the aggregates, sorted by [`DeviceKey`] (devices no flow gives a
    /// service have no bins).
    pub fn devices(&self) -> &[DeviceActivity] {
        &self.devices
    }

    /// A fingerprint's services by name with their weights, heaviest first, then by name
    /// (the order `svcprint fingerprint` prints and the app shows).
    pub fn named_weights(&self, f: &crate::Fingerprint) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = f
            .weights
            .iter()
            .map(|&(id, w)| {
                (
                    self.service(id).map(|s| s.to_string()).unwrap_or_default(),
                    w,
                )
            })
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    }
}

fn id(position: usize) -> ServiceId {
    ServiceId(u32::try_from(position).unwrap_or(u32::MAX))
}

/// The activity of every device under `cfg`'s direction_aware, fold_rare_bins and
/// min_bins (see the module documentation).
pub fn activity(agg: &Aggregates, cfg: &Config) -> Activity {
    let project = |s: Service| {
        if cfg.direction_aware {
            s
        } else {
            s.without_direction()
        }
    };
    let projected: Vec<Service> = agg.services().iter().map(|&s| project(s)).collect();
    // Every service a device can end up with: projected ones and their folded forms.
    let mut table: Vec<Service> = projected.clone();
    table.extend(
        projected
            .iter()
            .filter(|s| s.has_high_port())
            .map(|s| s.folded()),
    );
    table.sort_unstable();
    table.dedup();
    let id_of = |s: Service| id(table.binary_search(&s).unwrap_or(0));
    // Per aggregate id: its projected id and, for high ports, its folded id.
    let proj_id: Vec<ServiceId> = projected.iter().map(|&s| id_of(s)).collect();
    let fold_id: Vec<Option<ServiceId>> = projected
        .iter()
        .map(|s| s.has_high_port().then(|| id_of(s.folded())))
        .collect();

    let mut counts: FxHashMap<ServiceId, u64> = FxHashMap::default();
    let mut set: Vec<ServiceId> = Vec::new();
    let mut flows: Vec<(ServiceId, ServiceFlows)> = Vec::new();
    let mut used = vec![false; table.len()];
    let mut devices = Vec::with_capacity(agg.devices().len());
    for dev in agg.devices() {
        let active = dev.bins().len() as u64;
        let fold = cfg.fold_rare_bins > 0 && active >= u64::from(cfg.min_bins);
        counts.clear();
        if fold {
            // c_s over all of the device's active bins, after projection.
            for (_, ids) in dev.bins().iter() {
                set.clear();
                set.extend(ids.iter().filter_map(|s| proj_id.get(s.index()).copied()));
                set.sort_unstable();
                set.dedup();
                for &s in &set {
                    *counts.entry(s).or_insert(0) += 1;
                }
            }
        }
        let final_id = |s: ServiceId| -> Option<ServiceId> {
            let p = proj_id.get(s.index()).copied()?;
            match fold_id.get(s.index()).copied().flatten() {
                Some(f)
                    if fold
                        && counts.get(&p).copied().unwrap_or(0) < u64::from(cfg.fold_rare_bins) =>
                {
                    Some(f)
                }
                _ => Some(p),
            }
        };
        // As many bins as the device's (every set keeps an id), so no spare room.
        let mut bins = BinSets::with_capacity(dev.bins().len());
        for (bin, ids) in dev.bins().iter() {
            set.clear();
            set.extend(ids.iter().filter_map(|&s| final_id(s)));
            bins.push(bin, &mut set);
        }
        // The lookup table and the dictionary's spare room go: every device's bins stay
        // alive until all are renumbered below.
        bins.shrink_to_fit();
        flows.clear();
        flows.extend(
            dev.service_flows()
                .iter()
                .filter_map(|&(s, n)| final_id(s).map(|f| (f, n))),
        );
        flows.sort_unstable_by_key(|&(s, _)| s);
        let mut service_flows: Vec<(ServiceId, ServiceFlows)> = Vec::with_capacity(flows.len());
        for &(s, n) in &flows {
            match service_flows.last_mut() {
                Some(last) if last.0 == s => last.1 = last.1.plus(n),
                _ => service_flows.push((s, n)),
            }
        }
        for s in bins
            .distinct_set_ids()
            .iter()
            .chain(service_flows.iter().map(|(s, _)| s))
        {
            if let Some(u) = used.get_mut(s.index()) {
                *u = true;
            }
        }
        devices.push(DeviceActivity {
            key: dev.key(),
            flows: dev.flows(),
            span: dev.span(),
            bins,
            service_flows,
        });
    }

    // Keep only the services in use; the map is increasing, so sets stay sorted.
    let mut map: Vec<ServiceId> = Vec::with_capacity(table.len());
    let mut services = Vec::new();
    for (s, u) in table.iter().zip(&used) {
        map.push(id(services.len()));
        if *u {
            services.push(*s);
        }
    }
    let empty = BinSets::new();
    for dev in &mut devices {
        dev.bins = BinSets::union(&dev.bins, &map, &empty, &[]);
        for f in &mut dev.service_flows {
            f.0 = map.get(f.0.index()).copied().unwrap_or(f.0);
        }
    }
    Activity {
        bin_ms: agg.params().bin_ms,
        services,
        devices,
    }
}
