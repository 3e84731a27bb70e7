//! The message-level decoder shared by IPFIX and NetFlow v9: template scopes, the
//! data-before-template buffer, data sets through compiled plans, and statistics.
//!
//! A [`Decoder`] is given whole units (an IPFIX message, a NetFlow v9 flowset with
//! its header's context); the byte-stream framing lives in [`crate::export`].

use super::message::MessageHeader;
use super::plan::{Fields, Plan, RecordError, TimeContext};
use super::set::Sets;
use super::template::{self, TemplateEvent};
use crate::diag::{DiagKind, Diagnostic, Diagnostics};
use crate::limits::Limits;
use crate::record::{FlowRecord, Position};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::IpAddr;

/// Which protocol a template belongs to (v9 and IPFIX ids never mix).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protocol {
    NetflowV9,
    Ipfix,
}

/// A template scope: protocol, exporter (the UDP source address in captures, `None`
/// for raw files and TCP streams) and observation domain (IPFIX) or source id (v9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScopeKey {
    pub protocol: Protocol,
    pub exporter: Option<IpAddr>,
    pub domain: u32,
}

#[derive(Clone, Debug, Default)]
struct Scope {
    templates: HashMap<u16, Plan>,
    /// systemInitTimeMilliseconds last reported by this exporter and domain.
    sys_init_ms: Option<i64>,
}

/// Templates of every scope seen so far. A [`crate::Session`] carries one from file to
/// file so a template file's templates decode the next file's data.
#[derive(Clone, Debug, Default)]
pub struct TemplateStore {
    scopes: HashMap<ScopeKey, Scope>,
}

impl TemplateStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Templates currently defined, over all scopes.
    pub fn len(&self) -> usize {
        self.scopes.values().map(|s| s.templates.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `other`'s scopes, replacing those of the same key.
    pub(crate) fn merge(&mut self, other: TemplateStore) {
        if self.scopes.is_empty() {
            *self = other;
        } else {
            self.scopes.extend(other.scopes);
        }
    }

    /// The compiled template `id` of `scope`, if defined.
    pub fn get(&self, scope: &ScopeKey, id: u16) -> Option<&Plan> {
        self.scopes.get(scope)?.templates.get(&id)
    }
}

/// Counts over one stream (file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportStats {
    /// IPFIX messages, NetFlow v9 and v5 datagrams (headers) read.
    pub messages: u64,
    /// Template and options-template definitions that were new or changed a layout.
    pub templates: u64,
    /// Data records decoded from data templates.
    pub data_records: u64,
    /// Data records decoded from options templates (not flows).
    pub options_records: u64,
    /// Data records that became flow records (they have both addresses).
    pub flows: u64,
    /// Data sets that never found their template.
    pub missing_template_sets: u64,
    /// Versions seen: 5, 9, 10.
    pub versions: Vec<u16>,
}

impl ExportStats {
    pub(crate) fn saw_version(&mut self, v: u16) {
        if !self.versions.contains(&v) {
            self.versions.push(v);
            self.versions.sort_unstable();
        }
    }
}

/// Where a set is: byte offset of its body in the stream, message and set index.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Loc {
    pub offset: u64,
    pub message: u64,
    pub set: u32,
}

struct Pending {
    scope: ScopeKey,
    template_id: u16,
    body: Vec<u8>,
    loc: Loc,
    time: TimeContext,
}

/// Where records and diagnostics go.
pub(crate) struct Sink<'a> {
    pub out: &'a mut Vec<FlowRecord>,
    pub diags: &'a mut Diagnostics,
}

/// Per-stream decoder state over a (possibly shared) template store.
pub struct Decoder {
    pub(crate) file_index: u32,
    pub(crate) name: String,
    pub(crate) limits: Limits,
    pub(crate) store: TemplateStore,
    pending: Vec<Pending>,
    pending_bytes: usize,
    fields: Fields,
    pub(crate) stats: ExportStats,
}

