//! Hand-made flow records for the engine's tests.
#![allow(dead_code)]

use std::net::IpAddr;
use svcprint_engine::{device_summaries, Aggregates, Aggregator, Config, DeviceSummary};
use svcprint_flow::{FlowRecord, Mac};

/// One hour in ms.
pub const H: i64 = 3_600_000;

pub fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

pub fn mac(s: &str) -> Mac {
    Mac::parse(s).unwrap()
}

/// A unidirectional flow `src:sport -> dst:dport` of `protocol` from `start` to `end` ms.
pub fn flow(
    protocol: u8,
    src: &str,
    sport: u16,
    dst: &str,
    dport: u16,
    start: i64,
    end: i64,
) -> FlowRecord {
    FlowRecord::new(start, end, protocol, (ip(src), sport), (ip(dst), dport))
}

pub fn tcp(src: &str, sport: u16, dst: &str, dport: u16, start: i64, end: i64) -> FlowRecord {
    flow(6, src, sport, dst, dport, start, end)
}

pub fn udp(src: &str, sport: u16, dst: &str, dport: u16, start: i64, end: i64) -> FlowRecord {
    flow(17, src, sport, dst, dport, start, end)
}

pub fn aggregate(recs: &[FlowRecord], cfg: &Config) -> Aggregates {
    let mut a = Aggregator::new(cfg).unwrap();
    a.add_all(recs);
    a.finish()
}

pub fn summaries(recs: &[FlowRecord], cfg: &Config) -> Vec<DeviceSummary> {
    device_summaries(&aggregate(recs, cfg), cfg)
}

/// (key, services as (text, prevalence, flows)).
pub fn services(s: &DeviceSummary) -> Vec<(&str, f64, u64)> {
    s.services
        .iter()
        .map(|x| (x.service.as_str(), x.prevalence, x.flows))
        .collect()
}

pub fn keys(v: &[DeviceSummary]) -> Vec<&str> {
    v.iter().map(|s| s.key.as_str()).collect()
}
