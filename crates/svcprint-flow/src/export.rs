//! Raw export streams: IPFIX messages back to back (RFC 5655 files, IPFIX over TCP,
//! single datagrams), NetFlow v9 and v5 datagrams as written to `.dat`/`.bin` files
//! (one or several glued together). The same [`Framer`] splits a captured UDP payload.
//!
//! Framing units are bounded (an IPFIX message or v9 flowset <= 65535 bytes, a v5
//! datagram <= 1464 bytes), so a stream never buffers more than one unit.

use crate::diag::DiagKind;
use crate::ipfix::decoder::{Decoder, Loc, Sink};
use crate::ipfix::message::HEADER_LEN as IPFIX_HEADER;
use crate::netflow::{v5, v9};
use std::net::IpAddr;

pub(crate) enum Step {
    /// This many bytes were used (0 only when the state changed).
    Consumed(usize),
    /// A unit is incomplete: more bytes are needed.
    Need,
    /// Nothing more can be read from this stream or datagram.
    Stop,
}

#[derive(Clone, Copy, Debug, Default)]
enum State {
    #[default]
    Boundary,
    /// Inside a v9 packet: flowsets follow.
    V9 { header: v9::Header, set: u32 },
    /// Framing lost: the rest is skipped.
    Dead,
}

/// Splits bytes into IPFIX messages, v9 headers and flowsets, and v5 datagrams.
#[derive(Clone, Debug, Default)]
pub(crate) struct Framer {
    state: State,
}

fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

impl Framer {
    /// One step over `rest` (at stream offset `offset`); `at_end` when no more bytes
    /// will come.
    pub(crate) fn step(
        &mut self,
        dec: &mut Decoder,
        rest: &[u8],
        offset: u64,
        at_end: bool,
        exporter: Option<IpAddr>,
        sink: &mut Sink,
    ) -> Step {
        let short = |dec: &mut Decoder, sink: &mut Sink, what: &str, need: usize| {
            if at_end {
                if !rest.iter().all(|&b| b == 0) {
                    let m = format!(
                        "{what} needs {need} bytes, the input ends after {}",
                        rest.len()
                    );
                    dec.diag(sink.diags, offset, DiagKind::Truncated, m);
                }
                Step::Stop
            } else {
                Step::Need
            }
        };
        match self.state {
            State::Dead => Step::Consumed(rest.len()),
            State::Boundary => {
                if rest.is_empty() {
                    return if at_end { Step::Stop } else { Step::Need };
                }
                if rest.len() < 2 {
                    return short(dec, sink, "an export header", 2);
                }
                match be16(rest, 0) {
                    0 => {
                        // Zero padding between or after datagrams, read in pairs so the
                        // framing stays aligned whatever the chunk borders.
                        let zeros = rest.iter().take_while(|&&b| b == 0).count() & !1;
                        Step::Consumed(zeros)
                    }
                    10 => {
                        if rest.len() < 4 {
                            return short(dec, sink, "an IPFIX message header", IPFIX_HEADER);
                        }
                        let len = usize::from(be16(rest, 2));
                        if len < IPFIX_HEADER {
                            let m = format!(
                                "message {}: IPFIX message length {len} is below the 16-byte header; framing lost, the rest of the input is skipped",
                                dec.stats.messages
                            );
                            dec.diag(sink.diags, offset, DiagKind::Framing, m);
                            self.state = State::Dead;
                            return Step::Stop;
                        }
                        if rest.len() < len {
                            if !at_end {
                                return Step::Need;
                            }
                            let m = format!(
                                "message {}: IPFIX message length {len}, the input ends after {} bytes; the complete sets in it are decoded",
                                dec.stats.messages,
                                rest.len()
                            );
                            dec.diag(sink.diags, offset, DiagKind::Truncated, m);
                            dec.ipfix_message(rest, exporter, offset, sink);
                            return Step::Consumed(rest.len());
                        }
                        dec.ipfix_message(&rest[..len], exporter, offset, sink);
                        Step::Consumed(len)
                    }
                    9 => {
                        let Some(header) = v9::Header::parse(rest) else {
                            return short(dec, sink, "a NetFlow v9 header", v9::HEADER_LEN);
                        };
                        dec.stats.messages += 1;
                        dec.stats.saw_version(9);
                        self.state = State::V9 { header, set: 0 };
                        Step::Consumed(v9::HEADER_LEN)
                    }
                    5 => {
                        let Some(h) = v5::Header::parse(rest) else {
                            return short(dec, sink, "a NetFlow v5 header", v5::HEADER_LEN);
                        };
                        let need = h.datagram_len();
                        if h.count == 0 || h.count > v5::MAX_COUNT || (at_end && rest.len() < need)
                        {
                            dec.stats.messages += 1;
                            dec.stats.saw_version(5);
                            dec.v5_bad_count(&h, rest.len(), offset, sink);
                            self.state = State::Dead;
                            return Step::Stop;
                        }
                        if rest.len() < need {
                            return Step::Need;
                        }
                        dec.stats.messages += 1;
                        dec.stats.saw_version(5);
                        dec.v5_datagram(&h, &rest[..need], offset, sink);
                        Step::Consumed(need)
                    }
                    v => {
                        let m = format!(
                            "version {v} is not NetFlow v5, v9 or IPFIX; framing lost, the rest of the input is skipped"
                        );
                        dec.diag(sink.diags, offset, DiagKind::Framing, m);
                        self.state = State::Dead;
                        Step::Stop
                    }
                }
            }
            State::V9 { header, set } => {
                if rest.len() < 4 {
                    if rest.is_empty() && at_end {
                        return Step::Stop;
                    }
                    return short(dec, sink, "a NetFlow v9 flowset header", 4);
                }
                let (id, len) = (be16(rest, 0), usize::from(be16(rest, 2)));
                if matches!(id, 5 | 9 | 10) {
                    // The next datagram, glued to this one.
                    self.state = State::Boundary;
                    return Step::Consumed(0);
                }
                if id == 0 && len == 0 {
                    // Zero padding after the flowsets, read in whole 4-byte flowset
                    // headers (each step looks at 4 bytes only), so the position where
                    // the padding ends never depends on the chunk borders.
                    let zeros = rest.iter().take_while(|&&b| b == 0).count() & !3;
                    return Step::Consumed(zeros);
                }
                let index = dec.stats.messages.saturating_sub(1);
                if len < 4 {
                    let m = format!(
                        "packet {index}, flowset {set}: length {len} is below the 4-byte flowset header; framing lost, the rest of the input is skipped"
                    );
                    dec.diag(sink.diags, offset, DiagKind::Framing, m);
                    self.state = State::Dead;
                    return Step::Stop;
                }
                let loc = Loc {
                    offset: offset + 4,
                    message: index,
                    set,
                };
                self.state = State::V9 {
                    header,
                    set: set + 1,
                };
                if rest.len() < len {
                    if !at_end {
                        self.state = State::V9 { header, set };
                        return Step::Need;
                    }
                    let m = format!(
                        "packet {index}, flowset {set}: length {len}, the input ends after {} bytes; the complete records in it are decoded",
                        rest.len()
                    );
                    dec.diag(sink.diags, offset, DiagKind::Truncated, m);
                    dec.v9_flowset(&header, exporter, id, &rest[4..], loc, sink);
                    return Step::Consumed(rest.len());
                }
                dec.v9_flowset(&header, exporter, id, &rest[4..len], loc, sink);
                Step::Consumed(len)
            }
        }
    }

