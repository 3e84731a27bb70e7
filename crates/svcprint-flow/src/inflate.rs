//! Push-based raw DEFLATE (RFC 1951) into a fixed-size buffer, with CRC-32 of the
//! output, shared by the gzip and ZIP readers.

use flate2::{Crc, Decompress, FlushDecompress, Status};

/// Size of the decompression output buffer: decoded text is handed on in pieces of at
/// most this many bytes.
pub(crate) const OUT_BUF: usize = 64 * 1024;

/// What one [`Inflater::push`] call ended with.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// All given input was used; more is needed.
    NeedInput,
    /// The deflate stream ended; input after it was not consumed.
    End,
    /// The compressed data is invalid.
    Error(String),
}

pub(crate) struct Inflater {
    z: Decompress,
    buf: Vec<u8>,
    crc: Crc,
}

impl Inflater {
    pub(crate) fn new() -> Self {
        Inflater {
            z: Decompress::new(false),
            buf: vec![0; OUT_BUF],
            crc: Crc::new(),
        }
    }

    /// Start a new stream.
    pub(crate) fn reset(&mut self) {
        self.z.reset(false);
        self.crc.reset();
    }

    /// Compressed bytes consumed since the last reset.
    pub(crate) fn total_in(&self) -> u64 {
        self.z.total_in()
    }

    /// Decompressed bytes produced since the last reset.
    pub(crate) fn total_out(&self) -> u64 {
        self.z.total_out()
    }

    /// CRC-32 of the output since the last reset.
    pub(crate) fn crc(&self) -> u32 {
        self.crc.sum()
    }

    /// Decompress as much of `input` as belongs to the stream, handing every piece of
    /// output to `sink`. Returns the number of input bytes consumed.
    pub(crate) fn push(&mut self, input: &[u8], mut sink: impl FnMut(&[u8])) -> (usize, Step) {
        let mut consumed = 0;
        loop {
            let (in0, out0) = (self.z.total_in(), self.z.total_out());
            let res = self.z.decompress(
                input.get(consumed..).unwrap_or(&[]),
                &mut self.buf,
                FlushDecompress::None,
            );
            let ci = usize::try_from(self.z.total_in() - in0).unwrap_or(usize::MAX);
            let co = usize::try_from(self.z.total_out() - out0)
                .unwrap_or(0)
                .min(self.buf.len());
            consumed = consumed.saturating_add(ci).min(input.len());
            if co > 0 {
                let piece = &self.buf[..co];
                self.crc.update(piece);
                sink(piece);
            }
            match res {
                Err(e) => return (consumed, Step::Error(e.to_string())),
                Ok(Status::StreamEnd) => return (consumed, Step::End),
                Ok(_) if ci == 0 && co == 0 => return (consumed, Step::NeedInput),
                Ok(_) => {}
            }
        }
    }
}
