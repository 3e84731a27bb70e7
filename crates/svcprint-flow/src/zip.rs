//! Streaming ZIP reader (PKWARE APPNOTE 6.3): local file headers are read in order
//! as the bytes arrive, without the central directory, which is where reading stops.
//!
//! Members written in streaming mode (general-purpose flag bit 3) have zero sizes in
//! the local header; for deflate the end of the data is found by the end of the
//! deflate stream, and the data descriptor that follows is read with or without its
//! signature and with 4- or 8-byte (zip64) sizes, choosing the layout whose sizes
//! match the data just read. Stored, encrypted or other-method members are walked over
//! by their size when the local header gives it; when it does not, their end cannot be
//! found and the rest of the archive is skipped with a diagnostic.

use crate::content::ContentStream as TextStream;
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::inflate::{Inflater, Step};
use crate::limits::Limits;
use crate::record::FlowRecord;
use flate2::Crc;

const LOCAL_SIG: u32 = 0x0403_4b50;
const DESCRIPTOR_SIG: u32 = 0x0807_4b50;
/// Records that end the member list: central directory header, end of central
/// directory, zip64 end record and locator, digital signature, archive extra data.
const END_SIGS: [u32; 6] = [
    0x0201_4b50,
    0x0605_4b50,
    0x0606_4b50,
    0x0706_4b50,
    0x0505_4b50,
    0x0806_4b50,
];

const FLAG_ENCRYPTED: u16 = 0x0001;
const FLAG_DESCRIPTOR: u16 = 0x0008;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zs {
    /// Collecting a 4-byte signature.
    Sig,
    /// Collecting the 26 bytes after a local header signature.
    Fixed,
    /// Collecting the name (first `keep` bytes) then skipping `skip` more.
    Name {
        keep: usize,
        skip: usize,
    },
    /// Collecting the extra field.
    Extra {
        len: usize,
    },
    Stored {
        left: u64,
    },
    Deflate,
    Skip {
        left: u64,
    },
    /// Collecting the data descriptor.
    Descriptor,
    /// Central directory reached (or member limit hit): the rest is ignored.
    Done,
    /// Damage or an unreadable member: the rest is ignored.
    Failed,
}

enum Sink {
    Decode(Box<TextStream>),
    Discard,
}

struct Member {
    name: String,
    flags: u16,
    method: u16,
    crc: u32,
    csize: u64,
    usize: u64,
    name_len: usize,
    extra_len: usize,
    zip64: bool,
    sink: Sink,
}

fn le16(b: &[u8], at: usize) -> u16 {
    b.get(at..at + 2)
        .map_or(0, |s| u16::from_le_bytes([s[0], s[1]]))
}
fn le32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}
fn le64(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8).map_or(0, |s| {
        u64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
    })
}

fn method_name(m: u16) -> &'static str {
    match m {
        1 => "shrink",
        6 => "implode",
        9 => "deflate64",
        12 => "bzip2",
        14 => "lzma",
        93 => "zstd",
        95 => "xz",
        98 => "ppmd",
        99 => "AES encryption",
        _ => "unknown",
    }
}

pub(crate) struct ZipReader {
    outer: String,
    file_index: u32,
    limits: Limits,
    state: Zs,
    fixed: Vec<u8>,
    name_buf: Vec<u8>,
    member: Option<Member>,
    inf: Inflater,
    stored_crc: Crc,
    stored_len: u64,
    /// CRC, compressed and decompressed size of the member data just read, when known.
    actual: Option<(u32, u64, u64)>,
    members_seen: usize,
    formats: Vec<&'static str>,
    raw_pos: u64,
    templates: crate::session::Templates,
    opts: crate::text::DecodeOptions,
}

impl ZipReader {
    pub(crate) fn new(file_index: u32, name: &str, limits: Limits) -> Self {
        ZipReader {
            outer: name.to_string(),
            file_index,
            limits,
            state: Zs::Sig,
            fixed: Vec::with_capacity(32),
            name_buf: Vec::new(),
            member: None,
            inf: Inflater::new(),
            stored_crc: Crc::new(),
            stored_len: 0,
            actual: None,
            members_seen: 0,
            formats: Vec::new(),
            raw_pos: 0,
            templates: Default::default(),
            opts: Default::default(),
        }
    }

