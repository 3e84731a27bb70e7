//! The simulated fleet: who is on the network and what each device does.

use std::net::Ipv4Addr;
use svcprint_flow::Mac;

/// Who a device talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Peer {
    /// A server on the internet (its address is fixed per index).
    Cloud(u8),
    /// The home router (DNS, DHCP).
    Router,
    /// The household phone that controls devices on the LAN.
    Phone,
    /// A multicast group (SSDP, mDNS).
    Group(Ipv4Addr),
}

pub const SSDP: Ipv4Addr = Ipv4Addr::new(239, 255, 255, 250);
pub const MDNS: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 251);

/// One copy of the fleet lives in one /24: copy 0 in 192.168.1.0/24, copy c > 0 in
/// 10.(c / 256).(c % 256).0/24 (benchmarks replicate the fleet to reach any size).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Home(pub u16);

impl Home {
    pub fn host(self, n: u8) -> Ipv4Addr {
        match self.0 {
            0 => Ipv4Addr::new(192, 168, 1, n),
            c => Ipv4Addr::new(10, (c >> 8) as u8, c as u8, n),
        }
    }

    /// A MAC of this home: locally administered, `02:<tag>:<copy>:<copy>:00:<n>`.
    pub fn mac(self, tag: u8, n: u8) -> Mac {
        Mac([0x02, tag, (self.0 >> 8) as u8, self.0 as u8, 0x00, n])
    }
}

impl Peer {
    pub fn addr(self, home: Home) -> Ipv4Addr {
        match self {
            Peer::Cloud(i) => Ipv4Addr::new(52, 20 + i / 16, 100 + i % 16, 10 + i),
            Peer::Router => home.host(1),
            Peer::Phone => home.host(50),
            Peer::Group(g) => g,
        }
    }

    /// The MAC seen on the wire for this peer (pre-NAT capture: internet peers have the router's).
    pub fn mac(self, home: Home) -> Mac {
        match self {
            Peer::Cloud(_) | Peer::Router => home.mac(0x5e, 1),
            Peer::Phone => home.mac(0x5e, 50),
            Peer::Group(g) => {
                let o = g.octets();
                Mac([0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]])
            }
        }
    }
}

/// One recurring activity of a device: a service and when it is used.
#[derive(Clone, Debug, PartialEq)]
pub struct Behaviour {
    pub protocol: u8,
    /// The server's port.
    pub port: u16,
    /// The device is the server (the peer initiates).
    pub inbound: bool,
    pub peer: Peer,
    /// One occurrence every this many minutes (at a per-device phase).
    pub every_min: u32,
    /// Chance that an occurrence really happens.
    pub chance: f64,
    /// UTC hours [from, to) in which it can happen; (0, 24) = any time.
    pub hours: (u8, u8),
    /// Days [from, until) of the simulation in which it exists.
    pub days: (u32, u32),
    /// Forward and reverse packets; reverse 0 = unanswered.
    pub packets: (u64, u64),
    /// Flow duration in seconds.
    pub secs: u32,
}

impl Behaviour {
    fn new(protocol: u8, port: u16, peer: Peer, every_min: u32) -> Self {
        Behaviour {
            protocol,
            port,
            inbound: false,
            peer,
            every_min: every_min.max(1),
            chance: 1.0,
            hours: (0, 24),
            days: (0, u32::MAX),
            packets: (6, 5),
            secs: 2,
        }
    }
    fn inbound(mut self) -> Self {
        self.inbound = true;
        self
    }
    fn chance(mut self, p: f64) -> Self {
        self.chance = p;
        self
    }
    fn hours(mut self, from: u8, to: u8) -> Self {
        self.hours = (from, to);
        self
    }
    fn days(mut self, from: u32, until: u32) -> Self {
        self.days = (from, until);
        self
    }
    fn long(mut self, secs: u32, packets: (u64, u64)) -> Self {
        self.secs = secs;
        self.packets = packets;
        self
    }
}

const TCP: u8 = 6;
const UDP: u8 = 17;

