//! Streaming gzip (RFC 1952) reader: header parsed by hand, body inflated as raw
//! DEFLATE, trailer CRC-32 and size checked. Several members back to back form one
//! text (as `gzip -d` concatenates them); zero padding after the last member is
//! accepted, other trailing bytes are reported and ignored.

use crate::content::ContentStream as TextStream;
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::inflate::{Inflater, Step};
use crate::limits::Limits;
use crate::record::FlowRecord;

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;
const FRESERVED: u8 = 0xe0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gz {
    /// Collecting the 10-byte fixed header.
    Header,
    /// FEXTRA: collecting its 2-byte length, then skipping `left` bytes.
    ExtraLen,
    Extra {
        left: usize,
    },
    /// FNAME / FCOMMENT: skipping up to and including a NUL byte.
    Name,
    Comment,
    /// FHCRC: skipping 2 bytes.
    HeaderCrc {
        left: usize,
    },
    Deflate,
    /// Collecting the 8-byte trailer.
    Trailer,
    /// After a trailer: another member, zero padding, or the end.
    Between,
    ZeroPad,
    /// Nothing more is read (trailing garbage or damage was reported).
    Done,
    Failed,
}

pub(crate) struct GzipReader {
    name: String,
    text: TextStream,
    inf: Inflater,
    state: Gz,
    fixed: Vec<u8>,
    flags: u8,
    members: u64,
    /// Compressed bytes consumed so far (for messages).
    raw_pos: u64,
}

impl GzipReader {
    pub(crate) fn new(file_index: u32, name: &str, limits: Limits) -> Self {
        GzipReader {
            name: name.to_string(),
            text: TextStream::new(file_index, name.to_string(), limits),
            inf: Inflater::new(),
            state: Gz::Header,
            fixed: Vec::with_capacity(10),
            flags: 0,
            members: 1,
            raw_pos: 0,
        }
    }

    /// Options for the text decoders (column mapping, time zone).
    pub(crate) fn with_options(mut self, o: crate::text::DecodeOptions) -> Self {
        self.text = self.text.with_options(o);
        self
    }

    /// Shares a session's templates with the decompressed stream.
    pub(crate) fn with_templates(mut self, t: crate::session::Templates) -> Self {
        self.text = self.text.with_templates(t);
        self
    }

    pub(crate) fn format(&self) -> String {
        format!("gzip/{}", self.text.format())
    }

    fn diag(&self, diags: &mut Diagnostics, kind: DiagKind, message: String) {
        diags.push(Diagnostic {
            file: self.name.clone(),
            line: None,
            column: None,
            offset: None,
            kind,
            message,
        });
    }

    /// Take bytes into `fixed` until it holds `n`; true when complete.
    fn collect(&mut self, input: &mut &[u8], n: usize) -> bool {
        let take = n.saturating_sub(self.fixed.len()).min(input.len());
        self.fixed.extend_from_slice(&input[..take]);
        *input = &input[take..];
        self.raw_pos += take as u64;
        self.fixed.len() >= n
    }

    fn skip(&mut self, input: &mut &[u8], n: usize) {
        *input = &input[n..];
        self.raw_pos += n as u64;
    }

    /// After the fixed header or one optional part: the next optional part.
    fn next_header_part(&self, after: Gz) -> Gz {
        let order = [
            (FEXTRA, Gz::ExtraLen),
            (FNAME, Gz::Name),
            (FCOMMENT, Gz::Comment),
            (FHCRC, Gz::HeaderCrc { left: 2 }),
        ];
        let from = match after {
            Gz::Header => 0,
            Gz::Extra { .. } | Gz::ExtraLen => 1,
            Gz::Name => 2,
            Gz::Comment => 3,
            _ => 4,
        };
        order[from..]
            .iter()
            .find(|(f, _)| self.flags & f != 0)
            .map_or(Gz::Deflate, |(_, s)| *s)
    }