    /// Options for the text decoders (column mapping, time zone).
    pub(crate) fn with_options(mut self, o: crate::text::DecodeOptions) -> Self {
        self.opts = o;
        self
    }

    /// Shares a session's templates with the members (in archive order).
    pub(crate) fn with_templates(mut self, t: crate::session::Templates) -> Self {
        self.templates = t;
        self
    }

    /// `zip/` and the first member's format that names a dialect (`zip/csv-ipfix`), else
    /// `zip/` and the first decoded member's format, or `zip` when no member was decoded.
    pub(crate) fn format(&self) -> String {
        if let Some(f) = self.formats.iter().find(|f| f.contains('-')) {
            format!("zip/{f}")
        } else if let Some(f) = self.formats.first() {
            format!("zip/{f}")
        } else {
            "zip".to_string()
        }
    }

    fn member_file(&self) -> String {
        match &self.member {
            Some(m) => format!("{}:{}", self.outer, m.name),
            None => self.outer.clone(),
        }
    }

    fn diag(&self, diags: &mut Diagnostics, kind: DiagKind, message: String) {
        diags.push(Diagnostic {
            file: self.member_file(),
            line: None,
            column: None,
            offset: None,
            kind,
            message,
        });
    }

    fn collect(&mut self, input: &mut &[u8], n: usize) -> bool {
        let take = n.saturating_sub(self.fixed.len()).min(input.len());
        self.fixed.extend_from_slice(&input[..take]);
        self.advance(input, take);
        self.fixed.len() >= n
    }

    fn advance(&mut self, input: &mut &[u8], n: usize) {
        *input = &input[n..];
        self.raw_pos += n as u64;
    }

    pub(crate) fn feed(
        &mut self,
        mut input: &[u8],
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        while !input.is_empty() {
            match self.state {
                Zs::Sig => {
                    if self.collect(&mut input, 4) {
                        let sig = le32(&self.fixed, 0);
                        self.fixed.clear();
                        self.on_signature(sig, diags);
                    }
                }
                Zs::Fixed => {
                    if self.collect(&mut input, 26) {
                        self.on_fixed_header();
                    }
                }
                Zs::Name { keep, skip } => {
                    if keep > 0 {
                        let n = keep.min(input.len());
                        self.name_buf.extend_from_slice(&input[..n]);
                        self.advance(&mut input, n);
                        self.state = Zs::Name {
                            keep: keep - n,
                            skip,
                        };
                    } else {
                        let n = skip.min(input.len());
                        self.advance(&mut input, n);
                        self.state = Zs::Name {
                            keep: 0,
                            skip: skip - n,
                        };
                    }
                    if self.state == (Zs::Name { keep: 0, skip: 0 }) {
                        self.after_name(out, diags);
                    }
                }
                Zs::Extra { len } => {
                    if self.collect(&mut input, len) {
                        self.after_extra(out, diags);
                    }
                }
                Zs::Stored { left } => {
                    let n = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    let piece = &input[..n];
                    self.stored_crc.update(piece);
                    self.stored_len += n as u64;
                    if let Some(Member {
                        sink: Sink::Decode(t),
                        ..
                    }) = &mut self.member
                    {
                        t.feed(piece, out, diags);
                    }
                    self.advance(&mut input, n);
                    self.state = Zs::Stored {
                        left: left - n as u64,
                    };
                    if left == n as u64 {
                        self.data_done(out, diags);
                    }
                }
                Zs::Skip { left } => {
                    let n = usize::try_from(left).unwrap_or(usize::MAX).min(input.len());
                    self.advance(&mut input, n);
                    self.state = Zs::Skip {
                        left: left - n as u64,
                    };
                    if left == n as u64 {
                        self.data_done(out, diags);
                    }
                }
                Zs::Deflate => {
                    let (n, step) = match &mut self.member {
                        Some(Member {
                            sink: Sink::Decode(t),
                            ..
                        }) => self.inf.push(input, |p| t.feed(p, out, diags)),
                        _ => self.inf.push(input, |_| {}),
                    };
                    self.advance(&mut input, n);
                    match step {
                        Step::End => self.data_done(out, diags),
                        Step::NeedInput if input.is_empty() => {}
                        Step::NeedInput => {
                            let msg = format!("the decompressor stopped at byte {} of the archive; the rest is ignored", self.raw_pos);
                            self.fail(DiagKind::Compression, msg, out, diags);
                        }
                        Step::Error(e) => {
                            let msg = format!(
                                "compressed data is damaged near byte {} of the archive ({e}); records before the damage are kept, the rest of the archive is ignored",
                                self.raw_pos
                            );
                            self.fail(DiagKind::Compression, msg, out, diags);
                        }
                    }
                }
                Zs::Descriptor => {
                    let before = self.fixed.len();
                    let take = 24usize.saturating_sub(before).min(input.len());
                    self.fixed.extend_from_slice(&input[..take]);
                    match self.try_descriptor(false, diags) {
                        None => self.advance(&mut input, take),
                        Some(used) if used >= before => {
                            self.fixed.clear();
                            self.member = None;
                            self.state = Zs::Sig;
                            self.advance(&mut input, used - before);
                        }
                        Some(used) => {
                            // Bytes collected by an earlier call belong to what follows.
                            let rest = self.fixed[used..before].to_vec();
                            self.fixed.clear();
                            self.member = None;
                            self.state = Zs::Sig;
                            self.raw_pos -= rest.len() as u64;
                            self.feed(&rest, out, diags);
                        }
                    }
                }
                Zs::Done | Zs::Failed => {
                    let n = input.len();
                    self.advance(&mut input, n);
                }
            }
        }
    }

