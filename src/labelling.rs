//! Labels as the app keeps them: the labels of the last label file read (or the demo's),
//! the labels given inline in the device table, and the library identification uses.
//! Inline labels win over imported ones for the same device; the merged set is what
//! identification, evaluation and the library export use. Plain Rust, tested natively;
//! the worker owns one [`Labelling`], the page keeps the inline labels in its state.

use crate::protocol::DeviceLabel;
use std::collections::BTreeMap;
use svcprint_engine::{DeviceKey, Label, Labels, Library};

/// The name the demo's labels are shown under, as if imported from a file.
pub const DEMO_LABELS: &str = "the demo's labels";

/// An inline edit as the user typed it, checked: `Ok(Some(label))` to set, `Ok(None)` to
/// remove the device's inline label (both fields empty), `Err(why)` when it cannot be
/// written to a label file and read back (the label file's CSV has no quoting).
pub fn inline_label(key: &str, name: &str, kind: &str) -> Result<Option<DeviceLabel>, String> {
    let key: DeviceKey = key.parse().map_err(|e| format!("{key}: {e}"))?;
    let (name, kind) = (name.trim(), kind.trim());
    for (what, text) in [("name", name), ("type", kind)] {
        if text.contains([',', '"']) || text.chars().any(char::is_control) {
            return Err(format!(
                "the {what} cannot contain a comma, a double quote or a line break"
            ));
        }
    }
    if name.is_empty() && kind.is_empty() {
        return Ok(None);
    }
    Ok(Some(DeviceLabel {
        key: key.to_string(),
        // A label needs a name: a device given only a type is named by it.
        name: if name.is_empty() { kind } else { name }.to_string(),
        kind: kind.to_string(),
    }))
}

/// `inline` with `edit` applied (a new or changed label, or `key` removed).
pub fn with_inline(
    inline: &BTreeMap<String, DeviceLabel>,
    key: &str,
    edit: Option<DeviceLabel>,
) -> BTreeMap<String, DeviceLabel> {
    let mut next = inline.clone();
    match edit {
        Some(l) => {
            next.insert(l.key.clone(), l);
        }
        None => {
            next.remove(key);
        }
    }
    next
}

/// `imported` with every inline label on top (inline wins). Inline labels whose key does
/// not parse are left out.
pub fn merge(imported: &Labels, inline: &[DeviceLabel]) -> Labels {
    let mut merged = imported.clone();
    for l in inline {
        if let Ok(key) = l.key.parse::<DeviceKey>() {
            merged.insert(
                key,
                Label {
                    name: l.name.clone(),
                    kind: (!l.kind.is_empty()).then(|| l.kind.clone()),
                },
            );
        }
    }
    merged
}

/// Labels as the page lists them.
pub fn label_list(labels: &Labels) -> Vec<DeviceLabel> {
    labels
        .iter()
        .map(|(key, l)| DeviceLabel {
            key: key.to_string(),
            name: l.name.clone(),
            kind: l.kind.clone().unwrap_or_default(),
        })
        .collect()
}

/// Labels as a label file: `mac,name,type` (IP keys go in the same column; the label
/// reader takes either). Commas and double quotes, which that CSV cannot carry, become
/// `;` and `'`; the inline editor refuses them, so only imported names can have them.
pub fn labels_csv<'a>(labels: impl IntoIterator<Item = &'a DeviceLabel>) -> String {
    let clean = |s: &str| s.replace(',', ";").replace('"', "'");
    let mut out = String::from("mac,name,type\n");
    for l in labels {
        out.push_str(&format!(
            "{},{},{}\n",
            l.key,
            clean(&l.name),
            clean(&l.kind)
        ));
    }
    out
}

/// The worker's labels: imported, inline, their merge, and an imported library.
#[derive(Clone, Debug, Default)]
pub struct Labelling {
    imported: Labels,
    inline: Vec<DeviceLabel>,
    merged: Labels,
    library: Option<(String, Library)>,
}

impl Labelling {
    /// The labels in force (imported with inline on top).
    pub fn labels(&self) -> &Labels {
        &self.merged
    }

    pub fn imported(&self) -> &Labels {
        &self.imported
    }

    /// Replaces the imported labels (a label file, or the demo's).
    pub fn set_imported(&mut self, labels: Labels) {
        self.imported = labels;
        self.merged = merge(&self.imported, &self.inline);
    }

    /// Replaces the inline labels.
    pub fn set_inline(&mut self, inline: Vec<DeviceLabel>) {
        self.inline = inline;
        self.merged = merge(&self.imported, &self.inline);
    }

    /// The imported library in use (its name), if any.
    pub fn library(&self) -> Option<(&str, &Library)> {
        self.library.as_ref().map(|(n, l)| (n.as_str(), l))
    }

    /// Reads a library JSON (as `svcprint library` writes it) and uses it for
    /// identification; on error the library in use is kept.
    pub fn import_library(&mut self, name: &str, text: &str) -> Result<&Library, String> {
        let lib: Library = serde_json::from_str(text).map_err(|e| format!("{name}: {e}"))?;
        lib.params
            .validate()
            .map_err(|e| format!("{name}: its parameters: {e}"))?;
        self.library = Some((name.to_string(), lib));
        Ok(&self.library.as_ref().expect("just set").1)
    }

