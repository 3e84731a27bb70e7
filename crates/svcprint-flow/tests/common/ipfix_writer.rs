//! A test-only IPFIX writer (RFC 7011): templates (with enterprise elements and
//! variable-length fields), options templates, withdrawals, data records in every
//! encoding the decoder must read (1- and 3-byte variable-length prefixes, reduced-size
//! integers), set padding, messages, and UDP-in-pcap wrapping. Used by the limit and
//! round-trip tests and by the `ipfix_bench` example (via `#[path]`).
//!
//! It writes exactly what it is told (a wrong length stays wrong), so tests can also
//! build malformed input with it.
#![allow(dead_code)]

/// `VARLEN` as a template field length: the value carries its own length.
pub const VARLEN: u16 = 65535;

/// One template field: information element id, enterprise number (PEN) if any,
/// length on the wire (or [`VARLEN`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub id: u16,
    pub pen: Option<u32>,
    pub len: u16,
}

impl Field {
    pub fn iana(id: u16, len: u16) -> Field {
        Field { id, pen: None, len }
    }

    pub fn enterprise(pen: u32, id: u16, len: u16) -> Field {
        Field {
            id,
            pen: Some(pen),
            len,
        }
    }

    /// Bytes this field takes in a template record.
    fn spec_len(&self) -> usize {
        if self.pen.is_some() {
            8
        } else {
            4
        }
    }
}

/// A template or (with `scope_count`) options template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub id: u16,
    pub scope_count: Option<u16>,
    pub fields: Vec<Field>,
}

impl Template {
    pub fn new(id: u16, fields: Vec<Field>) -> Template {
        Template {
            id,
            scope_count: None,
            fields,
        }
    }

    /// The template record (header and field specifiers).
    pub fn record(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&self.id.to_be_bytes());
        b.extend_from_slice(&(self.fields.len() as u16).to_be_bytes());
        if let Some(s) = self.scope_count {
            b.extend_from_slice(&s.to_be_bytes());
        }
        for f in &self.fields {
            let high = if f.pen.is_some() { 0x8000 } else { 0 };
            b.extend_from_slice(&(f.id | high).to_be_bytes());
            b.extend_from_slice(&f.len.to_be_bytes());
            if let Some(pen) = f.pen {
                b.extend_from_slice(&pen.to_be_bytes());
            }
        }
        debug_assert_eq!(
            b.len(),
            4 + 2 * usize::from(self.scope_count.is_some())
                + self.fields.iter().map(Field::spec_len).sum::<usize>()
        );
        b
    }

    /// A data record: `values[i]` is field i's value, written as is for fixed-length
    /// fields (its length must be the field's) and with a length prefix for
    /// variable-length ones (3-byte form when `long[i]` or the value is >= 255 bytes).
    pub fn data(&self, values: &[&[u8]], long: &[bool]) -> Vec<u8> {
        assert_eq!(values.len(), self.fields.len(), "one value per field");
        let mut b = Vec::new();
        for (i, (f, v)) in self.fields.iter().zip(values).enumerate() {
            if f.len == VARLEN {
                varlen(&mut b, v, long.get(i).copied().unwrap_or(false));
            } else {
                assert_eq!(v.len(), usize::from(f.len), "field {i} value length");
                b.extend_from_slice(v);
            }
        }
        b
    }
}

/// Appends a variable-length value (RFC 7011 section 7): 1-byte length below 255,
/// else (or when `long`) 255 then a u16 length.
pub fn varlen(b: &mut Vec<u8>, v: &[u8], long: bool) {
    if v.len() < 255 && !long {
        b.push(v.len() as u8);
    } else {
        b.push(255);
        b.extend_from_slice(&(v.len() as u16).to_be_bytes());
    }
    b.extend_from_slice(v);
}

/// `x` in `n` bytes, big-endian (reduced-size encoding, RFC 7011 section 6.2).
pub fn uint(x: u64, n: usize) -> Vec<u8> {
    x.to_be_bytes()[8 - n..].to_vec()
}

/// One IPFIX message under construction.
#[derive(Clone, Debug)]
pub struct Message {
    pub export_time: u32,
    pub sequence: u32,
    pub domain: u32,
    sets: Vec<u8>,
}