    fn on_signature(&mut self, sig: u32, diags: &mut Diagnostics) {
        if sig == LOCAL_SIG {
            if self.members_seen >= self.limits.max_archive_members {
                self.diag(
                    diags,
                    DiagKind::Limit,
                    format!(
                        "archive has more than max_archive_members ({}) members; the rest is skipped",
                        self.limits.max_archive_members
                    ),
                );
                self.state = Zs::Done;
            } else {
                self.members_seen += 1;
                self.state = Zs::Fixed;
            }
        } else if END_SIGS.contains(&sig) {
            self.state = Zs::Done;
        } else {
            self.diag(
                diags,
                DiagKind::Archive,
                format!("unexpected record signature 0x{sig:08x} at byte {} of the archive; the rest is ignored", self.raw_pos - 4),
            );
            self.state = Zs::Failed;
        }
    }

    fn on_fixed_header(&mut self) {
        let h = &self.fixed;
        let name_len = usize::from(le16(h, 22));
        let keep = name_len.min(self.limits.max_member_name);
        self.member = Some(Member {
            name: String::new(),
            flags: le16(h, 2),
            method: le16(h, 4),
            crc: le32(h, 10),
            csize: u64::from(le32(h, 14)),
            usize: u64::from(le32(h, 18)),
            name_len,
            extra_len: usize::from(le16(h, 24)),
            zip64: false,
            sink: Sink::Discard,
        });
        self.fixed.clear();
        self.name_buf.clear();
        self.state = Zs::Name {
            keep,
            skip: name_len - keep,
        };
    }

    fn after_name(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        let name = String::from_utf8_lossy(&self.name_buf).into_owned();
        let Some(m) = &mut self.member else { return };
        m.name = if m.name_len > self.name_buf.len() {
            format!("{name}…")
        } else {
            name
        };
        self.state = Zs::Extra { len: m.extra_len };
        if m.extra_len == 0 {
            self.after_extra(out, diags);
        }
    }