fn tcp(port: u16, peer: Peer, every_min: u32) -> Behaviour {
    Behaviour::new(TCP, port, peer, every_min)
}
fn udp(port: u16, peer: Peer, every_min: u32) -> Behaviour {
    Behaviour::new(UDP, port, peer, every_min).long(0, (1, 1))
}
fn dns(every_min: u32) -> Behaviour {
    udp(53, Peer::Router, every_min)
}
fn ntp(every_min: u32) -> Behaviour {
    udp(123, Peer::Cloud(0), every_min)
}
fn ssdp(every_min: u32) -> Behaviour {
    udp(1900, Peer::Group(SSDP), every_min).long(0, (3, 0))
}
fn mdns(every_min: u32) -> Behaviour {
    udp(5353, Peer::Group(MDNS), every_min).long(0, (2, 0))
}

/// A simulated device.
#[derive(Clone, Debug, PartialEq)]
pub struct SimDevice {
    /// Unique name (the label file's name column).
    pub name: String,
    /// Device type (the label file's type column).
    pub kind: String,
    /// Host number in its home's /24 (address and MAC follow from it).
    pub host: u8,
    /// In the label file (the newcomer is not).
    pub labelled: bool,
    /// First day it is on the network.
    pub first_day: u32,
    /// Days [from, until) when it is switched off.
    pub off: Vec<(u32, u32)>,
    pub behaviours: Vec<Behaviour>,
}

fn device(n: u8, name: &str, kind: &str, behaviours: Vec<Behaviour>) -> SimDevice {
    SimDevice {
        name: name.into(),
        kind: kind.into(),
        host: 100 + n,
        labelled: true,
        first_day: 0,
        off: Vec::new(),
        behaviours,
    }
}

fn camera(n: u8, name: &str) -> SimDevice {
    device(
        n,
        name,
        "ip_camera",
        vec![
            tcp(443, Peer::Cloud(1), 60).long(3600, (900, 700)),
            dns(60),
            ntp(360),
            udp(3478, Peer::Cloud(2), 30).long(1, (2, 2)),
            tcp(554, Peer::Phone, 60)
                .inbound()
                .chance(0.25)
                .hours(17, 23)
                .long(300, (4000, 200)),
            tcp(443, Peer::Cloud(3), 1440).long(20, (40, 60)),
        ],
    )
}

