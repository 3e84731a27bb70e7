//! The fingerprint library (method.md M10, M12): labelled fingerprints keyed by
//! service, built from the exports of labelled devices or read from its JSON form.
//!
//! The file has a format name ([`LIBRARY_FORMAT`]) and version ([`LIBRARY_VERSION`]),
//! the parameters that produced it, and per fingerprint its label, representation,
//! window, n, stability and service weights (`{"TCP/443": 1.0}`). No addresses unless
//! asked for (`device`). Reading the file back gives the same library.

use crate::activity::Activity;
use crate::config::Config;
use crate::device::DeviceKey;
use crate::exporter::{DeviceExports, Window};
use crate::identify::Reference;
use crate::labels::Labels;
use crate::representation::Fingerprint;
use crate::service::Service;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The `format` field of a library file.
pub const LIBRARY_FORMAT: &str = "svcprint-library";
/// The `version` of the library format this code writes and reads.
pub const LIBRARY_VERSION: u32 = 1;

/// One labelled fingerprint.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// method.md M10: the label file's type when given, else the device name.
    pub label: String,
    /// `SL`, `SP` or `G<k>`.
    pub representation: String,
    pub window: Window,
    pub stable: bool,
    pub fingerprint: Fingerprint<Service>,
    /// The device key, only when asked for.
    pub device: Option<DeviceKey>,
}

/// A library: the parameters that produced it and its entries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LibraryFile", into = "LibraryFile")]
pub struct Library {
    pub params: Config,
    pub entries: Vec<Entry>,
}

/// Why a library file cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LibraryError {
    WrongFormat { found: String },
    UnsupportedVersion { found: u32 },
    BadService { entry: usize, text: String },
    BadWeight { entry: usize, service: String },
}

impl fmt::Display for LibraryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LibraryError::WrongFormat { found } => {
                write!(f, "not a {LIBRARY_FORMAT} file (format {found:?})")
            }
            LibraryError::UnsupportedVersion { found } => write!(
                f,
                "library version {found} is not supported (this build reads {LIBRARY_VERSION})"
            ),
            LibraryError::BadService { entry, text } => {
                write!(f, "fingerprint {entry}: not a service: {text:?}")
            }
            LibraryError::BadWeight { entry, service } => {
                write!(
                    f,
                    "fingerprint {entry}: weight of {service} is not in (0, 1]"
                )
            }
        }
    }
}

impl std::error::Error for LibraryError {}

#[derive(Clone, Serialize, Deserialize)]
struct LibraryFile {
    format: String,
    version: u32,
    params: Config,
    fingerprints: Vec<EntryFile>,
}

#[derive(Clone, Serialize, Deserialize)]
struct EntryFile {
    label: String,
    representation: String,
    window: Window,
    stable: bool,
    services: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device: Option<DeviceKey>,
}

impl From<Library> for LibraryFile {
    fn from(l: Library) -> LibraryFile {
        LibraryFile {
            format: LIBRARY_FORMAT.to_string(),
            version: LIBRARY_VERSION,
            params: l.params,
            fingerprints: l
                .entries
                .into_iter()
                .map(|e| EntryFile {
                    label: e.label,
                    representation: e.representation,
                    window: e.window,
                    stable: e.stable,
                    services: e
                        .fingerprint
                        .weights
                        .iter()
                        .map(|(s, w)| (s.to_string(), *w))
                        .collect(),
                    device: e.device,
                })
                .collect(),
        }
    }
}

impl TryFrom<LibraryFile> for Library {
    type Error = LibraryError;

    fn try_from(f: LibraryFile) -> Result<Library, LibraryError> {
        if f.format != LIBRARY_FORMAT {
            return Err(LibraryError::WrongFormat { found: f.format });
        }
        if f.version != LIBRARY_VERSION {
            return Err(LibraryError::UnsupportedVersion { found: f.version });
        }
        let blind = !f.params.direction_aware;
        let mut entries = Vec::with_capacity(f.fingerprints.len());
        for (i, e) in f.fingerprints.into_iter().enumerate() {
            let mut weights = Vec::with_capacity(e.services.len());
            for (text, w) in e.services {
                let s: Service = text.parse().map_err(|_| LibraryError::BadService {
                    entry: i,
                    text: text.clone(),
                })?;
                if !(w > 0.0 && w <= 1.0) {
                    return Err(LibraryError::BadWeight {
                        entry: i,
                        service: text,
                    });
                }
                weights.push((if blind { s.without_direction() } else { s }, w));
            }
            entries.push(Entry {
                label: e.label,
                representation: e.representation,
                window: e.window,
                stable: e.stable,
                fingerprint: Fingerprint { weights }.with_keys(|s| s),
                device: e.device,
            });
        }
        Ok(Library {
            params: f.params,
            entries,
        })
    }
}

impl Library {
    /// method.md M10: a library from every export (stable and unstable) of the labelled
    /// devices of `exports` (made from `act` under `cfg`), labelled with the label's
    /// type when given, else its name. `with_devices` keeps the device keys.
    pub fn build(
        act: &Activity,
        exports: &[DeviceExports],
        labels: &Labels,
        cfg: &Config,
        with_devices: bool,
    ) -> Library {
        let representation = cfg.representation.label(cfg.granularity);
        let mut entries = Vec::new();
        for dev in exports {
            let Some(label) = labels.get(&dev.key) else {
                continue;
            };
            for e in &dev.exports {
                entries.push(Entry {
                    label: label.class().to_string(),
                    representation: representation.clone(),
                    window: e.window,
                    stable: e.stable,
                    fingerprint: to_services(act, &e.fingerprint),
                    device: with_devices.then_some(dev.key),
                });
            }
        }
        Library {
            params: cfg.clone(),
            entries,
        }
    }

    /// The entries as references for [`crate::identify::identify`].
    pub fn references(&self) -> Vec<Reference<'_, Service>> {
        self.entries
            .iter()
            .map(|e| Reference {
                label: &e.label,
                fingerprint: &e.fingerprint,
            })
            .collect()
    }

    /// The distinct labels, sorted.
    pub fn labels(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.entries.iter().map(|e| e.label.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// A fingerprint over `act`'s service ids as one over services.
pub fn to_services(act: &Activity, f: &Fingerprint) -> Fingerprint<Service> {
    Fingerprint {
        weights: f
            .weights
            .iter()
            .filter_map(|&(id, w)| act.service(id).map(|s| (s, w)))
            .collect(),
    }
    .with_keys(|s| s)
}
