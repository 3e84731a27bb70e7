//! NetFlow v9 (RFC 3954): header, template / options-template / data flowsets.
//!
//! Field types share the IPFIX element numbers ([`crate::ipfix::ie`]); a field length
//! of 65535 is read as an IPFIX-style variable-length field (a vendor convention),
//! zero-length fields take no bytes. Times are relative to the header's sysUptime and
//! export time.

use crate::diag::DiagKind;
use crate::ipfix::decoder::{Decoder, Loc, Protocol, ScopeKey, Sink};
use crate::ipfix::plan::TimeContext;
use crate::ipfix::template::{read_fields, FieldSpec, TemplateEvent};
use std::net::IpAddr;

/// Bytes in a v9 header.
pub const HEADER_LEN: usize = 20;

/// A NetFlow v9 packet header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Records (template, options and data) in the packet, as the exporter counted.
    pub count: u16,
    /// Milliseconds since the exporter booted.
    pub sys_uptime: u32,
    /// Export time, seconds since 1970.
    pub unix_secs: u32,
    pub sequence: u32,
    pub source_id: u32,
}

impl Header {
    /// Parses the 20-byte header at the start of `b` (version not checked).
    pub fn parse(b: &[u8]) -> Option<Header> {
        let h = b.get(..HEADER_LEN)?;
        let u32_at = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        Some(Header {
            count: u16::from_be_bytes([h[2], h[3]]),
            sys_uptime: u32_at(4),
            unix_secs: u32_at(8),
            sequence: u32_at(12),
            source_id: u32_at(16),
        })
    }
}

/// Pseudo enterprise number given to v9 options scope fields so they never map into
/// a flow record (their type numbers mean scopes, not IPFIX elements).
const SCOPE_PEN: u32 = u32::MAX;

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

impl Decoder {
    /// Decodes one flowset `id` with `body` of the packet with header `h`.
    pub(crate) fn v9_flowset(
        &mut self,
        h: &Header,
        exporter: Option<IpAddr>,
        id: u16,
        body: &[u8],
        loc: Loc,
        sink: &mut Sink,
    ) {
        let scope = ScopeKey {
            protocol: Protocol::NetflowV9,
            exporter,
            domain: h.source_id,
        };
        if !self.ensure_scope(scope, loc.offset, sink) {
            return;
        }
        let where_ = format!("packet {}, flowset {}", loc.message, loc.set);
        match id {
            0 => {
                let mut at = 0usize;
                while body.len().saturating_sub(at) >= 4 {
                    let (Some(tid), Some(count)) = (be16(body, at), be16(body, at + 2)) else {
                        break;
                    };
                    if tid < 256 {
                        if !body[at..].iter().all(|&b| b == 0) {
                            let m = format!(
                                "{where_}: reserved template id {tid}; rest of the flowset skipped"
                            );
                            self.diag(sink.diags, loc.offset + at as u64, DiagKind::Template, m);
                        }
                        break;
                    }
                    if usize::from(count) > self.limits.max_template_fields {
                        let m = format!(
                            "{where_}: template {tid} has {count} fields, the limit is {}; rest of the flowset skipped",
                            self.limits.max_template_fields
                        );
                        self.diag(sink.diags, loc.offset + at as u64, DiagKind::Limit, m);
                        break;
                    }
                    match read_fields(body, at + 4, usize::from(count), false) {
                        Ok((fields, next)) => {
                            let ev = TemplateEvent::Define {
                                id: tid,
                                options: false,
                                scope_count: 0,
                                fields,
                            };
                            self.template_event(scope, ev, loc, at, sink);
                            at = next;
                        }
                        Err(need) => {
                            let m = format!(
                                "{where_}: template {tid} with {count} fields needs {} bytes, {} left; rest of the flowset skipped",
                                need + 4,
                                body.len() - at
                            );
                            self.diag(sink.diags, loc.offset + at as u64, DiagKind::Template, m);
                            break;
                        }
                    }
                }
            }
            1 => {
                let mut at = 0usize;
                while body.len().saturating_sub(at) >= 6 {
                    let (Some(tid), Some(scope_len), Some(opt_len)) =
                        (be16(body, at), be16(body, at + 2), be16(body, at + 4))
                    else {
                        break;
                    };
                    if tid < 256 {
                        if !body[at..].iter().all(|&b| b == 0) {
                            let m = format!("{where_}: reserved options template id {tid}; rest of the flowset skipped");
                            self.diag(sink.diags, loc.offset + at as u64, DiagKind::Template, m);
                        }
                        break;
                    }
                    let (ns, no) = (usize::from(scope_len) / 4, usize::from(opt_len) / 4);
                    if scope_len % 4 != 0
                        || opt_len % 4 != 0
                        || ns + no > self.limits.max_template_fields
                    {
                        let m = format!(
                            "{where_}: options template {tid}: scope length {scope_len} and option length {opt_len} (bytes, multiples of 4, at most {} fields); rest of the flowset skipped",
                            self.limits.max_template_fields
                        );
                        self.diag(sink.diags, loc.offset + at as u64, DiagKind::Template, m);
                        break;
                    }
                    match read_fields(body, at + 6, ns + no, false) {
                        Ok((mut fields, next)) => {
                            for f in fields.iter_mut().take(ns) {
                                *f = FieldSpec {
                                    pen: SCOPE_PEN,
                                    ..*f
                                };
                            }
                            let ev = TemplateEvent::Define {
                                id: tid,
                                options: true,
                                scope_count: ns as u16,
                                fields,
                            };
                            self.template_event(scope, ev, loc, at, sink);
                            at = next;
                        }
                        Err(_) => {
                            let m = format!(
                                "{where_}: options template {tid} needs {} bytes, {} left; rest of the flowset skipped",
                                6 + ns * 4 + no * 4,
                                body.len() - at
                            );
                            self.diag(sink.diags, loc.offset + at as u64, DiagKind::Template, m);
                            break;
                        }
                    }
                }
            }
            id if id >= 256 => {
                let time = TimeContext {
                    export_ms: i64::from(h.unix_secs) * 1000,
                    header_uptime_ms: Some(h.sys_uptime),
                    sys_init_ms: None,
                };
                self.data_set(scope, id, body, loc, time, sink);
            }
            id => {
                let m = format!("{where_}: reserved flowset id {id}; flowset skipped");
                self.diag(sink.diags, loc.offset, DiagKind::Framing, m);
            }
        }
    }
}