impl Decoder {
    pub fn new(file_index: u32, name: &str, limits: Limits, store: TemplateStore) -> Self {
        Decoder {
            file_index,
            name: name.to_string(),
            limits,
            store,
            pending: Vec::new(),
            pending_bytes: 0,
            fields: Fields::default(),
            stats: ExportStats::default(),
        }
    }

    pub(crate) fn diag(
        &self,
        diags: &mut Diagnostics,
        offset: u64,
        kind: DiagKind,
        message: String,
    ) {
        diags.push(Diagnostic {
            file: self.name.clone(),
            line: None,
            column: None,
            offset: Some(offset),
            kind,
            message,
        });
    }

    /// Decodes one whole IPFIX message (`msg` is exactly its length) found at `offset`.
    pub(crate) fn ipfix_message(
        &mut self,
        msg: &[u8],
        exporter: Option<IpAddr>,
        offset: u64,
        sink: &mut Sink,
    ) {
        let index = self.stats.messages;
        self.stats.messages += 1;
        self.stats.saw_version(10);
        let h = match MessageHeader::parse(msg) {
            Ok(h) => h,
            Err(e) => {
                self.diag(
                    sink.diags,
                    offset,
                    DiagKind::Framing,
                    format!("message {index}: {e}"),
                );
                return;
            }
        };
        let scope = ScopeKey {
            protocol: Protocol::Ipfix,
            exporter,
            domain: h.domain,
        };
        if !self.ensure_scope(scope, offset, sink) {
            return;
        }
        let export_ms = i64::from(h.export_time) * 1000;
        let body = msg.get(super::message::HEADER_LEN..).unwrap_or(&[]);
        let zero_tail = body.iter().rev().take_while(|&&b| b == 0).count();
        let mut sets_end = super::message::HEADER_LEN;
        for (set_index, set) in Sets::new(msg, super::message::HEADER_LEN).enumerate() {
            let set = match set {
                Ok(s) => s,
                Err(e) => {
                    // At the bad set itself (the message gives its offset within).
                    self.diag(
                        sink.diags,
                        offset + e.offset() as u64,
                        DiagKind::Framing,
                        format!(
                            "message {index}, set {set_index}: {e}; rest of the message skipped"
                        ),
                    );
                    break;
                }
            };
            sets_end = set.offset + 4 + set.body.len();
            let loc = Loc {
                offset: offset + set.offset as u64 + 4,
                message: index,
                set: set_index as u32,
            };
            match set.id {
                2 | 3 => {
                    let (events, err) =
                        template::parse_set(set.body, set.id == 3, self.limits.max_template_fields);
                    for (at, ev) in events {
                        self.template_event(scope, ev, loc, at, sink);
                    }
                    if let Some(e) = err {
                        let kind = match e {
                            template::TemplateError::TooManyFields { .. } => DiagKind::Limit,
                            _ => DiagKind::Template,
                        };
                        // At the bad template record when it is known, else the set body.
                        self.diag(
                            sink.diags,
                            loc.offset + e.offset().unwrap_or(0) as u64,
                            kind,
                            format!(
                                "message {index}, set {set_index}: {e}; rest of the set skipped"
                            ),
                        );
                    }
                }
                id if id >= 256 => {
                    let time = TimeContext {
                        export_ms,
                        header_uptime_ms: None,
                        sys_init_ms: None,
                    };
                    self.data_set(scope, id, set.body, loc, time, sink);
                }
                id => self.diag(
                    sink.diags,
                    loc.offset,
                    DiagKind::Framing,
                    format!("message {index}, set {set_index}: reserved set id {id}; set skipped"),
                ),
            }
        }
        if zero_tail >= 4 && sets_end == super::message::HEADER_LEN {
            let m = format!(
                "message {index}: {zero_tail} zero bytes where a set header was expected (not a set)"
            );
            self.diag(sink.diags, offset + sets_end as u64, DiagKind::Framing, m);
        }
    }

