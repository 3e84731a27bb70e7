//! The IPFIX message header (RFC 7011 section 3.1).

/// Bytes in a message header.
pub const HEADER_LEN: usize = 16;
/// Version number of IPFIX.
pub const VERSION: u16 = 10;

/// An IPFIX message header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageHeader {
    /// Total message length, header included.
    pub length: u16,
    /// Export time, seconds since 1970.
    pub export_time: u32,
    pub sequence: u32,
    pub domain: u32,
}

/// Why bytes are not an IPFIX message header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeaderError {
    /// Fewer than 16 bytes.
    Short { have: usize },
    /// The version field is not 10.
    Version { found: u16 },
    /// The length field is below the header length.
    Length { length: u16 },
}

impl std::fmt::Display for HeaderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HeaderError::Short { have } => write!(f, "message header needs 16 bytes, {have} left"),
            HeaderError::Version { found } => write!(f, "version {found} is not IPFIX (10)"),
            HeaderError::Length { length } => {
                write!(f, "message length {length} is below the 16-byte header")
            }
        }
    }
}

impl MessageHeader {
    /// Parses the header at the start of `b`.
    pub fn parse(b: &[u8]) -> Result<MessageHeader, HeaderError> {
        let Some(h) = b.get(..HEADER_LEN) else {
            return Err(HeaderError::Short { have: b.len() });
        };
        let u16_at = |i: usize| u16::from_be_bytes([h[i], h[i + 1]]);
        let u32_at = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        if u16_at(0) != VERSION {
            return Err(HeaderError::Version { found: u16_at(0) });
        }
        let length = u16_at(2);
        if usize::from(length) < HEADER_LEN {
            return Err(HeaderError::Length { length });
        }
        Ok(MessageHeader {
            length,
            export_time: u32_at(4),
            sequence: u32_at(8),
            domain: u32_at(12),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let h = [
            0x00, 0x0a, 0x00, 0x20, // version 10, length 32
            0x5c, 0x2a, 0xfb, 0x00, // export time
            0x00, 0x00, 0x00, 0x07, // sequence 7
            0x00, 0x00, 0x00, 0x04, // domain 4
        ];
        assert_eq!(
            MessageHeader::parse(&h),
            Ok(MessageHeader {
                length: 32,
                export_time: 0x5c2a_fb00,
                sequence: 7,
                domain: 4
            })
        );
        assert_eq!(
            MessageHeader::parse(&h[..10]),
            Err(HeaderError::Short { have: 10 })
        );
        let mut bad = h;
        bad[3] = 8;
        assert_eq!(
            MessageHeader::parse(&bad),
            Err(HeaderError::Length { length: 8 })
        );
        bad[1] = 9;
        assert_eq!(
            MessageHeader::parse(&bad),
            Err(HeaderError::Version { found: 9 })
        );
    }
}
