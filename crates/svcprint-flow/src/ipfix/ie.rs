//! Information elements (IANA IPFIX registry, RFC 5103 reverse elements, YAF's CERT
//! elements) that map into a [`crate::FlowRecord`], and what each one fills.
//!
//! NetFlow v9 field types 1-127 carry the same numbers and meanings as the IPFIX
//! elements, so both decoders share this table (v9 has no enterprise bit).

/// Private enterprise number of RFC 5103 reverse elements.
pub const PEN_REVERSE: u32 = 29305;
/// Private enterprise number of CERT (YAF) elements.
pub const PEN_CERT: u32 = 6871;
/// Value of an element's length meaning "variable length" (RFC 7011 section 7).
pub const VARLEN: u16 = 65535;

/// Where a field's value goes. `Skip` fields are walked over by length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Skip,
    SrcV4,
    DstV4,
    SrcV6,
    DstV6,
    SrcPort,
    DstPort,
    Protocol,
    SrcMac,
    DstMac,
    PostSrcMac,
    PostDstMac,
    OctetDelta,
    PacketDelta,
    OctetTotal,
    PacketTotal,
    /// Cisco ASA initiatorOctets/Packets (231/298): forward counters when nothing else.
    InitiatorOctets,
    InitiatorPackets,
    RevOctetDelta,
    RevPacketDelta,
    RevOctetTotal,
    RevPacketTotal,
    TcpFlags,
    InitialTcpFlags,
    UnionTcpFlags,
    RevInitialTcpFlags,
    IcmpTypeCode,
    IcmpType,
    IcmpCode,
    EndReason,
    BiflowDirection,
    StartSeconds,
    EndSeconds,
    StartMillis,
    EndMillis,
    StartMicros,
    EndMicros,
    StartNanos,
    EndNanos,
    StartSysUp,
    EndSysUp,
    StartDeltaMicros,
    EndDeltaMicros,
    SysInitMillis,
    DurationMillis,
    DurationMicros,
    ObservationSeconds,
    ObservationMillis,
}

/// What kind of value a target expects, to check a field's length at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Unsigned integer, reduced-size encoding allowed (1-8 bytes).
    Uint,
    /// Exactly this many bytes.
    Exact(u16),
    /// dateTimeMicroseconds/Nanoseconds: NTP format, 8 bytes.
    Ntp,
}

impl Target {
    pub fn shape(self) -> Shape {
        use Target::*;
        match self {
            SrcV4 | DstV4 => Shape::Exact(4),
            SrcV6 | DstV6 => Shape::Exact(16),
            SrcMac | DstMac | PostSrcMac | PostDstMac => Shape::Exact(6),
            StartMicros | EndMicros | StartNanos | EndNanos => Shape::Ntp,
            _ => Shape::Uint,
        }
    }

    /// Whether a field of `len` bytes can be decoded into this target.
    pub fn accepts(self, len: u16) -> bool {
        match self.shape() {
            Shape::Uint => (1..=8).contains(&len),
            Shape::Exact(n) => len == n,
            Shape::Ntp => len == 8,
        }
    }
}

/// The target of element `id` of enterprise `pen` (0 for IANA / NetFlow v9).
pub fn target(pen: u32, id: u16) -> Target {
    use Target::*;
    match (pen, id) {
        (0, 1) => OctetDelta,
        (0, 2) => PacketDelta,
        (0, 4) => Protocol,
        (0, 6) => TcpFlags,
        (0, 7) => SrcPort,
        (0, 8) => SrcV4,
        (0, 11) => DstPort,
        (0, 12) => DstV4,
        (0, 21) => EndSysUp,
        (0, 22) => StartSysUp,
        (0, 27) => SrcV6,
        (0, 28) => DstV6,
        (0, 32) | (0, 139) => IcmpTypeCode,
        (0, 56) => SrcMac,
        (0, 57) => PostDstMac,
        (0, 80) => DstMac,
        (0, 81) => PostSrcMac,
        (0, 85) => OctetTotal,
        (0, 86) => PacketTotal,
        (0, 136) => EndReason,
        (0, 150) => StartSeconds,
        (0, 151) => EndSeconds,
        (0, 152) => StartMillis,
        (0, 153) => EndMillis,
        (0, 154) => StartMicros,
        (0, 155) => EndMicros,
        (0, 156) => StartNanos,
        (0, 157) => EndNanos,
        (0, 158) => StartDeltaMicros,
        (0, 159) => EndDeltaMicros,
        (0, 160) => SysInitMillis,
        (0, 161) => DurationMillis,
        (0, 162) => DurationMicros,
        (0, 176) | (0, 178) => IcmpType,
        (0, 177) | (0, 179) => IcmpCode,
        (0, 231) => InitiatorOctets,
        (0, 232) => RevOctetTotal,
        (0, 239) => BiflowDirection,
        (0, 298) => InitiatorPackets,
        (0, 299) => RevPacketTotal,
        (0, 322) => ObservationSeconds,
        (0, 323) => ObservationMillis,
        (PEN_REVERSE, 1) => RevOctetDelta,
        (PEN_REVERSE, 2) => RevPacketDelta,
        (PEN_REVERSE, 85) => RevOctetTotal,
        (PEN_REVERSE, 86) => RevPacketTotal,
        (PEN_CERT, 14) => InitialTcpFlags,
        (PEN_CERT, 15) => UnionTcpFlags,
        (PEN_CERT, 16398) => RevInitialTcpFlags,
        _ => Skip,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_checked_per_shape() {
        assert!(Target::OctetDelta.accepts(3));
        assert!(!Target::OctetDelta.accepts(9));
        assert!(!Target::OctetDelta.accepts(0));
        assert!(Target::SrcV4.accepts(4));
        assert!(!Target::SrcV4.accepts(16));
        assert!(Target::StartNanos.accepts(8));
        assert!(!Target::StartNanos.accepts(4));
        assert_eq!(target(PEN_REVERSE, 2), Target::RevPacketDelta);
        assert_eq!(target(0, 2), Target::PacketDelta);
        assert_eq!(target(9, 2), Target::Skip);
    }
}
