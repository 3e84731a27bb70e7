//! One decoded byte stream (a plain file, a gzip stream, a ZIP member), routed by its
//! first bytes: pcap / pcapng captures and raw NetFlow v5/v9 / IPFIX exports go to
//! the binary decoders, everything else to the text decoders.

use crate::diag::Diagnostics;
use crate::export::ExportStream;
use crate::ipfix::decoder::{Decoder, ExportStats, Sink};
use crate::limits::Limits;
use crate::pcap::CaptureStream;
use crate::record::FlowRecord;
use crate::session::Templates;
use crate::text::{DecodeOptions, TextStream};

enum Inner {
    Sniff(Vec<u8>),
    Export(Box<ExportStream>),
    Capture(Box<CaptureStream>),
    Text(Box<TextStream>),
}

pub(crate) struct ContentStream {
    file_index: u32,
    name: String,
    limits: Limits,
    templates: Templates,
    opts: DecodeOptions,
    inner: Inner,
}

const PCAP_MAGIC: [[u8; 4]; 4] = [
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0x4d, 0x3c, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d],
];
const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

/// What `head` is, or None to wait for more bytes (`at_end`: no more will come).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Export,
    Pcap,
    Pcapng,
    Text,
}

fn sniff(head: &[u8], at_end: bool) -> Option<Kind> {
    if head.len() >= 2 && head[0] == 0 && matches!(head[1], 5 | 9 | 10) {
        return Some(Kind::Export);
    }
    if head.len() >= 4 {
        let m: [u8; 4] = [head[0], head[1], head[2], head[3]];
        return Some(if PCAP_MAGIC.contains(&m) {
            Kind::Pcap
        } else if m == PCAPNG_MAGIC {
            Kind::Pcapng
        } else {
            Kind::Text
        });
    }
    at_end.then_some(Kind::Text)
}

fn export_format(prefix: Option<&'static str>, versions: &[u16]) -> &'static str {
    match (prefix, versions) {
        (None, [10]) => "ipfix",
        (None, [9]) => "netflow-v9",
        (None, [5]) => "netflow-v5",
        (None, []) => "unknown",
        (None, _) => "netflow",
        (Some("pcapng"), [10]) => "pcapng/ipfix",
        (Some("pcapng"), [9]) => "pcapng/netflow-v9",
        (Some("pcapng"), [5]) => "pcapng/netflow-v5",
        (Some("pcapng"), []) => "pcapng",
        (Some("pcapng"), _) => "pcapng/netflow",
        (Some(_), [10]) => "pcap/ipfix",
        (Some(_), [9]) => "pcap/netflow-v9",
        (Some(_), [5]) => "pcap/netflow-v5",
        (Some(_), []) => "pcap",
        (Some(_), _) => "pcap/netflow",
    }
}

impl ContentStream {
    pub(crate) fn new(file_index: u32, name: String, limits: Limits) -> Self {
        ContentStream {
            file_index,
            name,
            limits,
            templates: Templates::default(),
            opts: DecodeOptions::default(),
            inner: Inner::Sniff(Vec::with_capacity(4)),
        }
    }

    /// Shares the templates of a session (see [`crate::Session`]).
    pub(crate) fn with_templates(mut self, templates: Templates) -> Self {
        self.templates = templates;
        self
    }

    /// Options for the text decoders (column mapping, time zone).
    pub(crate) fn with_options(mut self, opts: DecodeOptions) -> Self {
        self.opts = opts;
        self
    }

    fn decide(&mut self, kind: Kind, out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        let Inner::Sniff(head) = &mut self.inner else {
            return;
        };
        let head = std::mem::take(head);
        let dec = || {
            Decoder::new(
                self.file_index,
                &self.name,
                self.limits.clone(),
                self.templates.take(),
            )
        };
        self.inner = match kind {
            Kind::Export => Inner::Export(Box::new(ExportStream::new(dec()))),
            Kind::Pcap => Inner::Capture(Box::new(CaptureStream::new(dec(), false))),
            Kind::Pcapng => Inner::Capture(Box::new(CaptureStream::new(dec(), true))),
            Kind::Text => Inner::Text(Box::new(
                TextStream::new(self.file_index, self.name.clone(), self.limits.clone())
                    .with_options(self.opts.clone()),
            )),
        };
        self.push(&head, out, diags);
    }

    fn push(&mut self, bytes: &[u8], out: &mut Vec<FlowRecord>, diags: &mut Diagnostics) {
        if bytes.is_empty() {
            return;
        }
        let mut sink = Sink { out, diags };
        match &mut self.inner {
            Inner::Sniff(_) => {}
            Inner::Export(e) => e.feed(bytes, &mut sink),
            Inner::Capture(c) => c.feed(bytes, &mut sink),
            Inner::Text(t) => t.feed(bytes, sink.out, sink.diags),
        }
    }

    pub(crate) fn feed(
        &mut self,
        mut bytes: &[u8],
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        if let Inner::Sniff(head) = &mut self.inner {
            while head.len() < 4 && !bytes.is_empty() {
                head.push(bytes[0]);
                bytes = &bytes[1..];
                if let Some(kind) = sniff(head, false) {
                    self.decide(kind, out, diags);
                    break;
                }
            }
        }
        self.push(bytes, out, diags);
    }

    /// End of the stream; `complete` is false when the container was cut short.
    pub(crate) fn finish(
        &mut self,
        complete: bool,
        out: &mut Vec<FlowRecord>,
        diags: &mut Diagnostics,
    ) {
        if let Inner::Sniff(head) = &self.inner {
            if head.is_empty() && !complete {
                self.inner = Inner::Text(Box::new(TextStream::new(
                    self.file_index,
                    self.name.clone(),
                    self.limits.clone(),
                )));
            } else if let Some(kind) = sniff(head, true) {
                self.decide(kind, out, diags);
            }
        }
        let mut sink = Sink { out, diags };
        match &mut self.inner {
            Inner::Sniff(_) => {}
            Inner::Export(e) => {
                e.finish(&mut sink);
                self.templates.give_back(std::mem::take(&mut e.dec.store));
            }
            Inner::Capture(c) => {
                c.finish(&mut sink);
                self.templates.give_back(std::mem::take(&mut c.dec.store));
            }
            Inner::Text(t) => t.finish(complete, sink.out, sink.diags),
        }
    }

    /// `ipfix`, `netflow-v9`, `netflow-v5`, `netflow` (versions mixed), `pcap/ipfix`,
    /// ..., `pcap` (a capture without exports), or the text formats.
    pub(crate) fn format(&self) -> &'static str {
        match &self.inner {
            Inner::Sniff(_) => "empty",
            Inner::Export(e) => export_format(None, &e.dec.stats.versions),
            Inner::Capture(c) => export_format(
                Some(if c.ng { "pcapng" } else { "pcap" }),
                &c.dec.stats.versions,
            ),
            Inner::Text(t) => t.format(),
        }
    }

    /// Counts of the binary decoders, when the stream was an export or a capture.
    pub(crate) fn export_stats(&self) -> Option<&ExportStats> {
        match &self.inner {
            Inner::Export(e) => Some(&e.dec.stats),
            Inner::Capture(c) => Some(&c.dec.stats),
            _ => None,
        }
    }
}