impl Message {
    pub fn new(export_time: u32, sequence: u32, domain: u32) -> Message {
        Message {
            export_time,
            sequence,
            domain,
            sets: Vec::new(),
        }
    }

    /// A set with this id and body, followed by `padding` zero bytes (counted in the
    /// set length, RFC 7011 section 3.3.1).
    pub fn set(&mut self, id: u16, body: &[u8], padding: usize) -> &mut Self {
        let len = 4 + body.len() + padding;
        self.sets.extend_from_slice(&id.to_be_bytes());
        self.sets.extend_from_slice(&(len as u16).to_be_bytes());
        self.sets.extend_from_slice(body);
        self.sets.extend(std::iter::repeat_n(0u8, padding));
        self
    }

    /// A template set (id 2) or options template set (id 3) with these templates.
    pub fn templates(&mut self, ts: &[&Template]) -> &mut Self {
        let options = ts.first().is_some_and(|t| t.scope_count.is_some());
        let body: Vec<u8> = ts.iter().flat_map(|t| t.record()).collect();
        self.set(if options { 3 } else { 2 }, &body, 0)
    }

    /// A template withdrawal (field count 0) for `id` (2 = all templates when `id`
    /// is 2 itself, RFC 7011 section 8.1).
    pub fn withdraw(&mut self, id: u16, options: bool) -> &mut Self {
        let mut body = id.to_be_bytes().to_vec();
        body.extend_from_slice(&[0, 0]);
        self.set(if options { 3 } else { 2 }, &body, 0)
    }

    /// A data set of template `id` holding `records`, then `padding` zero bytes.
    pub fn data(&mut self, id: u16, records: &[Vec<u8>], padding: usize) -> &mut Self {
        let body: Vec<u8> = records.concat();
        self.set(id, &body, padding)
    }

    /// Bytes of the sets so far (the message will be 16 more).
    pub fn body_len(&self) -> usize {
        self.sets.len()
    }

    /// The whole message, its length field set.
    pub fn bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(16 + self.sets.len());
        b.extend_from_slice(&10u16.to_be_bytes());
        b.extend_from_slice(&((16 + self.sets.len()) as u16).to_be_bytes());
        b.extend_from_slice(&self.export_time.to_be_bytes());
        b.extend_from_slice(&self.sequence.to_be_bytes());
        b.extend_from_slice(&self.domain.to_be_bytes());
        b.extend_from_slice(&self.sets);
        b
    }
}

/// A classic little-endian pcap (Ethernet) with each payload in one IPv4/UDP frame
/// from 192.0.2.1:40000 to 192.0.2.2:4739.
pub fn udp_pcap(payloads: &[Vec<u8>]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes()); // magic, microseconds
    b.extend_from_slice(&2u16.to_le_bytes()); // version 2.4
    b.extend_from_slice(&4u16.to_le_bytes());
    b.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    b.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    b.extend_from_slice(&262_144u32.to_le_bytes()); // snaplen
    b.extend_from_slice(&1u32.to_le_bytes()); // LINKTYPE_ETHERNET
    for (i, p) in payloads.iter().enumerate() {
        let frame = udp_frame(p);
        b.extend_from_slice(&(i as u32).to_le_bytes()); // ts_sec
        b.extend_from_slice(&0u32.to_le_bytes()); // ts_usec
        b.extend_from_slice(&(frame.len() as u32).to_le_bytes()); // incl_len
        b.extend_from_slice(&(frame.len() as u32).to_le_bytes()); // orig_len
        b.extend_from_slice(&frame);
    }
    b
}

/// Ethernet + IPv4 + UDP header around `payload`.
pub fn udp_frame(payload: &[u8]) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]; // dst, src, IPv4
    let udp_len = 8 + payload.len();
    let ip_len = 20 + udp_len;
    f.extend_from_slice(&[0x45, 0]);
    f.extend_from_slice(&(ip_len as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 0, 64, 17, 0, 0]); // id, frag, ttl, UDP, checksum
    f.extend_from_slice(&[192, 0, 2, 1, 192, 0, 2, 2]);
    f.extend_from_slice(&40000u16.to_be_bytes());
    f.extend_from_slice(&4739u16.to_be_bytes());
    f.extend_from_slice(&(udp_len as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    f
}
