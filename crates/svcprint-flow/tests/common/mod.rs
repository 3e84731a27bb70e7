//! Fixture builders for the container tests: gzip via flate2's encoder or by hand,
//! ZIP archives written field by field (local header, data, data descriptor, central
//! directory), so every variant the reader must handle can be produced exactly.
#![allow(dead_code)]

use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};
use std::io::Write;

pub const HDR: &str = "flowStartMilliseconds,flowEndMilliseconds,protocolIdentifier,sourceIPv4Address,sourceTransportPort,destinationIPv4Address,destinationTransportPort,packetTotalCount,octetTotalCount,reversePacketTotalCount,sourceMacAddress,destinationMacAddress,initialTCPFlags\r\n";

/// A CSV text with `rows` data rows (varied values, quoted MACs, CRLF).
pub fn csv_text(rows: usize) -> String {
    let mut s = String::from(HDR);
    for i in 0..rows {
        let flags = ["0", "S", "0x12", "24", "AP"][i % 5];
        s.push_str(&format!(
            "2019-06-25 08:{:02}:{:02}.{:03},{},{},10.0.{}.{},{},192.168.1.{},{},{},{},{},\"aa:bb:cc:00:00:{:02x}\",\"38:d5:47:0c:25:d4\",{}\r\n",
            (i / 60) % 60,
            i % 60,
            i % 1000,
            1_561_451_807_000u64 + i as u64 * 1000 + 500,
            [6, 17, 1][i % 3],
            i % 7,
            i % 250 + 1,
            40_000 + i % 20_000,
            i % 200 + 2,
            [443, 53, 771][i % 3],
            i % 9 + 1,
            (i % 9 + 1) * 60,
            i % 4,
            i % 256,
            flags
        ));
    }
    s
}

pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = DeflateEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut c = Crc::new();
    c.update(data);
    c.sum()
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A gzip member written by hand with every optional header part: FEXTRA, FNAME,
/// FCOMMENT and FHCRC.
pub fn gzip_all_header_fields(data: &[u8]) -> Vec<u8> {
    let mut g = vec![
        0x1f,
        0x8b,                      // magic
        8,                         // CM = deflate
        0x02 | 0x04 | 0x08 | 0x10, // FLG = FHCRC | FEXTRA | FNAME | FCOMMENT
        0,
        0,
        0,
        0, // MTIME
        0, // XFL
        3, // OS = Unix
    ];
    g.extend_from_slice(&5u16.to_le_bytes()); // XLEN
    g.extend_from_slice(b"AB\x01\x00z"); // one subfield: id "AB", len 1, data "z"
    g.extend_from_slice(b"flows.csv\0"); // FNAME
    g.extend_from_slice(b"a comment\0"); // FCOMMENT
    g.extend_from_slice(&[0xaa, 0xbb]); // FHCRC (not checked by the reader)
    g.extend_from_slice(&deflate(data));
    g.extend_from_slice(&crc32(data).to_le_bytes());
    g.extend_from_slice(&(data.len() as u32).to_le_bytes());
    g
}

/// How a ZIP member's sizes are given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sizes {
    /// In the local header (flag bit 3 clear).
    Header,
    /// Flag bit 3, descriptor with signature, 4-byte sizes (the UNSW zips).
    DescriptorSig,
    /// Flag bit 3, descriptor without signature.
    DescriptorNoSig,
    /// Flag bit 3, zip64 extra in the local header, descriptor with 8-byte sizes.
    DescriptorZip64,
    /// Flag bit 3, no zip64 extra, yet a descriptor with 8-byte sizes (seen from some writers).
    Descriptor64NoExtra,
}

pub struct Member<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
    /// 0 stored, 8 deflate, anything else is written as stored bytes with that method id.
    pub method: u16,
    pub sizes: Sizes,
    pub encrypted: bool,
}

impl<'a> Member<'a> {
    pub fn new(name: &'a str, data: &'a [u8]) -> Self {
        Member {
            name,
            data,
            method: 8,
            sizes: Sizes::DescriptorSig,
            encrypted: false,
        }
    }
    pub fn method(mut self, m: u16) -> Self {
        self.method = m;
        self
    }
    pub fn sizes(mut self, s: Sizes) -> Self {
        self.sizes = s;
        self
    }
    pub fn encrypted(mut self) -> Self {
        self.encrypted = true;
        self
    }
}

