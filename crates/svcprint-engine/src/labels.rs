//! Label files (method.md M3, M10): device key (MAC or IP) -> name and optional type.
//!
//! Accepted layouts, detected per file:
//! - CSV with a header naming the columns: `mac` or `ip` (also `address`, `key`,
//!   `device`), `name`, and optionally `type`, in any order, comma-separated;
//! - whitespace-separated lines `MAC name` or `IP name` (the name is the rest of the
//!   line), e.g. `f8:da:c:7b:a:8f labelprinter`;
//! - tab-separated lines `name<TAB...>MAC<TAB...>more` (the UNSW `List_Of_Devices.txt`
//!   layout): the name is the text before the address; columns after it are ignored.
//!
//! CRLF line ends, trailing spaces, blank lines and `#` comments are accepted. MACs are
//! normalised ([`svcprint_flow::Mac::parse`]: case, `:` `-` `.` separators, missing
//! zero padding). A line without an address is a header when it is the first non-blank
//! line and mentions `mac`, `ip` or `address`; otherwise it is reported with its
//! line number, as are lines without a name and repeated keys (the first one wins).

use crate::device::DeviceKey;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use svcprint_flow::Mac;

/// A device's label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Label {
    /// The label identification uses (method.md M10): the type when given, else the name.
    pub fn class(&self) -> &str {
        self.kind.as_deref().unwrap_or(&self.name)
    }
}

/// A problem on one line of a label file (1-based line number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelError {
    pub line: usize,
    pub kind: LabelErrorKind,
}

/// What is wrong with a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelErrorKind {
    /// No MAC or IP address in the line (or in the key column).
    NoAddress { text: String },
    /// An address but no name.
    NoName,
    /// The key was already labelled on an earlier line.
    Duplicate { key: String, first_line: usize },
    /// A CSV header without a `mac`/`ip` column or without a `name` column.
    BadHeader { text: String },
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match &self.kind {
            LabelErrorKind::NoAddress { text } => {
                write!(f, "no MAC or IP address in {text:?}")
            }
            LabelErrorKind::NoName => f.write_str("address without a name"),
            LabelErrorKind::Duplicate { key, first_line } => {
                write!(f, "{key} was already labelled on line {first_line}")
            }
            LabelErrorKind::BadHeader { text } => write!(
                f,
                "CSV header needs a mac (or ip) column and a name column: {text:?}"
            ),
        }
    }
}

impl std::error::Error for LabelError {}

/// Device key -> label, sorted by key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labels {
    map: BTreeMap<DeviceKey, Label>,
}

impl Labels {
    /// The label of `key`.
    pub fn get(&self, key: &DeviceKey) -> Option<&Label> {
        self.map.get(key)
    }

    /// Every (key, label), sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&DeviceKey, &Label)> {
        self.map.iter()
    }

    /// The number of labelled devices.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when nothing is labelled.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Adds a label (replacing any earlier one for the key).
    pub fn insert(&mut self, key: DeviceKey, label: Label) {
        self.map.insert(key, label);
    }

    /// Parses a label file; returns what was read and the problems, by line.
    pub fn parse(text: &str) -> (Labels, Vec<LabelError>) {
        let mut labels = Labels::default();
        let mut errors = Vec::new();
        let mut first_line_of: BTreeMap<DeviceKey, usize> = BTreeMap::new();
        let mut csv: Option<CsvColumns> = None;
        let mut seen_content = false;
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.trim_end_matches('\r').trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let first = !seen_content;
            seen_content = true;
            let parsed = if first && looks_like_csv_header(line) {
                match CsvColumns::of(line) {
                    Some(c) => csv = Some(c),
                    None => errors.push(LabelError {
                        line: line_no,
                        kind: LabelErrorKind::BadHeader {
                            text: line.to_string(),
                        },
                    }),
                }
                continue;
            } else if let Some(c) = &csv {
                c.parse(line)
            } else {
                parse_free(line)
            };
            match parsed {
                Ok((key, label)) => {
                    if let Some(&first_line) = first_line_of.get(&key) {
                        errors.push(LabelError {
                            line: line_no,
                            kind: LabelErrorKind::Duplicate {
                                key: key.to_string(),
                                first_line,
                            },
                        });
                    } else {
                        first_line_of.insert(key, line_no);
                        labels.insert(key, label);
                    }
                }
                Err(LabelErrorKind::NoAddress { .. }) if first && is_header_words(line) => {}
                Err(kind) => errors.push(LabelError {
                    line: line_no,
                    kind,
                }),
            }
        }
        (labels, errors)
    }
}