/// The fleet: a dozen device types, the household phone, and an unlabelled newcomer (a
/// second camera of a labelled type) that joins half-way.
pub fn fleet(days: u32) -> Vec<SimDevice> {
    let half = days / 2;
    let mut v = vec![
        camera(1, "camera-hall"),
        device(2, "plug-kitchen", "smart_plug", {
            // Firmware update half-way: MQTT over plain TCP/1883 becomes TLS on 8883, and
            // a new cloud API appears.
            vec![
                tcp(1883, Peer::Cloud(4), 60)
                    .days(0, half)
                    .long(3600, (120, 120)),
                tcp(8883, Peer::Cloud(4), 60)
                    .days(half, u32::MAX)
                    .long(3600, (140, 140)),
                tcp(443, Peer::Cloud(5), 1440)
                    .days(half, u32::MAX)
                    .long(10, (20, 20)),
                dns(120),
                ntp(720),
            ]
        }),
        device(
            3,
            "hub-living",
            "smart_hub",
            vec![
                tcp(443, Peer::Cloud(6), 60).long(3600, (300, 300)),
                ssdp(60),
                mdns(30),
                tcp(80, Peer::Phone, 120).inbound().chance(0.4).hours(7, 23),
                dns(60),
                ntp(360),
            ],
        ),
        device(
            4,
            "speaker-kitchen",
            "voice_assistant",
            vec![
                tcp(443, Peer::Cloud(7), 60).long(3600, (2000, 2500)),
                tcp(443, Peer::Cloud(8), 60)
                    .chance(0.5)
                    .hours(6, 23)
                    .long(30, (300, 800)),
                dns(30),
                ntp(240),
                mdns(20),
                ssdp(60),
                tcp(8009, Peer::Phone, 120)
                    .inbound()
                    .chance(0.3)
                    .hours(8, 22),
            ],
        ),
        device(
            5,
            "tv-living",
            "smart_tv",
            vec![
                tcp(443, Peer::Cloud(9), 60)
                    .hours(17, 24)
                    .long(3600, (30000, 900)),
                tcp(80, Peer::Cloud(10), 180).hours(17, 24),
                ssdp(30),
                dns(30),
                ntp(720),
                tcp(8008, Peer::Phone, 60)
                    .inbound()
                    .chance(0.3)
                    .hours(18, 23),
            ],
        ),
        device(
            6,
            "printer-office",
            "printer",
            vec![
                tcp(631, Peer::Phone, 240)
                    .inbound()
                    .chance(0.3)
                    .hours(8, 20),
                tcp(9100, Peer::Phone, 480)
                    .inbound()
                    .chance(0.3)
                    .hours(8, 20)
                    .long(30, (400, 30)),
                mdns(60),
                udp(161, Peer::Phone, 60).inbound().long(0, (1, 1)),
                tcp(443, Peer::Cloud(11), 1440).long(5, (12, 14)),
                dns(240),
            ],
        ),
        device(
            7,
            "sensor-garden",
            "weather_sensor",
            vec![
                tcp(1883, Peer::Cloud(12), 15).long(1, (4, 3)),
                dns(360),
                ntp(1440),
            ],
        ),
        device(
            8,
            "bulb-bedroom",
            "smart_bulb",
            vec![
                udp(56700, Peer::Phone, 60)
                    .inbound()
                    .chance(0.5)
                    .hours(6, 24)
                    .long(0, (2, 2)),
                tcp(443, Peer::Cloud(13), 60).long(3600, (60, 60)),
                dns(120),
                ntp(720),
            ],
        ),
        device(
            9,
            "doorbell-front",
            "doorbell",
            vec![
                tcp(443, Peer::Cloud(14), 60).long(3600, (240, 240)),
                udp(3478, Peer::Cloud(15), 60)
                    .chance(0.2)
                    .hours(7, 22)
                    .long(60, (3000, 300)),
                dns(60),
                ntp(360),
            ],
        ),
        device(
            10,
            "thermostat-hall",
            "thermostat",
            vec![
                tcp(443, Peer::Cloud(16), 30).long(10, (20, 20)),
                dns(60),
                ntp(720),
            ],
        ),
        device(
            11,
            "vacuum",
            "robot_vacuum",
            vec![
                tcp(8883, Peer::Cloud(17), 60).long(3600, (100, 100)),
                tcp(443, Peer::Cloud(18), 60)
                    .hours(10, 12)
                    .long(600, (2000, 500)),
                udp(123, Peer::Cloud(0), 1440),
                dns(120),
            ],
        ),
        device(
            12,
            "tv-box-bedroom",
            "media_player",
            vec![
                tcp(443, Peer::Cloud(19), 60)
                    .hours(19, 24)
                    .chance(0.7)
                    .long(3600, (40000, 1200)),
                tcp(443, Peer::Cloud(20), 240).long(5, (10, 10)),
                mdns(60),
                ssdp(60),
                dns(60),
                ntp(720),
            ],
        ),
    ];
    // Switched off for days: the TV during a holiday, the sensor with a flat battery.
    v[4].off.push((days / 4, days / 4 + 4));
    v[6].off.push((days * 3 / 5, days * 3 / 5 + 3));
    let mut newcomer = camera(13, "unknown-13");
    newcomer.labelled = false;
    newcomer.kind = String::new();
    newcomer.first_day = half;
    v.push(newcomer);
    v
}

/// The home router: the DNS server of every device (it becomes a device from the DNS
/// queries it answers). Labelled as `router`.
pub fn router() -> SimDevice {
    passive("router", 1)
}

/// The household phone: an occasional client of the devices' LAN services (it becomes a
/// device of its own from the flows it initiates). Labelled as `phone`.
pub fn phone() -> SimDevice {
    passive("phone", 50)
}

/// A labelled host with no behaviour of its own (named and typed `name`): it appears only
/// through the flows other devices have with it.
fn passive(name: &str, host: u8) -> SimDevice {
    SimDevice {
        name: name.into(),
        kind: name.into(),
        host,
        labelled: true,
        first_day: 0,
        off: Vec::new(),
        behaviours: Vec::new(),
    }
}

impl SimDevice {
    pub fn ip(&self, home: Home) -> Ipv4Addr {
        home.host(self.host)
    }

    pub fn mac(&self, home: Home) -> Mac {
        if self.host == 50 {
            Peer::Phone.mac(home)
        } else if self.host == 1 {
            Peer::Router.mac(home)
        } else {
            // Device n (host 100 + n) has MAC 02:10:<home>:<home>:00:<n>.
            home.mac(0x10, self.host.wrapping_sub(100))
        }
    }

    /// Name unique over all homes (`camera-hall` in home 0, `camera-hall@3` in home 3).
    pub fn name_in(&self, home: Home) -> String {
        match home.0 {
            0 => self.name.clone(),
            c => format!("{}@{c}", self.name),
        }
    }
}
