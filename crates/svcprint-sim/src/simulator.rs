//! Turns the fleet's behaviours into flow records, hour by hour, in time order.

use crate::fleet::{fleet, phone, router, Behaviour, Home, SimDevice};
use crate::rng::Rng;
use std::net::IpAddr;
use svcprint_flow::FlowRecord;

const HOUR_MS: i64 = 3_600_000;
const DAY_HOURS: u64 = 24;

/// What to simulate. The start time is an input (the simulator reads no clock).
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    pub seed: u64,
    /// Start of day 0, ms since the Unix epoch (UTC); rounded down to the hour.
    pub start_ms: i64,
    pub days: u32,
    /// Copies of the fleet, each in its own /24 (1 = the demo home).
    pub homes: u16,
}

impl Default for SimConfig {
    /// The demo: one home, four weeks from Monday 2026-11-02 00:00 UTC, seed 1.
    fn default() -> Self {
        SimConfig {
            seed: 1,
            start_ms: 1_793_577_600_000,
            days: 28,
            homes: 1,
        }
    }
}

/// Iterator over the simulated flows, ordered by start time within each hour.
pub struct Simulator {
    config: SimConfig,
    devices: Vec<SimDevice>,
    hour: u64,
    buffer: Vec<FlowRecord>,
    next: usize,
}

impl Simulator {
    pub fn new(config: SimConfig) -> Self {
        let mut config = config;
        config.start_ms -= config.start_ms.rem_euclid(HOUR_MS);
        config.homes = config.homes.max(1);
        Simulator {
            devices: fleet(config.days),
            config,
            hour: 0,
            buffer: Vec::new(),
            next: 0,
        }
    }

    /// The simulated devices (one home's worth), the phone and the router included.
    pub fn devices(&self) -> Vec<SimDevice> {
        let mut v = self.devices.clone();
        v.push(phone());
        v.push(router());
        v
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    fn fill_hour(&mut self) {
        self.buffer.clear();
        self.next = 0;
        let hour = self.hour;
        let day = (hour / DAY_HOURS) as u32;
        let hour_of_day = (hour % DAY_HOURS) as u8;
        let minute0 = hour * 60;
        let hour_start = self.config.start_ms + hour as i64 * HOUR_MS;
        for h in 0..self.config.homes {
            let home = Home(h);
            for (d, dev) in self.devices.iter().enumerate() {
                if day < dev.first_day || dev.off.iter().any(|&(a, b)| (a..b).contains(&day)) {
                    continue;
                }
                for (b, beh) in dev.behaviours.iter().enumerate() {
                    if !(beh.days.0..beh.days.1).contains(&day)
                        || !(beh.hours.0..beh.hours.1).contains(&hour_of_day)
                    {
                        continue;
                    }
                    let label = ((h as u64) << 32) | ((d as u64) << 16) | b as u64;
                    let period = u64::from(beh.every_min);
                    let phase = Rng::derive(self.config.seed, label, u64::MAX).range(0, period - 1);
                    let mut rng = Rng::derive(self.config.seed, label, hour);
                    // Occurrences at phase + k * period (minutes since the start) in this hour.
                    let first_k = (minute0 + period - 1).saturating_sub(phase) / period;
                    let mut minute = phase + first_k * period;
                    if minute < minute0 {
                        minute += period;
                    }
                    while minute < minute0 + 60 {
                        if rng.chance(beh.chance) {
                            let offset =
                                (minute - minute0) as i64 * 60_000 + rng.range(0, 59_999) as i64;
                            self.buffer
                                .push(record(dev, beh, home, hour_start + offset, &mut rng));
                        }
                        minute += period;
                    }
                }
            }
        }
        self.buffer.sort_by_key(|r| r.start_ms);
        self.hour += 1;
    }
}

fn record(
    dev: &SimDevice,
    beh: &Behaviour,
    home: Home,
    start_ms: i64,
    rng: &mut Rng,
) -> FlowRecord {
    let ephemeral = rng.range(32768, 60999) as u16;
    let me = (IpAddr::V4(dev.ip(home)), dev.mac(home));
    let peer = (IpAddr::V4(beh.peer.addr(home)), beh.peer.mac(home));
    let (src, dst, src_port, dst_port) = if beh.inbound {
        (peer, me, ephemeral, beh.port)
    } else {
        (me, peer, ephemeral, beh.port)
    };
    let jitter = |rng: &mut Rng, n: u64| if n == 0 { 0 } else { n + rng.range(0, n / 4) };
    let packets = jitter(rng, beh.packets.0).max(1);
    let reverse = jitter(rng, beh.packets.1);
    let secs = u64::from(beh.secs);
    let end_ms = start_ms + (secs * 1000 + rng.range(0, 999)) as i64;
    let mut r = FlowRecord::new(
        start_ms,
        end_ms,
        beh.protocol,
        (src.0, src_port),
        (dst.0, dst_port),
    );
    r.src_mac = Some(src.1);
    r.dst_mac = Some(dst.1);
    r.packets = packets;
    r.octets = packets * rng.range(60, 1200);
    r.reverse_packets = Some(reverse);
    r.reverse_octets = Some(reverse * rng.range(60, 1200));
    r.source_initiated = true;
    if beh.protocol == 6 {
        r.initial_tcp_flags = Some(0x02);
        r.union_tcp_flags = Some(0x1b);
        r.reverse_initial_tcp_flags = (reverse > 0).then_some(0x12);
    }
    r
}

impl Iterator for Simulator {
    type Item = FlowRecord;

    fn next(&mut self) -> Option<FlowRecord> {
        let total_hours = u64::from(self.config.days) * DAY_HOURS;
        while self.next >= self.buffer.len() {
            if self.hour >= total_hours {
                return None;
            }
            self.fill_hour();
        }
        let r = self.buffer[self.next].clone();
        self.next += 1;
        Some(r)
    }
}
