//! Template and options-template records (RFC 7011 section 3.4), parsed strictly
//! inside their set.

/// One field specifier: element id (enterprise bit cleared), enterprise number (0 for
/// IANA) and length in bytes (65535 = variable length).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldSpec {
    pub id: u16,
    pub pen: u32,
    pub len: u16,
}

/// What one template record says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateEvent {
    /// A (re)definition. `scope_count` is 0 for data templates.
    Define {
        id: u16,
        options: bool,
        scope_count: u16,
        fields: Vec<FieldSpec>,
    },
    /// Withdrawal of one template (field count 0).
    Withdraw { id: u16, options: bool },
    /// Withdrawal of all templates (id 2) or all options templates (id 3).
    WithdrawAll { options: bool },
}

/// Why a template set could not be read further. Offsets are within the set body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateError {
    /// The record needs more bytes than the set has left.
    PastSetEnd {
        id: u16,
        offset: usize,
        need: usize,
        have: usize,
    },
    /// More fields than `Limits::max_template_fields`.
    TooManyFields { id: u16, count: usize, limit: usize },
    /// Template ids below 256 are reserved.
    ReservedId { id: u16, offset: usize },
    /// Options template whose scope count is 0 or above its field count.
    ScopeCount { id: u16, scope: u16, fields: u16 },
}

impl TemplateError {
    /// Where the bad template record starts in the set body, when known.
    pub fn offset(&self) -> Option<usize> {
        match self {
            TemplateError::PastSetEnd { offset, .. } | TemplateError::ReservedId { offset, .. } => {
                Some(*offset)
            }
            TemplateError::TooManyFields { .. } | TemplateError::ScopeCount { .. } => None,
        }
    }
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateError::PastSetEnd {
                id,
                offset,
                need,
                have,
            } => write!(
                f,
                "template {id} at set offset {offset} needs {need} bytes, the set has {have} left"
            ),
            TemplateError::TooManyFields { id, count, limit } => {
                write!(f, "template {id} has {count} fields, the limit is {limit}")
            }
            TemplateError::ReservedId { id, offset } => {
                write!(f, "reserved template id {id} at set offset {offset}")
            }
            TemplateError::ScopeCount { id, scope, fields } => write!(
                f,
                "options template {id}: scope field count {scope} with {fields} fields"
            ),
        }
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        b.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        b.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// Reads `count` field specifiers at `at`; `ipfix` enables the enterprise bit.
/// Returns the fields and the offset after them, or the bytes needed.
pub(crate) fn read_fields(
    body: &[u8],
    mut at: usize,
    count: usize,
    ipfix: bool,
) -> Result<(Vec<FieldSpec>, usize), usize> {
    // Each specifier is at least 4 bytes: refuse before allocating.
    let rest = body.len().saturating_sub(at);
    if count.saturating_mul(4) > rest {
        return Err(count.saturating_mul(4));
    }
    let mut fields = Vec::with_capacity(count);
    for _ in 0..count {
        let (Some(raw), Some(len)) = (be16(body, at), be16(body, at + 2)) else {
            return Err(4);
        };
        at += 4;
        let (id, pen) = if ipfix && raw & 0x8000 != 0 {
            let Some(pen) = be32(body, at) else {
                return Err(4);
            };
            at += 4;
            (raw & 0x7fff, pen)
        } else {
            (raw, 0)
        };
        fields.push(FieldSpec { id, pen, len });
    }
    Ok((fields, at))
}