    /// How many bytes the unit at the start of `rest` needs in all, when its header
    /// says so (an IPFIX message, a v5 datagram, a v9 header or flowset); else
    /// `rest.len()`. Only a hint for [`ExportStream::feed`] to buffer no more than one
    /// unit: results never depend on it.
    fn unit_len(&self, rest: &[u8]) -> usize {
        let at_least = |n: usize| n.max(rest.len());
        match self.state {
            State::Dead => rest.len(),
            State::Boundary if rest.len() < 4 => at_least(4),
            State::Boundary => match be16(rest, 0) {
                10 => at_least(usize::from(be16(rest, 2))),
                9 => at_least(v9::HEADER_LEN),
                5 => v5::Header::parse(rest)
                    .map_or(at_least(v5::HEADER_LEN), |h| at_least(h.datagram_len())),
                _ => rest.len(),
            },
            State::V9 { .. } if rest.len() < 4 => at_least(4),
            State::V9 { .. } => at_least(usize::from(be16(rest, 2))),
        }
    }

    /// Runs over a whole datagram or buffer; returns the bytes used.
    pub(crate) fn run(
        &mut self,
        dec: &mut Decoder,
        bytes: &[u8],
        offset: u64,
        at_end: bool,
        exporter: Option<IpAddr>,
        sink: &mut Sink,
    ) -> usize {
        let mut at = 0usize;
        loop {
            if matches!(self.state, State::Dead) {
                return bytes.len();
            }
            let rest = &bytes[at..];
            match self.step(dec, rest, offset + at as u64, at_end, exporter, sink) {
                Step::Consumed(n) => at += n.min(rest.len()),
                Step::Need | Step::Stop => break,
            }
        }
        at
    }
}

/// A raw export stream (a file or its decompressed content).
pub(crate) struct ExportStream {
    pub(crate) dec: Decoder,
    framer: Framer,
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    base: u64,
}

impl ExportStream {
    pub(crate) fn new(dec: Decoder) -> Self {
        ExportStream {
            dec,
            framer: Framer::default(),
            buf: Vec::new(),
            base: 0,
        }
    }

    pub(crate) fn feed(&mut self, bytes: &[u8], sink: &mut Sink) {
        let mut bytes = bytes;
        // Complete a unit cut by the previous chunk border, copying only the bytes it
        // needs, so the rest of this chunk is framed in place (no copy).
        while !self.buf.is_empty() && !bytes.is_empty() {
            let want = self.framer.unit_len(&self.buf);
            let take = if want > self.buf.len() {
                (want - self.buf.len()).min(bytes.len())
            } else {
                bytes.len()
            };
            self.buf.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            let buf = std::mem::take(&mut self.buf);
            let used = self
                .framer
                .run(&mut self.dec, &buf, self.base, false, None, sink);
            self.base += used as u64;
            self.buf = buf;
            self.buf.drain(..used);
        }
        if self.buf.is_empty() && !bytes.is_empty() {
            let used = self
                .framer
                .run(&mut self.dec, bytes, self.base, false, None, sink);
            self.base += used as u64;
            self.buf.extend_from_slice(&bytes[used..]);
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }

    pub(crate) fn finish(&mut self, sink: &mut Sink) {
        let buf = std::mem::take(&mut self.buf);
        let used = self
            .framer
            .run(&mut self.dec, &buf, self.base, true, None, sink);
        self.base += used as u64;
        self.dec.finish(sink);
    }
}