    /// Makes room for `scope`; false (with a diagnostic) when the scope limit is hit.
    pub(crate) fn ensure_scope(&mut self, scope: ScopeKey, offset: u64, sink: &mut Sink) -> bool {
        if self.store.scopes.contains_key(&scope) {
            return true;
        }
        if self.store.scopes.len() >= self.limits.max_template_scopes {
            self.diag(
                sink.diags,
                offset,
                DiagKind::Limit,
                format!(
                    "more than {} template scopes (exporter, domain); message from domain {} skipped",
                    self.limits.max_template_scopes, scope.domain
                ),
            );
            return false;
        }
        self.store.scopes.insert(scope, Scope::default());
        true
    }

    /// Applies one template event; decodes data sets that were waiting for it.
    pub(crate) fn template_event(
        &mut self,
        scope: ScopeKey,
        ev: TemplateEvent,
        loc: Loc,
        at: usize,
        sink: &mut Sink,
    ) {
        let offset = loc.offset + at as u64;
        let max = self.limits.max_templates_per_domain;
        let Some(sc) = self.store.scopes.get_mut(&scope) else {
            return;
        };
        match ev {
            TemplateEvent::Withdraw { id, .. } => {
                sc.templates.remove(&id);
            }
            TemplateEvent::WithdrawAll { options } => {
                sc.templates.retain(|_, p| p.options != options);
            }
            TemplateEvent::Define {
                id,
                options,
                scope_count,
                fields,
            } => {
                let same = sc
                    .templates
                    .get(&id)
                    .is_some_and(|p| p.options == options && p.fields == fields);
                if same {
                    return;
                }
                if !sc.templates.contains_key(&id) && sc.templates.len() >= max {
                    self.diag(
                        sink.diags,
                        offset,
                        DiagKind::Limit,
                        format!(
                            "message {}, set {}: template {id} dropped: more than {max} templates in domain {}",
                            loc.message, loc.set, scope.domain
                        ),
                    );
                    return;
                }
                let plan = Plan::compile(id, options, scope_count, &fields);
                let mut problems = Vec::new();
                if plan.min_len > self.limits.max_record_bytes {
                    problems.push((
                        DiagKind::Limit,
                        format!(
                            "template {id}: records of at least {} bytes exceed the limit of {}; template dropped",
                            plan.min_len, self.limits.max_record_bytes
                        ),
                    ));
                }
                for f in &plan.bad_lengths {
                    problems.push((
                        DiagKind::Template,
                        format!(
                            "template {id}: element {} (enterprise {}) has length {}, which cannot hold its type; skipped",
                            f.id, f.pen, f.len
                        ),
                    ));
                }
                let keep = plan.min_len <= self.limits.max_record_bytes;
                if keep {
                    sc.templates.insert(id, plan);
                    self.stats.templates += 1;
                }
                for (kind, m) in problems {
                    self.diag(
                        sink.diags,
                        offset,
                        kind,
                        format!("message {}, set {}: {m}", loc.message, loc.set),
                    );
                }
                if keep {
                    self.retry_pending(scope, id, sink);
                }
            }
        }
    }

    fn retry_pending(&mut self, scope: ScopeKey, id: u16, sink: &mut Sink) {
        if !self
            .pending
            .iter()
            .any(|p| p.scope == scope && p.template_id == id)
        {
            return;
        }
        let all = std::mem::take(&mut self.pending);
        let mut keep = Vec::with_capacity(all.len());
        for p in all {
            if p.scope == scope && p.template_id == id {
                self.pending_bytes -= p.body.len();
                self.data_set(p.scope, p.template_id, &p.body, p.loc, p.time, sink);
            } else {
                keep.push(p);
            }
        }
        keep.append(&mut self.pending);
        self.pending = keep;
    }