/// A MAC (any accepted spelling) or an IP address.
fn key_of(token: &str) -> Option<DeviceKey> {
    let t = token.trim();
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Some(DeviceKey::Ip(ip.to_canonical()));
    }
    // Mac::parse also takes 12 bare hex digits; require a separator here so that a
    // name like `deadbeefcafe` is not read as an address.
    if t.contains([':', '-', '.']) {
        return Mac::parse(t).map(DeviceKey::Mac);
    }
    None
}

fn is_header_words(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    l.contains("mac") || l.contains("address") || l.split_whitespace().any(|w| w == "ip")
}

fn looks_like_csv_header(line: &str) -> bool {
    line.contains(',') && line.split(',').any(|f| column_role(f) == Some(Column::Key))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Key,
    Name,
    Type,
}

fn column_role(field: &str) -> Option<Column> {
    match field.trim().trim_matches('"').to_ascii_lowercase().as_str() {
        "mac" | "ip" | "address" | "key" | "device" | "mac_address" | "ip_address" => {
            Some(Column::Key)
        }
        "name" | "label" => Some(Column::Name),
        "type" | "kind" | "class" => Some(Column::Type),
        _ => None,
    }
}

struct CsvColumns {
    key: usize,
    name: usize,
    kind: Option<usize>,
}

impl CsvColumns {
    fn of(header: &str) -> Option<CsvColumns> {
        let roles: Vec<Option<Column>> = header.split(',').map(column_role).collect();
        let find = |c: Column| roles.iter().position(|r| *r == Some(c));
        Some(CsvColumns {
            key: find(Column::Key)?,
            name: find(Column::Name)?,
            kind: find(Column::Type),
        })
    }

    fn parse(&self, line: &str) -> Result<(DeviceKey, Label), LabelErrorKind> {
        let fields: Vec<&str> = line
            .split(',')
            .map(|f| f.trim().trim_matches('"'))
            .collect();
        let key_text = fields.get(self.key).copied().unwrap_or("");
        let key = key_of(key_text).ok_or_else(|| LabelErrorKind::NoAddress {
            text: line.to_string(),
        })?;
        let name = fields.get(self.name).copied().unwrap_or("");
        if name.is_empty() {
            return Err(LabelErrorKind::NoName);
        }
        let kind = self
            .kind
            .and_then(|i| fields.get(i))
            .filter(|t| !t.is_empty())
            .map(|t| t.to_string());
        Ok((
            key,
            Label {
                name: name.to_string(),
                kind,
            },
        ))
    }
}