    pub(crate) fn feed(
        &mut self,
        mut input: &[u8],
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        while !input.is_empty() {
            match self.state {
                Gz::Header => {
                    if !self.collect(&mut input, 10) {
                        continue;
                    }
                    let h = std::mem::take(&mut self.fixed);
                    if h[0] != 0x1f || h[1] != 0x8b {
                        self.diag(
                            diags,
                            DiagKind::Compression,
                            format!(
                                "gzip member {} does not start with the gzip magic number",
                                self.members
                            ),
                        );
                        self.state = Gz::Failed;
                    } else if h[2] != 8 {
                        self.diag(diags, DiagKind::Compression, format!("gzip member {}: compression method {} is not supported (only 8, deflate)", self.members, h[2]));
                        self.state = Gz::Failed;
                    } else if h[3] & FRESERVED != 0 {
                        self.diag(
                            diags,
                            DiagKind::Compression,
                            format!(
                                "gzip member {}: reserved header flags 0x{:02x} are set",
                                self.members, h[3]
                            ),
                        );
                        self.state = Gz::Failed;
                    } else {
                        self.flags = h[3];
                        self.inf.reset();
                        self.state = self.next_header_part(Gz::Header);
                    }
                }
                Gz::ExtraLen => {
                    if self.collect(&mut input, 2) {
                        let len = usize::from(u16::from_le_bytes([self.fixed[0], self.fixed[1]]));
                        self.fixed.clear();
                        self.state = Gz::Extra { left: len };
                        if len == 0 {
                            self.state = self.next_header_part(Gz::ExtraLen);
                        }
                    }
                }
                Gz::Extra { left } => {
                    let n = left.min(input.len());
                    self.skip(&mut input, n);
                    self.state = if n == left {
                        self.next_header_part(Gz::ExtraLen)
                    } else {
                        Gz::Extra { left: left - n }
                    };
                }
                Gz::Name | Gz::Comment => {
                    let st = self.state;
                    match input.iter().position(|&b| b == 0) {
                        Some(p) => {
                            self.skip(&mut input, p + 1);
                            self.state = self.next_header_part(st);
                        }
                        None => {
                            let n = input.len();
                            self.skip(&mut input, n);
                        }
                    }
                }
                Gz::HeaderCrc { left } => {
                    let n = left.min(input.len());
                    self.skip(&mut input, n);
                    self.state = if n == left {
                        Gz::Deflate
                    } else {
                        Gz::HeaderCrc { left: left - n }
                    };
                }
                Gz::Deflate => {
                    let text = &mut self.text;
                    let (n, step) = self.inf.push(input, |piece| text.feed(piece, out, diags));
                    self.skip(&mut input, n);
                    match step {
                        Step::End => self.state = Gz::Trailer,
                        Step::NeedInput if input.is_empty() => {}
                        Step::NeedInput => {
                            self.diag(diags, DiagKind::Compression, format!("gzip member {}: the decompressor stopped at compressed byte {}; the rest is ignored", self.members, self.raw_pos));
                            self.state = Gz::Failed;
                        }
                        Step::Error(e) => {
                            self.diag(
                                diags,
                                DiagKind::Compression,
                                format!(
                                    "gzip member {} is damaged near compressed byte {} ({e}); records before the damage are kept",
                                    self.members, self.raw_pos
                                ),
                            );
                            self.state = Gz::Failed;
                        }
                    }
                }
                Gz::Trailer => {
                    if self.collect(&mut input, 8) {
                        let t = std::mem::take(&mut self.fixed);
                        let crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
                        let isize = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
                        if crc != self.inf.crc() {
                            self.diag(diags, DiagKind::Compression, format!("gzip member {}: CRC-32 mismatch (stored {crc:08x}, computed {:08x}); the data may be damaged", self.members, self.inf.crc()));
                        } else if u64::from(isize) != self.inf.total_out() & 0xffff_ffff {
                            self.diag(
                                diags,
                                DiagKind::Compression,
                                format!(
                                    "gzip member {}: size mismatch (stored {isize}, decoded {})",
                                    self.members,
                                    self.inf.total_out()
                                ),
                            );
                        }
                        self.state = Gz::Between;
                    }
                }
                Gz::Between => {
                    if input[0] == 0x1f {
                        self.members += 1;
                        self.state = Gz::Header;
                    } else if input[0] == 0 {
                        self.state = Gz::ZeroPad;
                    } else {
                        self.garbage(diags);
                    }
                }
                Gz::ZeroPad => match input.iter().position(|&b| b != 0) {
                    Some(p) => {
                        self.skip(&mut input, p);
                        self.garbage(diags);
                    }
                    None => {
                        let n = input.len();
                        self.skip(&mut input, n);
                    }
                },
                Gz::Done | Gz::Failed => {
                    let n = input.len();
                    self.skip(&mut input, n);
                }
            }
        }
    }

    fn garbage(&mut self, diags: &mut Diagnostics) {
        self.diag(
            diags,
            DiagKind::Compression,
            format!(
                "unexpected bytes after gzip member {} at byte {}; ignored",
                self.members, self.raw_pos
            ),
        );
        self.state = Gz::Done;
    }

    pub(crate) fn finish(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        let complete = match self.state {
            Gz::Between | Gz::ZeroPad | Gz::Done => true,
            Gz::Failed => false,
            Gz::Deflate => {
                self.diag(
                    diags,
                    DiagKind::Truncated,
                    format!(
                        "gzip stream is truncated: member {} ends after {} compressed bytes inside its data; records before the cut are kept, the partial last row is dropped",
                        self.members, self.raw_pos
                    ),
                );
                false
            }
            Gz::Trailer => {
                self.diag(
                    diags,
                    DiagKind::Truncated,
                    format!(
                        "gzip stream is truncated: member {} has no complete trailer",
                        self.members
                    ),
                );
                true
            }
            _ => {
                self.diag(
                    diags,
                    DiagKind::Truncated,
                    format!(
                        "gzip stream is truncated: member {} has no complete header",
                        self.members
                    ),
                );
                // Earlier members ended cleanly; a first member without a header has no text.
                self.members > 1
            }
        };
        self.state = Gz::Done;
        self.text.finish(complete, out, diags);
    }
}
