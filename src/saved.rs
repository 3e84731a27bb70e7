//! What "Save in this browser" keeps: the labels (imported and inline), the imported
//! library and the parameters, as one versioned JSON value under [`SAVED_KEY`] in the
//! browser's local storage. Written only when the user asks; read at page load; removed
//! (with every other `svcprint.` key, such as remembered column mappings) by "Clear saved
//! data". Plain Rust, tested natively: the (de)serialisation and its checks. The storage
//! calls themselves are in `components/saved.rs`.

use crate::protocol::DeviceLabel;
use serde::{Deserialize, Serialize};
use svcprint_engine::{Config, Library};

/// The local-storage key of the saved state.
pub const SAVED_KEY: &str = "svcprint.saved";
/// Every key svcprint writes starts with this.
pub const PREFIX: &str = "svcprint.";
/// The format version written; other versions are refused (and left alone).
pub const SAVED_VERSION: u32 = 1;

/// A label file as read: its name and its labels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedLabelFile {
    pub name: String,
    pub labels: Vec<DeviceLabel>,
}

/// An imported library: its file name and text (as the user gave it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedLibrary {
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub version: u32,
    pub config: Config,
    pub label_file: Option<SavedLabelFile>,
    pub inline: Vec<DeviceLabel>,
    pub library: Option<SavedLibrary>,
}

impl Saved {
    pub fn new(
        config: Config,
        label_file: Option<SavedLabelFile>,
        inline: Vec<DeviceLabel>,
        library: Option<SavedLibrary>,
    ) -> Saved {
        Saved {
            version: SAVED_VERSION,
            config,
            label_file,
            inline,
            library,
        }
    }

    pub fn to_text(&self) -> Result<String, String> {
        serde_json::to_string(self).map_err(|e| e.to_string())
    }

    /// Reads a stored value back, checking all of it: the version, the parameters, the
    /// labels' keys and the library. Never panics; says what is wrong.
    pub fn from_text(text: &str) -> Result<Saved, String> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
        let version = v.get("version").and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(SAVED_VERSION)) {
            return Err(format!(
                "saved by another version of svcprint (format {})",
                version.map_or("unknown".to_string(), |v| v.to_string())
            ));
        }
        let saved: Saved = serde_json::from_value(v).map_err(|e| e.to_string())?;
        saved
            .config
            .validate()
            .map_err(|e| format!("the parameters: {e}"))?;
        let labels = saved
            .label_file
            .iter()
            .flat_map(|f| f.labels.iter())
            .chain(&saved.inline);
        for l in labels {
            l.key
                .parse::<svcprint_engine::DeviceKey>()
                .map_err(|e| format!("a label's device {:?}: {e}", l.key))?;
        }
        if let Some(lib) = &saved.library {
            serde_json::from_str::<Library>(&lib.text)
                .map_err(|e| format!("the library {}: {e}", lib.name))?;
        }
        Ok(saved)
    }

    /// What was restored, for the notice shown after loading (`labels, library and
    /// settings`).
    pub fn what(&self) -> String {
        let mut parts = Vec::new();
        if self.label_file.is_some() || !self.inline.is_empty() {
            parts.push("labels");
        }
        if self.library.is_some() {
            parts.push("library");
        }
        parts.push("settings");
        match parts.as_slice() {
            [one] => one.to_string(),
            [a, b] => format!("{a} and {b}"),
            [a, b, c] => format!("{a}, {b} and {c}"),
            _ => parts.join(", "),
        }
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

    fn sample() -> Saved {
        let lib = Library {
            params: Config::default(),
            entries: vec![],
        };
        Saved::new(
            Config {
                tau: 0.8,
                granularity: 4,
                ..Config::default()
            },
            Some(SavedLabelFile {
                name: "labels.csv".into(),
                labels: vec![dl("aa:bb:cc:00:00:01", "plug", "smart_plug")],
            }),
            vec![dl("10.0.0.9", "nas", "")],
            Some(SavedLibrary {
                name: "lib.json".into(),
                text: serde_json::to_string(&lib).expect("json"),
            }),
        )
    }

    #[test]
    fn saved_state_round_trips() {
        let s = sample();
        let text = s.to_text().expect("serialises");
        assert!(text.starts_with("{\"version\":1,"), "{text}");
        assert_eq!(Saved::from_text(&text), Ok(s.clone()));
        assert_eq!(s.what(), "labels, library and settings");
        let bare = Saved::new(Config::default(), None, vec![], None);
        assert_eq!(
            Saved::from_text(&bare.to_text().expect("json")),
            Ok(bare.clone())
        );
        assert_eq!(bare.what(), "settings");
        let inline_only = Saved::new(Config::default(), None, vec![dl("10.0.0.1", "a", "")], None);
        assert_eq!(inline_only.what(), "labels and settings");
    }

    #[test]
    fn corrupt_values_are_refused_with_a_reason() {
        assert!(Saved::from_text("{bad")
            .unwrap_err()
            .starts_with("not JSON"));
        assert_eq!(
            Saved::from_text("{\"version\":7}").unwrap_err(),
            "saved by another version of svcprint (format 7)"
        );
        assert_eq!(
            Saved::from_text("[]").unwrap_err(),
            "saved by another version of svcprint (format unknown)"
        );
        assert!(Saved::from_text("{\"version\":1}")
            .unwrap_err()
            .contains("missing field"));
        let mut s = sample();
        s.config.tau = 7.0;
        assert!(Saved::from_text(&s.to_text().expect("json"))
            .unwrap_err()
            .starts_with("the parameters: "));
        let mut s = sample();
        s.inline.push(dl("nope", "x", ""));
        assert!(Saved::from_text(&s.to_text().expect("json"))
            .unwrap_err()
            .starts_with("a label's device \"nope\""));
        let mut s = sample();
        if let Some(l) = s.library.as_mut() {
            l.text = "{\"format\":\"x\"}".into();
        }
        assert!(Saved::from_text(&s.to_text().expect("json"))
            .unwrap_err()
            .starts_with("the library lib.json: "));
    }
}