/// Parses the records of an IPFIX template set (set id 2, `options` false) or options
/// template set (set id 3). Events come with their offset in `body`; reading stops at
/// the first error (the rest of the set cannot be framed). Trailing bytes shorter than
/// a record header, or all zero, are padding.
pub fn parse_set(
    body: &[u8],
    options: bool,
    max_fields: usize,
) -> (Vec<(usize, TemplateEvent)>, Option<TemplateError>) {
    let mut events = Vec::new();
    let mut at = 0usize;
    while body.len().saturating_sub(at) >= 4 {
        let (Some(id), Some(count)) = (be16(body, at), be16(body, at + 2)) else {
            break;
        };
        let withdraw_all_id = if options { 3 } else { 2 };
        if count == 0 {
            if id == withdraw_all_id {
                events.push((at, TemplateEvent::WithdrawAll { options }));
            } else if id >= 256 {
                events.push((at, TemplateEvent::Withdraw { id, options }));
            } else if body[at..].iter().all(|&b| b == 0) {
                break; // padding
            } else {
                return (events, Some(TemplateError::ReservedId { id, offset: at }));
            }
            at += 4;
            continue;
        }
        if id < 256 {
            return (events, Some(TemplateError::ReservedId { id, offset: at }));
        }
        let (scope, fields_at) = if options {
            match be16(body, at + 4) {
                Some(s) => (s, at + 6),
                None => {
                    let have = body.len() - at;
                    let e = TemplateError::PastSetEnd {
                        id,
                        offset: at,
                        need: 6,
                        have,
                    };
                    return (events, Some(e));
                }
            }
        } else {
            (0, at + 4)
        };
        if options && (scope == 0 || scope > count) {
            let e = TemplateError::ScopeCount {
                id,
                scope,
                fields: count,
            };
            return (events, Some(e));
        }
        if usize::from(count) > max_fields {
            let e = TemplateError::TooManyFields {
                id,
                count: usize::from(count),
                limit: max_fields,
            };
            return (events, Some(e));
        }
        match read_fields(body, fields_at, usize::from(count), true) {
            Ok((fields, next)) => {
                events.push((
                    at,
                    TemplateEvent::Define {
                        id,
                        options,
                        scope_count: scope,
                        fields,
                    },
                ));
                at = next;
            }
            Err(need) => {
                let e = TemplateError::PastSetEnd {
                    id,
                    offset: at,
                    need: need + (fields_at - at),
                    have: body.len() - at,
                };
                return (events, Some(e));
            }
        }
    }
    (events, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_with_enterprise_field_and_padding() {
        let body = [
            0x01, 0x00, 0x00, 0x02, // template 256, 2 fields
            0x00, 0x08, 0x00, 0x04, // sourceIPv4Address, 4
            0x80, 0x01, 0xff, 0xff, // enterprise bit, id 1, variable length
            0x00, 0x00, 0x72, 0x79, // PEN 29305
            0x00, 0x00, // padding
        ];
        let (ev, err) = parse_set(&body, false, 512);
        assert_eq!(err, None);
        assert_eq!(
            ev,
            vec![(
                0,
                TemplateEvent::Define {
                    id: 256,
                    options: false,
                    scope_count: 0,
                    fields: vec![
                        FieldSpec {
                            id: 8,
                            pen: 0,
                            len: 4
                        },
                        FieldSpec {
                            id: 1,
                            pen: 29305,
                            len: 65535
                        }
                    ]
                }
            )]
        );
    }

    #[test]
    fn withdrawals_and_errors() {
        let body = [0x01, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00];
        let (ev, err) = parse_set(&body, false, 512);
        assert_eq!(err, None);
        assert_eq!(
            ev,
            vec![
                (
                    0,
                    TemplateEvent::Withdraw {
                        id: 257,
                        options: false
                    }
                ),
                (4, TemplateEvent::WithdrawAll { options: false })
            ]
        );
        // 1000 fields announced, 4 bytes of fields present.
        let body = [0x01, 0x00, 0x03, 0xe8, 0x00, 0x08, 0x00, 0x04];
        assert_eq!(
            parse_set(&body, false, 4096).1,
            Some(TemplateError::PastSetEnd {
                id: 256,
                offset: 0,
                need: 4004,
                have: 8
            })
        );
        assert_eq!(
            parse_set(&body, false, 512).1,
            Some(TemplateError::TooManyFields {
                id: 256,
                count: 1000,
                limit: 512
            })
        );
        // Options template: scope 3 of 1 field.
        let body = [0x01, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00, 0x08, 0x00, 0x04];
        assert_eq!(
            parse_set(&body, true, 512).1,
            Some(TemplateError::ScopeCount {
                id: 256,
                scope: 3,
                fields: 1
            })
        );
    }
}