    /// The extra field is in `self.fixed`: read zip64 sizes, then decide what to do
    /// with the member's data.
    fn after_extra(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        let extra = std::mem::take(&mut self.fixed);
        let Some(m) = &mut self.member else { return };
        let mut at = 0;
        while at + 4 <= extra.len() {
            let (id, len) = (le16(&extra, at), usize::from(le16(&extra, at + 2)));
            let data = extra.get(at + 4..at + 4 + len).unwrap_or(&[]);
            if id == 0x0001 {
                m.zip64 = true;
                let mut k = 0;
                if m.usize == 0xffff_ffff && data.len() >= k + 8 {
                    m.usize = le64(data, k);
                    k += 8;
                }
                if m.csize == 0xffff_ffff && data.len() >= k + 8 {
                    m.csize = le64(data, k);
                }
            }
            at += 4 + len;
        }
        self.fixed = extra;
        self.fixed.clear();

        let sizes_known = m.flags & FLAG_DESCRIPTOR == 0 || m.csize != 0;
        let base = m.name.rsplit('/').next().unwrap_or("");
        let metadata = m.name.starts_with("__MACOSX/") || base.starts_with("._");
        let is_dir = m.name.ends_with('/') || m.name.ends_with('\\');
        let mut problem: Option<(DiagKind, String)> = None;
        let data_state = if is_dir && m.method == 0 && m.csize == 0 {
            Zs::Stored { left: 0 }
        } else if m.flags & FLAG_ENCRYPTED != 0 {
            problem = Some((
                DiagKind::Archive,
                "member is encrypted; skipped".to_string(),
            ));
            Zs::Skip { left: m.csize }
        } else {
            match m.method {
                0 => Zs::Stored { left: m.csize },
                8 => Zs::Deflate,
                other => {
                    let msg = format!(
                        "compression method {other} ({}) is not supported; member skipped",
                        method_name(other)
                    );
                    problem = Some((DiagKind::Archive, msg));
                    Zs::Skip { left: m.csize }
                }
            }
        };
        if problem.is_none() && !is_dir && !metadata {
            if m.name_len > self.limits.max_member_name {
                let msg = format!(
                    "member name of {} bytes is longer than max_member_name ({}); member skipped",
                    m.name_len, self.limits.max_member_name
                );
                problem = Some((DiagKind::Limit, msg));
            } else {
                let file = format!("{}:{}", self.outer, m.name);
                m.sink = Sink::Decode(Box::new(
                    TextStream::new(self.file_index, file, self.limits.clone())
                        .with_templates(self.templates.clone())
                        .with_options(self.opts.clone()),
                ));
            }
        }
        if let Some((kind, msg)) = problem {
            self.diag(diags, kind, msg);
        }
        if data_state != Zs::Deflate && !sizes_known && !is_dir {
            let msg = "the member's size is only in its data descriptor, so its end cannot be found; the rest of the archive is ignored".to_string();
            self.fail(DiagKind::Archive, msg, out, diags);
            return;
        }
        self.inf.reset();
        self.stored_crc.reset();
        self.stored_len = 0;
        self.state = data_state;
        if matches!(data_state, Zs::Stored { left: 0 } | Zs::Skip { left: 0 }) {
            self.data_done(out, diags);
        }
    }

    /// The member's data ended: finish its text, check what can be checked, and go on
    /// to the data descriptor or the next record.
    fn data_done(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        let state = self.state;
        let Some(m) = &mut self.member else { return };
        if let Sink::Decode(t) = &mut m.sink {
            t.finish(true, out, diags);
            self.formats.push(t.format());
        }
        let actual = match state {
            Zs::Deflate => Some((self.inf.crc(), self.inf.total_in(), self.inf.total_out())),
            Zs::Stored { .. } => Some((self.stored_crc.sum(), self.stored_len, self.stored_len)),
            _ => None,
        };
        self.actual = actual;
        if m.flags & FLAG_DESCRIPTOR != 0 {
            self.state = Zs::Descriptor;
            return;
        }
        let (crc, csize) = (m.crc, m.csize);
        if let Some((acrc, acsize, _)) = actual {
            if acsize != csize {
                let msg = format!("compressed size is {acsize} bytes, the header says {csize}; the archive may be damaged");
                self.diag(diags, DiagKind::Compression, msg);
            } else if acrc != crc {
                let msg = format!("CRC-32 mismatch (stored {crc:08x}, computed {acrc:08x}); the data may be damaged");
                self.diag(diags, DiagKind::Compression, msg);
            }
        }
        self.member = None;
        self.state = Zs::Sig;
    }