    /// Back to the library built from the labelled devices.
    pub fn drop_library(&mut self) {
        self.library = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(key: &str, name: &str, kind: &str) -> DeviceLabel {
        DeviceLabel {
            key: key.into(),
            name: name.into(),
            kind: kind.into(),
        }
    }

    #[test]
    fn inline_edits_are_checked_and_normalised() {
        assert_eq!(
            inline_label("EC-3D-FD-39-6F-98", " cam ", "camera"),
            Ok(Some(dl("ec:3d:fd:39:6f:98", "cam", "camera")))
        );
        assert_eq!(
            inline_label("10.0.0.5", "", "printer"),
            Ok(Some(dl("10.0.0.5", "printer", "printer")))
        );
        assert_eq!(inline_label("10.0.0.5", "  ", ""), Ok(None));
        assert_eq!(
            inline_label("10.0.0.5", "a,b", ""),
            Err("the name cannot contain a comma, a double quote or a line break".into())
        );
        assert_eq!(
            inline_label("10.0.0.5", "a", "x\"y"),
            Err("the type cannot contain a comma, a double quote or a line break".into())
        );
        assert!(inline_label("not-a-key", "a", "").is_err());
    }

    #[test]
    fn inline_labels_win_over_imported_ones() {
        let (imported, errors) = Labels::parse(
            "mac,name,type\naa:bb:cc:00:00:01,plug-1,smart_plug\naa:bb:cc:00:00:02,cam,camera\n",
        );
        assert!(errors.is_empty());
        let inline = with_inline(
            &BTreeMap::new(),
            "aa:bb:cc:00:00:02",
            Some(dl("aa:bb:cc:00:00:02", "front door", "doorbell")),
        );
        let inline = with_inline(&inline, "10.0.0.9", Some(dl("10.0.0.9", "nas", "")));
        let mut l = Labelling::default();
        l.set_imported(imported.clone());
        l.set_inline(inline.values().cloned().collect());
        assert_eq!(
            label_list(l.labels()),
            // MACs sort before IP addresses.
            [
                dl("aa:bb:cc:00:00:01", "plug-1", "smart_plug"),
                dl("aa:bb:cc:00:00:02", "front door", "doorbell"),
                dl("10.0.0.9", "nas", ""),
            ]
        );
        let key: DeviceKey = "aa:bb:cc:00:00:02".parse().expect("mac");
        assert_eq!(l.labels().get(&key).map(Label::class), Some("doorbell"));
        // A new label file keeps the inline labels on top.
        let (other, _) = Labels::parse("aa:bb:cc:00:00:02 cam2\naa:bb:cc:00:00:03 hub\n");
        l.set_imported(other);
        assert_eq!(l.labels().len(), 3);
        assert_eq!(
            l.labels().get(&key).map(|x| x.name.as_str()),
            Some("front door")
        );
        // Removing the inline label falls back to the imported one.
        let inline = with_inline(&inline, "aa:bb:cc:00:00:02", None);
        l.set_inline(inline.values().cloned().collect());
        assert_eq!(l.labels().get(&key).map(|x| x.name.as_str()), Some("cam2"));
        assert_eq!(l.imported().len(), 2);
    }

    #[test]
    fn the_label_csv_reads_back_to_the_same_labels() {
        let labels = [
            dl("10.0.0.9", "nas box", ""),
            dl("aa:bb:cc:00:00:01", "plug-1", "smart_plug"),
            dl("aa:bb:cc:00:00:02", "a, \"b\"", "x,y"),
        ];
        let csv = labels_csv(&labels);
        assert_eq!(
            csv,
            "mac,name,type\n10.0.0.9,nas box,\naa:bb:cc:00:00:01,plug-1,smart_plug\naa:bb:cc:00:00:02,a; 'b',x;y\n"
        );
        let (back, errors) = Labels::parse(&csv);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            label_list(&back),
            [
                dl("aa:bb:cc:00:00:01", "plug-1", "smart_plug"),
                dl("aa:bb:cc:00:00:02", "a; 'b'", "x;y"),
                dl("10.0.0.9", "nas box", ""),
            ]
        );
        // Exported again, the file is the same (in key order).
        let again = labels_csv(&label_list(&back));
        assert_eq!(Labels::parse(&again).0, back);
    }

    #[test]
    fn a_library_is_imported_or_refused_and_can_be_dropped() {
        let mut l = Labelling::default();
        assert!(l
            .import_library("x.json", "{\"format\":\"other\"}")
            .is_err());
        let lib = Library {
            params: svcprint_engine::Config::default(),
            entries: vec![],
        };
        let text = serde_json::to_string(&lib).expect("json");
        assert_eq!(l.import_library("lib.json", &text), Ok(&lib));
        assert_eq!(l.library().map(|(n, _)| n), Some("lib.json"));
        let refused = l.import_library("bad.json", "{");
        assert!(refused.unwrap_err().starts_with("bad.json: "));
        assert_eq!(l.library().map(|(n, _)| n), Some("lib.json"), "kept");
        l.drop_library();
        assert!(l.library().is_none());
    }
}