/// `MAC name...`, `name<TAB>MAC<TAB>...`, or `name MAC`.
fn parse_free(line: &str) -> Result<(DeviceKey, Label), LabelErrorKind> {
    let tab_fields: Vec<&str> = line
        .split('\t')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    let fields: Vec<&str> = if tab_fields.len() > 1 {
        tab_fields
    } else {
        line.split_whitespace().collect()
    };
    let Some(at) = fields.iter().position(|f| key_of(f).is_some()) else {
        return Err(LabelErrorKind::NoAddress {
            text: line.to_string(),
        });
    };
    let key = fields
        .get(at)
        .and_then(|f| key_of(f))
        .ok_or(LabelErrorKind::NoName)?;
    let name_parts: &[&str] = if at > 0 {
        fields.get(..at).unwrap_or(&[])
    } else {
        fields.get(1..).unwrap_or(&[])
    };
    let name = name_parts.join(" ");
    if name.is_empty() {
        return Err(LabelErrorKind::NoName);
    }
    Ok((key, Label { name, kind: None }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> DeviceKey {
        s.parse().unwrap()
    }

    fn name(l: &Labels, key: &str) -> Option<String> {
        l.get(&k(key)).map(|x| x.name.clone())
    }

    #[test]
    fn csv_with_header_and_types() {
        let (l, e) = Labels::parse(
            "mac,name,type\r\nEC-3D-FD-39-6F-98,au_network_camera,camera\n\
             60:01:94:54:6b:e8,nature_remo,\n# comment\n\nnot-a-mac,x,y\n60:1:94:54:6b:e8,again,z\n",
        );
        assert_eq!(l.len(), 2);
        assert_eq!(
            l.get(&k("ec:3d:fd:39:6f:98")),
            Some(&Label {
                name: "au_network_camera".into(),
                kind: Some("camera".into())
            })
        );
        assert_eq!(l.get(&k("ec:3d:fd:39:6f:98")).unwrap().class(), "camera");
        assert_eq!(
            l.get(&k("60:01:94:54:6b:e8")).unwrap().class(),
            "nature_remo"
        );
        assert_eq!(
            e,
            [
                LabelError {
                    line: 6,
                    kind: LabelErrorKind::NoAddress {
                        text: "not-a-mac,x,y".into()
                    }
                },
                LabelError {
                    line: 7,
                    kind: LabelErrorKind::Duplicate {
                        key: "60:01:94:54:6b:e8".into(),
                        first_line: 3
                    }
                }
            ]
        );
        assert_eq!(
            e[1].to_string(),
            "line 7: 60:01:94:54:6b:e8 was already labelled on line 3"
        );
    }

    #[test]
    fn csv_by_ip_with_columns_in_any_order() {
        let (l, e) = Labels::parse("name,ip\nhub,192.168.1.10\nphone,fe80::1\nbad,300.1.1.1\n");
        assert_eq!(name(&l, "192.168.1.10").as_deref(), Some("hub"));
        assert_eq!(name(&l, "fe80::1").as_deref(), Some("phone"));
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 4);
        let (_, e) = Labels::parse("mac,type\naa:bb:cc:dd:ee:ff,x\n");
        assert_eq!(
            e,
            [
                LabelError {
                    line: 1,
                    kind: LabelErrorKind::BadHeader {
                        text: "mac,type".into()
                    }
                },
                LabelError {
                    line: 2,
                    kind: LabelErrorKind::NoAddress {
                        text: "aa:bb:cc:dd:ee:ff,x".into()
                    }
                }
            ]
        );
    }

    #[test]
    fn whitespace_lines_with_unpadded_macs() {
        let (l, e) =
            Labels::parse("f8:da:c:7b:a:8f labelprinter\n70:2c:1f:3b:36:53 fridge\njunk line\n");
        assert_eq!(
            name(&l, "f8:da:0c:7b:0a:8f").as_deref(),
            Some("labelprinter")
        );
        assert_eq!(name(&l, "70:2c:1f:3b:36:53").as_deref(), Some("fridge"));
        assert_eq!(
            e,
            [LabelError {
                line: 3,
                kind: LabelErrorKind::NoAddress {
                    text: "junk line".into()
                }
            }]
        );
        let (_, e) = Labels::parse("aa:bb:cc:dd:ee:ff\n");
        assert_eq!(e[0].kind, LabelErrorKind::NoName);
    }

    #[test]
    fn unsw_tab_layout() {
        let text = "List of Devices\t\t\t\tMAC ADDRESS\t\tConnection Type\r\n\r\n\
                    Smart Things \t\t\t\td0:52:a8:00:67:5e \tWired\r\n\
                    Insteon Camera \t\t\t\t00:62:6e:51:27:2e\tWired \r\n\
                    TPLink Router Bridge LAN (Gateway)\t14:cc:20:51:33:ea\tWireless\r\n";
        let (l, e) = Labels::parse(text);
        assert_eq!(e, []);
        assert_eq!(l.len(), 3);
        assert_eq!(
            name(&l, "d0:52:a8:00:67:5e").as_deref(),
            Some("Smart Things")
        );
        assert_eq!(
            name(&l, "14:cc:20:51:33:ea").as_deref(),
            Some("TPLink Router Bridge LAN (Gateway)")
        );
    }
}