    /// Try to read the data descriptor from `self.fixed`. Returns the bytes it used
    /// when decided. With `at_end`, decides with whatever is there.
    fn try_descriptor(&mut self, at_end: bool, diags: &mut Diagnostics) -> Option<usize> {
        let b = &self.fixed;
        if b.len() < 4 && !at_end {
            return None;
        }
        let zip64 = self.member.as_ref().is_some_and(|m| m.zip64);
        let sig = usize::from(le32(b, 0) == DESCRIPTOR_SIG) * 4;
        let layouts = [(sig, zip64), (sig, !zip64)];
        let len = |(s, wide): (usize, bool)| s + 4 + if wide { 16 } else { 8 };
        let read = |(s, wide): (usize, bool)| -> (u32, u64, u64) {
            if wide {
                (le32(b, s), le64(b, s + 4), le64(b, s + 12))
            } else {
                (
                    le32(b, s),
                    u64::from(le32(b, s + 4)),
                    u64::from(le32(b, s + 8)),
                )
            }
        };
        let fits = |l: (usize, bool), v: (u32, u64, u64)| match self.actual {
            Some((_, c, u)) => {
                (v.1, v.2)
                    == if l.1 {
                        (c, u)
                    } else {
                        (c & 0xffff_ffff, u & 0xffff_ffff)
                    }
            }
            None => self.member.as_ref().is_some_and(|m| v.1 == m.csize),
        };
        let mut choice = None;
        for (i, &l) in layouts.iter().enumerate() {
            if b.len() < len(l) {
                if at_end {
                    continue;
                }
                return None; // wait for more bytes before ruling this one out
            }
            let v = read(l);
            if fits(l, v) {
                choice = Some((l, v, true));
                break;
            }
            if i == 0 {
                choice = Some((l, v, false));
            }
        }
        let ((s, wide), v, matched) = choice?;
        let used = len((s, wide));
        if !matched {
            let msg =
                "data descriptor does not match the member's data; the archive may be damaged"
                    .to_string();
            self.diag(diags, DiagKind::Archive, msg);
        } else if let Some((acrc, _, _)) = self.actual {
            if acrc != v.0 {
                let msg = format!(
                    "CRC-32 mismatch (stored {:08x}, computed {acrc:08x}); the data may be damaged",
                    v.0
                );
                self.diag(diags, DiagKind::Compression, msg);
            }
        }
        Some(used)
    }

    /// Report `msg` about the current member, end its text as damaged, ignore the rest.
    fn fail(
        &mut self,
        kind: DiagKind,
        msg: String,
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        self.diag(diags, kind, msg);
        if let Some(Member {
            sink: Sink::Decode(t),
            ..
        }) = &mut self.member
        {
            t.finish(false, out, diags);
            self.formats.push(t.format());
        }
        self.member = None;
        self.state = Zs::Failed;
    }

    pub(crate) fn finish(&mut self, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        if self.state == Zs::Descriptor {
            let collected = self.fixed.len();
            match self.try_descriptor(true, diags) {
                Some(used) => {
                    let rest = self.fixed.split_off(used.min(collected));
                    self.fixed.clear();
                    self.member = None;
                    self.state = Zs::Sig;
                    self.raw_pos -= rest.len() as u64;
                    self.feed(&rest, out, diags);
                }
                None => {
                    let msg = "the archive ends inside the member's data descriptor".to_string();
                    self.diag(diags, DiagKind::Truncated, msg);
                    self.member = None;
                    self.state = Zs::Done;
                }
            }
        }
        let msg = match self.state {
            Zs::Done | Zs::Failed => None,
            Zs::Sig => Some(format!(
                "the archive ends after {} member(s) without a central directory; it may be truncated",
                self.members_seen
            )),
            Zs::Fixed | Zs::Name { .. } | Zs::Extra { .. } => {
                Some("the archive ends inside a member's local header".to_string())
            }
            Zs::Stored { .. } | Zs::Deflate | Zs::Skip { .. } => Some(format!(
                "the archive is truncated inside the member's data (after {} bytes); records before the cut are kept, the partial last row is dropped",
                self.raw_pos
            )),
            Zs::Descriptor => None,
        };
        if let Some(msg) = msg {
            self.fail(DiagKind::Truncated, msg, out, diags);
        }
        self.state = Zs::Done;
    }
}
