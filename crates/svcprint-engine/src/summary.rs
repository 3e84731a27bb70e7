//! Per-device summary over all of a device's active bins: its flows, span and services
//! with their prevalence (method.md M6 SP over the whole input) and flow counts.

use crate::activity::{activity, Activity};
use crate::aggregate::Aggregates;
use crate::config::Config;
use crate::representation::{Fingerprint, WindowCounts};
use serde::{Deserialize, Serialize};

/// One service of a device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceStat {
    /// The service text (`TCP/443`, `in:UDP/53`, `UDP/other`).
    pub service: String,
    /// p_s = c_s / n over all of the device's active bins (method.md M6 SP).
    pub prevalence: f64,
    /// The flows that gave the device this service (summed over folded services).
    pub flows: u64,
}

/// One device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceSummary {
    /// method.md M3 \[device_key\]: lower-case MAC or IP text.
    pub key: String,
    /// Every flow the device is an endpoint of (method.md M11).
    pub flows: u64,
    /// The bins in which it has a service (method.md M5).
    pub active_bins: u64,
    /// The first start of the flows that give it a service, ms.
    pub first_ms: i64,
    /// The last end of the flows that give it a service, ms.
    pub last_ms: i64,
    /// Sorted by prevalence, highest first, then by service text.
    pub services: Vec<ServiceStat>,
}

/// The summary of every device a flow gives a service (method.md M3), sorted by key,
/// under `cfg`'s direction mode and folding ([`mod@crate::activity`]).
pub fn device_summaries(agg: &Aggregates, cfg: &Config) -> Vec<DeviceSummary> {
    summarize(&activity(agg, cfg))
}

/// [`device_summaries`] of an activity already computed.
pub fn summarize(act: &Activity) -> Vec<DeviceSummary> {
    let mut out: Vec<DeviceSummary> = Vec::new();
    for dev in act.devices() {
        let Some(span) = dev.span() else { continue };
        if dev.bins().is_empty() {
            continue;
        }
        let counts = WindowCounts::of_bins(dev.bins().iter().map(|(_, set)| set));
        let sp = Fingerprint::service_prevalence(&counts);
        let mut services: Vec<ServiceStat> = sp
            .weights
            .iter()
            .map(|&(id, prevalence)| ServiceStat {
                service: act.service(id).map(|s| s.to_string()).unwrap_or_default(),
                prevalence,
                flows: dev.flows_of(id),
            })
            .collect();
        services.sort_by(|a, b| {
            b.prevalence
                .total_cmp(&a.prevalence)
                .then_with(|| a.service.cmp(&b.service))
        });
        out.push(DeviceSummary {
            key: dev.key().to_string(),
            flows: dev.flows(),
            active_bins: counts.n(),
            first_ms: span.first_ms,
            last_ms: span.last_ms,
            services,
        });
    }
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}