    /// Decodes a data set (IPFIX) or data flowset (v9) of template `id`.
    pub(crate) fn data_set(
        &mut self,
        scope: ScopeKey,
        id: u16,
        body: &[u8],
        loc: Loc,
        mut time: TimeContext,
        sink: &mut Sink,
    ) {
        let Some(sc) = self.store.scopes.get_mut(&scope) else {
            return;
        };
        let Some(plan) = sc.templates.get(&id) else {
            if self.pending_bytes + body.len() <= self.limits.max_buffered_bytes {
                self.pending_bytes += body.len();
                self.pending.push(Pending {
                    scope,
                    template_id: id,
                    body: body.to_vec(),
                    loc,
                    time,
                });
            } else {
                self.stats.missing_template_sets += 1;
                self.diag(
                    sink.diags,
                    loc.offset,
                    DiagKind::Limit,
                    format!(
                        "message {}, set {}: data for unknown template {id} not held: over {} bytes wait for templates; set skipped",
                        loc.message, loc.set, self.limits.max_buffered_bytes
                    ),
                );
            }
            return;
        };
        if plan.min_len == 0 {
            // Only zero-length fields: no record can be framed.
            let m = format!(
                "message {}, set {}: template {id} has only zero-length fields; set skipped",
                loc.message, loc.set
            );
            self.diag(sink.diags, loc.offset, DiagKind::Template, m);
            return;
        }
        time.sys_init_ms = sc.sys_init_ms;
        let mut at = 0usize;
        let mut index = 0u64;
        let mut error = None;
        let (mut data, mut opts, mut flows) = (0u64, 0u64, 0u64);
        // Reset once per set; `Plan::decode` overwrites what it maps in each record.
        self.fields = Fields::default();
        while body.len() - at >= plan.min_len {
            let rest = &body[at..];
            match plan.decode(rest, &mut self.fields, self.limits.max_record_bytes) {
                Ok(n) => {
                    let f = &self.fields;
                    if let Some(init) = f.sys_init_ms {
                        time.sys_init_ms = Some(init);
                    }
                    if plan.options {
                        opts += 1;
                    } else {
                        data += 1;
                        let pos = Position {
                            file: self.file_index,
                            line: 0,
                            byte: loc.offset + at as u64,
                        };
                        if plan.has_addresses {
                            if let Some(r) = f.to_record(&time, pos) {
                                sink.out.push(r);
                                flows += 1;
                            }
                        }
                    }
                    at += n.max(1);
                    index += 1;
                }
                Err(e) => {
                    error = Some((at, index, e));
                    break;
                }
            }
        }
        sc.sys_init_ms = time.sys_init_ms;
        self.stats.data_records += data;
        self.stats.options_records += opts;
        self.stats.flows += flows;
        if let Some((at, index, e)) = error {
            let (kind, what) = match e {
                RecordError::PastSetEnd { need, have } => (
                    DiagKind::Framing,
                    format!("needs {need} bytes, the set has {have} left"),
                ),
                RecordError::TooLong { len, limit } => (
                    DiagKind::Limit,
                    format!("is {len} bytes long, over the limit of {limit}"),
                ),
            };
            let m = format!(
                "message {}, set {}, record {index} (template {id}) {what}; rest of the set skipped",
                loc.message, loc.set
            );
            self.diag(sink.diags, loc.offset + at as u64, kind, m);
        }
    }

    /// End of the stream: data sets still waiting for a template are reported.
    pub(crate) fn finish(&mut self, sink: &mut Sink) {
        for p in std::mem::take(&mut self.pending) {
            self.stats.missing_template_sets += 1;
            let proto = match p.scope.protocol {
                Protocol::Ipfix => "observation domain",
                Protocol::NetflowV9 => "source id",
            };
            self.diag(
                sink.diags,
                p.loc.offset,
                DiagKind::MissingTemplate,
                format!(
                    "message {}, set {}: no template {} ({proto} {}) arrived for this data set of {} bytes",
                    p.loc.message,
                    p.loc.set,
                    p.template_id,
                    p.scope.domain,
                    p.body.len()
                ),
            );
        }
        self.pending_bytes = 0;
    }
}