/// Build a ZIP archive; with `central`, a central directory and end record follow.
pub fn zip(members: &[Member<'_>], central: bool) -> Vec<u8> {
    let mut z = Vec::new();
    let mut cd = Vec::new();
    for m in members {
        let offset = z.len() as u32;
        let body = if m.method == 8 {
            deflate(m.data)
        } else {
            m.data.to_vec()
        };
        let crc = crc32(m.data);
        let descriptor = m.sizes != Sizes::Header;
        let flags: u16 = u16::from(descriptor) << 3 | u16::from(m.encrypted);
        let extra: Vec<u8> = if m.sizes == Sizes::DescriptorZip64 {
            let mut e = vec![0x01, 0x00, 16, 0]; // zip64 extended information, 16 bytes
            e.extend_from_slice(&[0; 16]); // sizes are in the descriptor
            e
        } else {
            Vec::new()
        };
        let (hcrc, hc, hu) = if descriptor {
            (0, 0, 0)
        } else {
            (crc, body.len() as u32, m.data.len() as u32)
        };
        z.extend_from_slice(b"PK\x03\x04"); // local file header signature
        z.extend_from_slice(&20u16.to_le_bytes()); // version needed
        z.extend_from_slice(&flags.to_le_bytes()); // general purpose flags
        z.extend_from_slice(&m.method.to_le_bytes()); // method
        z.extend_from_slice(&[0x69, 0x7d, 0x48, 0x59]); // time, date
        z.extend_from_slice(&hcrc.to_le_bytes()); // crc-32
        z.extend_from_slice(&hc.to_le_bytes()); // compressed size
        z.extend_from_slice(&hu.to_le_bytes()); // uncompressed size
        z.extend_from_slice(&(m.name.len() as u16).to_le_bytes()); // name length
        z.extend_from_slice(&(extra.len() as u16).to_le_bytes()); // extra length
        z.extend_from_slice(m.name.as_bytes());
        z.extend_from_slice(&extra);
        z.extend_from_slice(&body);
        match m.sizes {
            Sizes::Header => {}
            Sizes::DescriptorSig | Sizes::DescriptorNoSig => {
                if m.sizes == Sizes::DescriptorSig {
                    z.extend_from_slice(b"PK\x07\x08");
                }
                z.extend_from_slice(&crc.to_le_bytes());
                z.extend_from_slice(&(body.len() as u32).to_le_bytes());
                z.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
            }
            Sizes::DescriptorZip64 | Sizes::Descriptor64NoExtra => {
                z.extend_from_slice(b"PK\x07\x08");
                z.extend_from_slice(&crc.to_le_bytes());
                z.extend_from_slice(&(body.len() as u64).to_le_bytes());
                z.extend_from_slice(&(m.data.len() as u64).to_le_bytes());
            }
        }
        cd.extend_from_slice(b"PK\x01\x02"); // central directory header
        cd.extend_from_slice(&[20, 3, 20, 0]); // version made by, version needed
        cd.extend_from_slice(&flags.to_le_bytes());
        cd.extend_from_slice(&m.method.to_le_bytes());
        cd.extend_from_slice(&[0x69, 0x7d, 0x48, 0x59]);
        cd.extend_from_slice(&crc.to_le_bytes());
        cd.extend_from_slice(&(body.len() as u32).to_le_bytes());
        cd.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
        cd.extend_from_slice(&(m.name.len() as u16).to_le_bytes());
        cd.extend_from_slice(&[0; 8]); // extra len, comment len, disk, internal attrs
        cd.extend_from_slice(&[0; 4]); // external attrs
        cd.extend_from_slice(&offset.to_le_bytes());
        cd.extend_from_slice(m.name.as_bytes());
    }
    if central {
        let cd_offset = z.len() as u32;
        z.extend_from_slice(&cd);
        z.extend_from_slice(b"PK\x05\x06"); // end of central directory
        z.extend_from_slice(&[0; 4]); // disk numbers
        z.extend_from_slice(&(members.len() as u16).to_le_bytes());
        z.extend_from_slice(&(members.len() as u16).to_le_bytes());
        z.extend_from_slice(&(cd.len() as u32).to_le_bytes());
        z.extend_from_slice(&cd_offset.to_le_bytes());
        z.extend_from_slice(&[0; 2]); // comment length
    }
    z
}
pub mod ipfix_writer;
